using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Catalogue;

public sealed class CatalogueVersionTestsOnSqlite(SqliteHost host) : CatalogueVersionTests<SqliteHost>(host);

public sealed class CatalogueVersionTestsOnPostgres(PostgresHost host) : CatalogueVersionTests<PostgresHost>(host);

/// <summary>派单目录: versions with effective dates, past dispatches explained by the catalogue of their day, and 部门事项不下沉.</summary>
public abstract class CatalogueVersionTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string Dongguan = "620802001"; // 东关街道, 崆峒区

    private async Task<string> IntakeAsync(string category, string title)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title, description = title + "，请处理。", territoryCode = Dongguan, categoryCode = category,
        })));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    private async Task<JsonNode> GetAsync(string path, HttpClient? client = null)
    {
        var response = await (client ?? host.Client).GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    private static string Lead(JsonNode node) => node["leadUnit"]!["code"]!.GetValue<string>();

    private async Task<JsonArray> RulesWithAsync(string ruleId, string lead)
    {
        var rules = (await GetAsync("/api/v1/routing/rules")).AsArray();
        foreach (var rule in rules)
        {
            if (rule!["id"]!.GetValue<string>() == ruleId)
            {
                rule["leadUnitCode"] = lead;
            }
        }

        // The API reads rules as { id, categoryCode, territoryCode, leadUnit, assistingUnits, autoDispatch, note }.
        return new JsonArray(rules.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r!["id"]!.GetValue<string>(),
            ["categoryCode"] = r["categoryCode"]?.GetValue<string>(),
            ["territoryCode"] = r["territoryCode"]!.GetValue<string>(),
            ["leadUnit"] = r["leadUnitCode"]!.GetValue<string>(),
            ["assistingUnits"] = new JsonArray(r["assistingUnitCodes"]!.AsArray().Select(a => (JsonNode?)a!.GetValue<string>()).ToArray()),
            ["autoDispatch"] = r["autoDispatch"]!.GetValue<bool>(),
            ["note"] = r["note"]?.GetValue<string>(),
        }).ToArray());
    }

    [Fact]
    public async Task An_old_dispatch_is_explained_by_the_catalogue_of_its_day_after_a_new_version()
    {
        // 物业纠纷 in 崆峒区: rule R064, the district's housing bureau, dispatched at intake.
        var before = host.Clock.GetUtcNow();
        var old = await IntakeAsync("0305", "物业乱收费");
        Assert.Equal("620802.zjj", Lead((await GetAsync($"/api/v1/matters/{old}"))["routing"]!));

        var dispatcher = await host.ClientForAsync("dispatcher");
        var published = await dispatcher.SendAsync(Json.Post("/api/v1/routing/catalogue/versions", Json.Body(new
        {
            reason = "物业纠纷改由区城管执法局牵头",
            rules = await RulesWithAsync("R064", "620802.cgj"),
        })));
        Assert.True(published.StatusCode == HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        Assert.Equal(2, (await Json.ReadAsync(published))["number"]!.GetValue<int>());

        var versions = (await GetAsync("/api/v1/routing/catalogue/versions")).AsArray();
        Assert.Equal([2, 1], versions.Select(v => v!["number"]!.GetValue<int>()));
        Assert.True(versions[0]!["inForce"]!.GetValue<bool>());
        var second = await GetAsync("/api/v1/routing/catalogue/versions/2");
        Assert.NotEmpty(second["version"]!["publishedBy"]!.GetValue<string>());
        Assert.Contains(second["rules"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "R064" && r["leadUnit"]!.GetValue<string>() == "620802.cgj");

        // The old matter: version 1 decided it, and says so; version 2 would decide otherwise.
        var explained = await GetAsync($"/api/v1/matters/{old}/routing");
        Assert.Equal(1, explained["catalogueVersion"]!["number"]!.GetValue<int>());
        Assert.True(explained["catalogueVersion"]!["recorded"]!.GetValue<bool>());
        Assert.Equal("620802.zjj", Lead(explained["byCatalogue"]!));
        Assert.Equal("R064", explained["byCatalogue"]!["rule"]!["id"]!.GetValue<string>());
        Assert.True(explained["followedCatalogue"]!.GetValue<bool>());
        Assert.Equal(2, explained["inForceNow"]!["version"]!.GetValue<int>());
        Assert.Equal("620802.cgj", Lead(explained["inForceNow"]!["decision"]!));

        // Explain at an instant: the version of that instant.
        var at = Uri.EscapeDataString(before.UtcDateTime.ToString("O"));
        Assert.Equal("620802.zjj", Lead(await GetAsync($"/api/v1/routing/explain?category=0305&territory={Dongguan}&at={at}")));
        var nowExplained = await GetAsync($"/api/v1/routing/explain?category=0305&territory={Dongguan}");
        Assert.Equal("620802.cgj", Lead(nowExplained));
        Assert.Equal(2, nowExplained["catalogueVersion"]!["number"]!.GetValue<int>());

        // A new matter is routed by version 2.
        var fresh = await IntakeAsync("0305", "物业不作为");
        Assert.Equal("620802.cgj", Lead((await GetAsync($"/api/v1/matters/{fresh}"))["routing"]!));
    }

    [Fact]
    public async Task A_bad_version_is_refused_naming_each_field_and_nothing_is_published()
    {
        var dispatcher = await host.ClientForAsync("dispatcher");
        var count = (await GetAsync("/api/v1/routing/catalogue/versions")).AsArray().Count;
        var response = await dispatcher.SendAsync(Json.Post("/api/v1/routing/catalogue/versions", Json.Body(new
        {
            effectiveFrom = host.Clock.GetUtcNow().AddDays(-3),
            reason = "",
            rules = new[] { new { id = "X1", categoryCode = "9999", territoryCode = "620802", leadUnit = "nowhere", assistingUnits = Array.Empty<string>(), autoDispatch = false } },
        }), language: "en"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "effectiveFrom", "reason", "rules[0].categoryCode", "rules[0].leadUnit" }, errors);
        Assert.Contains("past", problem["errors"]!["effectiveFrom"]![0]!.GetValue<string>());
        Assert.Equal(count, (await GetAsync("/api/v1/routing/catalogue/versions")).AsArray().Count);

        // Units' staff read the catalogue but do not publish it.
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.SendAsync(Json.Post("/api/v1/routing/catalogue/versions", Json.Body(new { reason = "x", rules = Array.Empty<object>() })))).StatusCode);
    }

    [Fact]
    public async Task A_department_matter_is_not_pushed_down_to_a_township_without_the_centers_override()
    {
        // 噪声 in 崆峒区: rule R069 names the district police (a county department); dispatched at intake.
        var code = await IntakeAsync("1602", "夜间施工噪音");
        Assert.Equal("620802.gaj", Lead((await GetAsync($"/api/v1/matters/{code}"))["routing"]!));

        async Task<HttpResponseMessage> Redispatch(object body) =>
            await host.Client.SendAsync(Json.Post($"/api/v1/matters/{code}/redispatch", Json.Body(body)));

        var refused = await Redispatch(new { leadUnit = "620802001.gov", reason = "属地处理" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await Json.ReadAsync(refused);
        Assert.Contains("R069", problem["errors"]!["leadUnit"]![0]!.GetValue<string>());
        Assert.Equal("620802.gaj", Lead((await GetAsync($"/api/v1/matters/{code}"))["routing"]!));

        var noReason = await Json.ReadAsync(await Redispatch(new { leadUnit = "620802001.gov", reason = "属地处理", @override = true }));
        Assert.NotNull(noReason["errors"]!["overrideReason"]);

        // Sideways to another county department is no push-down.
        var sideways = await Redispatch(new { leadUnit = "620802.cgj", reason = "施工噪声由城管处理" });
        Assert.Equal(HttpStatusCode.OK, sideways.StatusCode);

        var overridden = await Redispatch(new { leadUnit = "620802001.gov", reason = "属地处理", @override = true, overrideReason = "工地在街道辖区内，由街道协调更快，经中心主任同意" });
        Assert.True(overridden.StatusCode == HttpStatusCode.OK, await overridden.Content.ReadAsStringAsync());
        var explained = await GetAsync($"/api/v1/matters/{code}/routing");
        Assert.Equal("620802001.gov", Lead(explained));
        Assert.False(explained["followedCatalogue"]!.GetValue<bool>());
        Assert.StartsWith("工地在街道辖区内", explained["pushDownOverride"]!.GetValue<string>());
    }
}
