using Concord.Domain.Risks;

namespace Concord.Domain.Tests.Risks;

public sealed class RiskGradingTests
{
    [Theory]
    [InlineData(9, RiskLevel.Blue, "none")]
    [InlineData(10, RiskLevel.Yellow, "people>=10")]
    [InlineData(49, RiskLevel.Yellow, "people>=10")]
    [InlineData(50, RiskLevel.Orange, "people>=50")]
    [InlineData(99, RiskLevel.Orange, "people>=50")]
    [InlineData(100, RiskLevel.Red, "people>=100")]
    public void People_involved_give_the_level_at_each_threshold(int people, RiskLevel expected, string rule)
    {
        var grade = RiskGrading.Grade("labour_relations", new RiskScale(people, null, null));
        Assert.Equal(expected, grade.Level);
        Assert.Equal(rule, grade.Rule);
    }

    [Fact]
    public void The_most_severe_measure_wins_and_explains_the_level()
    {
        // 60 workers (orange) owed 12 million yuan (red): red by money.
        var grade = RiskGrading.Grade("labour_relations", new RiskScale(60, 12_000_000m, null));
        Assert.Equal(RiskLevel.Red, grade.Level);
        Assert.Equal("amount>=10000000", grade.Rule);
        Assert.Equal(12_000_000m, grade.Value);
    }

    [Fact]
    public void Households_of_a_stalled_housing_project_count()
    {
        Assert.Equal(RiskLevel.Orange, RiskGrading.Grade("real_estate", new RiskScale(null, null, 120)).Level);
        Assert.Equal(RiskLevel.Yellow, RiskGrading.Grade("real_estate", new RiskScale(null, null, 30)).Level);
        Assert.Equal(RiskLevel.Blue, RiskGrading.Grade("real_estate", new RiskScale(null, null, 29)).Level);
    }

    [Fact]
    public void Money_thresholds_are_five_times_higher_in_economy_and_finance()
    {
        Assert.Equal(RiskLevel.Red, RiskGrading.Grade("labour_relations", new RiskScale(null, 10_000_000m, null)).Level);
        var finance = RiskGrading.Grade("economy_finance", new RiskScale(null, 10_000_000m, null));
        Assert.Equal(RiskLevel.Yellow, finance.Level);
        Assert.Equal(5_000_000m, finance.Threshold);
    }

    [Fact]
    public void Life_safety_domains_are_never_below_yellow()
    {
        var grade = RiskGrading.Grade("work_safety", new RiskScale(2, null, null));
        Assert.Equal(RiskLevel.Yellow, grade.Level);
        Assert.Equal("domain_floor", grade.Rule);
        // A measure above the floor still decides.
        Assert.Equal(RiskLevel.Red, RiskGrading.Grade("campus_safety", new RiskScale(150, null, null)).Level);
        Assert.Equal(RiskLevel.Blue, RiskGrading.Grade("neighbourhood", new RiskScale(2, null, null)).Level);
    }

    [Fact]
    public void A_user_may_override_with_a_reason_and_the_override_is_named()
    {
        var computed = RiskGrading.Grade("real_estate", new RiskScale(null, null, 40));
        Assert.Equal(RiskLevel.Yellow, computed.Level);
        Assert.True(RiskGrading.NeedsReason(computed, RiskLevel.Red, null));
        Assert.True(RiskGrading.NeedsReason(computed, RiskLevel.Red, " 太短 "));
        Assert.False(RiskGrading.NeedsReason(computed, RiskLevel.Yellow, null)); // same level: no override
        var decided = RiskGrading.Decide(computed, RiskLevel.Red, "业主已多次聚集，舆情升温");
        Assert.Equal(RiskLevel.Red, decided.Level);
        Assert.True(decided.Overridden);
        Assert.Equal("override", decided.Rule);
        Assert.Equal("业主已多次聚集，舆情升温", decided.OverrideReason);
        Assert.Same(computed, RiskGrading.Decide(computed, null, null));
    }

    [Fact]
    public void The_twelve_key_domains_match_the_key_categories()
    {
        Assert.Equal(12, KeyDomains.All.Count);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)), KeyDomains.All.Select(d => d.CategoryCode));
        Assert.Equal("劳动关系", KeyDomains.Find("labour_relations")!.Name);
        Assert.Null(KeyDomains.Find("Labour_Relations"));
        Assert.Equal(12, KeyDomains.All.Select(d => d.Wire).Distinct().Count());
    }
}
