using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Duplicates;

/// <summary>
/// Keeps every reporter with the surviving matter across merges and unmerges: the link rows say
/// which merged matter follows which survivor, so that the portal shows the survivor's status and
/// reply under each merged matter's tracking code, and the survivor's verdict request reaches them all.
/// </summary>
public static class MatterReporters
{
    /// <summary>Records a merge in the caller's unit of work; the merged matter's own followers move along to the survivor.</summary>
    public static async Task RecordMergeAsync(ConcordDb db, MatterRow merged, MatterRow survivor, string priorStatus, DateTime? priorNextCheckAt, DateTime? priorClosedAt, string actor, DateTime at, CancellationToken ct)
    {
        var links = db.Set<MatterReporterRow>();
        foreach (var follower in await links.Where(r => r.SurvivorId == merged.Id).ToListAsync(ct))
        {
            follower.SurvivorId = survivor.Id;
        }

        links.Add(new MatterReporterRow
        {
            MatterId = merged.Id,
            SurvivorId = survivor.Id,
            MergedAt = at,
            MergedBy = actor,
            PriorStatus = priorStatus,
            PriorNextCheckAt = priorNextCheckAt,
            PriorClosedAt = priorClosedAt,
        });
    }

    /// <summary>
    /// Removes the merged matter's link (null when it was merged before links existed) and points the
    /// matters that followed through it back at it. Call after clearing its MergedIntoId.
    /// </summary>
    public static async Task<MatterReporterRow?> UndoMergeAsync(ConcordDb db, MatterRow unmerged, long formerSurvivorId, CancellationToken ct)
    {
        var links = db.Set<MatterReporterRow>();
        var link = await links.SingleOrDefaultAsync(r => r.MatterId == unmerged.Id, ct);
        if (link is not null)
        {
            links.Remove(link);
        }

        foreach (var follower in await links.Where(r => r.SurvivorId == formerSurvivorId && r.MatterId != unmerged.Id).ToListAsync(ct))
        {
            follower.SurvivorId = (await EndOfChainAsync(db, follower.MatterId, ct)).Id;
        }

        return link;
    }

    /// <summary>The matter a (possibly merged) matter's reporter follows now: the survivor, or the matter itself.</summary>
    public static async Task<MatterRow> SurvivorOfAsync(ConcordDb db, MatterRow matter, CancellationToken ct)
    {
        if (matter.MergedIntoId is null)
        {
            return matter;
        }

        var id = matter.Id;
        var survivorId = await db.Set<MatterReporterRow>().Where(r => r.MatterId == id).Select(r => (long?)r.SurvivorId).SingleOrDefaultAsync(ct);
        return survivorId is { } s && await db.Matters.SingleOrDefaultAsync(m => m.Id == s, ct) is { } survivor
            ? survivor
            : await EndOfChainAsync(db, matter.Id, ct);
    }

    /// <summary>The merged matters that follow this one (their reporters get its updates).</summary>
    public static async Task<IReadOnlyList<(string Code, string Title, DateTime MergedAt)>> FollowersAsync(ConcordDb db, long survivorId, CancellationToken ct) =>
        (await db.Set<MatterReporterRow>().AsNoTracking().Where(r => r.SurvivorId == survivorId)
            .Join(db.Matters.AsNoTracking(), r => r.MatterId, m => m.Id, (r, m) => new { m.Code, m.Title, r.MergedAt })
            .OrderBy(x => x.MergedAt).ThenBy(x => x.Code)
            .ToListAsync(ct))
        .Select(x => (x.Code, x.Title, x.MergedAt)).ToList();

    /// <summary>Follows MergedIntoId to its end (merges from before the link table, and recomputation after an unmerge).</summary>
    private static async Task<MatterRow> EndOfChainAsync(ConcordDb db, long matterId, CancellationToken ct)
    {
        var current = await db.Matters.SingleAsync(m => m.Id == matterId, ct);
        for (var hops = 0; current.MergedIntoId is { } next && hops < 64; hops++)
        {
            current = await db.Matters.SingleAsync(m => m.Id == next, ct);
        }

        return current;
    }
}
