using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Data;
using Concord.Server.Features.Risks;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Risks;

public sealed class RiskRegisterTestsOnSqlite(SqliteRiskHost host) : RiskRegisterTests<SqliteRiskHost>(host);

public sealed class RiskRegisterTestsOnPostgres(PostgresRiskHost host) : RiskRegisterTests<PostgresRiskHost>(host);

/// <summary>
/// The register's scope, its problems and its service for other features. The clock is never set
/// back (another test of the class may have moved it on).
/// </summary>
public abstract class RiskRegisterTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Beijing);

    private async Task<int> SweepAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RiskSweep>().RunAsync(CancellationToken.None);
    }

    private Task<List<LetterRow>> LettersAsync(string riskCode) =>
        host.QueryAsync(db => (from lr in db.Set<LetterRiskRow>()
                               join r in db.Set<RiskRow>() on lr.RiskId equals r.Id
                               join l in db.Letters on lr.LetterId equals l.Id
                               where r.Code == riskCode
                               orderby l.Id
                               select l).ToListAsync());

    private static async Task<JsonNode> SendAsync(HttpClient client, string path, object body, HttpStatusCode expected, string? language = null)
    {
        var response = await client.SendAsync(Json.Post(path, Json.Body(body), language));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static object WageArrears(DateTimeOffset measureDue) => new
    {
        domain = "labour_relations",
        title = "某项目拖欠86名农民工工资",
        description = "总包单位拖欠工资约320万元。",
        territoryCode = "620802001",
        peopleInvolved = 86,
        amountYuan = 3_200_000m,
        responsibleUnit = "620802.rsj",
        responsibleLeader = "区人社局局长",
        measures = new[] { new { text = "约谈总包单位并督促支付", dueAt = measureDue } },
    };

    [Fact]
    public async Task Units_see_risks_in_their_territory_or_assigned_to_them_and_nothing_else()
    {
        var created = await SendAsync(host.Client, "/api/v1/risks", new
        {
            domain = "real_estate", title = "某小区逾期交房", description = "逾期交房14个月。", territoryCode = "620802001",
            householdsAffected = 320, responsibleUnit = "620802.zjj", responsibleLeader = "区政府分管副区长",
        }, HttpStatusCode.Created);
        var code = created["risk"]!["code"]!.GetValue<string>();
        Assert.Equal("red", created["risk"]!["level"]!.GetValue<string>()); // 320 households ≥ 300

        var township = await host.ClientForAsync("township");  // 东关街道: the risk's place
        var handler = await host.ClientForAsync("handler");    // 崆峒区人社局: the district
        var jingchuan = await host.ClientForAsync("jingchuan"); // 泾川县: elsewhere
        Assert.Equal(HttpStatusCode.OK, (await township.GetAsync($"/api/v1/risks/{code}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await handler.GetAsync($"/api/v1/risks/{code}")).StatusCode);
        var hidden = await jingchuan.GetAsync($"/api/v1/risks/{code}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("application/problem+json", hidden.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(code, (await Json.ReadAsync(await jingchuan.GetAsync("/api/v1/risks"))).AsArray().Select(r => r!["code"]!.GetValue<string>()));
        await SendAsync(jingchuan, $"/api/v1/risks/{code}/reviews", new { note = "看看" }, HttpStatusCode.NotFound);

        // A unit may not list a risk outside its territory; a risk assigned to a unit elsewhere is its own to see.
        var outside = await SendAsync(jingchuan, "/api/v1/risks", new
        {
            domain = "real_estate", title = "越界", description = "越界", territoryCode = "620802001", responsibleUnit = "620821.gov", responsibleLeader = "县长",
        }, HttpStatusCode.Forbidden);
        Assert.Equal("https://concord.invalid/problems/out-of-scope", outside["type"]!.GetValue<string>());
        var assigned = await SendAsync(host.Client, "/api/v1/risks", new
        {
            domain = "ecology_environment", title = "跨界河道污染", description = "上游排污影响泾川。", territoryCode = "620802",
            responsibleUnit = "620821.gov", responsibleLeader = "县政府分管副县长",
        }, HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await jingchuan.GetAsync($"/api/v1/risks/{assigned["risk"]!["code"]!.GetValue<string>()}")).StatusCode);

        // Territory filter includes the subtree: 崆峒区 finds the 东关街道 risk, 泾川县 does not.
        var kongtong = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/risks?territory=620802"));
        Assert.Contains(code, kongtong.AsArray().Select(r => r!["code"]!.GetValue<string>()));
        var elsewhere = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/risks?territory=620821"));
        Assert.DoesNotContain(code, elsewhere.AsArray().Select(r => r!["code"]!.GetValue<string>()));

        // Grid workers, auditors have no register; anonymous callers are not signed in.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.ClientForAsync("gridworker")).GetAsync("/api/v1/risks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/v1/risks")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_a_localized_problem_naming_each_field_and_writes_nothing()
    {
        var before = await host.QueryAsync(db => db.Set<RiskRow>().CountAsync());
        var problem = await SendAsync(host.Client, "/api/v1/risks", new
        {
            domain = "weather", title = "", description = "x", territoryCode = "999999", peopleInvolved = -1,
            responsibleUnit = "nobody", responsibleLeader = "领导", level = "purple",
            measures = new[] { new { text = "措施", dueAt = host.Clock.GetUtcNow().AddDays(-1) } },
        }, (HttpStatusCode)422, "en");
        Assert.Equal("https://concord.invalid/problems/validation", problem["type"]!.GetValue<string>());
        Assert.Equal("The request has invalid fields", problem["title"]!.GetValue<string>());
        var fields = problem["errors"]!.AsObject().Select(kv => kv.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "domain", "title", "territoryCode", "peopleInvolved", "responsibleUnit", "level", "measures[0].dueAt" }, fields);
        Assert.Contains("labour_relations", problem["errors"]!["domain"]![0]!.GetValue<string>());
        var zh = await SendAsync(host.Client, "/api/v1/risks", new { domain = "weather" }, (HttpStatusCode)422);
        Assert.Equal("提交的内容有误，请按提示修改", zh["title"]!.GetValue<string>());
        Assert.Equal(before, await host.QueryAsync(db => db.Set<RiskRow>().CountAsync()));

        var badFilter = await host.Client.GetAsync("/api/v1/risks?level=purple&listedFrom=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        var body = await Json.ReadAsync(badFilter);
        Assert.Contains("level", body["errors"]!.AsObject().Select(kv => kv.Key));
        Assert.Contains("listedFrom", body["errors"]!.AsObject().Select(kv => kv.Key));

        var malformed = await host.Client.SendAsync(Json.Post("/api/v1/risks", new StringContent("{oops", System.Text.Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/v1/risks/FX1999-0001")).StatusCode);

        var domains = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/risks/domains"));
        Assert.Equal(12, domains["domains"]!.AsArray().Count);
        Assert.Equal(7, domains["reviewDays"]!["red"]!.GetValue<int>());
    }

    [Fact]
    public async Task Other_features_list_and_create_risks_through_the_register()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var register = scope.ServiceProvider.GetRequiredService<RiskRegister>();
        // As the early-warning engine would: a signal confirmed into a risk, by a plain call.
        var outcome = await register.CreateAsync(new RiskDraft("medical", "某医院医患纠纷苗头", "同一问题投诉激增。", "620802", 12, null, null,
            "620800.wjw", "市卫健委主任", Source: "signal", SourceRef: "signal-42"), "system", RiskRegister.Everything, CancellationToken.None);
        Assert.True(outcome.Succeeded);
        Assert.Equal("yellow", outcome.Risk!.Level);
        var found = await register.ListAsync(new RiskFilter(Territory: "620800", Domain: "medical", Level: "yellow"), RiskRegister.Everything, CancellationToken.None);
        Assert.Contains(found, r => r.Code == outcome.Risk.Code && r.Source == "signal" && r.SourceRef == "signal-42");
        var none = await register.ListAsync(new RiskFilter(Domain: "medical", ListedFrom: host.Clock.GetUtcNow().UtcDateTime.AddDays(1)), RiskRegister.Everything, CancellationToken.None);
        Assert.DoesNotContain(none, r => r.Code == outcome.Risk.Code);
    }
}
