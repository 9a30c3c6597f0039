using System.Text;
using Concord.Domain.Calendar;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Situation;

/// <summary>A matter on a unit's queue (我的待办): its deadline now, the light, and whether it waits on an extension.</summary>
public sealed record QueueItem(MatterSummary Matter, string Status, DateTime? Due, string Light, int Rank, bool ExtensionRequested, MatterRow Stored);

/// <summary>A matter waiting for the center (派单台) and why.</summary>
public sealed record DispatchItem(MatterSummary Matter, string Why, MatterRow Stored);

/// <summary>A unit queue's counts: of the whole queue (not of a page), by light and by status.</summary>
public sealed record QueueCounts(int Total, int Red, int Yellow, int Green, int Dispatched, int Accepted, int InProgress);

/// <summary>One page of a unit's queue; <see cref="Next"/> is null on the last page.</summary>
public sealed record UnitQueuePage(IReadOnlyList<QueueItem> Items, QueueCounts Counts, string? Next, DateTime AsOf);

/// <summary>One page of the dispatcher's queue; <see cref="Total"/> counts the whole queue in scope.</summary>
public sealed record DispatchQueuePage(IReadOnlyList<DispatchItem> Items, int Total, string? Next);

/// <summary>
/// A unit queue's keyset cursor: the instant the first page was read as of (later pages light the rows as of
/// it, so that no row changes its place between pages as time passes), and the last row's (rank, due, id).
/// </summary>
public readonly record struct UnitQueueCursor(DateTime AsOf, int Rank, DateTime Due, long Id)
{
    public static string Encode(UnitQueueCursor c) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{c.AsOf.Ticks}.{c.Rank}.{c.Due.Ticks}.{c.Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out UnitQueueCursor cursor)
    {
        cursor = default;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
            if (parts.Length == 4 && long.TryParse(parts[0], out var asOf) && int.TryParse(parts[1], out var rank) && long.TryParse(parts[2], out var due) && long.TryParse(parts[3], out var id)
                && asOf >= 0 && asOf <= DateTime.MaxValue.Ticks && due >= 0 && due <= DateTime.MaxValue.Ticks && rank is >= 0 and <= 2)
            {
                cursor = new UnitQueueCursor(new DateTime(asOf, DateTimeKind.Utc), rank, new DateTime(due, DateTimeKind.Utc), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

/// <summary>
/// The queues as the API, the workbench, the dispatch console and their XLSX exports read them: filtered,
/// ordered, paged (keyset) and counted in the database, each from one index (Data/ConcordDb.cs, "Queues");
/// per-row work (summaries, suggestions, repeat groups) only for the page.
/// </summary>
public sealed class StaffQueues(ConcordDb db, CatalogStore catalog, TimeProvider clock)
{
    public const int DefaultSize = 100;

    public const int MaxUnitSize = 1000;

    public const int MaxDispatchSize = 500;

    /// <summary>The most rows an XLSX export of a queue holds (read page by page through the cursor).</summary>
    public const int ExportCap = 10_000;

    /// <summary>
    /// A page of the unit's open matters, most urgent first: red (due reached), then yellow (80 % of the working
    /// time used), then green; within each, the nearest deadline first, then the matter's id. Null when the cursor is not one of ours.
    /// </summary>
    public async Task<UnitQueuePage?> UnitQueueAsync(string unitCode, string? after, int size, CancellationToken ct)
    {
        UnitQueueCursor? cursor = null;
        if (after is not null)
        {
            if (!UnitQueueCursor.TryDecode(after, out var decoded))
            {
                return null;
            }

            cursor = decoded;
        }

        var now = cursor?.AsOf ?? QueueColumns.Microseconds(clock.GetUtcNow());
        var queue = db.Matters.AsNoTracking().Where(m => m.LeadUnitCode == unitCode && m.QueueDueAt != null);

        // Three index range scans in turn (red, yellow, green), each in (due, id) order, until the page is full.
        // Each reads the index only (unit, due, id, yellow): a unit with a large overdue backlog misleads the
        // planner's row estimate into a heap scan and sort when whole rows are asked for at once.
        var keys = new List<(long Id, DateTime Due, int Rank)>();
        for (var rank = (int)TrafficLight.Red; rank >= (int)TrafficLight.Green && keys.Count <= size; rank--)
        {
            if (cursor is { } c && rank > c.Rank)
            {
                continue;
            }

            var part = rank switch
            {
                (int)TrafficLight.Red => queue.Where(m => m.QueueDueAt <= now),
                (int)TrafficLight.Yellow => queue.Where(m => m.QueueDueAt > now && m.QueueYellowAt <= now),
                _ => queue.Where(m => m.QueueDueAt > now && m.QueueYellowAt > now),
            };
            if (cursor is { } at && rank == at.Rank)
            {
                // (due, id) > (cursor): the first conjunct is the index range, the second trims its first key.
                var (due, id) = (at.Due, at.Id);
                part = part.Where(m => m.QueueDueAt >= due && (m.QueueDueAt > due || m.Id > id));
            }

            var found = await part.OrderBy(m => m.QueueDueAt).ThenBy(m => m.Id).Select(m => new { m.Id, m.QueueDueAt })
                .Take(size + 1 - keys.Count).ToListAsync(ct);
            keys.AddRange(found.Select(k => (k.Id, k.QueueDueAt!.Value, rank)));
        }

        var wanted = keys.Take(size).Select(k => k.Id).ToList();
        var byId = await db.Matters.AsNoTracking().Where(m => wanted.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        // A row that left the queue between the two reads is left out of this page (the cursor still follows the keys).
        var rows = keys.Take(size).Where(k => byId.ContainsKey(k.Id)).Select(k => (Row: byId[k.Id], k.Rank)).ToList();
        var page = rows;
        var last = keys.Count > size ? keys[size - 1] : default;
        var next = keys.Count > size ? UnitQueueCursor.Encode(new(now, last.Rank, last.Due, last.Id)) : null;
        var snapshot = catalog.Current;
        var items = page.Select(x =>
        {
            var m = x.Row;
            var due = m.Status == "dispatched" ? m.AcceptDueAt : m.ReplyDueAt;
            return new QueueItem(Views.Summary(m, snapshot), m.Status, due, Deadlines.LightName((TrafficLight)x.Rank), x.Rank, m.ExtensionRequestedUntil is not null, m);
        }).ToList();
        return new UnitQueuePage(items, await CountsAsync(unitCode, now, ct), next, now);
    }

    /// <summary>The whole queue's counts by SQL aggregation: by light from the queue index, by status from (unit, status).</summary>
    public async Task<QueueCounts> CountsAsync(string unitCode, DateTime now, CancellationToken ct)
    {
        var lights = await db.Matters.AsNoTracking()
            .Where(m => m.LeadUnitCode == unitCode && m.QueueDueAt != null)
            .GroupBy(m => 1)
            .Select(g => new
            {
                Total = g.Count(),
                Red = g.Count(m => m.QueueDueAt <= now),
                Yellow = g.Count(m => m.QueueDueAt > now && m.QueueYellowAt <= now),
            })
            .SingleOrDefaultAsync(ct);
        var open = QueueColumns.Open;
        var byStatus = await db.Matters.AsNoTracking()
            .Where(m => m.LeadUnitCode == unitCode && open.Contains(m.Status))
            .GroupBy(m => m.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Status, x => x.Count, ct);
        var (total, red, yellow) = lights is null ? (0, 0, 0) : (lights.Total, lights.Red, lights.Yellow);
        return new QueueCounts(total, red, yellow, total - red - yellow,
            byStatus.GetValueOrDefault("dispatched"), byStatus.GetValueOrDefault("accepted"), byStatus.GetValueOrDefault("in_progress"));
    }

    /// <summary>A page of what waits for the center in the user's scope, oldest first (received, then id). Null for a cursor not ours.</summary>
    public async Task<DispatchQueuePage?> DispatchQueueAsync(AccessScope scope, string? after, int size, CancellationToken ct)
    {
        var queue = scope.Apply(db.Matters.AsNoTracking()).Where(m => m.WaitingForCenter);
        var page = queue;
        if (after is not null)
        {
            if (!PageCursor.TryDecode(after, out var cursor))
            {
                return null;
            }

            var (at, id) = (cursor.ReceivedAt, cursor.Id);
            // (received, id) > (cursor): the first conjunct is the index range, the second trims its first key.
            page = page.Where(m => m.ReceivedAt >= at && (m.ReceivedAt > at || m.Id > id));
        }

        var rows = await page.OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id).Take(size + 1).ToListAsync(ct);
        var next = rows.Count > size ? PageCursor.Encode(new(rows[size - 1].ReceivedAt, rows[size - 1].Id)) : null;
        var snapshot = catalog.Current;
        var items = rows.Take(size).Select(m => new DispatchItem(Views.Summary(m, snapshot), Why(m), m)).ToList();
        return new DispatchQueuePage(items, await queue.CountAsync(ct), next);
    }

    /// <summary>Why a matter waits for the center.</summary>
    public static string Why(MatterRow m) =>
        m.ExtensionRequestedUntil is not null ? "extension_requested"
            : m.Status == "returned" ? "returned"
            : m.Status == "in_review" ? "in_review"
            : m.LocationUnmatched ? "location_unmatched"
            : m.CategoryCode is null ? "no_category"
            : "new";

    /// <summary>A requested page size: the default when absent, null (a bad field) when out of 1..max.</summary>
    public static int? Size(int? requested, int max) => requested switch
    {
        null => DefaultSize,
        >= 1 when requested <= max => requested,
        _ => null,
    };
}
