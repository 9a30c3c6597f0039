using System.Data.Common;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concord.Server.Startup;

/// <summary>
/// One writer at a time, queued in the process, for SQLite. SQLite admits one write transaction
/// at a time, and every EF transaction on Microsoft.Data.Sqlite begins IMMEDIATE (takes the write
/// lock at once). Without this gate, concurrent requests collide at BEGIN and Microsoft.Data.Sqlite
/// retries each busy writer after a fixed sleep on a blocked thread: at 32 concurrent intakes the
/// server spent its time sleeping (docs/benchmarks.md). With it, writers wait asynchronously in
/// arrival order and each BEGIN finds the lock free; other processes on the same file still meet
/// the busy timeout as before.
/// </summary>
public sealed class SqliteWriteGate(TimeSpan wait) : DbTransactionInterceptor, IDbConnectionInterceptor
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>The connections holding the gate, so that whichever of commit, rollback, failure or close comes first releases it, once.</summary>
    private readonly ConcurrentDictionary<Guid, byte> holders = new();

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (!gate.Wait(wait))
        {
            throw Timeout();
        }

        holders[eventData.ConnectionId] = 0;
        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (!await gate.WaitAsync(wait, cancellationToken))
        {
            throw Timeout();
        }

        holders[eventData.ConnectionId] = 0;
        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.ConnectionId);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.ConnectionId);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.ConnectionId);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.ConnectionId);
        return Task.CompletedTask;
    }

    // A transaction disposed without commit or rollback (an exception in a using block, a failed
    // commit or BEGIN) ends when its connection closes: release there, or the next writer would wait forever.
    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    /// <summary>Whether a writer holds the gate now (for tests).</summary>
    public bool Held => gate.CurrentCount == 0;

    private void Release(Guid connectionId)
    {
        // By EF's id of the connection: an ADO transaction forgets its connection once committed.
        if (holders.TryRemove(connectionId, out _))
        {
            gate.Release();
        }
    }

    private static TimeoutException Timeout() =>
        new("Waited too long for the SQLite write lock (another write transaction is still open).");
}
