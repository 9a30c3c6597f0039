using System.Diagnostics;

namespace Concord.Bench;

/// <summary>The figures of one closed-loop run: N workers, each doing one operation after the other for a fixed time.</summary>
public sealed record LoadResult(int Concurrency, double Seconds, long Ok, long Errors, double P50Ms, double P99Ms, double P999Ms, double MeanMs,
    double? MaxRssMb, double? ServerCpuCores, IReadOnlyDictionary<string, long> ErrorKinds, double ClientCpuCores)
{
    public double PerSecond => Ok / Seconds;
}

public static class LoadRun
{
    /// <summary>
    /// Runs <paramref name="operation"/> from <paramref name="concurrency"/> workers for <paramref name="seconds"/>.
    /// The operation returns null on success or an error kind. Samples the server's RSS each second when given.
    /// </summary>
    public static async Task<LoadResult> RunAsync(int concurrency, double seconds, Func<int, Random, Task<string?>> operation, ServerProcess? server = null, double rate = 0)
    {
        var latencies = new List<long>[concurrency];
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        long ok = 0, failed = 0, ticket = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        double? maxRss = server?.RssMb();
        var cpuBefore = server?.CpuTime() ?? TimeSpan.Zero;
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using var samplerStop = new CancellationTokenSource();
        var sampler = server is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!samplerStop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(1000, samplerStop.Token);
                }
                catch (OperationCanceledException)
                {
                }
                if (server.RssMb() is { } rss && (maxRss is null || rss > maxRss))
                {
                    maxRss = rss;
                }
            }
        });

        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(4096);
            var rng = new Random(unchecked(w * 7919 + Environment.TickCount));
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (rate > 0)
                {
                    // Paced (open loop): the k-th request is due at started + k/rate; latency counts from when it was due,
                    // so a server that falls behind shows it in the percentiles.
                    var k = Interlocked.Increment(ref ticket) - 1;
                    var due = started + (long)(k / rate * Stopwatch.Frequency);
                    if (due >= stopAt)
                    {
                        break;
                    }
                    var wait = due - t0;
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                    }
                    t0 = due;
                }
                string? error;
                try
                {
                    error = await operation(w, rng);
                }
                catch (Exception ex)
                {
                    error = ex.GetType().Name;
                }
                var elapsed = Stopwatch.GetTimestamp() - t0;
                if (error is null)
                {
                    mine.Add(elapsed);
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    lock (errors)
                    {
                        errors[error] = errors.GetValueOrDefault(error) + 1;
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        samplerStop.Cancel();
        await sampler;
        if (server?.RssMb() is { } last && (maxRss is null || last > maxRss))
        {
            maxRss = last;
        }
        var client = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds / wall;
        double? cpu = server is null ? null : (server.CpuTime() - cpuBefore).TotalSeconds / wall;

        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Quantile(double q) => all.Length == 0 ? double.NaN : Ms(all[Math.Min(all.Length - 1, Math.Max(0, (int)Math.Ceiling(q * all.Length) - 1))]);
        var mean = all.Length == 0 ? double.NaN : Ms((long)all.Average());
        return new LoadResult(concurrency, wall, ok, failed, Quantile(0.50), Quantile(0.99), Quantile(0.999), mean, maxRss, cpu, errors, client);
    }
}
