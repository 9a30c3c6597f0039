namespace Concord.Domain.Risks;

/// <summary>
/// How often a risk must be reviewed (定期研判/回访) by level, in calendar days: by default red weekly,
/// orange every two weeks, yellow monthly, blue quarterly. Configurable per installation.
/// </summary>
public sealed record ReviewCadence(int RedDays, int OrangeDays, int YellowDays, int BlueDays)
{
    public static readonly ReviewCadence Default = new(7, 14, 30, 90);

    public int DaysFor(RiskLevel level) => level switch
    {
        RiskLevel.Red => RedDays,
        RiskLevel.Orange => OrangeDays,
        RiskLevel.Yellow => YellowDays,
        _ => BlueDays,
    };

    /// <summary>When the next review is due: the cadence of the level after the last review (or the listing); none once closed.</summary>
    public DateTime? NextDue(RiskLevel level, RiskStatus status, DateTime lastReviewOrListed) =>
        RiskWorkflow.IsOpen(status) ? lastReviewOrListed.AddDays(DaysFor(level)) : null;

    public static bool IsOverdue(DateTime? due, DateTime now) => due is { } d && now > d;
}
