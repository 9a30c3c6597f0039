using Concord.Domain.Warnings;

namespace Concord.Domain.Tests.Warnings;

/// <summary>The floors measured with the standard plan (deterministic seed); docs/early-warning.md has the full table.</summary>
public sealed class WarningEvaluationTests
{
    [Fact]
    public void The_generator_is_deterministic_and_injects_the_surge_it_reports()
    {
        var a = SyntheticSeriesGenerator.Generate(new Random(7), 5, 120, 3, 3);
        var b = SyntheticSeriesGenerator.Generate(new Random(7), 5, 120, 3, 3);
        Assert.Equal(a.Counts, b.Counts);
        Assert.Equal(a.Surge, b.Surge);
        Assert.Equal((int)Math.Round(3 * Math.Sqrt(5)), a.Surge!.Extra);
        Assert.InRange(a.Counts.Average(), 4, 6.5);
    }

    [Fact]
    public void Measured_floors_hold_for_the_standard_plan()
    {
        var result = WarningEvaluation.Run(EvaluationPlan.Standard, EarsOptions.Default);
        // Measured 2026-11-26 (docs/early-warning.md): C2 87.2 % of 4√λ surges, 22.3 false alarms per 1,000 series-days;
        // C3 78.3 % of 3√λ surges at 62.0; C1 76.9 % of 4√λ surges at 22.4. The floors sit just under.
        Assert.True(result.DetectionOf(EarsMethod.C2, 4).DetectionRate >= 0.85, $"C2 detected {result.DetectionOf(EarsMethod.C2, 4).DetectionRate:P1}");
        Assert.True(result.FalseAlarmsPerThousand(EarsMethod.C2) <= 23, $"C2 false alarms {result.FalseAlarmsPerThousand(EarsMethod.C2):0.0}");
        Assert.True(result.DetectionOf(EarsMethod.C3, 3).DetectionRate >= 0.75);
        Assert.True(result.FalseAlarmsPerThousand(EarsMethod.C3) <= 65);
        Assert.True(result.DetectionOf(EarsMethod.C1, 4).DetectionRate >= 0.75);
        Assert.True(result.FalseAlarmsPerThousand(EarsMethod.C1) <= 23);
        // Larger surges are found more often, by every method.
        foreach (var method in Enum.GetValues<EarsMethod>())
        {
            Assert.True(result.DetectionOf(method, 1).DetectionRate < result.DetectionOf(method, 4).DetectionRate);
        }
    }
}
