namespace Concord.Domain.Figures;

/// <summary>
/// What a matter counts for in the situation figures (态势), at a given instant. This is the one
/// definition of the three rates (响应率, 解决率, 满意率); the situation figures apply it to each
/// row as they stream the period (<see cref="SituationTally"/>), and the server's tests hold the
/// endpoint to it applied to the raw rows.
/// </summary>
public readonly record struct MatterOutcome(
    string Status,
    DateTime ReceivedAt,
    DateTime? AcceptDueAt,
    DateTime? AcceptedAt,
    DateTime? ReplyDueAt,
    DateTime? RepliedAt,
    string? Verdict)
{
    /// <summary>Merged matters count on their survivor; rejected ones were never handled.</summary>
    public bool Handled => Status is not ("merged" or "rejected");

    /// <summary>Open: still with the center or a unit.</summary>
    public bool Open => Status is not ("closed" or "merged" or "rejected");

    /// <summary>响应率's denominator: the acceptance was due by now, or happened.</summary>
    public bool ResponseDue(DateTime now) => Handled && AcceptDueAt is { } due && (AcceptedAt is not null || due <= now);

    /// <summary>响应率's numerator: accepted (签收) within the acceptance deadline.</summary>
    public bool RespondedOnTime => Handled && AcceptDueAt is { } due && AcceptedAt is { } at && at <= due;

    /// <summary>解决率's denominator: the reply was due by now, or the matter is closed.</summary>
    public bool ResolutionDue(DateTime now) => Handled && (Status == "closed" || (ReplyDueAt is { } due && due <= now));

    /// <summary>解决率's numerator: closed (办结) — after a verdict that was not dissatisfied, or unrated at the window's end.</summary>
    public bool Resolved => Status == "closed";

    /// <summary>满意率's denominator: the resident gave a verdict.</summary>
    public bool Rated => Handled && Verdict is not null;

    /// <summary>满意率's numerator: satisfied or basically satisfied (满意 + 基本满意).</summary>
    public bool Satisfied => Handled && Verdict is "satisfied" or "basically_satisfied";

    /// <summary>The hours from receipt to the reply, for the median time to reply: handled and replied matters only.</summary>
    public double? HoursToReply => Handled && RepliedAt is { } replied ? (replied - ReceivedAt).TotalHours : null;

    /// <summary>Overdue: open, and its acceptance or its reply is late now.</summary>
    public bool Overdue(DateTime now) =>
        Open && ((AcceptedAt is null && AcceptDueAt is { } accept && accept < now) || (RepliedAt is null && ReplyDueAt is { } reply && reply < now));
}

/// <summary>A rate as a fraction, so that a reader can check it and a sum over areas stays exact.</summary>
public readonly record struct Rate(int Numerator, int Denominator)
{
    /// <summary>Null when nothing was due: "no figure" rather than 0 % or 100 %.</summary>
    public double? Value => Denominator == 0 ? null : (double)Numerator / Denominator;
}

/// <summary>
/// The counts of the rates over a stream of outcomes, one at a time: the figures of a county, of each
/// of its areas and of each unit are tallied in one pass over the period's rows, holding no rows.
/// </summary>
public sealed class SituationTally(DateTime now)
{
    public int Volume { get; private set; }
    public int Open { get; private set; }
    public int Overdue { get; private set; }
    public int ResponseDue { get; private set; }
    public int Responded { get; private set; }
    public int ResolutionDue { get; private set; }
    public int Resolved { get; private set; }
    public int Rated { get; private set; }
    public int Satisfied { get; private set; }

    public Rate Response => new(Responded, ResponseDue);
    public Rate Resolution => new(Resolved, ResolutionDue);
    public Rate Satisfaction => new(Satisfied, Rated);

    public void Add(in MatterOutcome m)
    {
        Volume++;
        Open += m.Open ? 1 : 0;
        Overdue += m.Overdue(now) ? 1 : 0;
        var resolutionDue = m.ResolutionDue(now);
        ResponseDue += m.ResponseDue(now) ? 1 : 0;
        Responded += m.RespondedOnTime ? 1 : 0;
        ResolutionDue += resolutionDue ? 1 : 0;
        Resolved += m.Resolved && resolutionDue ? 1 : 0;
        Rated += m.Rated ? 1 : 0;
        Satisfied += m.Satisfied ? 1 : 0;
    }
}

/// <summary>The three rates, the open and overdue counts, and the median time to reply, from individual outcomes.</summary>
public sealed record SituationRates(int Volume, int Open, int Overdue, Rate Response, Rate Resolution, Rate Satisfaction, double? MedianHoursToReply)
{
    public static SituationRates Of(IEnumerable<MatterOutcome> outcomes, DateTime now)
    {
        var tally = new SituationTally(now);
        var hoursToReply = new List<double>();
        foreach (var m in outcomes)
        {
            tally.Add(m);
            if (m.HoursToReply is { } hours)
            {
                hoursToReply.Add(hours);
            }
        }

        return new SituationRates(tally.Volume, tally.Open, tally.Overdue, tally.Response, tally.Resolution, tally.Satisfaction, Median(hoursToReply));
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count); null for none.</summary>
    public static double? Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
