namespace Concord.Domain.Risks;

/// <summary>A risk's status: 已列管 listed → 化解中 resolving → 已化解 resolved → 稳控中 under control / 已销号 closed.</summary>
public enum RiskStatus
{
    Listed,
    Resolving,
    Resolved,
    UnderControl,
    Closed,
}

/// <summary>The risk's state machine: which status may follow which. Pure; the server checks every change against it.</summary>
public static class RiskWorkflow
{
    private static readonly Dictionary<RiskStatus, RiskStatus[]> Next = new()
    {
        [RiskStatus.Listed] = [RiskStatus.Resolving],
        [RiskStatus.Resolving] = [RiskStatus.Resolved, RiskStatus.UnderControl],
        // A resolved risk is either watched for a while (under control) or closed (销号); it may flare up again.
        [RiskStatus.Resolved] = [RiskStatus.UnderControl, RiskStatus.Closed, RiskStatus.Resolving],
        [RiskStatus.UnderControl] = [RiskStatus.Closed, RiskStatus.Resolving],
        [RiskStatus.Closed] = [],
    };

    public static IReadOnlyList<RiskStatus> NextOf(RiskStatus from) => Next[from];

    public static bool CanMove(RiskStatus from, RiskStatus to) => Next[from].Contains(to);

    /// <summary>Whether the risk is still on the list: reviews are due and measures are chased.</summary>
    public static bool IsOpen(RiskStatus status) => status != RiskStatus.Closed;

    public static string Wire(this RiskStatus status) => status switch
    {
        RiskStatus.UnderControl => "under_control",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out RiskStatus status)
    {
        foreach (var s in Enum.GetValues<RiskStatus>())
        {
            if (s.Wire() == text)
            {
                status = s;
                return true;
            }
        }

        status = RiskStatus.Listed;
        return false;
    }

    public static string WireList => string.Join(", ", Enum.GetValues<RiskStatus>().Select(s => s.Wire()));
}
