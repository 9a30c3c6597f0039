using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Territories;

public sealed class TerritoryImportTestsOnSqlite(SqliteHost host) : TerritoryImportTests<SqliteHost>(host);

public sealed class TerritoryImportTestsOnPostgres(PostgresHost host) : TerritoryImportTests<PostgresHost>(host);

/// <summary>Importing divisions (CSV) and polygons (GeoJSON): a good file lands whole, a bad one not at all.</summary>
public abstract class TerritoryImportTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    // A community of 东关街道 (崆峒区) whose synthetic polygon holds the county seat.
    private const string Township = "620802001";

    private async Task<(string Community, double[] Box)> CommunityAtSeatAsync()
    {
        var located = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/territories/locate?lat=35.54&lon=106.68"));
        var community = located["chain"]![3]!["code"]!.GetValue<string>();
        // A tiny square around the seat lies inside that community.
        return (community, [106.68 - 0.0002, 35.54 - 0.0002, 106.68 + 0.0002, 35.54 + 0.0002]);
    }

    private static JsonObject Feature(string code, string name, string level, string parent, JsonArray rings) => new()
    {
        ["type"] = "Feature",
        ["properties"] = new JsonObject { ["code"] = code, ["name"] = name, ["level"] = level, ["parent_code"] = parent },
        ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = rings },
    };

    private static JsonArray Square(double[] b) =>
        [new JsonArray(Pos(b[0], b[1]), Pos(b[2], b[1]), Pos(b[2], b[3]), Pos(b[0], b[3]), Pos(b[0], b[1]))];

    private static JsonArray Pos(double lon, double lat) => [lon, lat];

    private static StringContent Collection(params JsonObject[] features) =>
        new(new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(features) }.ToJsonString(), Encoding.UTF8, "application/geo+json");

    private Task<int> TerritoryCountAsync() => host.QueryAsync(db => db.Territories.CountAsync());

    [Fact]
    public async Task A_valid_GeoJSON_file_imports_and_the_new_grid_is_located()
    {
        var (community, box) = await CommunityAtSeatAsync();
        var code = community + "901";
        var response = await (await host.ClientForAsync("admin")).PostAsync("/api/v1/territories/import/geojson", Collection(Feature(code, "测试网格", "grid", community, Square(box))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await Json.ReadAsync(response))["added"]!.GetValue<int>());

        var territory = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/territories/{code}"));
        Assert.Equal("620802", territory["chain"]![1]!["code"]!.GetValue<string>());
        Assert.True(territory["hasGeometry"]!.GetValue<bool>());

        var geometry = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/territories/{community}/geometry"));
        Assert.Contains(geometry["features"]!.AsArray(), f => f!["properties"]!["code"]!.GetValue<string>() == code);
    }

    public static TheoryData<string, string> BadFeatures => new()
    {
        { "unclosed", "is not closed" },
        { "bowtie", "invalid" },
        { "unknown-parent", "does not exist" },
        { "duplicate", "more than once" },
        { "outside-parent", "does not lie inside" },
        { "bad-level", "not valid" },
    };

    [Theory]
    [MemberData(nameof(BadFeatures))]
    public async Task A_bad_GeoJSON_file_is_refused_whole_naming_the_feature_and_fault(string fault, string message)
    {
        var (community, box) = await CommunityAtSeatAsync();
        var good = Feature(community + "801", "好网格", "grid", community, Square(box));
        var (x0, y0, x1, y1) = (box[0], box[1], box[2], box[3]);
        var bad = fault switch
        {
            "unclosed" => Feature(community + "802", "坏网格", "grid", community, [new JsonArray(Pos(x0, y0), Pos(x1, y0), Pos(x1, y1), Pos(x0, y1))]),
            "bowtie" => Feature(community + "802", "坏网格", "grid", community, [new JsonArray(Pos(x0, y0), Pos(x1, y1), Pos(x1, y0), Pos(x0, y1), Pos(x0, y0))]),
            "unknown-parent" => Feature("620802999999802", "坏网格", "grid", "620802999999", Square(box)),
            "duplicate" => Feature(community + "801", "重复网格", "grid", community, Square(box)),
            "outside-parent" => Feature(community + "802", "坏网格", "grid", community, Square([107.60, 35.05, 107.61, 35.06])),
            "bad-level" => Feature(community + "802", "坏网格", "cell", community, Square(box)),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
        var before = await TerritoryCountAsync();
        var response = await (await host.ClientForAsync("admin")).SendAsync(Json.Post("/api/v1/territories/import/geojson", Collection(good, bad), language: "en"));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        Assert.EndsWith("import-rejected", problem["type"]!.GetValue<string>());
        var errors = problem["errors"]!.AsObject();
        var entry = errors.FirstOrDefault(e => e.Key.StartsWith("feature 2", StringComparison.Ordinal));
        Assert.True(entry.Value is not null, $"{fault}: no error names feature 2: {problem.ToJsonString()}");
        Assert.Contains(message, string.Join(" ", Json.Strings(entry.Value)));
        Assert.Equal(before, await TerritoryCountAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/v1/territories/{community}801")).StatusCode);
    }

    [Fact]
    public async Task A_divisions_CSV_adds_communities_and_a_bad_one_writes_nothing()
    {
        var good = "code,name,level,parent_code\n" + $"{Township}901,测试社区,community,{Township}\n";
        var response = await (await host.ClientForAsync("admin")).PostAsync("/api/v1/territories/import/divisions", new StringContent(good, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/territories/{Township}901"));
        Assert.Equal("测试社区", created["territory"]!["name"]!.GetValue<string>());

        var before = await TerritoryCountAsync();
        var bad = "code,name,level,parent_code\n"
            + $"{Township}902,好社区,community,{Township}\n"
            + "620802777777,孤儿社区,community,620802777\n"
            + $"{Township}903,坏层级,village,{Township}\n"
            + $"621000001001,错位社区,community,{Township}\n";
        var refused = await (await host.ClientForAsync("admin")).SendAsync(Json.Post("/api/v1/territories/import/divisions", new StringContent(bad, Encoding.UTF8, "text/csv"), language: "en"));
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        var errors = (await Json.ReadAsync(refused))["errors"]!.AsObject();
        Assert.Contains("does not exist", string.Join(" ", Json.Strings(errors["line 3"])));
        Assert.Contains("not valid", string.Join(" ", Json.Strings(errors["line 4"])));
        Assert.Contains("must start with", string.Join(" ", Json.Strings(errors["line 5"])));
        Assert.Equal(before, await TerritoryCountAsync());

        var wrongType = await (await host.ClientForAsync("admin")).PostAsync("/api/v1/territories/import/divisions", new StringContent(good, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    [Fact]
    public async Task The_demo_covers_Pingliang_with_synthetic_grids_under_real_divisions()
    {
        var counties = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/territories?parent=620800"));
        Assert.Equal(7, counties.AsArray().Count);
        var grids = await host.QueryAsync(db => db.Territories.CountAsync(t => t.Level == "grid" && t.Synthetic));
        Assert.InRange(grids, 4500, 5500);
        var kongtong = await host.QueryAsync(db => db.Territories.CountAsync(t => t.Level == "grid" && t.Code.StartsWith("620802")));
        Assert.InRange(kongtong, 600, 800);
    }
}
