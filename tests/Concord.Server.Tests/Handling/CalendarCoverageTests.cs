using System.Net;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Handling;

public sealed class CalendarCoverageTestsOnSqlite(SqliteHost host) : CalendarCoverageTests<SqliteHost>(host);

public sealed class CalendarCoverageTestsOnPostgres(PostgresHost host) : CalendarCoverageTests<PostgresHost>(host);

/// <summary>
/// Deadlines that run into a year whose holiday notice is not shipped. A class of its own: it moves
/// its host's clock a month ahead, past the lifetime of the tokens other tests use.
/// </summary>
public abstract class CalendarCoverageTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    [Fact]
    public async Task A_deadline_running_into_a_year_without_a_holiday_notice_says_so()
    {
        var lateDecember = new DateTimeOffset(2026, 12, 28, 10, 0, 0, TimeSpan.FromHours(8));
        if (host.Clock.GetUtcNow() < lateDecember)
        {
            host.Clock.SetUtcNow(lateDecember);
        }

        // 问题楼盘 (0301) is complex: 15 working days, well into 2027, whose notice is not shipped.
        // The demo token expires a month after start: a token made now, on the moved clock.
        var dispatcher = await host.ClientForAsync("dispatcher");
        var created = await dispatcher.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title = "楼盘逾期交房", description = "小区逾期两年未交房。", categoryCode = "0301", territoryCode = "620802001",
        })));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var code = (await Json.ReadAsync(created))["code"]!.GetValue<string>();
        var response = await dispatcher.SendAsync(Json.Post($"/api/v1/matters/{code}/dispatch", Json.Body(new { leadUnit = "620800.zjj" })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dispatched = await Json.ReadAsync(response);
        Assert.Equal([2027], dispatched["handling"]!["calendarUnknownYears"]!.AsArray().Select(y => y!.GetValue<int>()).ToArray());
    }
}
