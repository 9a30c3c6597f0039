using Concord.Domain.Figures;

namespace Concord.Domain.Tests.Figures;

public sealed class SituationRatesTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 2, 0, 0, DateTimeKind.Utc);

    private static MatterOutcome Outcome(string status, int receivedHoursAgo, double? acceptDue = null, double? accepted = null, double? replyDue = null, double? replied = null, string? verdict = null)
    {
        DateTime? At(double? hoursAgo) => hoursAgo is { } h ? Now.AddHours(-h) : null;
        return new MatterOutcome(status, Now.AddHours(-receivedHoursAgo), At(acceptDue), At(accepted), At(replyDue), At(replied), verdict);
    }

    [Fact]
    public void Rates_count_only_what_was_due_and_leave_merged_and_rejected_matters_out()
    {
        var rates = SituationRates.Of(
        [
            Outcome("closed", 48, acceptDue: 46, accepted: 47, replyDue: 24, replied: 30, verdict: "satisfied"),        // on time, satisfied
            Outcome("closed", 48, acceptDue: 46, accepted: 40, replyDue: 24, replied: 20, verdict: "basically_satisfied"), // accepted late
            Outcome("in_review", 48, acceptDue: 46, accepted: 47, replyDue: 24, replied: 10, verdict: "dissatisfied"),
            Outcome("dispatched", 10, acceptDue: 8),                                                                    // overdue, not accepted
            Outcome("dispatched", 1, acceptDue: -1),                                                                    // not yet due
            Outcome("merged", 5, acceptDue: 3),
            Outcome("rejected", 5),
        ], Now);

        Assert.Equal(7, rates.Volume);
        Assert.Equal(3, rates.Open);
        Assert.Equal(1, rates.Overdue); // the unaccepted one; the one in review was replied to in time
        Assert.Equal(new Rate(2, 4), rates.Response);
        Assert.Equal(new Rate(2, 3), rates.Resolution);
        Assert.Equal(new Rate(2, 3), rates.Satisfaction);
        Assert.Equal(28.0, rates.MedianHoursToReply); // 18, 28 and 38 hours
    }

    [Fact]
    public void Nothing_due_gives_no_figure_rather_than_zero_or_a_hundred_percent()
    {
        var rates = SituationRates.Of([Outcome("received", 1)], Now);
        Assert.Null(rates.Response.Value);
        Assert.Null(rates.Satisfaction.Value);
        Assert.Null(rates.MedianHoursToReply);
        Assert.Equal(0.5, SituationRates.Median([1.0, 0.0]));
    }
}
