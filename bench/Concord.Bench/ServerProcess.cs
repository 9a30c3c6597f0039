using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Concord.Bench;

/// <summary>The real server (<c>dotnet Concord.Server.dll</c>) as a child process on a free port.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerProcess(Process process, Uri baseAddress, string token)
    {
        this.process = process;
        BaseAddress = baseAddress;
        Token = token;
    }

    public Uri BaseAddress { get; }
    public string Token { get; }
    public int Pid => process.Id;
    public TimeSpan StartupTime { get; private set; }

    /// <param name="readyWithin">How long to wait for /health (3 minutes by default; seeding the demo on a busy machine takes longer).</param>
    public static async Task<ServerProcess> StartAsync(string serverDll, string provider, string connectionString, string workDir, TimeSpan? readyWithin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var token = "cct_bench-token-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = workDir,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        Configure(start, provider, connectionString, token, environment);

        var started = Stopwatch.StartNew();
        var p = Process.Start(start)!;
        var server = new ServerProcess(p, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), token);
        p.StandardInput.Close();
        p.OutputDataReceived += (_, e) => server.Capture(e.Data);
        p.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var wait = readyWithin ?? TimeSpan.FromMinutes(3);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (p.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {p.ExitCode} before it was ready:\n{server.Tail()}");
            }
            try
            {
                using var response = await http.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"the server did not answer /health within {wait.TotalMinutes:0} minutes:\n{server.Tail()}");
            }
            await Task.Delay(200);
        }
        server.StartupTime = started.Elapsed;
        return server;
    }

    private static void Configure(ProcessStartInfo start, string provider, string connectionString, string token, IReadOnlyDictionary<string, string>? environment)
    {
        var env = start.Environment;
        env["Concord__Database__Provider"] = provider;
        env["ConnectionStrings__Concord"] = connectionString;
        env["Concord__Demo"] = "true";
        env["Concord__Demo__Token"] = token;
        env["Concord__PersonalData__Keys__bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        env["Concord__PersonalData__CurrentKey"] = "bench";
        env["Concord__PersonalData__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        env["Concord__Handling__SweepSeconds"] = "0";
        env["Logging__LogLevel__Default"] = "Warning";
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
    }

    /// <summary>The personal-data keys, fixed: a store opened again by another server process must read what the first one wrote.</summary>
    public static Dictionary<string, string> StableKeys() => new()
    {
        ["Concord__PersonalData__Keys__bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Concord__PersonalData__CurrentKey"] = "bench",
        ["Concord__PersonalData__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    /// <summary>Runs a command of the server (<c>dotnet Concord.Server.dll sweep once</c>) on the store, configured as the server is; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string serverDll, string provider, string connectionString, string workDir,
        IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = workDir,
        };
        start.ArgumentList.Add(serverDll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        Configure(start, provider, connectionString, "cct_bench-token-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), environment);
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    /// <summary>The server's resident set (VmRSS) in MB, or null when it cannot be read.</summary>
    public double? RssMb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>CPU time (user+system) the server used so far, from /proc/&lt;pid&gt;/stat.</summary>
    public TimeSpan CpuTime()
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    public string Tail()
    {
        lock (output)
        {
            var text = output.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            if (output.Length < 200_000)
            {
                output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                process.Kill(); // this process only, by its id
            }
            catch (InvalidOperationException)
            {
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
