using Concord.Domain.Warnings;

namespace Concord.Domain.Tests.Warnings;

public sealed class EarsTests
{
    [Fact]
    public void C1_compares_the_count_with_the_seven_periods_just_before_it()
    {
        double[] series = [1, 2, 3, 4, 5, 6, 7, 13];
        var c1 = Ears.Evaluate(EarsMethod.C1, series, 7)!;
        // mean 4; squares 9+4+1+0+1+4+9 = 28; sd = √(28/6) = 2.160247; (13 − 4) / 2.160247 = 4.166190
        Assert.Equal(4, c1.Mean, 9);
        Assert.Equal(Math.Sqrt(28.0 / 6), c1.StandardDeviation, 9);
        Assert.Equal(4.166190, c1.Statistic, 5);
        Assert.Equal((0, 6), (c1.BaselineFrom, c1.BaselineTo));
        Assert.True(c1.Alarm);
        Assert.Null(Ears.Evaluate(EarsMethod.C1, series, 6)); // too little history
    }

    [Fact]
    public void C2_leaves_a_two_period_guard_band_so_that_a_surge_does_not_hide_in_its_own_baseline()
    {
        double[] series = [1, 2, 3, 4, 5, 6, 7, 50, 50, 13];
        var c2 = Ears.Evaluate(EarsMethod.C2, series, 9)!;
        Assert.Equal((0, 6), (c2.BaselineFrom, c2.BaselineTo));
        Assert.Equal(4.166190, c2.Statistic, 5);
        Assert.True(c2.Alarm);
        var c1 = Ears.Evaluate(EarsMethod.C1, series, 9)!;
        Assert.False(c1.Alarm); // C1's baseline holds the two 50s
    }

    [Fact]
    public void C3_sums_the_excesses_of_the_last_three_C2_values_over_one()
    {
        double[] series = [2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 5];
        // C2 at 9, 10, 11 on flat baselines of 2 (sd 0, floored to 0.5): 2, 4, 6; C3 = 1 + 3 + 5 = 9
        Assert.Equal(2, Ears.Evaluate(EarsMethod.C2, series, 9)!.Statistic, 9);
        Assert.Equal(4, Ears.Evaluate(EarsMethod.C2, series, 10)!.Statistic, 9);
        Assert.Equal(6, Ears.Evaluate(EarsMethod.C2, series, 11)!.Statistic, 9);
        var c3 = Ears.Evaluate(EarsMethod.C3, series, 11)!;
        Assert.Equal(9, c3.Statistic, 9);
        Assert.Equal(2, c3.Threshold);
        Assert.True(c3.Alarm);
        Assert.Null(Ears.Evaluate(EarsMethod.C3, series, 10));
    }

    [Fact]
    public void The_floor_on_the_deviation_and_the_minimum_count_keep_single_matters_from_alarming()
    {
        double[] quiet = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        var c2 = Ears.Evaluate(EarsMethod.C2, quiet, 9)!;
        Assert.Equal(2, c2.Statistic, 9); // (1 − 0) / 0.5
        Assert.False(c2.Alarm);
        double[] two = [0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        Assert.Equal(4, Ears.Evaluate(EarsMethod.C2, two, 9)!.Statistic, 9);
        Assert.False(Ears.Evaluate(EarsMethod.C2, two, 9)!.Alarm); // above 3, but 2 < the minimum count of 3
        Assert.True(Ears.Evaluate(EarsMethod.C2, two, 9, new EarsOptions(MinObserved: 2))!.Alarm);
        Assert.False(Ears.Evaluate(EarsMethod.C2, two, 9, new EarsOptions(C2Threshold: 5, MinObserved: 1))!.Alarm);
    }
}
