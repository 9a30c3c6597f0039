using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Data;
using Concord.Server.Features.Risks;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Risks;

public sealed class InfoReportTestsOnSqlite(SqliteHost host) : InfoReportTests<SqliteHost>(host);

public sealed class InfoReportTestsOnPostgres(PostgresHost host) : InfoReportTests<PostgresHost>(host);

/// <summary>
/// Information reports (7+5+N) and screening campaigns: a report followed up and converted into a
/// risk, another assigned by letter, a third turned into a matter; each unit's figures; a campaign
/// whose missing answers show. The clock only moves forward.
/// </summary>
public abstract class InfoReportTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static async Task<JsonNode> SendAsync(HttpClient client, string path, object? body, HttpStatusCode expected, string? language = null)
    {
        var response = await client.SendAsync(Json.Post(path, Json.Body(body ?? new { }), language));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private object Report(string title, string territory, string urgency, TimeSpan knownAgo) => new
    {
        title, description = $"{title}，详情见附件。", territoryCode = territory, domain = "labour_relations", scale = "约40人",
        peopleInvolved = 40, trend = "rising", urgency, knownAt = host.Clock.GetUtcNow() - knownAgo,
    };

    [Fact]
    public async Task A_report_is_followed_up_and_converted_into_a_risk_and_another_is_assigned_and_the_figures_count_them()
    {
        var township = await host.ClientForAsync("township");   // 东关街道办事处
        var jingchuan = await host.ClientForAsync("jingchuan"); // 泾川县人民政府
        var center = host.Client;                                  // the city center's dispatcher

        // Urgent, known an hour ago: within its 4-hour window.
        var filed = await SendAsync(township, "/api/v1/info-reports", Report("某工地农民工聚集讨薪", "620802001", "urgent", TimeSpan.FromHours(1)), HttpStatusCode.Created);
        var code = filed["code"]!.GetValue<string>();
        Assert.Matches(@"^XB2026-\d{4}$", code);
        Assert.True(filed["filedOnTime"]!.GetValue<bool>());
        Assert.Equal("filed", filed["status"]!.GetValue<string>());
        Assert.Equal("620802001.gov", filed["unit"]!["code"]!.GetValue<string>());

        // The center acknowledges and asks for more; only the filing unit answers; another unit does not even see it.
        var acknowledged = await SendAsync(center, $"/api/v1/info-reports/{code}/acknowledge", null, HttpStatusCode.OK);
        Assert.Equal("acknowledged", acknowledged["report"]!["status"]!.GetValue<string>());
        var asked = await SendAsync(center, $"/api/v1/info-reports/{code}/follow-ups", new { question = "请续报工人人数和欠薪金额", dueInHours = 4 }, HttpStatusCode.OK);
        var followUpId = asked["followUps"]![0]!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.NotFound, (await jingchuan.GetAsync($"/api/v1/info-reports/{code}")).StatusCode);
        await SendAsync(jingchuan, $"/api/v1/info-reports/{code}/follow-ups/{followUpId}/answer", new { answer = "不是我们的" }, HttpStatusCode.NotFound);
        await SendAsync(township, $"/api/v1/info-reports/{code}/follow-ups/{followUpId}/answer", new { answer = "" }, (HttpStatusCode)422);
        var answered = await SendAsync(township, $"/api/v1/info-reports/{code}/follow-ups/{followUpId}/answer", new { answer = "工人52人，欠薪约210万元" }, HttpStatusCode.OK);
        Assert.True(answered["followUps"]![0]!["onTime"]!.GetValue<bool>());
        await SendAsync(township, $"/api/v1/info-reports/{code}/acknowledge", null, HttpStatusCode.Forbidden); // the center's step

        // Converted into a risk: 52 workers → orange; the risk names its source; a second conversion is refused.
        var converted = await SendAsync(center, $"/api/v1/info-reports/{code}/convert", new
        {
            to = "risk", responsibleUnit = "620802.rsj", responsibleLeader = "区人社局局长", peopleInvolved = 52, amountYuan = 2_100_000m,
        }, HttpStatusCode.OK);
        Assert.Equal("converted", converted["report"]!["report"]!["status"]!.GetValue<string>());
        var riskCode = converted["made"]!["code"]!.GetValue<string>();
        Assert.Equal("orange", converted["made"]!["level"]!.GetValue<string>());
        var risk = await Json.ReadAsync(await center.GetAsync($"/api/v1/risks/{riskCode}"));
        Assert.Equal("report", risk["risk"]!["source"]!.GetValue<string>());
        Assert.Equal(code, risk["risk"]!["sourceRef"]!.GetValue<string>());
        Assert.Equal("某工地农民工聚集讨薪", risk["risk"]!["title"]!.GetValue<string>());
        var again = await SendAsync(center, $"/api/v1/info-reports/{code}/convert", new { to = "matter" }, HttpStatusCode.Conflict);
        Assert.Equal("https://concord.invalid/problems/illegal-transition", again["type"]!.GetValue<string>());

        // A routine report known 30 hours ago is late; the center assigns it point to point (交办函) to 泾川县.
        var late = await SendAsync(jingchuan, "/api/v1/info-reports", Report("某村土地流转纠纷", "620821", "routine", TimeSpan.FromHours(30)), HttpStatusCode.Created);
        Assert.False(late["filedOnTime"]!.GetValue<bool>());
        var lateCode = late["code"]!.GetValue<string>();
        var badAssign = await SendAsync(center, $"/api/v1/info-reports/{lateCode}/assign", new { addressee = "nobody", instructions = "" }, (HttpStatusCode)422);
        Assert.Contains("addressee", badAssign["errors"]!.AsObject().Select(kv => kv.Key));
        Assert.Contains("instructions", badAssign["errors"]!.AsObject().Select(kv => kv.Key));
        var assigned = await SendAsync(center, $"/api/v1/info-reports/{lateCode}/assign", new { addressee = "620821.gov", instructions = "请于5个工作日内化解并反馈", replyInWorkingDays = 5 }, HttpStatusCode.OK);
        Assert.Equal("assigned", assigned["report"]!["report"]!["status"]!.GetValue<string>());
        var number = assigned["made"]!["code"]!.GetValue<string>();
        Assert.Matches(@"^平综治交〔2026〕\d+号$", number);
        var letter = await Json.ReadAsync(await jingchuan.GetAsync($"/api/v1/letters/{Uri.EscapeDataString(number)}"));
        Assert.Equal("assignment", letter["letter"]!["kind"]!.GetValue<string>());
        Assert.Contains(lateCode, letter["body"]!.GetValue<string>());

        // A third report becomes a matter through intake: kind report, channel member unit, routed like any matter.
        var third = await SendAsync(township, "/api/v1/info-reports", Report("某企业拖欠工资", "620802001", "immediate", TimeSpan.FromMinutes(10)), HttpStatusCode.Created);
        var toMatter = await SendAsync(center, $"/api/v1/info-reports/{third["code"]!.GetValue<string>()}/convert", new { to = "matter", categoryCode = "020102" }, HttpStatusCode.OK);
        var matterCode = toMatter["made"]!["code"]!.GetValue<string>();
        var matter = await Json.ReadAsync(await center.GetAsync($"/api/v1/matters/{matterCode}"));
        Assert.Equal("report", matter["kind"]!.GetValue<string>());
        Assert.Equal("member_unit", matter["channel"]!.GetValue<string>());
        Assert.Equal("620802001", matter["place"]!["code"]!.GetValue<string>().Substring(0, 9));

        // The figures: 东关街道 filed 2 (both on time), answered its follow-up on time, 2 confirmed; 泾川县 filed 1, late, confirmed.
        var figures = await Json.ReadAsync(await center.GetAsync("/api/v1/info-reports/figures"));
        var dongguan = figures.AsArray().Single(f => f!["unit"]!["code"]!.GetValue<string>() == "620802001.gov")!;
        Assert.Equal(2, dongguan["reports"]!.GetValue<int>());
        Assert.Equal(2, dongguan["onTime"]!.GetValue<int>());
        Assert.Equal(1, dongguan["followUps"]!.GetValue<int>());
        Assert.Equal(1, dongguan["followUpsAnsweredOnTime"]!.GetValue<int>());
        Assert.Equal(2, dongguan["confirmed"]!.GetValue<int>());
        Assert.Equal(1.0, dongguan["timeliness"]!.GetValue<double>());
        Assert.Equal("other", dongguan["group"]!.GetValue<string>());
        var county = figures.AsArray().Single(f => f!["unit"]!["code"]!.GetValue<string>() == "620821.gov")!;
        Assert.Equal("county", county["group"]!.GetValue<string>());
        Assert.Equal(1, county["reports"]!.GetValue<int>());
        Assert.Equal(0, county["onTime"]!.GetValue<int>());
        Assert.Equal(1, county["confirmed"]!.GetValue<int>());
        // The five professional departments are their own group (the demo's reports come from two of them).
        Assert.Contains(figures.AsArray(), f => f!["group"]!.GetValue<string>() == "professional");

        // Everything is audited.
        var audited = await host.QueryAsync(db => db.AuditEntries.Where(a => a.TargetId == code).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["report.filed", "report.acknowledged", "report.follow_up_asked", "report.follow_up_answered", "report.converted"], audited);
    }

    [Fact]
    public async Task Filing_needs_what_where_scale_trend_and_urgency_and_a_unit()
    {
        var township = await host.ClientForAsync("township");
        var problem = await SendAsync(township, "/api/v1/info-reports", new { title = "x", territoryCode = "nowhere", trend = "up", urgency = "asap", knownAt = host.Clock.GetUtcNow().AddDays(1) }, (HttpStatusCode)422, "en");
        var fields = problem["errors"]!.AsObject().Select(kv => kv.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "description", "territoryCode", "scale", "trend", "urgency", "knownAt" }, fields);
        Assert.Contains("immediate", problem["errors"]!["urgency"]![0]!.GetValue<string>());
        // Grid workers do not file reports for a unit; leaders read but do not file.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.ClientForAsync("gridworker")).SendAsync(Json.Post("/api/v1/info-reports", Json.Body(new { })))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.ClientForAsync("leader")).SendAsync(Json.Post("/api/v1/info-reports", Json.Body(new { })))).StatusCode);
    }

    [Fact]
    public async Task A_campaign_shows_every_units_answer_and_the_missing_ones()
    {
        var center = host.Client;
        var handler = await host.ClientForAsync("handler");     // 崆峒区人社局
        var jingchuan = await host.ClientForAsync("jingchuan"); // 泾川县人民政府
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(host.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        var opened = await SendAsync(center, "/api/v1/screening-campaigns", new
        {
            title = "欠薪问题专项排查", domain = "labour_relations", periodStart = today, periodEnd = today.AddDays(10), answerBy = today.AddDays(2),
            units = new[] { "620802.rsj", "620821.gov", "620802001.gov" },
        }, HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<long>();
        await SendAsync(handler, "/api/v1/screening-campaigns", new { title = "x" }, HttpStatusCode.Forbidden); // the center opens campaigns

        // 崆峒区人社局 lists one risk; 泾川县 found none; a unit cannot say both; 东关街道 says nothing.
        await SendAsync(jingchuan, $"/api/v1/screening-campaigns/{id}/answer", new { noneFound = true, risks = new[] { new { title = "x" } } }, (HttpStatusCode)422);
        await SendAsync(handler, $"/api/v1/screening-campaigns/{id}/answer", new
        {
            risks = new[] { new { title = "某商贸公司拖欠员工工资", description = "拖欠12名员工3个月工资。", territoryCode = "620802", peopleInvolved = 12, responsibleLeader = "区人社局分管副局长" } },
        }, HttpStatusCode.NoContent);
        await SendAsync(jingchuan, $"/api/v1/screening-campaigns/{id}/answer", new { noneFound = true, note = "已排查全县在建项目" }, HttpStatusCode.NoContent);
        await SendAsync(jingchuan, $"/api/v1/screening-campaigns/{id}/answer", new { noneFound = true }, HttpStatusCode.Conflict);
        // The center's own unit is not a target.
        await SendAsync(center, $"/api/v1/screening-campaigns/{id}/answer", new { noneFound = true }, HttpStatusCode.Forbidden);

        var before = await Json.ReadAsync(await center.GetAsync($"/api/v1/screening-campaigns/{id}"));
        var states = before["targets"]!.AsArray().ToDictionary(t => t!["unit"]!["code"]!.GetValue<string>(), t => t!["state"]!.GetValue<string>());
        Assert.Equal("answered", states["620802.rsj"]);
        Assert.Equal("answered", states["620821.gov"]);
        Assert.Equal("awaiting", states["620802001.gov"]);
        Assert.Empty(before["missing"]!.AsArray());
        var rsj = before["targets"]!.AsArray().Single(t => t!["unit"]!["code"]!.GetValue<string>() == "620802.rsj")!;
        var listed = Json.Strings(rsj["risks"]).Single();
        var risk = await Json.ReadAsync(await handler.GetAsync($"/api/v1/risks/{listed}"));
        Assert.Equal("campaign", risk["risk"]!["source"]!.GetValue<string>());
        Assert.Equal("labour_relations", risk["risk"]!["domain"]!["code"]!.GetValue<string>());
        Assert.Equal("620802.rsj", risk["risk"]!["responsibleUnit"]!["code"]!.GetValue<string>());

        // After the answer deadline the silent unit is missing, on the campaign and in the list.
        host.Clock.Advance(TimeSpan.FromDays(3));
        var after = await Json.ReadAsync(await center.GetAsync($"/api/v1/screening-campaigns/{id}"));
        Assert.Equal(["620802001.gov"], Json.Strings(after["missing"]));
        var list = await Json.ReadAsync(await center.GetAsync("/api/v1/screening-campaigns"));
        var summary = list.AsArray().Single(c => c!["id"]!.GetValue<long>() == id)!;
        Assert.Equal(1, summary["missing"]!.GetValue<int>());
        Assert.Equal(2, summary["answered"]!.GetValue<int>());

        // A target sees its campaign.
        Assert.Equal(HttpStatusCode.OK, (await jingchuan.GetAsync($"/api/v1/screening-campaigns/{id}")).StatusCode);
    }
}
