using System.Globalization;
using System.Text;
using Concord.Domain.Warnings;

namespace Concord.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Concord.Bench -- warnings-eval [--series N] [--days N] [--seed N]</c>:
/// C1, C2 and C3 against synthetic daily series with known surges (Concord.Domain.Warnings.WarningEvaluation);
/// prints the markdown tables of docs/early-warning.md. Pure computation, seconds at the default size.
/// </summary>
public static class WarningsEval
{
    public static int Run(string[] args)
    {
        var plan = EvaluationPlan.Standard;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            plan = args[i] switch
            {
                "--series" => plan with { SeriesPerCell = value },
                "--days" => plan with { Days = value },
                "--seed" => plan with { Seed = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        var options = EarsOptions.Default;
        var result = WarningEvaluation.Run(plan, options);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Plan: baselines λ = {string.Join(", ", plan.Baselines)}; surge sizes {string.Join(", ", plan.SurgeSizes)} × √λ a day; durations {string.Join(", ", plan.SurgeDays)} days; {plan.SeriesPerCell} series per cell of {plan.Days} days (plus {plan.SeriesPerCell} surge-free per baseline); seed {plan.Seed}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Options: thresholds C1 {options.C1Threshold}, C2 {options.C2Threshold}, C3 {options.C3Threshold} (offset {options.C3Offset}); sd floor {options.MinStandardDeviation}; minimum count {options.MinObserved}.");
        text.AppendLine();
        text.AppendLine("| method | surge size (×√λ) | surges | detected | detection rate | mean delay (days) |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var d in result.Detection)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {d.Method} | {d.SurgeSize} | {d.Surges} | {d.Detected} | {d.DetectionRate:P1} | {(d.MeanDelayDays is { } delay ? delay.ToString("0.00", CultureInfo.InvariantCulture) : "—")} |");
        }

        text.AppendLine();
        text.AppendLine("| method | baseline λ | series-days | false alarms | per 1,000 series-days |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var f in result.FalseAlarms)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {f.Method} | {f.Baseline} | {f.Days} | {f.Alarms} | {f.PerThousandDays:0.0} |");
        }

        foreach (var method in Enum.GetValues<EarsMethod>())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {method} | all | {result.FalseAlarms.Where(f => f.Method == method).Sum(f => f.Days)} | {result.FalseAlarms.Where(f => f.Method == method).Sum(f => f.Alarms)} | {result.FalseAlarmsPerThousand(method):0.0} |");
        }

        Console.Write(text.ToString());
        return 0;
    }
}
