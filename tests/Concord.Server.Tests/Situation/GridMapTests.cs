using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Situation;

public sealed class GridMapTestsOnSqlite(SqliteHost host) : GridMapTests<SqliteHost>(host);

public sealed class GridMapTestsOnPostgres(PostgresHost host) : GridMapTests<PostgresHost>(host);

/// <summary>
/// The grid map's layer: a territory's children as simplified polygons carrying the situation figures
/// of the period, the same counts as GET /api/v1/figures/situation, within the user's scope.
/// </summary>
public abstract class GridMapTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private string Period
    {
        get
        {
            var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
            return $"from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        }
    }

    private static async Task<JsonNode> GeoJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        return await Json.ReadAsync(response);
    }

    private static int Positions(JsonNode? node) =>
        node is JsonArray array
            ? array.Count > 0 && array[0] is JsonValue ? 1 : array.Sum(Positions)
            : 0;

    [Fact]
    public async Task The_children_of_a_county_come_simplified_with_the_open_and_overdue_counts_of_the_figures()
    {
        var before = await GeoJsonAsync(host.Client, $"/api/v1/territories/620802/children.geojson?{Period}");
        var created = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title = "工地欠薪", description = "工地欠薪三个月。", categoryCode = "020101", location = new { lat = 35.54, lon = 106.68 },
        }))));
        var township = created["place"]!["chain"]!.AsArray().Single(c => c!["level"]!.GetValue<string>() == "township")!["code"]!.GetValue<string>();

        var after = await GeoJsonAsync(host.Client, $"/api/v1/territories/620802/children.geojson?{Period}");
        Assert.Equal("FeatureCollection", after["type"]!.GetValue<string>());
        var features = after["features"]!.AsArray();
        Assert.True(features.Count >= 2);
        Assert.All(features, f =>
        {
            Assert.StartsWith("620802", f!["properties"]!["code"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("township", f["properties"]!["level"]!.GetValue<string>());
            Assert.Contains(f["geometry"]!["type"]!.GetValue<string>(), new[] { "Polygon", "MultiPolygon" });
        });

        int Open(JsonNode collection) => collection["features"]!.AsArray().Single(f => f!["properties"]!["code"]!.GetValue<string>() == township)!["properties"]!["open"]!.GetValue<int>();
        Assert.Equal(Open(before) + 1, Open(after));

        // The same counts as the situation figures of the county, area by area (zeros where none fell).
        var figures = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/figures/situation?territory=620802&{Period}"));
        foreach (var feature in features)
        {
            var properties = feature!["properties"]!;
            var area = figures["byArea"]!.AsArray().SingleOrDefault(a => a!["code"]!.GetValue<string>() == properties["code"]!.GetValue<string>());
            Assert.Equal(area?["open"]?.GetValue<int>() ?? 0, properties["open"]!.GetValue<int>());
            Assert.Equal(area?["overdue"]?.GetValue<int>() ?? 0, properties["overdue"]!.GetValue<int>());
            Assert.Equal(area?["volume"]?.GetValue<int>() ?? 0, properties["volume"]!.GetValue<int>());
        }

        // Simplified for display: never more positions than the stored polygons.
        var stored = await GeoJsonAsync(host.Client, "/api/v1/territories/620802/geometry");
        var storedChildren = stored["features"]!.AsArray().Where(f => f!["properties"]!["code"]!.GetValue<string>() != "620802").ToList();
        Assert.Equal(storedChildren.Count, features.Count);
        Assert.True(features.Sum(f => Positions(f!["geometry"]!["coordinates"])) <= storedChildren.Sum(f => Positions(f!["geometry"]!["coordinates"])));
    }

    [Fact]
    public async Task A_township_drills_down_to_its_communities()
    {
        var collection = await GeoJsonAsync(host.Client, "/api/v1/territories/620802001/children.geojson");
        var features = collection["features"]!.AsArray();
        Assert.NotEmpty(features);
        Assert.All(features, f =>
        {
            Assert.Equal("community", f!["properties"]!["level"]!.GetValue<string>());
            Assert.True(f["properties"]!["children"]!.GetValue<int>() >= 0);
        });
    }

    [Fact]
    public async Task Unknown_out_of_scope_unauthorized_and_bad_periods_are_refused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/v1/territories/999999/children.geojson")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/v1/territories/620802/children.geojson")).StatusCode);
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.GetAsync("/api/v1/territories/620802/children.geojson")).StatusCode);
        var unitHead = await host.ClientForAsync("unithead");
        var outside = await unitHead.GetAsync("/api/v1/territories/620821/children.geojson");
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Contains("out-of-scope", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var reversed = await host.Client.GetAsync("/api/v1/territories/620802/children.geojson?from=2026-11-20&to=2026-11-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("\"from\"", await reversed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
