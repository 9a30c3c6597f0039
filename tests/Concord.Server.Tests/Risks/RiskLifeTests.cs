using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Data;
using Concord.Server.Features.Risks;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Risks;

public sealed class RiskLifeTestsOnSqlite(SqliteRiskHost host) : RiskLifeTests<SqliteRiskHost>(host);

public sealed class RiskLifeTestsOnPostgres(PostgresRiskHost host) : RiskLifeTests<PostgresRiskHost>(host);

/// <summary>
/// A risk through its life: listed by the rule, reviewed, moved along the state machine, its overdue
/// measure drawing a reminder and then a supervision letter exactly once; scope and problems.
/// Working hours 08:30–12:00 and 14:30–18:00, Beijing time.
/// </summary>
public abstract class RiskLifeTests<THost>(THost host) : IClassFixture<THost>
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
    public async Task A_risk_lives_from_listing_to_closure_with_reviews_and_an_overdue_measure_that_draws_letters_once()
    {
        host.Clock.SetUtcNow(At(11, 26, 9, 30)); // Thursday
        var dispatcher = host.Client;
        var handler = await host.ClientForAsync("handler"); // 崆峒区人社局, the responsible unit

        // 86 workers → orange by people (≥ 50); 3.2 million yuan is only yellow; the rule says which decided.
        var created = await SendAsync(dispatcher, "/api/v1/risks", WageArrears(At(11, 30, 18)), HttpStatusCode.Created);
        var risk = created["risk"]!;
        var code = risk["code"]!.GetValue<string>();
        Assert.Matches(@"^FX2026-\d{4}$", code);
        Assert.Equal("orange", risk["level"]!.GetValue<string>());
        Assert.Equal("people>=50", risk["levelRule"]!.GetValue<string>());
        Assert.Equal("listed", risk["status"]!.GetValue<string>());
        Assert.Equal(["resolving"], Json.Strings(created["nextStatuses"]));
        // Orange is reviewed every 14 days.
        Assert.Equal(At(12, 10, 9, 30).UtcDateTime, risk["nextReviewDueAt"]!.GetValue<DateTime>().ToUniversalTime());

        // The handler reviews and starts resolving; an illegal move is refused with 409 and nothing changes.
        host.Clock.SetUtcNow(At(11, 27, 10));
        var reviewed = await SendAsync(handler, $"/api/v1/risks/{code}/reviews", new { note = "已约谈总包单位，承诺分期支付", status = "resolving" }, HttpStatusCode.OK);
        Assert.Equal("resolving", reviewed["risk"]!["status"]!.GetValue<string>());
        Assert.Single(reviewed["reviews"]!.AsArray());
        Assert.Equal(At(12, 11, 10).UtcDateTime, reviewed["risk"]!["nextReviewDueAt"]!.GetValue<DateTime>().ToUniversalTime());
        var illegal = await SendAsync(handler, $"/api/v1/risks/{code}/status", new { status = "closed", note = "想直接销号" }, HttpStatusCode.Conflict);
        Assert.Equal("https://concord.invalid/problems/illegal-transition", illegal["type"]!.GetValue<string>());

        // Raising the level above the rule needs a reason; with one, the override is named.
        var noReason = await SendAsync(handler, $"/api/v1/risks/{code}/reviews", new { note = "工人聚集", level = "red" }, (HttpStatusCode)422, "en");
        Assert.Contains("levelReason", noReason["errors"]!.AsObject().Select(kv => kv.Key));
        var raised = await SendAsync(handler, $"/api/v1/risks/{code}/reviews", new { note = "工人聚集", level = "red", levelReason = "工人已两次到区政府聚集" }, HttpStatusCode.OK);
        Assert.Equal("red", raised["risk"]!["level"]!.GetValue<string>());
        Assert.Equal("override", raised["risk"]!["levelRule"]!.GetValue<string>());
        Assert.Equal("orange", raised["computedLevel"]!.GetValue<string>());
        Assert.Equal("工人已两次到区政府聚集", raised["levelOverrideReason"]!.GetValue<string>());
        Assert.Equal(At(12, 4, 10).UtcDateTime, raised["risk"]!["nextReviewDueAt"]!.GetValue<DateTime>().ToUniversalTime()); // red: weekly

        // The measure (created Thu 09:30, due Mon 30th 18:00): 20 working hours; 80 % used Monday 11:30.
        host.Clock.SetUtcNow(At(11, 30, 11, 29));
        await SweepAsync();
        Assert.Empty(await LettersAsync(code));
        host.Clock.SetUtcNow(At(11, 30, 11, 30));
        await SweepAsync();
        await SweepAsync();
        var letters = await LettersAsync(code);
        Assert.Equal(["reminder"], letters.Select(l => l.Kind).ToArray());

        // Past the deadline: the supervision letter to the responsible unit, once however often the sweep runs.
        host.Clock.SetUtcNow(At(11, 30, 18, 1));
        await SweepAsync();
        await SweepAsync();
        host.Clock.SetUtcNow(At(12, 1, 9));
        await SweepAsync();
        letters = await LettersAsync(code);
        Assert.Equal(["reminder", "supervision"], letters.Select(l => l.Kind).ToArray());
        Assert.All(letters, l => Assert.Equal("620802.rsj", l.AddresseeUnitCode));
        Assert.Matches(@"^平综治督〔2026〕\d+号$", letters[1].Number);
        Assert.Equal(2, await host.QueryAsync(db => db.Letters.CountAsync(l => l.OnceKey != null && l.OnceKey.StartsWith("risk-measure:") && letters.Select(x => x.Id).Contains(l.Id))));
        // 3 working days to reply: Tue 1st, Wed 2nd, Thu 3rd → 18:00.
        Assert.Equal(At(12, 3, 18).UtcDateTime, letters[1].ReplyDueAt);

        // The risk page shows the letters and the overdue measure; the register's overdue filter finds it.
        var detail = await Json.ReadAsync(await handler.GetAsync($"/api/v1/risks/{code}"));
        Assert.Equal(letters.Select(l => l.Number), detail["letters"]!.AsArray().Select(l => l!["number"]!.GetValue<string>()));
        Assert.True(detail["risk"]!["measureOverdue"]!.GetValue<bool>());
        Assert.True(detail["measures"]![0]!["overdue"]!.GetValue<bool>());
        var overdue = await Json.ReadAsync(await dispatcher.GetAsync("/api/v1/risks?overdue=true&domain=labour_relations"));
        Assert.Contains(code, overdue.AsArray().Select(r => r!["code"]!.GetValue<string>()));

        // The measure done; a week later the red review is overdue and shows as such.
        var measureId = detail["measures"]![0]!["id"]!.GetValue<long>();
        await SendAsync(handler, $"/api/v1/risks/{code}/measures/{measureId}/done", new { note = "已支付全部工资" }, HttpStatusCode.OK);
        host.Clock.SetUtcNow(At(12, 4, 10, 1));
        var listed = await Json.ReadAsync(await dispatcher.GetAsync("/api/v1/risks?overdue=true&level=red"));
        var row = listed.AsArray().Single(r => r!["code"]!.GetValue<string>() == code)!;
        Assert.True(row["reviewOverdue"]!.GetValue<bool>());
        Assert.False(row["measureOverdue"]!.GetValue<bool>());

        // A late review is marked late; then resolved, and closed (销号): no more reviews due.
        var late = await SendAsync(handler, $"/api/v1/risks/{code}/reviews", new { note = "工资已结清", status = "resolved", level = "orange" }, HttpStatusCode.OK);
        Assert.True(late["reviews"]![0]!["late"]!.GetValue<bool>());
        Assert.Equal("people>=50", late["risk"]!["levelRule"]!.GetValue<string>());
        var closed = await SendAsync(handler, $"/api/v1/risks/{code}/status", new { status = "closed", note = "经回访无反复，销号" }, HttpStatusCode.OK);
        Assert.Equal("closed", closed["risk"]!["status"]!.GetValue<string>());
        Assert.Null(closed["risk"]!["nextReviewDueAt"]);
        Assert.Empty(closed["nextStatuses"]!.AsArray());
        await SendAsync(handler, $"/api/v1/risks/{code}/reviews", new { note = "再看看" }, HttpStatusCode.Conflict);

        // Every step is in the audit trail.
        var audited = await host.QueryAsync(db => db.AuditEntries.Where(a => a.TargetId == code).Select(a => a.Action).ToListAsync());
        Assert.Contains("risk.listed", audited);
        Assert.Contains("risk.reviewed", audited);
        Assert.Contains("risk.status", audited);
    }
}
