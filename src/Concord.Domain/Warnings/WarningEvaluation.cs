namespace Concord.Domain.Warnings;

/// <summary>What to measure: baseline levels, surge sizes (in √λ) and durations, how many series of how many days each.</summary>
public sealed record EvaluationPlan(
    IReadOnlyList<double> Baselines,
    IReadOnlyList<double> SurgeSizes,
    IReadOnlyList<int> SurgeDays,
    int SeriesPerCell,
    int Days,
    int Seed)
{
    public static readonly EvaluationPlan Standard = new([2, 5, 20], [1, 2, 3, 4], [1, 3, 5], 100, 120, 20261126);
}

/// <summary>One line of results: a method against surges of one size (all baselines and durations pooled).</summary>
public sealed record DetectionFigure(EarsMethod Method, double SurgeSize, int Surges, int Detected, double? MeanDelayDays)
{
    public double DetectionRate => Surges == 0 ? 0 : (double)Detected / Surges;
}

/// <summary>False alarms of a method on a baseline level: alarms on days without a surge, per 1,000 series-days.</summary>
public sealed record FalseAlarmFigure(EarsMethod Method, double Baseline, int Alarms, int Days)
{
    public double PerThousandDays => Days == 0 ? 0 : Alarms * 1000.0 / Days;
}

public sealed record EvaluationResult(IReadOnlyList<DetectionFigure> Detection, IReadOnlyList<FalseAlarmFigure> FalseAlarms)
{
    public double FalseAlarmsPerThousand(EarsMethod method)
    {
        var rows = FalseAlarms.Where(f => f.Method == method).ToList();
        var days = rows.Sum(r => r.Days);
        return days == 0 ? 0 : rows.Sum(r => r.Alarms) * 1000.0 / days;
    }

    public DetectionFigure DetectionOf(EarsMethod method, double size) => Detection.Single(d => d.Method == method && d.SurgeSize == size);
}

/// <summary>
/// Runs C1, C2 and C3 over synthetic series with known surges. A surge is detected when the method
/// alarms on one of its days; the delay counts days from its first day (0: detected on the first day).
/// False alarms are alarms on days with no surge, after the 11 days of history C3 needs; the two days
/// right after a surge (when its counts still sit in C1's baseline or C3's window) count as neither.
/// Surge-free series are generated alongside, so each level's false-alarm rate rests on clean days too.
/// </summary>
public static class WarningEvaluation
{
    public static EvaluationResult Run(EvaluationPlan plan, EarsOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var random = new Random(plan.Seed);
        var methods = Enum.GetValues<EarsMethod>();
        var detected = new Dictionary<(EarsMethod, double), (int Surges, int Hits, int DelaySum)>();
        var falseAlarms = new Dictionary<(EarsMethod, double), (int Alarms, int Days)>();
        foreach (var baseline in plan.Baselines)
        {
            var cells = plan.SurgeSizes.SelectMany(s => plan.SurgeDays.Select(d => (Size: s, Days: d))).Prepend((Size: 0.0, Days: 0));
            foreach (var (size, length) in cells)
            {
                for (var n = 0; n < plan.SeriesPerCell; n++)
                {
                    var series = SyntheticSeriesGenerator.Generate(random, baseline, plan.Days, size, length);
                    foreach (var method in methods)
                    {
                        Score(series, method, options, baseline, detected, falseAlarms);
                    }
                }
            }
        }

        return new EvaluationResult(
            detected.OrderBy(d => d.Key.Item1).ThenBy(d => d.Key.Item2)
                .Select(d => new DetectionFigure(d.Key.Item1, d.Key.Item2, d.Value.Surges, d.Value.Hits, d.Value.Hits == 0 ? null : (double)d.Value.DelaySum / d.Value.Hits))
                .ToList(),
            falseAlarms.OrderBy(f => f.Key.Item1).ThenBy(f => f.Key.Item2)
                .Select(f => new FalseAlarmFigure(f.Key.Item1, f.Key.Item2, f.Value.Alarms, f.Value.Days))
                .ToList());
    }

    private static void Score(SyntheticSeries series, EarsMethod method, EarsOptions options, double baseline,
        Dictionary<(EarsMethod, double), (int Surges, int Hits, int DelaySum)> detected,
        Dictionary<(EarsMethod, double), (int Alarms, int Days)> falseAlarms)
    {
        int? firstAlarm = null;
        var (alarms, days) = falseAlarms.GetValueOrDefault((method, baseline));
        for (var t = Ears.History(EarsMethod.C3); t < series.Counts.Count; t++)
        {
            var alarm = Ears.Evaluate(method, series.Counts, t, options)!.Alarm;
            if (series.Surge is { } surge && t >= surge.Start && t < surge.End + 2)
            {
                if (alarm && t < surge.End && firstAlarm is null)
                {
                    firstAlarm = t - surge.Start;
                }

                continue;
            }

            days++;
            if (alarm)
            {
                alarms++;
            }
        }

        falseAlarms[(method, baseline)] = (alarms, days);
        if (series.Surge is { } s)
        {
            var (surges, hits, delay) = detected.GetValueOrDefault((method, s.SizeInDeviations));
            detected[(method, s.SizeInDeviations)] = (surges + 1, hits + (firstAlarm is null ? 0 : 1), delay + (firstAlarm ?? 0));
        }
    }
}
