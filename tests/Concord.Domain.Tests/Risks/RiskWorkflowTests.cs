using Concord.Domain.Risks;

namespace Concord.Domain.Tests.Risks;

public sealed class RiskWorkflowTests
{
    [Theory]
    [InlineData(RiskStatus.Listed, RiskStatus.Resolving, true)]
    [InlineData(RiskStatus.Listed, RiskStatus.Resolved, false)]
    [InlineData(RiskStatus.Listed, RiskStatus.Closed, false)]
    [InlineData(RiskStatus.Resolving, RiskStatus.Resolved, true)]
    [InlineData(RiskStatus.Resolving, RiskStatus.UnderControl, true)]
    [InlineData(RiskStatus.Resolving, RiskStatus.Closed, false)]
    [InlineData(RiskStatus.Resolved, RiskStatus.Closed, true)]
    [InlineData(RiskStatus.Resolved, RiskStatus.UnderControl, true)]
    [InlineData(RiskStatus.Resolved, RiskStatus.Resolving, true)]
    [InlineData(RiskStatus.UnderControl, RiskStatus.Closed, true)]
    [InlineData(RiskStatus.UnderControl, RiskStatus.Resolving, true)]
    [InlineData(RiskStatus.UnderControl, RiskStatus.Listed, false)]
    [InlineData(RiskStatus.Closed, RiskStatus.Resolving, false)]
    [InlineData(RiskStatus.Closed, RiskStatus.Listed, false)]
    public void Only_the_listed_moves_are_allowed(RiskStatus from, RiskStatus to, bool allowed)
    {
        Assert.Equal(allowed, RiskWorkflow.CanMove(from, to));
    }

    [Fact]
    public void No_status_moves_to_itself_and_closed_is_final()
    {
        foreach (var s in Enum.GetValues<RiskStatus>())
        {
            Assert.False(RiskWorkflow.CanMove(s, s));
        }

        Assert.Empty(RiskWorkflow.NextOf(RiskStatus.Closed));
        Assert.False(RiskWorkflow.IsOpen(RiskStatus.Closed));
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        foreach (var s in Enum.GetValues<RiskStatus>())
        {
            Assert.True(RiskWorkflow.TryParse(s.Wire(), out var back));
            Assert.Equal(s, back);
        }

        Assert.Equal("under_control", RiskStatus.UnderControl.Wire());
        Assert.False(RiskWorkflow.TryParse("UnderControl", out _));
        Assert.True(RiskLevels.TryParse("red", out var red));
        Assert.Equal(RiskLevel.Red, red);
        Assert.False(RiskLevels.TryParse("Red", out _));
        Assert.False(RiskLevels.TryParse("0", out _));
    }

    [Fact]
    public void Reviews_follow_the_cadence_of_the_level_until_closed()
    {
        var listed = new DateTime(2026, 11, 26, 1, 30, 0, DateTimeKind.Utc);
        var cadence = ReviewCadence.Default;
        Assert.Equal(listed.AddDays(7), cadence.NextDue(RiskLevel.Red, RiskStatus.Listed, listed));
        Assert.Equal(listed.AddDays(14), cadence.NextDue(RiskLevel.Orange, RiskStatus.Resolving, listed));
        Assert.Equal(listed.AddDays(30), cadence.NextDue(RiskLevel.Yellow, RiskStatus.UnderControl, listed));
        Assert.Equal(listed.AddDays(90), cadence.NextDue(RiskLevel.Blue, RiskStatus.Resolved, listed));
        Assert.Null(cadence.NextDue(RiskLevel.Red, RiskStatus.Closed, listed));
        Assert.Equal(listed.AddDays(3), new ReviewCadence(3, 5, 10, 20).NextDue(RiskLevel.Red, RiskStatus.Listed, listed));
        Assert.False(ReviewCadence.IsOverdue(listed.AddDays(7), listed.AddDays(7)));
        Assert.True(ReviewCadence.IsOverdue(listed.AddDays(7), listed.AddDays(7).AddSeconds(1)));
        Assert.False(ReviewCadence.IsOverdue(null, listed));
    }
}
