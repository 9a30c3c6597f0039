namespace Concord.Domain.Risks;

/// <summary>How urgent an information report (信息报送) is; each urgency has a window for filing after the situation is known.</summary>
public enum ReportUrgency
{
    /// <summary>特急: within 1 hour (第一时间).</summary>
    Immediate,
    /// <summary>紧急: within 4 hours.</summary>
    Urgent,
    /// <summary>一般: within 24 hours.</summary>
    Routine,
}

/// <summary>Which way a situation is moving.</summary>
public enum ReportTrend
{
    Rising,
    Stable,
    Easing,
    Unclear,
}

/// <summary>What a unit's reporting is measured by (7+5+N): count, timeliness, and reports later confirmed.</summary>
public sealed record ReportingFigures(int Reports, int OnTime, int FollowUps, int FollowUpsAnsweredOnTime, int Confirmed)
{
    /// <summary>Reports filed within their urgency's window plus follow-ups answered on time, over all of both; null without any.</summary>
    public double? Timeliness => Reports + FollowUps == 0 ? null : (double)(OnTime + FollowUpsAnsweredOnTime) / (Reports + FollowUps);

    public double? ConfirmedRate => Reports == 0 ? null : (double)Confirmed / Reports;
}

public static class InformationReports
{
    public static TimeSpan WindowOf(ReportUrgency urgency) => urgency switch
    {
        ReportUrgency.Immediate => TimeSpan.FromHours(1),
        ReportUrgency.Urgent => TimeSpan.FromHours(4),
        _ => TimeSpan.FromHours(24),
    };

    /// <summary>Filed within the urgency's window after the situation became known.</summary>
    public static bool FiledOnTime(ReportUrgency urgency, DateTime knownAt, DateTime filedAt) => filedAt - knownAt <= WindowOf(urgency);

    /// <summary>A follow-up answered by its deadline (an unanswered one past its deadline counts as late; one still open does not count yet).</summary>
    public static bool? AnsweredOnTime(DateTime dueAt, DateTime? answeredAt, DateTime now) =>
        answeredAt is { } a ? a <= dueAt : now > dueAt ? false : null;

    public static ReportingFigures Figures(IEnumerable<(bool OnTime, bool Confirmed)> reports, IEnumerable<bool?> followUps)
    {
        var r = reports.ToList();
        var f = followUps.Where(x => x is not null).Select(x => x!.Value).ToList();
        return new ReportingFigures(r.Count, r.Count(x => x.OnTime), f.Count, f.Count(x => x), r.Count(x => x.Confirmed));
    }

    public static string Wire(this ReportUrgency urgency) => urgency.ToString().ToLowerInvariant();

    public static string Wire(this ReportTrend trend) => trend.ToString().ToLowerInvariant();

    public static bool TryParseUrgency(string? text, out ReportUrgency urgency) => TryParse(text, out urgency);

    public static bool TryParseTrend(string? text, out ReportTrend trend) => TryParse(text, out trend);

    private static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            if (v.ToString().ToLowerInvariant() == text)
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }
}
