using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace Concord.Server.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for tests. Uses the server named by the connection string in
/// <c>CONCORD_TEST_POSTGRES</c> if set; otherwise starts a private cluster from the machine's
/// binaries in a temp directory, on a free port, and removes it again at dispose or process exit.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ExternalServerVariable = "CONCORD_TEST_POSTGRES";
    public const string RequireVariable = "CONCORD_REQUIRE_POSTGRES";
    private const string InstallHint =
        "Install PostgreSQL with `apt-get install -y postgresql` (Debian/Ubuntu), or set "
        + ExternalServerVariable + " to the connection string of an existing server.";

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<Task<PostgresServer>> SharedServer =
        new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly NpgsqlConnectionStringBuilder _baseConnection;
    private readonly string? _rootDirectory;  // null for an external server
    private readonly string? _pgCtl;
    private readonly bool _asPostgresUser;
    private readonly List<string> _createdDatabases = [];
    private int _disposed;

    private PostgresServer(
        NpgsqlConnectionStringBuilder baseConnection, string? rootDirectory, string? pgCtl, bool asPostgresUser)
    {
        _baseConnection = baseConnection;
        _rootDirectory = rootDirectory;
        _pgCtl = pgCtl;
        _asPostgresUser = asPostgresUser;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>One server per test process, started on first use and stopped at process exit.</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    /// <summary>True when this instance started its own server (rather than using CONCORD_TEST_POSTGRES).</summary>
    public bool IsOwnServer => _rootDirectory is not null;

    public int Port => _baseConnection.Port;

    private static bool IsRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>
    /// The shared server; when none can be had, the calling test is skipped (xunit's Assert.Skip) with
    /// the reason, or fails if CONCORD_REQUIRE_POSTGRES=1.
    /// </summary>
    public static async Task<PostgresServer> RequireAsync()
    {
        try
        {
            return await Shared;
        }
        catch (PostgresUnavailableException ex) when (!IsRequired)
        {
            Assert.Skip(ex.Message);
            throw; // unreachable: Assert.Skip throws
        }
    }

    /// <summary>Starts a new server (or wraps the external one). Prefer <see cref="Shared"/>.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        return string.IsNullOrWhiteSpace(external)
            ? await StartOwnAsync()
            : await UseExternalAsync(external);
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_baseConnection.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Creates a uniquely named empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(ConnectionString(MaintenanceDatabase)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (_createdDatabases)
        {
            _createdDatabases.Add(name);
        }
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await ShutDownAsync();
    }

    private string MaintenanceDatabase =>
        IsOwnServer || string.IsNullOrEmpty(_baseConnection.Database) ? "postgres" : _baseConnection.Database;

    private static string UniqueDatabaseName(string? prefix)
    {
        var clean = new StringBuilder();
        foreach (var c in (prefix ?? "concord_test").ToLowerInvariant())
        {
            clean.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' ? c : '_');
        }
        if (clean.Length == 0 || char.IsDigit(clean[0]))
        {
            clean.Insert(0, "db_");
        }
        var head = clean.Length > 30 ? clean.ToString(0, 30) : clean.ToString();
        return $"{head}_{Guid.NewGuid():N}"; // at most 63 characters, PostgreSQL's identifier limit
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ShutDownAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private async ValueTask ShutDownAsync()
    {
        if (_rootDirectory is null)
        {
            await DropCreatedDatabasesAsync();
            return;
        }
        try
        {
            await RunAsync(_pgCtl!, ["-D", Path.Combine(_rootDirectory, "data"), "-m", "immediate", "stop"],
                _rootDirectory, _asPostgresUser);
        }
        catch (Exception)
        {
            // Best effort: the server may already be gone; the directory is removed below either way.
        }
        try
        {
            Directory.Delete(_rootDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // On a shared external server, leave nothing behind (best effort).
    private async Task DropCreatedDatabasesAsync()
    {
        string[] names;
        lock (_createdDatabases)
        {
            names = [.. _createdDatabases];
        }
        if (names.Length == 0)
        {
            return;
        }
        try
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(ConnectionString(MaintenanceDatabase));
            await connection.OpenAsync();
            foreach (var name in names)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (Exception)
        {
        }
    }

    private static async Task<PostgresServer> UseExternalAsync(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString) { IncludeErrorDetail = true };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            throw Unavailable($"cannot connect to the server in {ExternalServerVariable}: {ex.Message}", ex);
        }
        return new PostgresServer(builder, rootDirectory: null, pgCtl: null, asPostgresUser: false);
    }

    private static async Task<PostgresServer> StartOwnAsync()
    {
        var binDirectory = FindBinDirectory()
            ?? throw Unavailable("no PostgreSQL server binaries (initdb, pg_ctl, postgres) in "
                + "/usr/lib/postgresql/<version>/bin or on PATH");
        var initdb = Path.Combine(binDirectory, "initdb");
        var pgCtl = Path.Combine(binDirectory, "pg_ctl");

        // initdb and postgres refuse to run as root: run them as the postgres user the Debian package creates.
        var asPostgresUser = IsRoot();
        if (asPostgresUser)
        {
            if (!PostgresUserExists())
            {
                throw Unavailable("running as root, and initdb/postgres refuse to run as root, but there is no "
                    + "'postgres' user to run them as");
            }
            if (FindOnPath("runuser") is null)
            {
                throw Unavailable("running as root, but `runuser` (util-linux) is missing to run PostgreSQL as 'postgres'");
            }
        }

        // As root, /tmp regardless of TMPDIR: the postgres user must be able to reach the directory.
        var root = Path.Combine(asPostgresUser ? "/tmp" : Path.GetTempPath(), "concord-pg-" + Guid.NewGuid().ToString("N")[..12]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(root);
        }
        else
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var data = Path.Combine(root, "data");
        var log = Path.Combine(root, "postgres.log");
        var started = false;
        try
        {
            if (asPostgresUser)
            {
                await RunCheckedAsync("chown", ["-R", "postgres:", root], root, asPostgresUser: false, "chown of the temp directory");
            }

            // C.UTF-8: Chinese text search needs a UTF-8 ctype.
            await RunCheckedAsync(initdb,
                ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
                    "--no-sync"], // throwaway cluster: don't wait for its files to reach the disk
                root, asPostgresUser, "initdb");

            // The free port is released before postgres binds it; if another process takes it meanwhile,
            // try again with another one.
            var port = 0;
            for (var attempt = 1; ; attempt++)
            {
                port = FreePort();
                // fsync, synchronous_commit and full_page_writes are off only because this is a throwaway
                // test server: crash safety doesn't matter, speed does.
                var options = string.Join(' ',
                    $"-c port={port.ToString(CultureInfo.InvariantCulture)}",
                    "-c listen_addresses=127.0.0.1",
                    $"-c unix_socket_directories={root}",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=200");
                File.Delete(log);
                started = true; // from here on, stop it if anything fails
                var result = await RunAsync(pgCtl, ["-D", data, "-l", log, "-o", options, "-w", "-t", "45", "start"],
                    root, asPostgresUser);
                if (result.ExitCode == 0)
                {
                    break;
                }
                var logTail = Tail(log, 30);
                if (attempt < 3 && logTail.Contains("Address already in use", StringComparison.Ordinal))
                {
                    continue;
                }
                throw Unavailable($"pg_ctl start failed ({result.Describe()})\n--- tail of {log} ---\n{logTail}");
            }

            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
                IncludeErrorDetail = true,
            };
            return new PostgresServer(builder, root, pgCtl, asPostgresUser);
        }
        catch (Exception ex)
        {
            if (started)
            {
                try
                {
                    await RunAsync(pgCtl, ["-D", data, "-m", "immediate", "stop"], root, asPostgresUser);
                }
                catch (Exception)
                {
                }
            }
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception)
            {
            }
            if (ex is PostgresUnavailableException)
            {
                throw;
            }
            throw Unavailable($"starting the test server failed: {ex.Message}", ex);
        }
    }

    // /usr/lib/postgresql/<highest version>/bin, else the directory of initdb on PATH.
    private static string? FindBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var best = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: d, Ok: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v), Version: v))
                .Where(x => x.Ok && HasServerBinaries(Path.Combine(x.Dir, "bin")))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin"))
                .FirstOrDefault();
            if (best is not null)
            {
                return best;
            }
        }
        var onPath = FindOnPath("initdb");
        return onPath is null ? null : Path.GetDirectoryName(onPath) is { } dir && HasServerBinaries(dir) ? dir : null;
    }

    private static bool HasServerBinaries(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private static bool IsRoot()
    {
        if (Environment.UserName == "root")
        {
            return true;
        }
        try
        {
            return OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool PostgresUserExists() =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith("postgres:", StringComparison.Ordinal));

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string Tail(string file, int lines)
    {
        try
        {
            return string.Join('\n', File.ReadLines(file).TakeLast(lines));
        }
        catch (Exception ex)
        {
            return $"(cannot read: {ex.Message})";
        }
    }

    private static PostgresUnavailableException Unavailable(string reason, Exception? inner = null)
    {
        var message = $"PostgreSQL for tests is unavailable: {reason}\n{InstallHint}";
        if (IsRequired)
        {
            message += $"\n({RequireVariable}=1, so tests that need PostgreSQL fail instead of being skipped.)";
        }
        return new PostgresUnavailableException(message, inner);
    }

    private static async Task RunCheckedAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, bool asPostgresUser, string what)
    {
        var result = await RunAsync(fileName, arguments, workingDirectory, asPostgresUser);
        if (result.ExitCode != 0)
        {
            throw Unavailable($"{what} failed ({result.Describe()})");
        }
    }

    private sealed record ProcessResult(string CommandLine, int ExitCode, string Output)
    {
        public string Describe() => $"`{CommandLine}` exited with {ExitCode}:\n{Output.TrimEnd()}";
    }

    // Runs a program (as the postgres user through runuser if asked), with no stdin, capturing
    // stdout+stderr, and killing it after ProcessTimeout.
    private static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, bool asPostgresUser)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgresUser ? FindOnPath("runuser") ?? "runuser" : fileName,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asPostgresUser)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var commandLine = string.Join(' ', start.ArgumentList.Prepend(start.FileName));

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close(); // no interactive prompts
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            lock (output)
            {
                throw new TimeoutException(
                    $"`{commandLine}` did not finish within {ProcessTimeout.TotalSeconds:0} s:\n{output.ToString().TrimEnd()}");
            }
        }
        lock (output)
        {
            return new ProcessResult(commandLine, process.ExitCode, output.ToString());
        }
    }
}

/// <summary>No PostgreSQL server can be had for tests; the message says why and how to install one.</summary>
public sealed class PostgresUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
