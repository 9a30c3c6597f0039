using Concord.Server.Data;
using Concord.Server.Startup;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Concord.Server.Audit;

/// <summary>
/// Seals pending audit entries (ChainSeq null) into the hash chain, in Id order, a batch per
/// transaction. Writers never wait for the chain: they append unsealed entries in their own
/// transactions, and this seals them afterwards.
/// </summary>
/// <remarks>
/// <para>
/// One sealer at a time across all nodes: on PostgreSQL each batch transaction takes
/// <c>pg_advisory_xact_lock(<see cref="AdvisoryLockKey"/>)</c> before it reads the chain head; on SQLite
/// EF's transactions are <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), so the batch holds
/// the database's single write lock from its first statement. Should two sealers still collide on
/// the unique index on ChainSeq (e.g. a store that lets them), the batch is rolled back and retried.
/// </para>
/// <para>
/// Chain order is seal order, not Id order: an entry whose transaction commits late, with a lower
/// Id than entries already sealed, is simply sealed in a later batch, after them. That is fine:
/// the chain proves that nothing sealed was changed or removed, not when rows were numbered.
/// </para>
/// <para>
/// The hash is computed from the row as read back from the database (never from an in-memory
/// copy that may hold more precision than the store keeps), so the verifier recomputes exactly it.
/// A row that has no ChainSeq but does carry a Hash or PreviousHash was sealed once and has been
/// tampered with: it is left alone for the verifier to report, never re-sealed.
/// </para>
/// </remarks>
public sealed class AuditSealer(ConcordDb db, ILogger<AuditSealer>? logger = null)
{
    public const int DefaultBatchSize = 500;

    /// <summary>The PostgreSQL advisory lock that serializes sealers ("ConcAud"); differs from start-up's.</summary>
    public const long AdvisoryLockKey = 0x436F6E63417564;

    private const int Attempts = 3;

    /// <summary>Entries sealed per transaction.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Seals every pending entry, batch by batch; returns how many were sealed.</summary>
    public async Task<int> SealPendingAsync(CancellationToken cancellationToken = default)
    {
        if (BatchSize < 1)
        {
            throw new InvalidOperationException("The audit sealer's batch size must be at least 1.");
        }

        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("The audit sealer commits its own transactions; call it outside of one.");
        }

        if (db.ChangeTracker.HasChanges())
        {
            throw new InvalidOperationException("The audit sealer saves through this context; save or discard its pending changes first.");
        }

        var total = 0;
        while (true)
        {
            var count = await SealBatchWithRetryAsync(cancellationToken);
            total += count;
            if (count < BatchSize)
            {
                return total;
            }
        }
    }

    private async Task<int> SealBatchWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SealBatchAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (attempt < Attempts && IsChainSeqConflict(e))
            {
                logger?.LogWarning("Another sealer took the same chain positions; retrying the batch (attempt {Attempt})", attempt + 1);
            }
        }
    }

    private async Task<int> SealBatchAsync(CancellationToken cancellationToken)
    {
        // A cheap look without any lock first: most ticks find nothing to seal and should not
        // take the write lock (SQLite) or the advisory lock (PostgreSQL) for nothing.
        if (!await Pending().AnyAsync(cancellationToken))
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        }

        // Read under the lock: the head and the pending rows as the previous sealer committed them.
        var head = await db.AuditEntries.AsNoTracking()
            .Where(e => e.ChainSeq != null)
            .OrderByDescending(e => e.ChainSeq)
            .Select(e => new { Seq = e.ChainSeq!.Value, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var rows = await Pending().AsNoTracking().OrderBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var seq = head?.Seq ?? 0;
        var previous = head is null ? AuditChain.Genesis : head.Hash ?? string.Empty;
        var touched = new List<(EntityEntry<AuditEntryRow> Entry, bool Attached)>(rows.Count);
        try
        {
            foreach (var row in rows)
            {
                AuditChain.Seal(row, ++seq, previous);
                previous = row.Hash!;
                touched.Add(Apply(row));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var (entry, attached) in touched)
            {
                if (attached)
                {
                    entry.State = EntityState.Detached;
                }
            }
        }
        catch
        {
            // Leave the caller's context as it was: drop what we attached, undo what we changed.
            foreach (var (entry, attached) in touched)
            {
                if (attached)
                {
                    entry.State = EntityState.Detached;
                }
                else
                {
                    entry.CurrentValues.SetValues(entry.OriginalValues);
                    entry.State = EntityState.Unchanged;
                }
            }

            throw;
        }

        logger?.LogDebug("Sealed {Count} audit entries up to chain position {Seq}", rows.Count, seq);
        return rows.Count;
    }

    /// <summary>Writes the three chain columns of a row, whether or not the caller's context already tracks it.</summary>
    private (EntityEntry<AuditEntryRow> Entry, bool Attached) Apply(AuditEntryRow row)
    {
        if (db.AuditEntries.Local.FindEntry(row.Id) is { } tracked)
        {
            tracked.Property(e => e.ChainSeq).CurrentValue = row.ChainSeq;
            tracked.Property(e => e.PreviousHash).CurrentValue = row.PreviousHash;
            tracked.Property(e => e.Hash).CurrentValue = row.Hash;
            return (tracked, false);
        }

        var entry = db.AuditEntries.Attach(row);
        entry.Property(e => e.ChainSeq).IsModified = true;
        entry.Property(e => e.PreviousHash).IsModified = true;
        entry.Property(e => e.Hash).IsModified = true;
        return (entry, true);
    }

    private IQueryable<AuditEntryRow> Pending() =>
        db.AuditEntries.Where(e => e.ChainSeq == null && e.Hash == null && e.PreviousHash == null);

    private static bool IsChainSeqConflict(DbUpdateException e) =>
        e.InnerException switch
        {
            Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19 && s.Message.Contains("audit_entries.ChainSeq", StringComparison.Ordinal), // SQLITE_CONSTRAINT
            Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && p.TableName == "audit_entries",
            _ => false,
        };
}

/// <summary>
/// Seals pending audit entries every <c>Concord:Audit:SealSeconds</c> seconds (1 by default; 0 or
/// less turns it off). Errors are logged and the next tick tries again.
/// </summary>
public sealed class AuditSealingService(
    IServiceScopeFactory scopes, IConfiguration configuration, ILogger<AuditSealingService> logger, Readiness? readiness = null) : BackgroundService
{
    public const string IntervalKey = "Concord:Audit:SealSeconds";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue(IntervalKey, 1.0);
        if (seconds <= 0)
        {
            logger.LogInformation("Audit sealing is off ({Key} = {Seconds})", IntervalKey, seconds);
            return;
        }

        var interval = TimeSpan.FromSeconds(seconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (readiness is { IsReady: false })
            {
                continue; // migrations have not run yet
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AuditSealer>().SealPendingAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Sealing the audit log failed; trying again in {Interval}", interval);
            }
        }
    }
}
