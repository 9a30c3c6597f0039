using Concord.Domain.Warnings;

namespace Concord.Domain.Tests.Warnings;

public sealed class WarningRulesTests
{
    private static readonly DateTime T0 = new(2026, 11, 20, 2, 0, 0, DateTimeKind.Utc);

    private static MatterFact Fact(long id, string kind = "appeal", string? category = "0201", string place = "620802001001001",
        double? lat = null, double? lon = null, double hours = 0, bool open = true, bool dissatisfied = false, int parties = 0, bool group = false) =>
        new(id, $"M{id}", kind, category, place, lat, lon, T0.AddHours(hours), open, dissatisfied, parties, group);

    [Fact]
    public void A_dispute_with_many_parties_or_flagged_as_group_is_a_group_dispute()
    {
        var found = WarningRules.GroupDisputes([Fact(1, "dispute", parties: 5), Fact(2, "dispute", parties: 4), Fact(3, "appeal", parties: 9), Fact(4, "dispute", group: true)], RuleOptions.Default)
            .Select(f => f.Trigger.Id).ToList();
        Assert.Equal([1L, 4L], found);
    }

    [Fact]
    public void A_repeat_complaint_needs_an_earlier_unresolved_matter_at_the_same_place_and_category_within_the_window()
    {
        var earlierOpen = Fact(1, hours: -24 * 10);
        var earlierClosedSatisfied = Fact(2, hours: -24 * 5, open: false);
        var earlierDissatisfied = Fact(3, hours: -24 * 3, open: false, dissatisfied: true);
        var tooOld = Fact(4, hours: -24 * 40);
        var otherPlace = Fact(5, place: "620802001001002", hours: -24);
        var now = Fact(6);
        var findings = WarningRules.RepeatComplaints([now], [earlierOpen, earlierClosedSatisfied, earlierDissatisfied, tooOld, otherPlace, now], RuleOptions.Default).ToList();
        var finding = Assert.Single(findings);
        Assert.Equal([1L, 3L, 6L], finding.Matters.Select(m => m.Id));
        Assert.Empty(WarningRules.RepeatComplaints([now], [earlierClosedSatisfied, tooOld, otherPlace, now], RuleOptions.Default));
    }

    [Fact]
    public void Five_matters_within_three_hundred_metres_and_six_hours_are_a_burst_and_a_sixth_does_not_start_another()
    {
        // 0.001° of latitude ≈ 111 m
        var close = Enumerable.Range(1, 6).Select(i => Fact(i, lat: 35.54 + 0.0005 * (i % 3), lon: 106.68, hours: i)).ToList();
        var far = Fact(9, lat: 35.56, lon: 106.68, hours: 3);
        var findings = WarningRules.Bursts(close.Append(far), [.. close, far], RuleOptions.Default).ToList();
        var burst = Assert.Single(findings);
        Assert.Equal(5, burst.Trigger.Id);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], burst.Matters.Select(m => m.Id));
        Assert.Empty(WarningRules.Bursts(close.Take(4), close.Take(4).ToList(), RuleOptions.Default));
        Assert.InRange(WarningRules.Metres(35.54, 106.68, 35.541, 106.68), 110, 112);
    }
}
