namespace Concord.Domain.Warnings;

/// <summary>A surge injected into a synthetic series: <paramref name="Extra"/> more counts a day from <paramref name="Start"/> for <paramref name="Days"/> days.</summary>
public sealed record Surge(int Start, int Days, double SizeInDeviations, int Extra)
{
    public int End => Start + Days; // exclusive
}

/// <summary>A daily series of counts with its known surge (or none).</summary>
public sealed record SyntheticSeries(double Baseline, IReadOnlyList<double> Counts, Surge? Surge);

/// <summary>
/// Synthetic daily matter counts for measuring the detectors: Poisson counts around a baseline
/// level with a day-of-week effect (busier Mondays, quieter weekends), and a surge of a chosen size
/// (in standard deviations of the baseline, √λ) and duration added at a random day. Deterministic for a seed.
/// </summary>
public static class SyntheticSeriesGenerator
{
    /// <summary>Monday … Sunday: offices and hotlines take more on Mondays and less at weekends.</summary>
    public static readonly double[] DayOfWeekFactor = [1.25, 1.1, 1.0, 1.0, 1.05, 0.8, 0.8];

    public static SyntheticSeries Generate(Random random, double baseline, int days, double surgeSize, int surgeDays)
    {
        ArgumentNullException.ThrowIfNull(random);
        var counts = new double[days];
        for (var d = 0; d < days; d++)
        {
            counts[d] = Poisson(random, baseline * DayOfWeekFactor[d % 7]);
        }

        Surge? surge = null;
        if (surgeSize > 0 && surgeDays > 0)
        {
            // Far enough in for a full C3 history and a quiet stretch before it, and wholly inside the series.
            var start = random.Next(30, days - surgeDays - 3);
            var extra = (int)Math.Round(surgeSize * Math.Sqrt(baseline));
            surge = new Surge(start, surgeDays, surgeSize, Math.Max(1, extra));
            for (var d = start; d < start + surgeDays; d++)
            {
                counts[d] += surge.Extra;
            }
        }

        return new SyntheticSeries(baseline, counts, surge);
    }

    /// <summary>Knuth's method, by products of uniforms; exact and fast enough for the levels measured (λ ≤ 60).</summary>
    public static int Poisson(Random random, double lambda)
    {
        ArgumentNullException.ThrowIfNull(random);
        var limit = Math.Exp(-lambda);
        var product = random.NextDouble();
        var k = 0;
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }
}
