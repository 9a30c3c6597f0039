using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Concord.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Concord.Bench -- &lt;intake|locate|all&gt; [options]</c>.
/// Measures and reports; never asserts. Writes a markdown table and a JSON file per scenario to docs/benchmarks/.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        // Early warning (预警): a pure evaluation, no server or store.
        if (args.Length > 0 && args[0] == "warnings-eval")
        {
            return WarningsEval.Run(args[1..]);
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        var scenarios = options.Scenario == "all" ? new[] { "intake", "locate", "queries" } : new[] { options.Scenario };
        foreach (var scenario in scenarios)
        {
            var started = DateTime.UtcNow;
            var report = new Report(scenario, options.Describe(scenario));
            // HEAD may move during a long run on a shared checkout: the commit measured is the one at the start.
            report.Machine["commitAtStart"] = (await MachineFacts.RunAsync("git", ["-C", options.Repo, "rev-parse", "--short", "HEAD"]))?.Trim();
            switch (scenario)
            {
                case "intake":
                    await IntakeBench.RunAsync(options, report);
                    break;
                case "locate":
                    LocateBench.Run(options, report);
                    break;
                case "search":
                    await SearchBench.RunAsync(options, report);
                    break;
                case "queries":
                    await QueriesBench.RunAsync(options, report);
                    break;
            }
            report.Json["durationSeconds"] = Math.Round((DateTime.UtcNow - started).TotalSeconds, 1);
            await report.WriteAsync(options);
        }
        return 0;
    }
}

public sealed class BenchOptions
{
    public const string Usage =
        "usage: Concord.Bench <intake|locate|search|queries|all> [--seconds N] [--limit-seconds N] [--warmup N] [--concurrency 1,8,32]\n"
        + "       [--stores sqlite,postgres] [--points N] [--national-max N] [--no-national] [--divisions PATH] [--server-dll PATH]\n"
        + "       [--no-build] [--server-from-head] [--out DIR] [--repo DIR]\n"
        + "       search: [--matters N] [--repeats N] [--stores sqlite,postgres]\n"
        + "       queries: [--matters N (1,000,000)] [--repeats N (100)] [--due N (1,000)] [--keep-indexes] [--stores sqlite,postgres]";

    public string Scenario { get; private set; } = "";
    public int Seconds { get; private set; } = 30;
    public int? LimitSecondsOption { get; private set; }
    public int LimitSeconds => LimitSecondsOption ?? Math.Min(Seconds, 10);
    public int WarmupSeconds { get; private set; } = 5;
    public int[] Concurrency { get; private set; } = [1, 8, 32];
    public string[] Stores { get; private set; } = ["sqlite", "postgres"];
    public int Points { get; private set; } = 1_000_000;
    /// <summary>search: how many synthetic matters to load, and how often each query runs per store and filter.</summary>
    public int Matters { get; private set; } = 1_000_000;
    public int Repeats { get; private set; } = 20;
    /// <summary>search: how many matches are ranked (the server's Concord:Search:RankedAmong).</summary>
    public int RankedAmong { get; private set; } = Concord.Server.Features.Search.SearchSettings.DefaultRankedAmong;
    /// <summary>search: print each statement's plan (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE) once per query before timing.</summary>
    public bool Explain { get; private set; }
    public bool RepeatsGiven { get; private set; }
    /// <summary>queries: how many overdue matters the timed sweep pass finds due, whatever the table size; and whether the load keeps the matters' indexes.</summary>
    public int Due { get; private set; } = 1000;
    public bool KeepIndexes { get; private set; }
    public int NationalMax { get; private set; } = int.MaxValue;
    public bool National { get; private set; } = true;
    /// <summary>locate: the national divisions file (default: shared/data/china-divisions.csv.gz beside the repository or a parent).</summary>
    public string? Divisions { get; private set; }
    public string? ServerDll { get; private set; }
    public bool Build { get; private set; } = true;
    public bool ServerFromHead { get; private set; }
    public string Repo { get; private set; } = FindRepo();
    public string? OutOption { get; private set; }
    public string Out => OutOption ?? Path.Combine(Repo, "docs", "benchmarks");
    public string[] RawArgs { get; private set; } = [];

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions { RawArgs = args };
        if (args.Length == 0 || args[0] is not ("intake" or "locate" or "search" or "queries" or "all"))
        {
            throw new ArgumentException("name a scenario: intake, locate, search, queries or all");
        }
        o.Scenario = args[0];
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--seconds": o.Seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--limit-seconds": o.LimitSecondsOption = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": o.WarmupSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--concurrency": o.Concurrency = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--stores": o.Stores = Next().Split(',').Select(s => s.Trim().ToLowerInvariant()).ToArray(); break;
                case "--points": o.Points = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--matters": o.Matters = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--ranked-among": o.RankedAmong = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--explain": o.Explain = true; break;
                case "--repeats": o.Repeats = int.Parse(Next(), CultureInfo.InvariantCulture); o.RepeatsGiven = true; break;
                case "--due": o.Due = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--keep-indexes": o.KeepIndexes = true; break;
                case "--national-max": o.NationalMax = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-national": o.National = false; break;
                case "--divisions": o.Divisions = Next(); break;
                case "--server-dll": o.ServerDll = Next(); break;
                case "--no-build": o.Build = false; break;
                case "--server-from-head": o.ServerFromHead = true; break;
                case "--out": o.OutOption = Next(); break;
                case "--repo": o.Repo = Next(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Stores.Any(s => s is not ("sqlite" or "postgres")))
        {
            throw new ArgumentException("--stores takes sqlite and/or postgres");
        }
        return o;
    }

    public JsonObject Describe(string scenario)
    {
        var json = new JsonObject { ["args"] = string.Join(' ', RawArgs) };
        if (scenario == "intake")
        {
            json["secondsPerLevel"] = Seconds;
            json["limitSecondsPerLevel"] = LimitSeconds;
            json["warmupSeconds"] = WarmupSeconds;
            json["concurrency"] = new JsonArray(Concurrency.Select(c => (JsonNode)c).ToArray());
            json["stores"] = new JsonArray(Stores.Select(s => (JsonNode)s).ToArray());
        }
        else if (scenario == "queries")
        {
            json["matters"] = Matters;
            json["repeats"] = RepeatsGiven ? Repeats : 100;
            json["due"] = Due;
            json["dropAndRebuildIndexes"] = !KeepIndexes;
            json["stores"] = new JsonArray(Stores.Select(s => (JsonNode)s).ToArray());
        }
        else if (scenario == "search")
        {
            json["matters"] = Matters;
            json["repeats"] = Repeats;
            json["rankedAmong"] = RankedAmong;
            json["stores"] = new JsonArray(Stores.Select(s => (JsonNode)s).ToArray());
        }
        else
        {
            json["points"] = Points;
            json["national"] = National;
            if (NationalMax != int.MaxValue)
            {
                json["nationalMaxCommunities"] = NationalMax;
            }
        }
        return json;
    }

    private static string FindRepo()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Concord.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        return Environment.CurrentDirectory;
    }
}
