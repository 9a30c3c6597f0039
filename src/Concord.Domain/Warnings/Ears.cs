namespace Concord.Domain.Warnings;

/// <summary>The aberration statistics of the CDC's Early Aberration Reporting System (EARS).</summary>
public enum EarsMethod
{
    /// <summary>C1-MILD: baseline the 7 periods just before the observed one.</summary>
    C1,
    /// <summary>C2-MEDIUM: baseline 7 periods ending 3 before the observed one (a 2-period guard band).</summary>
    C2,
    /// <summary>C3-ULTRA: the C2 excesses (above <see cref="EarsOptions.C3Offset"/>) of the last 3 periods, summed.</summary>
    C3,
}

/// <summary>
/// Thresholds and guards. Defaults as in EARS (Hutwagner et al. 2003; Fricker et al. 2008): C1 and C2
/// alarm when the statistic exceeds 3, C3 when it exceeds 2, with C3 summing max(0, C2 − 1).
/// </summary>
/// <param name="MinStandardDeviation">A floor for the baseline's standard deviation: a flat baseline (all zeros) would otherwise make any count infinitely surprising.</param>
/// <param name="MinObserved">The observed count must reach this before a signal is raised: one matter on a quiet grid is not a surge.</param>
public sealed record EarsOptions(
    double C1Threshold = 3,
    double C2Threshold = 3,
    double C3Threshold = 2,
    double C3Offset = 1,
    double MinStandardDeviation = 0.5,
    int MinObserved = 3)
{
    public static readonly EarsOptions Default = new();

    public double ThresholdOf(EarsMethod method) => method switch
    {
        EarsMethod.C1 => C1Threshold,
        EarsMethod.C2 => C2Threshold,
        _ => C3Threshold,
    };
}

/// <summary>
/// One statistic at one period, with what it was made of, so that a signal can explain itself.
/// <paramref name="BaselineFrom"/> and <paramref name="BaselineTo"/> are indexes into the series (both included).
/// </summary>
public sealed record EarsResult(
    EarsMethod Method,
    int Index,
    double Observed,
    double Mean,
    double StandardDeviation,
    double Statistic,
    double Threshold,
    int BaselineFrom,
    int BaselineTo,
    bool Alarm);

/// <summary>
/// C1, C2 and C3 over a series of counts per period (day or hour); pure arithmetic. The standard
/// deviation is the sample one (n − 1), as in EARS.
/// </summary>
public static class Ears
{
    public const int BaselineLength = 7;

    /// <summary>How many periods before the observed one a method needs: C1 7, C2 9, C3 11.</summary>
    public static int History(EarsMethod method) => method switch
    {
        EarsMethod.C1 => 7,
        EarsMethod.C2 => 9,
        _ => 11,
    };

    /// <summary>The statistic at <paramref name="t"/>, or null when the series is too short for it.</summary>
    public static EarsResult? Evaluate(EarsMethod method, IReadOnlyList<double> series, int t, EarsOptions? options = null)
    {
        options ??= EarsOptions.Default;
        ArgumentNullException.ThrowIfNull(series);
        if (t < History(method) || t >= series.Count)
        {
            return null;
        }

        if (method == EarsMethod.C3)
        {
            // C3 carries the C2 baseline of its own period for the explanation; its statistic is the sum of the three excesses.
            var sum = 0.0;
            EarsResult? today = null;
            for (var i = t - 2; i <= t; i++)
            {
                var c2 = Evaluate(EarsMethod.C2, series, i, options)!;
                sum += Math.Max(0, c2.Statistic - options.C3Offset);
                today = c2;
            }

            return today! with
            {
                Method = EarsMethod.C3,
                Statistic = sum,
                Threshold = options.C3Threshold,
                Alarm = sum > options.C3Threshold && series[t] >= options.MinObserved,
            };
        }

        var gap = method == EarsMethod.C1 ? 0 : 2;
        var to = t - 1 - gap;
        var from = to - BaselineLength + 1;
        var (mean, sd) = MeanAndDeviation(series, from, to);
        var statistic = (series[t] - mean) / Math.Max(sd, options.MinStandardDeviation);
        var threshold = options.ThresholdOf(method);
        return new EarsResult(method, t, series[t], mean, sd, statistic, threshold, from, to,
            statistic > threshold && series[t] >= options.MinObserved);
    }

    /// <summary>Mean and sample standard deviation of series[from..to] (both included).</summary>
    public static (double Mean, double StandardDeviation) MeanAndDeviation(IReadOnlyList<double> series, int from, int to)
    {
        var n = to - from + 1;
        var mean = 0.0;
        for (var i = from; i <= to; i++)
        {
            mean += series[i];
        }

        mean /= n;
        var squares = 0.0;
        for (var i = from; i <= to; i++)
        {
            squares += (series[i] - mean) * (series[i] - mean);
        }

        return (mean, n > 1 ? Math.Sqrt(squares / (n - 1)) : 0);
    }
}
