using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace Concord.Bench;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's binaries (the approach of the tests' PostgresServer),
/// but <b>durable</b>: fsync, synchronous_commit and full_page_writes keep their defaults (on).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string root;
    private readonly string pgCtl;
    private readonly bool asPostgres;

    private PostgresCluster(string root, string pgCtl, bool asPostgres, int port, string version)
    {
        this.root = root;
        this.pgCtl = pgCtl;
        this.asPostgres = asPostgres;
        Port = port;
        Version = version;
    }

    public int Port { get; }
    public string Version { get; }

    public string ConnectionString(string database, int maxPool = 100) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = maxPool,
    }.ConnectionString;

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")).FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin (apt-get install -y postgresql)");
        }
        var asPostgres = IsRoot();
        var root = Path.Combine(asPostgres ? "/tmp" : Path.GetTempPath(), "concord-bench-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:", root], false, check: true);
        }
        var data = Path.Combine(root, "data");
        await RunAsync(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"], asPostgres, check: true);
        var port = FreePort();
        // Durable: no fsync/synchronous_commit/full_page_writes overrides. Only where to listen and how many may connect.
        var options = string.Join(' ',
            $"-c port={port.ToString(CultureInfo.InvariantCulture)}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={root}",
            "-c max_connections=300",
            "-c shared_buffers=512MB");
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "postgres.log"), "-o", options, "-w", "-t", "60", "start"], asPostgres, check: true);
        var cluster = new PostgresCluster(root, Path.Combine(bin, "pg_ctl"), asPostgres, port, "");
        await using var conn = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT version(), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var version = $"{reader.GetString(0).Split(" on ")[0]} (fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, full_page_writes={reader.GetString(3)})";
        return new PostgresCluster(root, cluster.pgCtl, asPostgres, port, version);
    }

    public async Task CreateDatabaseAsync(string name)
    {
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(pgCtl, ["-D", Path.Combine(root, "data"), "-m", "fast", "-w", "stop"], asPostgres, check: false);
        }
        catch (Exception)
        {
        }
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private static bool IsRoot()
    {
        try
        {
            return OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.UserName == "root";
        }
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres, bool check)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = "/tmp",
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(timeout.Token);
        if (check && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
