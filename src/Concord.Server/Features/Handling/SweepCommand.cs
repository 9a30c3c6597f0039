using System.Diagnostics;
using System.Globalization;

namespace Concord.Server.Features.Handling;

/// <summary>
/// <c>dotnet run --project src/Concord.Server -- sweep once</c>: one pass of the deadline sweep, now,
/// printing what it did and how long it took (operators after downtime; the benchmark's timing of a pass).
/// </summary>
public static class SweepCommand
{
    public const int Usage = 64; // EX_USAGE

    public static Task<int?> TryRunAsync(string[] args, IServiceProvider services) =>
        TryRunAsync(args, services, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int?> TryRunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || !string.Equals(args[0], "sweep", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // "sweep once --passes N": N passes in one process, one line each; the later passes run warm (the benchmark
        // reads them as the cost of a pass with its queries compiled).
        var passes = 1;
        var valid = args.Length >= 2 && string.Equals(args[1], "once", StringComparison.OrdinalIgnoreCase)
            && (args.Length == 2 || (args.Length == 4 && args[2] == "--passes"
                && int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out passes) && passes is >= 1 and <= 100));
        if (!valid)
        {
            await error.WriteLineAsync("usage: sweep once [--passes N]   run one pass (or N, 1-100) of the deadline sweep now");
            return Usage;
        }

        for (var pass = 0; pass < passes; pass++)
        {
            await using var scope = services.CreateAsyncScope();
            var sweep = scope.ServiceProvider.GetRequiredService<DeadlineSweep>();
            var started = Stopwatch.GetTimestamp();
            var result = await sweep.RunAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Deadline sweep: {result.Matters} matters looked at, {result.Letters} letters issued in {elapsed.TotalMilliseconds:0.0} ms."));
        }

        return 0;
    }
}
