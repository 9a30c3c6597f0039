using Concord.Domain.Matters;

namespace Concord.Domain.Workflow;

/// <summary>What someone can do to a matter.</summary>
public enum MatterAction
{
    /// <summary>派单: name the lead (主办) and assisting (协办) units.</summary>
    Dispatch,
    /// <summary>改派: move a dispatched matter to another lead unit.</summary>
    Redispatch,
    /// <summary>现场认定: the center determines the owner on site when no unit will own the matter; binding.</summary>
    DetermineOnSite,
    /// <summary>签收.</summary>
    Accept,
    /// <summary>A progress note; moves an accepted matter to in progress.</summary>
    Progress,
    /// <summary>退单: back to the dispatcher's review queue, with a reason.</summary>
    Return,
    /// <summary>延期申请.</summary>
    RequestExtension,
    /// <summary>延期审批: approve or refuse.</summary>
    DecideExtension,
    /// <summary>办结回复: the result.</summary>
    Reply,
    /// <summary>回访评价: the resident's verdict.</summary>
    Verdict,
    /// <summary>The verdict window ended without a verdict.</summary>
    CloseUnrated,
    /// <summary>重新办理: the center reopens a closed matter to its lead unit.</summary>
    Reopen,
    /// <summary>并单.</summary>
    Merge,
    /// <summary>不予受理, with its legal basis.</summary>
    Reject,
    /// <summary>撤销并单: a merged matter goes back to the state it had before the merge.</summary>
    Unmerge,
}

/// <summary>Who acts, relative to the matter: decides which transitions are theirs.</summary>
public enum ActorRelation
{
    /// <summary>The center: dispatchers (and admins).</summary>
    Center,
    /// <summary>Staff of the matter's lead unit (handler, unit head).</summary>
    LeadUnit,
    /// <summary>The resident (public tracking link) or an operator recording the resident's verdict.</summary>
    Resident,
    /// <summary>The system (sweeps).</summary>
    System,
    /// <summary>Anyone else.</summary>
    Other,
}

/// <summary>The resident's verdict (回访评价).</summary>
public enum Verdict
{
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

/// <summary>Why a unit returns a matter (退单原因).</summary>
public enum ReturnReason
{
    /// <summary>非本单位职责.</summary>
    NotOurDuty,
    /// <summary>属地有误.</summary>
    WrongPlace,
    /// <summary>信息不全，无法办理.</summary>
    InsufficientInformation,
    /// <summary>重复件.</summary>
    Duplicate,
    /// <summary>其他.</summary>
    Other,
}

public sealed record TransitionRefusal(string MessageKey, params object[] Args);

/// <summary>
/// The matter's state machine (pure): which action is allowed from which state, for whom, and
/// where it leads. An illegal transition is refused with a reason (the API answers 409).
/// </summary>
public static class MatterWorkflow
{
    private sealed record Rule(MatterStatus[] From, ActorRelation[] By, MatterStatus? To);

    private static readonly MatterStatus[] Open =
        [MatterStatus.Received, MatterStatus.Dispatched, MatterStatus.Accepted, MatterStatus.InProgress, MatterStatus.Replied, MatterStatus.Returned, MatterStatus.InReview];

    private static readonly Dictionary<MatterAction, Rule> Rules = new()
    {
        [MatterAction.Dispatch] = new([MatterStatus.Received, MatterStatus.Returned, MatterStatus.InReview], [ActorRelation.Center], MatterStatus.Dispatched),
        [MatterAction.Redispatch] = new([MatterStatus.Dispatched, MatterStatus.Accepted, MatterStatus.InProgress], [ActorRelation.Center], MatterStatus.Dispatched),
        [MatterAction.DetermineOnSite] = new([MatterStatus.Received, MatterStatus.Returned, MatterStatus.InReview], [ActorRelation.Center], MatterStatus.Accepted),
        [MatterAction.Accept] = new([MatterStatus.Dispatched], [ActorRelation.LeadUnit], MatterStatus.Accepted),
        [MatterAction.Progress] = new([MatterStatus.Accepted, MatterStatus.InProgress], [ActorRelation.LeadUnit], MatterStatus.InProgress),
        [MatterAction.Return] = new([MatterStatus.Dispatched, MatterStatus.Accepted], [ActorRelation.LeadUnit], MatterStatus.Returned),
        [MatterAction.RequestExtension] = new([MatterStatus.Accepted, MatterStatus.InProgress], [ActorRelation.LeadUnit], null),
        [MatterAction.DecideExtension] = new([MatterStatus.Accepted, MatterStatus.InProgress], [ActorRelation.Center], null),
        [MatterAction.Reply] = new([MatterStatus.Accepted, MatterStatus.InProgress], [ActorRelation.LeadUnit], MatterStatus.Replied),
        [MatterAction.Verdict] = new([MatterStatus.Replied], [ActorRelation.Resident, ActorRelation.Center], null),
        [MatterAction.CloseUnrated] = new([MatterStatus.Replied], [ActorRelation.System], MatterStatus.Closed),
        [MatterAction.Reopen] = new([MatterStatus.Closed], [ActorRelation.Center], MatterStatus.InProgress),
        [MatterAction.Merge] = new(Open, [ActorRelation.Center], MatterStatus.Merged),
        [MatterAction.Reject] = new([MatterStatus.Received, MatterStatus.Returned, MatterStatus.InReview], [ActorRelation.Center], MatterStatus.Rejected),
        // The state after an unmerge is the one the matter had before its merge (kept with the merge).
        [MatterAction.Unmerge] = new([MatterStatus.Merged], [ActorRelation.Center], null),
    };

    /// <summary>Null when allowed; else why not.</summary>
    public static TransitionRefusal? Check(MatterAction action, MatterStatus from, ActorRelation by)
    {
        var rule = Rules[action];
        if (!rule.By.Contains(by))
        {
            return new("workflow.not_yours", action.ToString(), from.ToWire());
        }

        return rule.From.Contains(from) ? null : new("workflow.illegal", action.ToString(), from.ToWire(), string.Join(", ", rule.From.Select(s => s.ToWire())));
    }

    /// <summary>The state after the action (the same state for extension steps).</summary>
    public static MatterStatus Next(MatterAction action, MatterStatus from) => Rules[action].To ?? from;

    /// <summary>The actions a relation may take from a state: what a page offers, and only that.</summary>
    public static IReadOnlyList<MatterAction> Available(MatterStatus from, ActorRelation by) =>
        Rules.Where(r => r.Value.By.Contains(by) && r.Value.From.Contains(from) && r.Key != MatterAction.CloseUnrated).Select(r => r.Key).ToList();

    /// <summary>
    /// The verdict's effect: satisfied or basically satisfied closes; the first dissatisfaction reopens
    /// the matter to its lead unit, a second goes to the center's review.
    /// </summary>
    public static MatterStatus AfterVerdict(Verdict verdict, int earlierDissatisfactions) => verdict switch
    {
        Verdict.Dissatisfied when earlierDissatisfactions == 0 => MatterStatus.InProgress,
        Verdict.Dissatisfied => MatterStatus.InReview,
        _ => MatterStatus.Closed,
    };

    /// <summary>Event types that count as items (件) for the case-to-item ratio (案-件比).</summary>
    public static readonly IReadOnlySet<string> ItemEvents = new HashSet<string>(StringComparer.Ordinal)
    {
        "dispatched", "redispatched", "returned", "reopened", "repeat_complaint",
    };

    public static bool IsFinal(MatterStatus status) => status is MatterStatus.Closed or MatterStatus.Rejected or MatterStatus.Merged;
}
