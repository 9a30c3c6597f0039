using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Concord.Bench;

/// <summary>
/// The database's own limit: one ~1 KB row (a few text columns, a primary key and one secondary index)
/// per transaction into a scratch table, with no HTTP, no EF and no application logic.
/// </summary>
public static class DbLimit
{
    private const string Table = """
        CREATE TABLE bench_rows (
            id {0} PRIMARY KEY,
            code text NOT NULL,
            title text NOT NULL,
            description text NOT NULL,
            territory_code text NOT NULL,
            category_code text NOT NULL,
            received_at {1} NOT NULL);
        CREATE INDEX bench_rows_territory ON bench_rows (territory_code, received_at);
        """;

    private const string Insert =
        "INSERT INTO bench_rows (code, title, description, territory_code, category_code, received_at) VALUES (@code, @title, @description, @territory, @category, @at)";

    public static async Task<LoadResult> PostgresAsync(string connectionString, int concurrency, int seconds)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE IF EXISTS bench_rows; " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Table, "bigint GENERATED ALWAYS AS IDENTITY", "timestamptz"), setup);
            await drop.ExecuteNonQueryAsync();
        }
        var commands = new NpgsqlCommand?[concurrency];
        var connections = new List<NpgsqlConnection>();
        try
        {
            // Open and prepare every worker's connection before the clock starts.
            for (var w = 0; w < concurrency; w++)
            {
                var conn = new NpgsqlConnection(connectionString);
                await conn.OpenAsync();
                connections.Add(conn);
                var cmd = new NpgsqlCommand(Insert, conn);
                cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text));
                cmd.Parameters.Add(new NpgsqlParameter("title", NpgsqlDbType.Text));
                cmd.Parameters.Add(new NpgsqlParameter("description", NpgsqlDbType.Text));
                cmd.Parameters.Add(new NpgsqlParameter("territory", NpgsqlDbType.Text));
                cmd.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Text));
                cmd.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz));
                await cmd.PrepareAsync();
                commands[w] = cmd;
            }
            long n = 0;
            return await LoadRun.RunAsync(concurrency, seconds, async (w, rng) =>
            {
                var cmd = commands[w]!;
                Fill(cmd.Parameters, rng, Interlocked.Increment(ref n));
                await cmd.ExecuteNonQueryAsync(); // autocommit: one transaction, one WAL flush (fsync on)
                return null;
            });
        }
        finally
        {
            foreach (var cmd in commands)
            {
                cmd?.Dispose();
            }
            foreach (var conn in connections)
            {
                await conn.DisposeAsync();
            }
        }
    }

    public static async Task<LoadResult> SqliteAsync(string file, int seconds)
    {
        await using var conn = new SqliteConnection($"Data Source={file};Pooling=False");
        await conn.OpenAsync();
        using (var setup = conn.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                + string.Format(System.Globalization.CultureInfo.InvariantCulture, Table, "INTEGER", "TEXT");
            setup.ExecuteNonQuery();
        }
        using var cmd = conn.CreateCommand();
        cmd.CommandText = Insert.Replace("@", "$", StringComparison.Ordinal);
        foreach (var name in new[] { "$code", "$title", "$description", "$territory", "$category", "$at" })
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        cmd.Prepare();
        long n = 0;
        // SQLite has one writer at a time: a single connection writing is its limit.
        return await LoadRun.RunAsync(1, seconds, (_, rng) =>
        {
            Fill(cmd.Parameters, rng, ++n);
            cmd.Parameters[5].Value = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            cmd.ExecuteNonQuery();
            return Task.FromResult<string?>(null);
        });
    }

    private static void Fill(System.Data.Common.DbParameterCollection p, Random rng, long n)
    {
        var (title, description) = Samples.Text(rng);
        p[0].Value = $"{DateTime.UtcNow:yyyyMMdd}-{n:D8}";
        p[1].Value = title;
        p[2].Value = description;
        p[3].Value = "620802" + rng.Next(1, 20).ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + rng.Next(1, 30).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        p[4].Value = "0201" + rng.Next(1, 20).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
        p[5].Value = DateTime.UtcNow;
    }
}
