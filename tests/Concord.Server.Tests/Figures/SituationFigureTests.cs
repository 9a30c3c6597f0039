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
        await AssertGroupsMatchRawRowsAsync(after, m => m.CountyCode == "620802", m => m.TownshipCode, from, to, now, today.AddDays(-6), today);
    }

    [Fact]
    public async Task A_township_and_a_community_group_one_level_down_and_every_group_matches_the_raw_rows()
    {
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var handler = await host.ClientForAsync("handler");
        var replied = await IntakeAsync("工地欠薪", "020101", 35.54, 106.68);
        await StepAsync(handler, replied, "accept");
        await StepAsync(handler, replied, "reply", new { result = "已督促支付" });
        await IntakeAsync("路灯不亮", "020101", 35.545, 106.675);
        var place = await host.QueryAsync(db => db.Matters.AsNoTracking().Where(m => m.Code == replied).Select(m => new { m.TownshipCode, m.CommunityCode }).SingleAsync());
        host.Clock.Advance(TimeSpan.FromHours(1));

        var now = host.Clock.GetUtcNow().UtcDateTime;
        var from = new DateTimeOffset(today.AddDays(-29).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).UtcDateTime;
        var to = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).UtcDateTime;
        var period = $"from={today.AddDays(-29):yyyy-MM-dd}&to={today:yyyy-MM-dd}";

        var township = place.TownshipCode!;
        var byTownship = await SituationAsync(host.Client, $"territory={township}&{period}");
        Assert.All(byTownship["byArea"]!.AsArray(), a => Assert.Equal("community", a!["level"]!.GetValue<string>()));
        await AssertGroupsMatchRawRowsAsync(byTownship, m => m.TownshipCode == township, m => m.CommunityCode, from, to, now, today.AddDays(-29), today);

        var community = place.CommunityCode!;
        var byCommunity = await SituationAsync(host.Client, $"territory={community}&{period}");
        await AssertGroupsMatchRawRowsAsync(byCommunity, m => m.CommunityCode == community, m => m.GridCode, from, to, now, today.AddDays(-29), today);
    }

    /// <summary>
    /// Every grouped figure — areas one level down, units, top categories, days, heat cells — against the same
    /// definition applied to the raw rows: a pass that dropped, doubled or misfiled a row fails here.
    /// </summary>
    private async Task AssertGroupsMatchRawRowsAsync(
        JsonNode figures, System.Linq.Expressions.Expression<Func<Concord.Server.Data.MatterRow, bool>> inTerritory,
        Func<Concord.Server.Data.MatterRow, string?> child, DateTime from, DateTime to, DateTime now, DateOnly firstDay, DateOnly lastDay)
    {
        var rows = await host.QueryAsync(db => db.Matters.AsNoTracking().Where(inTerritory).Where(m => m.ReceivedAt >= from && m.ReceivedAt < to).ToListAsync());
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Count, figures["volume"]!.GetValue<int>());
        static MatterOutcome Outcome(Concord.Server.Data.MatterRow m) => new(m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict);

        var areas = figures["byArea"]!.AsArray().ToDictionary(a => a!["code"]!.GetValue<string>());
        var expectedAreas = rows.Where(m => child(m) is not null).GroupBy(m => child(m)!).ToList();
        Assert.Equal(expectedAreas.Select(g => g.Key).Order(StringComparer.Ordinal), areas.Keys.Order(StringComparer.Ordinal));
        foreach (var g in expectedAreas)
        {
            var rates = SituationRates.Of(g.Select(Outcome), now);
            var area = areas[g.Key]!;
            Assert.Equal(rates.Volume, area["volume"]!.GetValue<int>());
            Assert.Equal(rates.Open, area["open"]!.GetValue<int>());
            Assert.Equal(rates.Overdue, area["overdue"]!.GetValue<int>());
            Assert.Equal(rates.Satisfaction.Numerator, area["satisfaction"]!["numerator"]!.GetValue<int>());
            Assert.Equal(rates.Satisfaction.Denominator, area["satisfaction"]!["denominator"]!.GetValue<int>());
        }

        var units = figures["byUnit"]!.AsArray().ToDictionary(u => u!["code"]!.GetValue<string>());
        var expectedUnits = rows.Where(m => m.LeadUnitCode is not null).GroupBy(m => m.LeadUnitCode!).ToList();
        Assert.Equal(expectedUnits.Select(g => g.Key).Order(StringComparer.Ordinal), units.Keys.Order(StringComparer.Ordinal));
        foreach (var g in expectedUnits)
        {
            var rates = SituationRates.Of(g.Select(Outcome), now);
            var unit = units[g.Key]!;
            Assert.Equal(rates.Volume, unit["cases"]!.GetValue<int>());
            Assert.Equal(g.Sum(m => m.Items), unit["items"]!.GetValue<int>());
            Assert.Equal(rates.Open, unit["open"]!.GetValue<int>());
            Assert.Equal(rates.Overdue, unit["overdue"]!.GetValue<int>());
        }

        var expectedTop = rows.Where(m => m.CategoryCode is not null).GroupBy(m => m.CategoryCode!)
            .Select(g => (Code: g.Key, Volume: g.Count())).OrderByDescending(c => c.Volume).ThenBy(c => c.Code, StringComparer.Ordinal).Take(10).ToList();
        Assert.Equal(expectedTop, figures["topCategories"]!.AsArray().Select(c => (c!["code"]!.GetValue<string>(), c["volume"]!.GetValue<int>())).ToList());

        var days = figures["byDay"]!.AsArray().ToDictionary(d => DateOnly.Parse(d!["date"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), d => d!["volume"]!.GetValue<int>());
        Assert.Equal(lastDay.DayNumber - firstDay.DayNumber + 1, days.Count); // every day of the period, the empty ones as 0
        foreach (var (day, volume) in days)
        {
            Assert.Equal(rows.Count(m => DateOnly.FromDateTime(m.ReceivedAt.AddHours(8)) == day), volume);
        }

        var heat = figures["heat"]!.AsArray();
        Assert.Equal(rows.Count(m => m.Lat is not null && m.Lon is not null), heat.Sum(h => h!["volume"]!.GetValue<int>()));
        Assert.Equal(rows.Where(m => m.Lat is not null && m.Lon is not null).Select(m => (Math.Round(m.Lat!.Value / 0.01), Math.Round(m.Lon!.Value / 0.01))).Distinct().Count(), heat.Count);
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
