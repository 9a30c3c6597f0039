using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Bench;

/// <summary>A scenario's figures: markdown tables (printed) and a JSON document (printed and written to docs/benchmarks/).</summary>
public sealed class Report
{
    private readonly StringBuilder markdown = new();

    public Report(string scenario, JsonObject options)
    {
        Scenario = scenario;
        Json = new JsonObject
        {
            ["scenario"] = scenario,
            ["startedAt"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["options"] = options,
            ["loadAverageAtStart"] = LoadAverage(),
        };
    }

    public string Scenario { get; }
    public JsonObject Json { get; }
    public JsonObject Machine { get; } = new();

    public void Table(string title, string[] header, IEnumerable<string[]> rows)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"### {title}").AppendLine();
        table.AppendLine("| " + string.Join(" | ", header) + " |");
        table.AppendLine("|" + string.Join("|", header.Select(_ => "---")) + "|");
        foreach (var row in rows)
        {
            table.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        markdown.Append(table).AppendLine();
        Console.WriteLine();
        Console.Write(table);
    }

    public void Note(string text)
    {
        markdown.AppendLine(text).AppendLine();
        Console.WriteLine(text);
    }

    /// <summary>/proc/loadavg's 1-, 5- and 15-minute figures: how busy the shared machine was.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public async Task WriteAsync(BenchOptions options)
    {
        Json["loadAverageAtEnd"] = LoadAverage();
        Json["machine"] = await MachineFacts.CollectAsync(options.Repo, Machine);
        Json["markdown"] = markdown.ToString();
        Directory.CreateDirectory(options.Out);
        var path = Path.Combine(options.Out, $"{Scenario}-{DateTime.UtcNow:yyyy-MM-dd}.json");
        var text = Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await File.WriteAllTextAsync(path, text + "\n");
        Console.WriteLine();
        Console.WriteLine($"## {Scenario} (markdown)");
        Console.WriteLine();
        Console.WriteLine(markdown.ToString());
        Console.WriteLine($"## {Scenario} (JSON, written to {path})");
        Console.WriteLine(text);
    }

    public static string F0(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
    public static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    public static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    public static string Pct(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}

public static class MachineFacts
{
    public static async Task<JsonObject> CollectAsync(string repo, JsonObject extra)
    {
        var facts = new JsonObject
        {
            ["nproc"] = Environment.ProcessorCount,
            ["cpu"] = CpuModel(),
            ["memoryMB"] = MemTotalMb(),
            ["os"] = OsName(),
            ["kernel"] = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["commit"] = (await RunAsync("git", ["-C", repo, "rev-parse", "--short", "HEAD"]))?.Trim(),
            ["treeDirty"] = (await RunAsync("git", ["-C", repo, "status", "--porcelain", "--untracked-files=no"]))?.Trim().Length > 0,
        };
        foreach (var (key, value) in extra)
        {
            facts[key] = value?.DeepClone();
        }
        return facts;
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static long MemTotalMb()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            return line?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    public static async Task<string?> RunAsync(string file, string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }
            using var p = Process.Start(start)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
