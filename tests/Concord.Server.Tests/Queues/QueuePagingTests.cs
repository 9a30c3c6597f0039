using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Concord.Domain.Calendar;
using Concord.Domain.Categories;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Queues;

public sealed class QueuePagingTestsOnSqlite(SqliteHost host) : QueuePagingTests<SqliteHost>(host);

public sealed class QueuePagingTestsOnPostgres(PostgresHost host) : QueuePagingTests<PostgresHost>(host);

/// <summary>
/// The queues ordered, paged and counted in the database: compared with the per-row definition (the light
/// by <see cref="Deadlines.LightOf"/>, the dispatcher's filter by status and extension request), while time
/// passes and matters arrive between pages.
/// </summary>
public abstract class QueuePagingTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string Unit = "620802.rsj";
    private static readonly string[] Open = ["dispatched", "accepted", "in_progress"];
    private static int serial;

    private Deadlines Deadlines => host.Services.GetRequiredService<Deadlines>();

    /// <summary>Open matters led by the unit with deadlines spread around now: some overdue, some near, some far; some sharing a deadline.</summary>
    private async Task SeedUnitAsync(int count, int seed)
    {
        var random = new Random(seed);
        var now = host.Clock.GetUtcNow();
        await host.QueryAsync(async db =>
        {
            DateTime? previousDue = null;
            for (var i = 0; i < count; i++)
            {
                var start = now.AddMinutes(-random.Next(0, 60 * 24 * 12));
                var status = Open[random.Next(Open.Length)];
                var accept = Deadlines.Add(start, new WorkingSpan(random.Next(1, 8), WorkingSpanUnit.Hours)).UtcDateTime;
                var reply = Deadlines.Add(start, new WorkingSpan(random.Next(1, 9), WorkingSpanUnit.Days)).UtcDateTime;
                if (i % 6 == 5 && previousDue is { } tie)
                {
                    // Ties on the deadline: the id decides.
                    (accept, reply) = (tie, tie);
                }

                previousDue = status == "dispatched" ? accept : reply;
                db.Matters.Add(Matter(status, start.UtcDateTime, accept, reply));
            }

            return await db.SaveChangesAsync();
        });
    }

    private static MatterRow Matter(string status, DateTime dispatchedAt, DateTime? acceptDue, DateTime? replyDue, string unit = Unit) => new()
    {
        Code = $"Q{Interlocked.Increment(ref serial):D6}-{Guid.NewGuid():N}"[..20], Kind = "appeal", Channel = "hotline", Status = status,
        Title = "排队测试", Description = "排队测试事项", CategoryCode = "020101", TerritoryCode = "620802001", CountyCode = "620802", CityCode = "6208", ProvinceCode = "62",
        TownshipCode = "620802001", LocationMatch = "territory", RoutingBasis = "rule", LeadUnitCode = unit,
        ReceivedAt = dispatchedAt.AddMinutes(-20), UpdatedAt = dispatchedAt, DispatchedAt = dispatchedAt, AcceptDueAt = acceptDue, ReplyDueAt = replyDue,
    };

    /// <summary>The unit queue as the per-row definition has it at an instant: light by LightOf, red first, then nearest due, then id.</summary>
    private async Task<List<(string Code, TrafficLight Light, string Status)>> ExpectedAsync(DateTime asOf)
    {
        var rows = await host.QueryAsync(db => db.Matters.AsNoTracking().Where(m => m.LeadUnitCode == Unit && Open.Contains(m.Status)).ToListAsync());
        var at = new DateTimeOffset(asOf, TimeSpan.Zero);
        return rows.Select(m =>
            {
                var due = m.Status == "dispatched" ? m.AcceptDueAt : m.ReplyDueAt;
                var light = m.DispatchedAt is { } s && due is { } d ? Deadlines.LightOf(s, d, at)
                    : due is { } only && at >= only ? TrafficLight.Red : TrafficLight.Green;
                return (m, due, light);
            })
            .OrderByDescending(x => x.light).ThenBy(x => x.due ?? DateTime.MaxValue).ThenBy(x => x.m.Id)
            .Select(x => (x.m.Code, x.light, x.m.Status)).ToList();
    }

    private static DateTime AsOf(JsonNode page) =>
        DateTimeOffset.Parse(page["asOf"]!.GetValue<string>(), CultureInfo.InvariantCulture).UtcDateTime;

    private static string Name(TrafficLight light) => Deadlines.LightName(light);

    [Fact]
    public async Task A_units_queue_pages_in_urgency_order_without_skipping_or_repeating_while_time_passes_and_matters_arrive()
    {
        var client = host.Client;
        await SeedUnitAsync(45, seed: 8);

        var first = await Json.ReadAsync(await client.GetAsync($"/api/v1/units/{Unit}/queue?size=7"));
        var asOf = AsOf(first);
        var expected = await ExpectedAsync(asOf);
        Assert.True(expected.Select(e => e.Light).Distinct().Count() == 3, "the seed gives every light");

        // Counts: of the whole queue, equal to the per-row definition.
        var counts = first["counts"]!;
        Assert.Equal(expected.Count, counts["total"]!.GetValue<int>());
        Assert.Equal(expected.Count(e => e.Light == TrafficLight.Red), counts["red"]!.GetValue<int>());
        Assert.Equal(expected.Count(e => e.Light == TrafficLight.Yellow), counts["yellow"]!.GetValue<int>());
        Assert.Equal(expected.Count(e => e.Light == TrafficLight.Green), counts["green"]!.GetValue<int>());
        Assert.Equal(expected.Count(e => e.Status == "dispatched"), counts["dispatched"]!.GetValue<int>());
        Assert.Equal(expected.Count(e => e.Status == "in_progress"), counts["inProgress"]!.GetValue<int>());
        Assert.Equal(7, first["items"]!.AsArray().Count);

        // Walk the pages while the clock runs on (lights would change) and new overdue matters arrive.
        var seen = new List<(string Code, string Light)>();
        var page = first;
        var arrived = new HashSet<string>();
        for (var n = 0; ; n++)
        {
            seen.AddRange(page["items"]!.AsArray().Select(i => (i!["matter"]!["code"]!.GetValue<string>(), i["light"]!.GetValue<string>())));
            if (page["next"]?.GetValue<string>() is not { } next)
            {
                break;
            }

            host.Clock.Advance(TimeSpan.FromHours(5));
            if (n % 2 == 0)
            {
                var now = host.Clock.GetUtcNow().UtcDateTime;
                var late = Matter("accepted", now.AddDays(-9), now.AddDays(-8), now.AddMinutes(-1));
                await host.QueryAsync(db => { db.Matters.Add(late); return db.SaveChangesAsync(); });
                arrived.Add(late.Code);
            }

            page = await Json.ReadAsync(await client.GetAsync($"/api/v1/units/{Unit}/queue?size=7&after={Uri.EscapeDataString(next)}"));
            Assert.Equal(asOf, AsOf(page));
        }

        Assert.Equal(seen.Count, seen.Select(s => s.Code).Distinct().Count());
        var original = seen.Where(s => !arrived.Contains(s.Code)).ToList();
        Assert.Equal(expected.Select(e => e.Code), original.Select(s => s.Code));
        Assert.Equal(expected.Select(e => Name(e.Light)), original.Select(s => s.Light));

        // A first page read later lights the queue as of then: the counts follow the definition again.
        var later = await Json.ReadAsync(await client.GetAsync($"/api/v1/units/{Unit}/queue?size=1000"));
        var again = await ExpectedAsync(AsOf(later));
        Assert.True(AsOf(later) > asOf);
        Assert.Equal(again.Select(e => e.Code), later["items"]!.AsArray().Select(i => i!["matter"]!["code"]!.GetValue<string>()));
        Assert.Equal(again.Count(e => e.Light == TrafficLight.Red), later["counts"]!["red"]!.GetValue<int>());
        Assert.Equal(again.Count(e => e.Light == TrafficLight.Yellow), later["counts"]!["yellow"]!.GetValue<int>());
        Assert.Null(later["next"]);
    }

    [Fact]
    public async Task The_dispatchers_queue_pages_oldest_first_without_skipping_or_repeating_while_matters_arrive_and_leave()
    {
        var client = host.Client;
        var now = host.Clock.GetUtcNow().UtcDateTime;
        await host.QueryAsync(async db =>
        {
            for (var i = 0; i < 12; i++)
            {
                var m = Matter(i % 3 == 0 ? "returned" : "in_review", now.AddHours(-i), null, null);
                m.ReceivedAt = now.AddHours(-100 + (i % 4)); // ties on ReceivedAt: the id decides
                db.Matters.Add(m);
            }

            // An extension request waits for the center whatever the status.
            var extension = Matter("accepted", now.AddDays(-1), now, now.AddDays(3));
            extension.ExtensionRequestedUntil = now.AddDays(9);
            db.Matters.Add(extension);
            return await db.SaveChangesAsync();
        });

        var all = await host.QueryAsync(db => db.Matters.AsNoTracking().ToListAsync());
        string[] waiting = ["received", "returned", "in_review"];
        // The stored flag is the per-row definition, for every matter.
        Assert.All(all, m => Assert.Equal(waiting.Contains(m.Status) || m.ExtensionRequestedUntil is not null, m.WaitingForCenter));
        var expected = all.Where(m => waiting.Contains(m.Status) || m.ExtensionRequestedUntil is not null || (m.LocationUnmatched && m.Status == "received"))
            .OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id).Select(m => m.Code).ToList();

        var response = await client.GetAsync("/api/v1/dispatch/queue?size=5");
        Assert.Equal(expected.Count.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Total-Count").Single());
        var seen = new List<string>();
        var arrived = new HashSet<string>();
        var left = new HashSet<string>();
        for (var n = 0; ; n++)
        {
            seen.AddRange((await Json.ReadAsync(response)).AsArray().Select(i => i!["matter"]!["code"]!.GetValue<string>()));
            if (!response.Headers.TryGetValues("X-Next-Cursor", out var values))
            {
                Assert.False(response.Headers.Contains("Link"));
                break;
            }

            Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
            if (n % 2 == 0)
            {
                // One arrives (newest: at the end), one not yet seen leaves (dispatched).
                var fresh = Matter("received", now, null, null);
                fresh.ReceivedAt = host.Clock.GetUtcNow().UtcDateTime;
                var leaving = expected.Except(seen).Except(left).FirstOrDefault();
                await host.QueryAsync(async db =>
                {
                    db.Matters.Add(fresh);
                    if (leaving is not null && await db.Matters.SingleAsync(m => m.Code == leaving) is { } gone && gone.ExtensionRequestedUntil is null)
                    {
                        gone.Status = "dispatched";
                        left.Add(leaving);
                    }

                    return await db.SaveChangesAsync();
                });
                arrived.Add(fresh.Code);
            }

            response = await client.GetAsync($"/api/v1/dispatch/queue?size=5&after={Uri.EscapeDataString(values.Single())}");
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(expected.Except(left), seen.Where(c => !arrived.Contains(c)));
        // Matters that arrive while paging are the newest: they come on the later pages.
        Assert.All(arrived, code => Assert.Contains(code, seen));
    }

    [Fact]
    public async Task The_workbench_export_is_the_whole_queue_not_a_page()
    {
        await SeedUnitAsync(30, seed: 5);
        var handler = await host.ClientForAsync("handler");
        var response = await handler.GetAsync("/workbench/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var codes = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().Select(r => (string)r["编号"]!).ToList();

        // The same rows as the API's pages, however many pages (the lights, hence the order, are as of each read).
        var api = new List<string>();
        string? after = null;
        do
        {
            var page = await Json.ReadAsync(await handler.GetAsync($"/api/v1/units/{Unit}/queue?size=9" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}")));
            api.AddRange(page["items"]!.AsArray().Select(i => i!["matter"]!["code"]!.GetValue<string>()));
            after = page["next"]?.GetValue<string>();
        }
        while (after is not null);

        Assert.True(codes.Count >= 30, "the seeded matters and any others of the unit: more than the API's pages of 9");
        Assert.Equal(api.Count, codes.Count);
        Assert.Equal(api.ToHashSet(), codes.ToHashSet());
    }

    [Fact]
    public async Task Bad_cursors_and_sizes_name_the_field_and_other_units_queues_stay_hidden()
    {
        var client = host.Client;
        var bad = await client.GetAsync($"/api/v1/units/{Unit}/queue?after=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await Json.ReadAsync(bad))["errors"]!["after"]);
        var big = await client.GetAsync($"/api/v1/units/{Unit}/queue?size=1001");
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.NotNull((await Json.ReadAsync(big))["errors"]!["size"]);
        var dispatch = await client.GetAsync("/api/v1/dispatch/queue?size=0");
        Assert.Equal(HttpStatusCode.BadRequest, dispatch.StatusCode);
        Assert.NotNull((await Json.ReadAsync(dispatch))["errors"]!["size"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/dispatch/queue?after=%%%")).StatusCode);

        // A cursor of the unit queue is out of scope all the same for a unit not one's own.
        var township = await host.ClientForAsync("township");
        var page = await Json.ReadAsync(await client.GetAsync($"/api/v1/units/{Unit}/queue?size=1"));
        var after = page["next"]?.GetValue<string>() ?? "x";
        Assert.Equal(HttpStatusCode.NotFound, (await township.GetAsync($"/api/v1/units/{Unit}/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await township.GetAsync($"/api/v1/units/{Unit}/queue?after={Uri.EscapeDataString(after)}")).StatusCode);
    }

    [Fact]
    public async Task A_database_from_before_the_queue_columns_gets_them_once_at_start()
    {
        await SeedUnitAsync(10, seed: 3);
        var before = await host.QueryAsync(db => db.Matters.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.Id, m.QueueDueAt, m.QueueYellowAt, m.WaitingForCenter }).ToListAsync());
        Assert.Contains(before, m => m.QueueYellowAt is not null);
        await host.QueryAsync(db => db.Matters.ExecuteUpdateAsync(s => s.SetProperty(m => m.QueueDueAt, (DateTime?)null).SetProperty(m => m.QueueYellowAt, (DateTime?)null).SetProperty(m => m.WaitingForCenter, false)));

        var filled = await host.QueryAsync(db => QueueColumns.BackfillAsync(db, CancellationToken.None));
        Assert.Equal(before.Count(m => m.QueueDueAt is not null || m.WaitingForCenter), filled);
        var after = await host.QueryAsync(db => db.Matters.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.Id, m.QueueDueAt, m.QueueYellowAt, m.WaitingForCenter }).ToListAsync());
        Assert.Equal(before, after);
        Assert.Equal(0, await host.QueryAsync(db => QueueColumns.BackfillAsync(db, CancellationToken.None)));
    }
}
