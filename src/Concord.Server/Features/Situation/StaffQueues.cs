using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Situation;

/// <summary>A matter on a unit's queue (我的待办): its deadline now, the light, and whether it waits on an extension.</summary>
public sealed record QueueItem(MatterSummary Matter, string Status, DateTime? Due, string Light, int Rank, bool ExtensionRequested);

/// <summary>A matter waiting for the center (派单台) and why.</summary>
public sealed record DispatchItem(MatterSummary Matter, string Why);

/// <summary>
/// The queues as the workbench, the dispatch console and their XLSX exports read them (the same rows as
/// GET /api/v1/units/{unit}/queue and /api/v1/dispatch/queue): bounded reads, never a whole table.
/// </summary>
public sealed class StaffQueues(ConcordDb db, CatalogStore catalog, Deadlines deadlines, TimeProvider clock)
{
    /// <summary>The most a queue holds in one read (as the API): the lights are computed per row, so the rows are bounded first.</summary>
    public const int MaxUnitQueue = 1000;

    public const int MaxDispatchQueue = 500;

    /// <summary>The unit's open matters, red first, then by the nearest deadline.</summary>
    public async Task<IReadOnlyList<QueueItem>> UnitQueueAsync(string unitCode, CancellationToken ct)
    {
        string[] open = [MatterStatus.Dispatched.ToWire(), MatterStatus.Accepted.ToWire(), MatterStatus.InProgress.ToWire()];
        var rows = await db.Matters.AsNoTracking()
            .Where(m => m.LeadUnitCode == unitCode && open.Contains(m.Status))
            .OrderBy(m => m.Status == "dispatched" ? m.AcceptDueAt : m.ReplyDueAt)
            .Take(MaxUnitQueue)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        var snapshot = catalog.Current;
        return rows.Select(m =>
            {
                var due = m.Status == "dispatched" ? m.AcceptDueAt : m.ReplyDueAt;
                var light = m.DispatchedAt is { } s && due is { } d ? deadlines.LightOf(s, d, now) : Concord.Domain.Calendar.TrafficLight.Green;
                return new QueueItem(Views.Summary(m, snapshot), m.Status, due, Deadlines.LightName(light), (int)light, m.ExtensionRequestedUntil is not null);
            })
            .OrderByDescending(i => i.Rank).ThenBy(i => i.Due)
            .ToList();
    }

    /// <summary>What waits for the center in the user's scope, oldest first.</summary>
    public async Task<IReadOnlyList<DispatchItem>> DispatchQueueAsync(AccessScope scope, CancellationToken ct)
    {
        string[] waiting = [MatterStatus.Received.ToWire(), MatterStatus.Returned.ToWire(), MatterStatus.InReview.ToWire()];
        var rows = await scope.Apply(db.Matters.AsNoTracking())
            .Where(m => waiting.Contains(m.Status) || m.ExtensionRequestedUntil != null || (m.LocationUnmatched && m.Status == "received"))
            .OrderBy(m => m.ReceivedAt).Take(MaxDispatchQueue).ToListAsync(ct);
        var snapshot = catalog.Current;
        return rows.Select(m => new DispatchItem(
            Views.Summary(m, snapshot),
            m.ExtensionRequestedUntil is not null ? "extension_requested"
                : m.Status == "returned" ? "returned"
                : m.Status == "in_review" ? "in_review"
                : m.LocationUnmatched ? "location_unmatched"
                : m.CategoryCode is null ? "no_category"
                : "new")).ToList();
    }
}
