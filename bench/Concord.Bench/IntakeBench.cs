using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Bench;

/// <summary>Scenario 1: HTTP intake against the real server, on SQLite and PostgreSQL, beside each database's own insert limit.</summary>
public static class IntakeBench
{
    public const double TargetMattersPerSecond = 2000;
    public const double TargetRatio = 0.5;
    public const double TargetP99Ms = 50;
    public const double TargetRssMb = 500;

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var serverDll = await ServerDll.LocateAsync(options);
        report.Json["serverDll"] = serverDll;
        var stores = new JsonObject();
        report.Json["stores"] = stores;
        PostgresCluster? cluster = null;
        try
        {
            foreach (var store in options.Stores)
            {
                Console.WriteLine($"== intake on {store}");
                var storeJson = new JsonObject();
                stores[store] = storeJson;
                var scratch = Directory.CreateTempSubdirectory("concord-bench-");
                try
                {
                    string provider, connectionString;
                    if (store == "postgres")
                    {
                        cluster ??= await PostgresCluster.StartAsync();
                        report.Machine["postgres"] = cluster.Version;
                        await cluster.CreateDatabaseAsync("concord_bench");
                        provider = "Postgres";
                        connectionString = cluster.ConnectionString("concord_bench", maxPool: 100);
                    }
                    else
                    {
                        provider = "Sqlite";
                        connectionString = $"Data Source={Path.Combine(scratch.FullName, "concord.db")}";
                        report.Machine["sqlite"] = await SqliteVersionAsync();
                    }
                    await RunStoreAsync(options, report, store, storeJson, serverDll, provider, connectionString, scratch.FullName);

                    Console.WriteLine($"== {store}: the database's own limit");
                    var limits = new JsonArray();
                    storeJson["limit"] = limits;
                    var limitResults = new List<LoadResult>();
                    if (store == "postgres")
                    {
                        await cluster!.CreateDatabaseAsync("scratch");
                        foreach (var c in options.Concurrency)
                        {
                            var r = await DbLimit.PostgresAsync(cluster.ConnectionString("scratch", maxPool: Math.Max(100, c + 4)), c, options.LimitSeconds);
                            limitResults.Add(r);
                            limits.Add(ToJson(r));
                            Console.WriteLine($"   limit c={c}: {r.PerSecond:0} rows/s, p99 {r.P99Ms:0.0} ms");
                        }
                    }
                    else
                    {
                        var r = await DbLimit.SqliteAsync(Path.Combine(scratch.FullName, "scratch.db"), options.LimitSeconds);
                        limitResults.Add(r);
                        limits.Add(ToJson(r));
                        Console.WriteLine($"   limit (one writer): {r.PerSecond:0} rows/s");
                    }
                    Summarize(report, store, storeJson, limitResults);
                }
                catch (Exception ex)
                {
                    storeJson["error"] = ex.Message;
                    report.Note($"**{store}: the run failed:** {ex.Message.Split('\n')[0]}");
                    Console.Error.WriteLine(ex);
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    try
                    {
                        scratch.Delete(recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
        TargetsTable(report);
    }

    private static async Task RunStoreAsync(BenchOptions options, Report report, string store, JsonObject storeJson,
        string serverDll, string provider, string connectionString, string workDir)
    {
        await using var server = await ServerProcess.StartAsync(serverDll, provider, connectionString, workDir);
        storeJson["serverStartupSeconds"] = Math.Round(server.StartupTime.TotalSeconds, 1);
        storeJson["idleRssMb"] = Round(server.RssMb());
        Console.WriteLine($"   server ready in {server.StartupTime.TotalSeconds:0.0} s (demo loaded), RSS {server.RssMb():0} MB");

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);

        var samples = new Samples(await CategoriesAsync(http));
        storeJson["templates"] = Samples.TemplateCount;
        storeJson["templatesWithMatchingCategory"] = samples.MatchedTemplates;

        var matchCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        async Task<string?> Intake(int worker, Random rng)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/matters")
            {
                Content = new StringContent(samples.Body(rng), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return $"HTTP {(int)response.StatusCode}";
            }
            return null;
        }

        if (options.WarmupSeconds > 0)
        {
            var warm = await LoadRun.RunAsync(8, options.WarmupSeconds, Intake);
            Console.WriteLine($"   warm-up: {warm.Ok} matters, {warm.Errors} errors {Describe(warm.ErrorKinds)}");
            if (warm.Ok == 0)
            {
                throw new InvalidOperationException($"no intake succeeded in the warm-up ({Describe(warm.ErrorKinds)}); server output:\n{server.Tail()}");
            }
        }

        var levels = new JsonArray();
        storeJson["intake"] = levels;
        var results = new List<LoadResult>();
        foreach (var c in options.Concurrency)
        {
            var r = await LoadRun.RunAsync(c, options.Seconds, Intake, server);
            results.Add(r);
            levels.Add(ToJson(r));
            Console.WriteLine($"   c={c}: {r.PerSecond:0} matters/s, p50 {r.P50Ms:0.0} p99 {r.P99Ms:0.0} p99.9 {r.P999Ms:0.0} ms, {r.Errors} errors, RSS max {r.MaxRssMb:0} MB, server CPU {r.ServerCpuCores:0.00} cores, bench CPU {r.ClientCpuCores:0.00} cores");
        }

        // p99 at half load: paced (open loop) at half the rate reached at the highest concurrency.
        var top = results.Last();
        var halfRate = top.PerSecond / 2;
        if (halfRate >= 1)
        {
            var paced = await LoadRun.RunAsync(Math.Max(32, top.Concurrency), options.Seconds, Intake, server, rate: halfRate);
            storeJson["halfLoad"] = ToJson(paced, halfRate);
            Console.WriteLine($"   paced at {halfRate:0}/s: p50 {paced.P50Ms:0.0} p99 {paced.P99Ms:0.0} p99.9 {paced.P999Ms:0.0} ms, {paced.Errors} errors");
        }
        storeJson["maxRssMb"] = Round(results.Select(r => r.MaxRssMb ?? 0).Append(server.RssMb() ?? 0).Max());
        storeJson["mattersWritten"] = results.Sum(r => r.Ok);
    }

    private static void Summarize(Report report, string store, JsonObject storeJson, List<LoadResult> limits)
    {
        var levels = storeJson["intake"]!.AsArray();
        var rows = new List<string[]>();
        foreach (var level in levels)
        {
            var c = (int)level!["concurrency"]!;
            var perSecond = (double)level["perSecond"]!;
            var limit = limits.Count == 1 ? limits[0] : limits.FirstOrDefault(l => l.Concurrency == c);
            var ratio = limit is null || limit.PerSecond == 0 ? double.NaN : perSecond / limit.PerSecond;
            level["limitPerSecond"] = limit is null ? null : Math.Round(limit.PerSecond, 1);
            level["ratioToLimit"] = double.IsNaN(ratio) ? null : Math.Round(ratio, 4);
            rows.Add([
                c.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Report.F0(perSecond),
                Report.F1((double)level["p50Ms"]!), Report.F1((double)level["p99Ms"]!), Report.F1((double)level["p999Ms"]!),
                level["errors"]!.ToString(),
                level["maxRssMb"] is { } rss ? Report.F0((double)rss) : "–",
                level["serverCpuCores"] is { } cpu ? Report.F2((double)cpu) : "–",
                level["serverCpuMsPerMatter"] is { } ms ? Report.F2((double)ms) : "–",
                Report.F2((double)level["benchCpuCores"]!),
                limit is null ? "–" : Report.F0(limit.PerSecond),
                double.IsNaN(ratio) ? "–" : Report.Pct(ratio),
            ]);
        }
        if (storeJson["halfLoad"] is JsonObject half)
        {
            rows.Add([
                $"paced {Report.F0((double)half["targetRate"]!)}/s",
                Report.F0((double)half["perSecond"]!),
                Report.F1((double)half["p50Ms"]!), Report.F1((double)half["p99Ms"]!), Report.F1((double)half["p999Ms"]!),
                half["errors"]!.ToString(),
                half["maxRssMb"] is { } rss ? Report.F0((double)rss) : "–",
                half["serverCpuCores"] is { } cpu ? Report.F2((double)cpu) : "–",
                half["serverCpuMsPerMatter"] is { } ms ? Report.F2((double)ms) : "–",
                Report.F2((double)half["benchCpuCores"]!),
                "", "",
            ]);
        }
        var limitNote = store == "postgres"
            ? "one ~1 KB INSERT per transaction via Npgsql, same concurrency"
            : "one ~1 KB INSERT per transaction, WAL + synchronous=FULL, one writer";
        report.Table($"Intake on {(store == "postgres" ? "PostgreSQL" : "SQLite")} (limit: {limitNote})",
            ["concurrency", "matters/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "server RSS max MB", "server CPU (cores)", "server CPU ms/matter", "bench client CPU (cores)", "DB limit rows/s", "intake / limit"],
            rows);
        var errorsAll = levels.Select(l => l!["errorKinds"]!.AsObject()).SelectMany(o => o.Select(kv => $"{kv.Key}×{kv.Value}")).ToList();
        if (errorsAll.Count > 0)
        {
            report.Note($"Errors on {store}: {string.Join(", ", errorsAll)}.");
        }
        report.Note($"{store}: server start-up with the demo load {storeJson["serverStartupSeconds"]} s, idle RSS {storeJson["idleRssMb"]} MB, "
            + $"{storeJson["mattersWritten"]} matters written in the measured levels.");
    }

    private static void TargetsTable(Report report)
    {
        var stores = report.Json["stores"]!.AsObject();
        var rows = new List<string[]>();
        if (stores["postgres"] is JsonObject pg && pg["intake"] is JsonArray pgLevels)
        {
            var c32 = pgLevels.LastOrDefault(l => (int)l!["concurrency"]! == 32) ?? pgLevels.Last();
            var rate = (double)c32!["perSecond"]!;
            rows.Add(["intake at concurrency 32, PostgreSQL", "≥ 2,000 matters/s", Report.F0(rate) + " matters/s", Verdict(rate >= TargetMattersPerSecond)]);
            if (c32["ratioToLimit"] is { } ratio)
            {
                rows.Add(["intake / database's own insert rate, c=32", "≥ 50 %", Report.Pct((double)ratio), Verdict((double)ratio >= TargetRatio)]);
            }
            if (pg["halfLoad"] is JsonObject half)
            {
                var p99 = (double)half["p99Ms"]!;
                rows.Add([$"p99 at half load (paced {Report.F0((double)half["targetRate"]!)}/s; the target's half load is 1,000/s)", "≤ 50 ms", Report.F1(p99) + " ms", Verdict(p99 <= TargetP99Ms)]);
            }
        }
        foreach (var (name, node) in stores)
        {
            if (node?["maxRssMb"] is { } rss)
            {
                rows.Add([$"server RSS during intake, {name}", "≤ 500 MB", Report.F0((double)rss) + " MB", Verdict((double)rss <= TargetRssMb)]);
            }
        }
        report.Table("Intake against the targets of issue 8", ["figure", "target", "measured", "met?"], rows);
    }

    private static string Verdict(bool met) => met ? "yes" : "**no**";

    private static JsonObject ToJson(LoadResult r, double? targetRate = null)
    {
        var json = new JsonObject
        {
            ["concurrency"] = r.Concurrency,
            ["seconds"] = Math.Round(r.Seconds, 2),
            ["ok"] = r.Ok,
            ["errors"] = r.Errors,
            ["perSecond"] = Math.Round(r.PerSecond, 1),
            ["p50Ms"] = Math.Round(r.P50Ms, 2),
            ["p99Ms"] = Math.Round(r.P99Ms, 2),
            ["p999Ms"] = Math.Round(r.P999Ms, 2),
            ["meanMs"] = Math.Round(r.MeanMs, 2),
            ["maxRssMb"] = Round(r.MaxRssMb),
            ["serverCpuCores"] = r.ServerCpuCores is { } cpu ? Math.Round(cpu, 2) : null,
            ["benchCpuCores"] = Math.Round(r.ClientCpuCores, 2),
            ["serverCpuMsPerMatter"] = r.ServerCpuCores is { } c2 && r.Ok > 0 ? Math.Round(c2 * r.Seconds * 1000 / r.Ok, 2) : null,
            ["errorKinds"] = new JsonObject(r.ErrorKinds.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        if (targetRate is { } rate)
        {
            json["targetRate"] = Math.Round(rate, 1);
        }
        return json;
    }

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 1) : null;

    private static string Describe(IReadOnlyDictionary<string, long> kinds) =>
        kinds.Count == 0 ? "" : "(" + string.Join(", ", kinds.Select(kv => $"{kv.Key}×{kv.Value}")) + ")";

    private static async Task<List<(string Code, string Name, string Keywords, bool Leaf)>> CategoriesAsync(HttpClient http)
    {
        using var response = await http.GetAsync("api/v1/categories");
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var items = json is JsonArray array ? array : json["items"]!.AsArray();
        var list = items.Select(i => (
            Code: (string)i!["code"]!,
            Name: (string?)i["name"] ?? "",
            Keywords: i["keywords"] is JsonArray k ? string.Join(' ', k.Select(x => (string?)x)) : i["keywords"]?.ToString() ?? "",
            Parent: (string?)i["parentCode"])).ToList();
        var parents = list.Where(c => c.Parent is not null).Select(c => c.Parent!).ToHashSet(StringComparer.Ordinal);
        return list.Select(c => (c.Code, c.Name, c.Keywords, Leaf: !parents.Contains(c.Code))).ToList();
    }

    private static async Task<string> SqliteVersionAsync()
    {
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select sqlite_version()";
        return "SQLite " + (string)(await cmd.ExecuteScalarAsync())!;
    }
}

/// <summary>Finds (and by default first builds, in Release) src/Concord.Server.</summary>
public static class ServerDll
{
    public static async Task<string> LocateAsync(BenchOptions options)
    {
        if (options.ServerDll is { } given)
        {
            return Path.GetFullPath(given);
        }
        var source = options.Repo;
        if (options.ServerFromHead)
        {
            // The committed server, not the working tree (others may be editing it): `git archive HEAD` into a temp folder.
            source = Path.Combine(Path.GetTempPath(), "concord-bench-head");
            if (Directory.Exists(source))
            {
                Directory.Delete(source, recursive: true);
            }
            Directory.CreateDirectory(source);
            await RunAsync("bash", ["-c", "git -C \"$0\" archive HEAD | tar -x -C \"$1\"", options.Repo, source], "git archive HEAD");
        }
        var project = Path.Combine(source, "src", "Concord.Server");
        if (options.Build || options.ServerFromHead)
        {
            Console.WriteLine($"building {project} in Release …");
            await RunAsync("dotnet", ["build", "-c", "Release", project, "-v", "q", "-nologo"], "dotnet build -c Release src/Concord.Server");
        }
        var dll = Path.Combine(project, "bin", "Release", "net10.0", "Concord.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found; build src/Concord.Server in Release", dll);
    }

    private static async Task RunAsync(string file, string[] args, string what)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed:\n{await output}{await error}");
        }
    }
}
