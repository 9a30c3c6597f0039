using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Concord.Server.Data;

/// <summary>Hands out the number in a matter's code, inside the caller's transaction.</summary>
public static class MatterNumbers
{
    public const string PostgresSequence = "matter_number_seq";

    public static async Task<long> NextAsync(ConcordDb db, CancellationToken cancellationToken)
    {
        // SQLite has one writer at a time, so a counter row costs nothing there; PostgreSQL uses a sequence.
        var sql = db.Provider == DatabaseProvider.Postgres
            ? $"SELECT nextval('{PostgresSequence}') AS \"Value\""
            : $"UPDATE counters SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = '{CounterNames.MatterNumber}' RETURNING \"Value\"";
        var values = await db.Database.SqlQueryRaw<long>(sql).ToListAsync(cancellationToken);
        return values.Single();
    }
}

/// <summary>
/// Intake's matter numbers, and on PostgreSQL the matter's row id too. On PostgreSQL a block of
/// both sequences (the number's and the matters table's identity) is drawn in one round-trip and
/// handed out in ascending order by this process: a round-trip per matter for the number was a tenth
/// of intake's CPU, and an id known before the insert lets EF write the matter and the rows that
/// point at it (events, search terms, signature) in one batch instead of two (docs/benchmarks.md).
/// Numbers and ids stay unique and rise within a process; like the sequences themselves (whose values
/// a rolled-back intake already skipped) they may have gaps, at most a block's unused rest when the
/// server stops, and with several server processes their blocks interleave. Other writers of matters
/// keep taking ids from the same identity sequence, so nothing can collide. SQLite keeps its counter
/// row in the caller's transaction and its own row ids (one writer, no network). One instance per
/// server (a singleton), so each database gets its own blocks.
/// </summary>
public sealed class MatterNumberBlocks
{
    public const int BlockSize = 50;

    private readonly ConcurrentQueue<(long Number, long Id)> ready = new();
    private readonly SemaphoreSlim refill = new(1, 1);

    /// <summary>The next number, and on PostgreSQL the id the matter is to be inserted with (null: the store assigns it).</summary>
    public async ValueTask<(long Number, long? Id)> NextAsync(ConcordDb db, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Postgres)
        {
            return (await MatterNumbers.NextAsync(db, cancellationToken), null);
        }

        while (true)
        {
            if (ready.TryDequeue(out var next))
            {
                return next;
            }

            await refill.WaitAsync(cancellationToken);
            try
            {
                // Whoever waited here while another request refilled takes from that block.
                if (ready.IsEmpty)
                {
                    foreach (var pair in await DrawAsync(db, cancellationToken))
                    {
                        ready.Enqueue(pair);
                    }
                }
            }
            finally
            {
                refill.Release();
            }
        }
    }

    private static async Task<List<(long, long)>> DrawAsync(ConcordDb db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = $"SELECT nextval('{MatterNumbers.PostgresSequence}'), nextval(pg_get_serial_sequence('matters', 'Id')) FROM generate_series(1, {BlockSize})";
            var numbers = new List<long>(BlockSize);
            var ids = new List<long>(BlockSize);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    numbers.Add(reader.GetInt64(0));
                    ids.Add(reader.GetInt64(1));
                }
            }

            numbers.Sort();
            ids.Sort();
            return numbers.Zip(ids).ToList();
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
