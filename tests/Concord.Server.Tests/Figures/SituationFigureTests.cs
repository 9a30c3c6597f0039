using System.Net;
using System.Text.Json.Nodes;
using Concord.Domain.Figures;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Figures;

public sealed class SituationFigureTestsOnSqlite(SqliteHost host) : SituationFigureTests<SqliteHost>(host);

public sealed class SituationFigureTestsOnPostgres(PostgresHost host) : SituationFigureTests<PostgresHost>(host);

/// <summary>
/// The situation figures against matters taken through their steps by the API: the hand-known
/// counts, and every figure against the domain's definition applied to the raw rows.
/// </summary>
public abstract class SituationFigureTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static async Task<JsonNode> StepAsync(HttpClient client, string code, string step, object? body = null)
    {
        var response = await client.SendAsync(Json.Post($"/api/v1/matters/{code}/{step}", Json.Body(body ?? new { })));
        Assert.True(response.IsSuccessStatusCode, $"{step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    private async Task<string> IntakeAsync(string title, string category, double lat, double lon)
    {
        var created = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title, description = title + "，请尽快处理。", categoryCode = category, location = new { lat, lon },
        }))));
        return created["code"]!.GetValue<string>();
    }

    private async Task<JsonNode> SituationAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/figures/situation?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    [Fact]
    public async Task The_three_rates_volume_areas_and_units_follow_the_matters_and_match_the_definition_on_the_raw_rows()
    {
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var period = $"territory=620802&from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        var before = await SituationAsync(host.Client, period);

        var handler = await host.ClientForAsync("handler"); // 崆峒区人社局: wage arrears in 崆峒区 are dispatched to it at intake
        // One satisfied, one dissatisfied then satisfied (still satisfied in the end), one left unaccepted past its 2 h.
        var satisfied = await IntakeAsync("工地欠薪两个月", "020101", 35.54, 106.68);
        await StepAsync(handler, satisfied, "accept");
        await StepAsync(handler, satisfied, "reply", new { result = "已督促支付" });
        await StepAsync(host.Client, satisfied, "verdict", new { verdict = "satisfied" });

        var twice = await IntakeAsync("商铺拖欠店员工资", "020101", 35.55, 106.67);
        await StepAsync(handler, twice, "accept");
        await StepAsync(handler, twice, "reply", new { result = "已调解" });
        await StepAsync(host.Client, twice, "verdict", new { verdict = "dissatisfied", comment = "还差一部分" });
        await StepAsync(handler, twice, "reply", new { result = "已全部结清" });
        await StepAsync(host.Client, twice, "verdict", new { verdict = "basically_satisfied" });

        var late = await IntakeAsync("物流园欠薪", "020101", 35.53, 106.69);
        host.Clock.Advance(TimeSpan.FromHours(3));

        var after = await SituationAsync(host.Client, period);
        Assert.Equal(before["volume"]!.GetValue<int>() + 3, after["volume"]!.GetValue<int>());
        Assert.Equal(before["satisfaction"]!["numerator"]!.GetValue<int>() + 2, after["satisfaction"]!["numerator"]!.GetValue<int>());
        Assert.Equal(before["satisfaction"]!["denominator"]!.GetValue<int>() + 2, after["satisfaction"]!["denominator"]!.GetValue<int>()); // a matter counts by its final verdict
        Assert.Equal(before["overdue"]!.GetValue<int>() + 1, after["overdue"]!.GetValue<int>());
        Assert.Contains(after["topCategories"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "020101");
        var unit = after["byUnit"]!.AsArray().Single(u => u!["code"]!.GetValue<string>() == "620802.rsj")!;
        Assert.True(unit["items"]!.GetValue<int>() > unit["cases"]!.GetValue<int>(), "the reopened matter adds an item (案-件比)");
        var area = after["byArea"]!.AsArray().Sum(a => a!["volume"]!.GetValue<int>());
        Assert.Equal(after["volume"]!.GetValue<int>(), area); // every matter of a county lies in one of its townships
        Assert.Equal(after["volume"]!.GetValue<int>(), after["byDay"]!.AsArray().Sum(d => d!["volume"]!.GetValue<int>()));

        // Independently: the domain's definition over the rows themselves.
        var now = host.Clock.GetUtcNow().UtcDateTime;
        var from = new DateTimeOffset(today.AddDays(-6).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).UtcDateTime;
        var to = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).UtcDateTime;
        var rows = await host.QueryAsync(db => db.Matters.AsNoTracking()
            .Where(m => m.CountyCode == "620802" && m.ReceivedAt >= from && m.ReceivedAt < to)
            .Select(m => new MatterOutcome(m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict))
            .ToListAsync());
        var expected = SituationRates.Of(rows, now);
        after = await SituationAsync(host.Client, period);
        Assert.Equal(expected.Volume, after["volume"]!.GetValue<int>());
        Assert.Equal(expected.Open, after["open"]!.GetValue<int>());
        Assert.Equal(expected.Overdue, after["overdue"]!.GetValue<int>());
        foreach (var (name, rate) in new[] { ("response", expected.Response), ("resolution", expected.Resolution), ("satisfaction", expected.Satisfaction) })
        {
            Assert.Equal(rate.Numerator, after[name]!["numerator"]!.GetValue<int>());
            Assert.Equal(rate.Denominator, after[name]!["denominator"]!.GetValue<int>());
        }

        Assert.Equal(expected.MedianHoursToReply!.Value, after["medianHoursToReply"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task A_bad_period_is_refused_with_the_field_named_and_a_territory_outside_the_scope_is_forbidden()
    {
        var bad = await host.Client.GetAsync("/api/v1/figures/situation?from=2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await Json.ReadAsync(bad))["errors"]!["from"]);

        var reversed = await host.Client.GetAsync("/api/v1/figures/situation?from=2026-11-20&to=2026-11-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);

        var tooLong = await host.Client.GetAsync("/api/v1/figures/situation?from=2024-01-01&to=2026-11-01");
        Assert.NotNull((await Json.ReadAsync(tooLong))["errors"]!["to"]);

        // 崆峒区人社局's head sees 崆峒区, not 泾川县.
        var unitHead = await host.ClientForAsync("unithead");
        Assert.Equal(HttpStatusCode.OK, (await unitHead.GetAsync("/api/v1/figures/situation")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unitHead.GetAsync("/api/v1/figures/situation?territory=620821")).StatusCode);

        // Handlers and grid workers have no figures.
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.GetAsync("/api/v1/figures/situation")).StatusCode);
    }
}
