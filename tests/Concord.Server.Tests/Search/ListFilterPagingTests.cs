using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Data;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Search;

public sealed class ListFilterPagingTestsOnSqlite(SqliteHost host) : ListFilterPagingTests<SqliteHost>(host);

public sealed class ListFilterPagingTestsOnPostgres(PostgresHost host) : ListFilterPagingTests<PostgresHost>(host);

/// <summary>
/// The matter list of a county, a township and a community filtered by a category subtree, a status
/// and a period, paged two at a time: the pages put together are exactly the raw rows under the same
/// filters in (ReceivedAt desc, Id desc) order — including matters received at the same instant,
/// which only the Id tells apart — whatever index the store picks.
/// </summary>
public abstract class ListFilterPagingTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private async Task<string> IntakeAsync(string title, string category)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title, description = title + "，请尽快处理。", categoryCode = category, location = new { lat = 35.54, lon = 106.68 },
        })));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    private async Task<List<string>> AllPagesAsync(string query)
    {
        var codes = new List<string>();
        string? cursor = null;
        do
        {
            var response = await host.Client.GetAsync($"/api/v1/matters?{query}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var page = await Json.ReadAsync(response);
            var items = page["items"]!.AsArray();
            Assert.True(items.Count <= 2);
            codes.AddRange(items.Select(i => i!["code"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return codes;
    }

    [Fact]
    public async Task Category_status_and_period_filters_on_each_level_page_exactly_like_the_raw_rows()
    {
        var handler = await host.ClientForAsync("handler"); // wage arrears in 崆峒区 go to 崆峒区人社局 at intake
        var start = host.Clock.GetUtcNow().UtcDateTime;
        var created = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            // Three at each instant: the keyset's tie on ReceivedAt is broken by Id.
            if (i % 3 == 0)
            {
                host.Clock.Advance(TimeSpan.FromMinutes(7));
            }

            var code = await IntakeAsync($"欠薪{i}", i % 4 == 3 ? "0101" : "020101");
            created.Add(code);
            if (i % 2 == 0)
            {
                var accepted = await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/accept", Json.Body(new { })));
                Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
            }
        }

        var end = host.Clock.GetUtcNow().UtcDateTime.AddSeconds(1);
        var place = await host.QueryAsync(db => db.Matters.AsNoTracking().Where(m => m.Code == created[0]).Select(m => new { m.CountyCode, m.TownshipCode, m.CommunityCode }).SingleAsync());
        var otherStatus = await host.QueryAsync(db => db.Matters.AsNoTracking().Where(m => m.Code == created[3]).Select(m => m.Status).SingleAsync()); // a 0101 matter, not accepted
        var all = await host.QueryAsync(db => db.Matters.AsNoTracking().Where(m => m.CountyCode == place.CountyCode).ToListAsync());
        var period = $"from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(end.ToString("O"))}";
        var levels = new (string Code, Func<MatterRow, string?> Column)[]
        {
            (place.CountyCode!, m => m.CountyCode), (place.TownshipCode!, m => m.TownshipCode), (place.CommunityCode!, m => m.CommunityCode),
        };
        var filters = new (string Query, Func<MatterRow, bool> Test)[]
        {
            ("category=02", m => m.CategoryCode?.StartsWith("02", StringComparison.Ordinal) == true),
            ("category=0201&status=accepted", m => m.CategoryCode?.StartsWith("0201", StringComparison.Ordinal) == true && m.Status == "accepted"),
            ($"category=020101&{period}", m => m.CategoryCode == "020101" && m.ReceivedAt >= start && m.ReceivedAt < end),
            ($"category=01&status={otherStatus}&{period}", m => m.CategoryCode?.StartsWith("01", StringComparison.Ordinal) == true && m.Status == otherStatus && m.ReceivedAt >= start && m.ReceivedAt < end),
            ($"status=accepted&{period}", m => m.Status == "accepted" && m.ReceivedAt >= start && m.ReceivedAt < end),
        };

        foreach (var (code, column) in levels)
        {
            foreach (var (query, test) in filters)
            {
                var expected = all.Where(m => column(m) == code && test(m)).OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Select(m => m.Code).ToList();
                Assert.NotEmpty(expected.Intersect(created));
                Assert.Equal(expected, await AllPagesAsync($"territory={code}&{query}"));
            }
        }
    }
}
