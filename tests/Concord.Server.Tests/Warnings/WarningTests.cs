using System.Net;
using System.Text.Json.Nodes;
using Concord.Domain.Territories;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Warnings;

public sealed class WarningTestsOnSqlite(WarningSqliteHost host) : WarningTests<WarningSqliteHost>(host);

public sealed class WarningTestsOnPostgres(WarningPostgresHost host) : WarningTests<WarningPostgresHost>(host);

/// <summary>
/// The early-warning engine over seeded matter series: a surge raises a C2 signal that explains itself,
/// once however often the engine runs; confirmation issues a warning letter; dismissal needs a reason.
/// </summary>
public abstract class WarningTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    /// <summary>Counts per local day, oldest first, ending yesterday (the last complete day): C2's baseline is 11-16 … 11-22.</summary>
    private static readonly int[] Surge = [0, 0, 1, 3, 1, 2, 0, 2, 1, 1, 1, 9];

    private Territory Grid(int index)
    {
        var catalog = host.Services.GetRequiredService<CatalogStore>().Current;
        return catalog.Tree.All.Where(t => t.Level == TerritoryLevel.Grid && catalog.Tree.IsWithin(t.Code, "620802"))
            .OrderBy(t => t.Code, StringComparer.Ordinal).ElementAt(index);
    }

    /// <summary>Writes matters straight into the store, received at 10:00 local on each day of the series.</summary>
    private async Task<List<string>> SeedAsync(Territory grid, int[] counts, string category, string prefix)
    {
        var catalog = host.Services.GetRequiredService<CatalogStore>().Current;
        var chain = catalog.Tree.ChainOf(grid.Code);
        string? At(TerritoryLevel level) => chain.FirstOrDefault(t => t.Level == level)?.Code;
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var lastDay = new List<string>();
        await host.QueryAsync(async db =>
        {
            for (var i = 0; i < counts.Length; i++)
            {
                var day = today.AddDays(i - counts.Length);
                for (var n = 0; n < counts[i]; n++)
                {
                    var code = $"{day:yyyyMMdd}-{prefix}{n:D4}";
                    var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, n)), TimeSpan.FromHours(8)).UtcDateTime;
                    db.Matters.Add(new MatterRow
                    {
                        Code = code, Kind = "appeal", Channel = "hotline", Status = "closed", Title = "小区供暖不热", Description = "小区供暖温度不达标",
                        CategoryCode = category, TerritoryCode = grid.Code, CountyCode = At(TerritoryLevel.County), TownshipCode = At(TerritoryLevel.Township),
                        CommunityCode = At(TerritoryLevel.Community), GridCode = grid.Code, CityCode = At(TerritoryLevel.City), ProvinceCode = At(TerritoryLevel.Province),
                        LocationMatch = "territory", RoutingBasis = "none", ReceivedAt = at, UpdatedAt = at, ClosedAt = at.AddHours(1), Verdict = "satisfied",
                    });
                    if (i == counts.Length - 1)
                    {
                        lastDay.Add(code);
                    }
                }
            }

            return await db.SaveChangesAsync();
        });
        return lastDay;
    }

    private async Task<JsonNode> RunAsync(HttpClient analyst)
    {
        var response = await analyst.PostAsync("/api/v1/warnings/run", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    private async Task<JsonNode> SignalAsync(HttpClient client, string method, string territory, string category = "*")
    {
        var list = await Json.ReadAsync(await client.GetAsync("/api/v1/warnings/signals?limit=500"));
        return list.AsArray().Single(s => s!["key"]!.GetValue<string>().StartsWith($"{method}|day|{territory}|{category}|", StringComparison.Ordinal))!;
    }

    [Fact]
    public async Task A_surge_raises_a_C2_signal_that_explains_itself_and_only_once_however_often_the_engine_runs()
    {
        var grid = Grid(0);
        var surgeDay = await SeedAsync(grid, Surge, "050201", "91");
        var analyst = await host.ClientForAsync("analyst");
        var first = await RunAsync(analyst);
        Assert.True(first["raised"]!.GetValue<int>() > 0);

        var signal = await SignalAsync(analyst, "c2", grid.Code);
        var explain = signal["explain"]!;
        // Baseline 1, 3, 1, 2, 0, 2, 1: mean 10/7, sample sd √(40/42); observed 9.
        Assert.Equal(9, explain["observed"]!.GetValue<double>());
        Assert.Equal(10.0 / 7, explain["mean"]!.GetValue<double>(), 3);
        Assert.Equal(Math.Sqrt(40.0 / 42), explain["standardDeviation"]!.GetValue<double>(), 3);
        Assert.Equal((9 - 10.0 / 7) / Math.Sqrt(40.0 / 42), explain["statistic"]!.GetValue<double>(), 3);
        Assert.Equal(3, explain["threshold"]!.GetValue<double>());
        Assert.Equal("c2", explain["method"]!.GetValue<string>());
        Assert.Equal(new DateTime(2026, 11, 15, 16, 0, 0, DateTimeKind.Utc), explain["baselineFrom"]!.GetValue<DateTime>()); // 11-16 00:00 in Beijing
        Assert.Equal(new DateTime(2026, 11, 22, 16, 0, 0, DateTimeKind.Utc), explain["baselineTo"]!.GetValue<DateTime>());
        Assert.Contains("C2", explain["text"]!.GetValue<string>());
        Assert.Equal(surgeDay.Order(StringComparer.Ordinal), Json.Strings(signal["matters"]));
        Assert.Equal("open", signal["status"]!.GetValue<string>());
        // The same surge seen per domain (05) too, and by C3.
        await SignalAsync(analyst, "c2", grid.Code, "05");
        await SignalAsync(analyst, "c3", grid.Code);

        // A second run, and a run through another instance of the engine (as a second node would), raise nothing again.
        var second = await RunAsync(analyst);
        Assert.Equal(0, second["raised"]!.GetValue<int>());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var engine = scope.ServiceProvider.GetRequiredService<Concord.Server.Features.Warnings.WarningEngine>();
            Assert.Equal(0, (await engine.RunAsync(CancellationToken.None)).Raised);
        }

        var key = signal["key"]!.GetValue<string>();
        Assert.Equal(1, await host.QueryAsync(db => db.Set<Concord.Server.Features.Warnings.SignalRow>().CountAsync(s => s.Key == key)));

        // Leaders read signals but do not decide; the dispatcher's token has no say either.
        var leader = await host.ClientForAsync("leader");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/v1/warnings/signals/{signal["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync("/api/v1/warnings/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(Json.Post($"/api/v1/warnings/signals/{signal["id"]}/dismiss", Json.Body(new { reason = "不是我的" })))).StatusCode);
    }

    [Fact]
    public async Task Confirming_a_signal_issues_a_warning_letter_to_the_territory_government_with_the_matters_counted()
    {
        var grid = Grid(1);
        var surgeDay = await SeedAsync(grid, Surge, "050202", "92");
        var analyst = await host.ClientForAsync("analyst");
        await RunAsync(analyst);
        var signal = await SignalAsync(analyst, "c2", grid.Code);
        var id = signal["id"]!.GetValue<long>();

        var confirmed = await analyst.SendAsync(Json.Post($"/api/v1/warnings/signals/{id}/confirm", Json.Body(new { @as = "warning_letter", note = "供暖投诉集中，需提前介入" })));
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        var body = await Json.ReadAsync(confirmed);
        Assert.Equal("confirmed", body["status"]!.GetValue<string>());
        var number = body["letterNumber"]!.GetValue<string>();
        Assert.StartsWith("平综治预〔2026〕", number);

        var letter = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/letters/{Uri.EscapeDataString(number)}"));
        Assert.Equal("warning", letter["letter"]!["kind"]!.GetValue<string>());
        var catalog = host.Services.GetRequiredService<CatalogStore>().Current;
        var government = catalog.Tree.ChainOf(grid.Code).Reverse().Select(t => catalog.GovernmentOf(t.Code)).First(g => g is not null);
        Assert.Equal(government, letter["letter"]!["addressee"]!["code"]!.GetValue<string>());
        Assert.Equal(surgeDay.Order(StringComparer.Ordinal), letter["matters"]!.AsArray().Select(m => m!["code"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains("EARS C2", letter["body"]!.GetValue<string>());

        // Decided once: a second decision is a conflict.
        var again = await analyst.SendAsync(Json.Post($"/api/v1/warnings/signals/{id}/dismiss", Json.Body(new { reason = "重复处理" })));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // "As risk" needs a level, and lists the risk in the register (风险隐患清单), linked to the signal.
        var other = await SignalAsync(analyst, "c1", grid.Code);
        var noLevel = await analyst.SendAsync(Json.Post($"/api/v1/warnings/signals/{other["id"]}/confirm", Json.Body(new { @as = "risk" })));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noLevel.StatusCode);
        Assert.NotNull((await Json.ReadAsync(noLevel))["errors"]!["riskLevel"]);
        var risk = await Json.ReadAsync(await analyst.SendAsync(Json.Post($"/api/v1/warnings/signals/{other["id"]}/confirm", Json.Body(new { @as = "risk", riskLevel = "orange", title = "某小区供暖问题集中", riskDomain = "neighbourhood" }))));
        Assert.Equal("orange", risk["risk"]!["level"]!.GetValue<string>());
        Assert.Equal("某小区供暖问题集中", risk["risk"]!["title"]!.GetValue<string>());
        var riskCode = risk["risk"]!["riskCode"]!.GetValue<string>();
        var listed = await analyst.GetAsync($"/api/v1/risks/{riskCode}");
        Assert.True(listed.StatusCode == HttpStatusCode.OK, await listed.Content.ReadAsStringAsync());
        var listedRisk = (await Json.ReadAsync(listed))["risk"]!;
        Assert.Equal("某小区供暖问题集中", listedRisk["title"]!.GetValue<string>());
        Assert.Equal("orange", listedRisk["level"]!.GetValue<string>());
        Assert.Equal("signal", listedRisk["source"]!.GetValue<string>());
        Assert.Equal(other["key"]!.GetValue<string>(), listedRisk["sourceRef"]!.GetValue<string>()); // the signal it came from
    }

    [Fact]
    public async Task Dismissing_needs_a_reason_and_the_dismissed_signal_stays_listed_with_it()
    {
        var grid = Grid(2);
        await SeedAsync(grid, Surge, "040201", "93");
        var analyst = await host.ClientForAsync("analyst");
        await RunAsync(analyst);
        var signal = await SignalAsync(analyst, "c2", grid.Code);
        var id = signal["id"]!.GetValue<long>();

        var empty = await analyst.SendAsync(Json.Post($"/api/v1/warnings/signals/{id}/dismiss", Json.Body(new { reason = " " })));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.NotNull((await Json.ReadAsync(empty))["errors"]!["reason"]);
        Assert.Equal("open", (await Json.ReadAsync(await analyst.GetAsync($"/api/v1/warnings/signals/{id}")))["status"]!.GetValue<string>());

        var dismissed = await analyst.SendAsync(Json.Post($"/api/v1/warnings/signals/{id}/dismiss", Json.Body(new { reason = "供暖公司已统一检修，属已知情况" })));
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        var list = await Json.ReadAsync(await analyst.GetAsync("/api/v1/warnings/signals?status=dismissed"));
        var kept = list.AsArray().Single(s => s!["id"]!.GetValue<long>() == id)!;
        Assert.Equal("供暖公司已统一检修，属已知情况", kept["reason"]!.GetValue<string>());
        Assert.DoesNotContain((await Json.ReadAsync(await analyst.GetAsync("/api/v1/warnings/signals?status=open"))).AsArray(), s => s!["id"]!.GetValue<long>() == id);

        var bad = await analyst.GetAsync("/api/v1/warnings/signals?status=gone");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_dispute_with_five_parties_is_a_group_dispute_signal()
    {
        var parties = Enumerable.Range(1, 5).Select(i => new { name = $"工人{i}", phone = (string?)null, role = "申请人" }).ToArray();
        var created = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "dispute", channel = "walkin", title = "五名工人与包工头工资纠纷", description = "五名工人被拖欠工资", categoryCode = "020101",
            territoryCode = "620802001", parties,
        }))));
        var code = created["code"]!.GetValue<string>();
        var analyst = await host.ClientForAsync("analyst");
        await RunAsync(analyst);
        var list = await Json.ReadAsync(await analyst.GetAsync("/api/v1/warnings/signals?limit=500"));
        var signal = list.AsArray().Single(s => s!["key"]!.GetValue<string>() == $"group_dispute|{code}")!;
        Assert.Equal(5, signal["explain"]!["observed"]!.GetValue<double>());
        Assert.Equal([code], Json.Strings(signal["matters"]));
    }
}
