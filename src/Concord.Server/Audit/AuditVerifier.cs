using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Audit;

/// <summary>Why the chain is broken at an entry.</summary>
public static class AuditBreakReasons
{
    /// <summary>The entry's stored hash does not match its content: a field was changed after sealing.</summary>
    public const string ContentChanged = "content changed";

    /// <summary>The entry's PreviousHash is not the stored hash of the entry before it.</summary>
    public const string LinkBroken = "link broken";

    /// <summary>A chain position has no entry (a deleted row): ChainSeq is the missing position, Id the entry after the gap.</summary>
    public const string EntryMissing = "entry missing";

    /// <summary>An entry that was sealed (it carries a hash or link) has lost its chain position.</summary>
    public const string EntryUnsealed = "entry unsealed among sealed";
}

/// <summary>The first place where the chain does not hold.</summary>
/// <param name="ChainSeq">The chain position at fault (for a gap, the first missing position); null when it cannot be told.</param>
/// <param name="Id">The entry at fault; for a gap, the entry after it.</param>
/// <param name="Reason">One of <see cref="AuditBreakReasons"/>.</param>
public sealed record AuditBreak(long? ChainSeq, long Id, string Reason);

/// <summary>The last sealed entry: worth writing down outside the database, since only that reveals a truncated tail.</summary>
public sealed record AuditHead(long ChainSeq, string? Hash);

/// <summary>The outcome of a walk over the whole chain.</summary>
/// <param name="Intact">True when no entry was found changed, unlinked, missing or unsealed.</param>
/// <param name="CheckedEntries">Sealed entries walked (all of them, also past a break).</param>
/// <param name="PendingEntries">Entries without a chain position at the end of the walk (not yet sealed).</param>
/// <param name="FirstBroken">The first break in chain order, or null.</param>
/// <param name="Head">The last sealed entry walked, or null for an empty chain.</param>
public sealed record AuditReport(bool Intact, long CheckedEntries, long PendingEntries, AuditBreak? FirstBroken, AuditHead? Head);

/// <summary>
/// Walks the audit chain in ChainSeq order, a page at a time (never the whole table in memory),
/// recomputing each entry's hash and checking its link to the entry before it and that the chain
/// positions run 1, 2, 3… without a gap.
/// </summary>
/// <remarks>
/// Each entry is checked against the <em>stored</em> hash of the one before it, so a change to one
/// row is reported at exactly that row (content changed), not at the row after it. A deleted row
/// shows as a gap: the first missing position, with the Id of the entry after the gap. Deleting
/// the last entries of the chain leaves no gap; only a head recorded elsewhere (see
/// <see cref="AuditReport.Head"/>) reveals that.
/// </remarks>
public sealed class AuditVerifier(ConcordDb db)
{
    public const int DefaultPageSize = 1000;

    /// <summary>Sealed entries read per query.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    public async Task<AuditReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        if (PageSize < 1)
        {
            throw new InvalidOperationException("The audit verifier's page size must be at least 1.");
        }

        AuditBreak? broken = null;
        long checkedEntries = 0;
        long expected = 1;
        var previousHash = AuditChain.Genesis;
        AuditHead? head = null;
        long last = 0;
        while (true)
        {
            var after = last;
            var page = await db.AuditEntries.AsNoTracking()
                .Where(e => e.ChainSeq != null && e.ChainSeq > after)
                .OrderBy(e => e.ChainSeq)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in page)
            {
                var seq = entry.ChainSeq!.Value;
                if (broken is null)
                {
                    broken = seq != expected
                        ? await GapAsync(expected, previousHash, entry, cancellationToken)
                        : entry.PreviousHash != previousHash
                            ? new AuditBreak(seq, entry.Id, AuditBreakReasons.LinkBroken)
                            : entry.Hash != AuditChain.ComputeHash(entry)
                                ? new AuditBreak(seq, entry.Id, AuditBreakReasons.ContentChanged)
                                : null;
                }

                checkedEntries++;
                expected = seq + 1;
                previousHash = entry.Hash ?? string.Empty;
                head = new AuditHead(seq, entry.Hash);
            }

            if (page.Count < PageSize)
            {
                break;
            }

            last = page[^1].ChainSeq!.Value;
        }

        // A sealed entry stripped of its position at the very end of the chain leaves no gap.
        if (broken is null
            && await db.AuditEntries.AsNoTracking()
                .Where(e => e.ChainSeq == null && (e.Hash != null || e.PreviousHash != null))
                .OrderBy(e => e.Id)
                .FirstOrDefaultAsync(cancellationToken) is { } stripped)
        {
            broken = new AuditBreak(stripped.PreviousHash == previousHash ? expected : null, stripped.Id, AuditBreakReasons.EntryUnsealed);
        }

        var pending = await db.AuditEntries.LongCountAsync(e => e.ChainSeq == null, cancellationToken);
        return new AuditReport(broken is null, checkedEntries, pending, broken, head);
    }

    /// <summary>
    /// A gap at <paramref name="missing"/>: a row that lost its ChainSeq but still links to the entry
    /// before the gap was unsealed; otherwise the row is gone.
    /// </summary>
    private async Task<AuditBreak> GapAsync(long missing, string previousHash, AuditEntryRow after, CancellationToken cancellationToken)
    {
        var stripped = await db.AuditEntries.AsNoTracking()
            .Where(e => e.ChainSeq == null && e.PreviousHash == previousHash)
            .OrderBy(e => e.Id)
            .Select(e => (long?)e.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return stripped is { } id
            ? new AuditBreak(missing, id, AuditBreakReasons.EntryUnsealed)
            : new AuditBreak(missing, after.Id, AuditBreakReasons.EntryMissing);
    }
}
