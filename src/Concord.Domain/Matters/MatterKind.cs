namespace Concord.Domain.Matters;

/// <summary>What a matter is (类型).</summary>
public enum MatterKind
{
    /// <summary>诉求: a resident asks for something to be done.</summary>
    Appeal,
    /// <summary>矛盾纠纷: a dispute between parties.</summary>
    Dispute,
    /// <summary>风险隐患: a hazard that may cause harm.</summary>
    Hazard,
    /// <summary>信息报送: a member unit's information report.</summary>
    Report,
}

/// <summary>How the matter reached the center (渠道).</summary>
public enum Channel
{
    Portal,
    Hotline,
    WalkIn,
    Grid,
    MemberUnit,
    CourtDiversion,
    Open311,
}

/// <summary>Where the matter stands in its life. The handling workflow adds its transitions.</summary>
public enum MatterStatus
{
    /// <summary>受理: taken in, waiting for dispatch.</summary>
    Received,
    /// <summary>已派单: a lead unit was named.</summary>
    Dispatched,
    /// <summary>已签收: the lead unit took the matter.</summary>
    Accepted,
    /// <summary>办理中: the lead unit is working on it (or it was reopened to it).</summary>
    InProgress,
    /// <summary>已答复: the lead unit replied with its result; waiting for the resident's verdict.</summary>
    Replied,
    /// <summary>已办结: closed after the resident's verdict or when the verdict window ended.</summary>
    Closed,
    /// <summary>已退单: returned by the unit with a reason; in the dispatcher's review queue.</summary>
    Returned,
    /// <summary>中心复核: dissatisfied twice; the center reviews it.</summary>
    InReview,
    /// <summary>不予受理: rejected with its legal basis.</summary>
    Rejected,
    /// <summary>已并单: merged into another matter, which every reporter now follows.</summary>
    Merged,
}

/// <summary>The names these enums carry on the wire and in the database (snake_case, stable).</summary>
public static class WireNames
{
    private static readonly Dictionary<MatterKind, string> Kinds = new()
    {
        [MatterKind.Appeal] = "appeal",
        [MatterKind.Dispute] = "dispute",
        [MatterKind.Hazard] = "hazard",
        [MatterKind.Report] = "report",
    };

    private static readonly Dictionary<Channel, string> Channels = new()
    {
        [Channel.Portal] = "portal",
        [Channel.Hotline] = "hotline",
        [Channel.WalkIn] = "walkin",
        [Channel.Grid] = "grid",
        [Channel.MemberUnit] = "member_unit",
        [Channel.CourtDiversion] = "court_diversion",
        [Channel.Open311] = "open311",
    };

    private static readonly Dictionary<MatterStatus, string> Statuses = new()
    {
        [MatterStatus.Received] = "received",
        [MatterStatus.Dispatched] = "dispatched",
        [MatterStatus.Accepted] = "accepted",
        [MatterStatus.InProgress] = "in_progress",
        [MatterStatus.Replied] = "replied",
        [MatterStatus.Closed] = "closed",
        [MatterStatus.Returned] = "returned",
        [MatterStatus.InReview] = "in_review",
        [MatterStatus.Rejected] = "rejected",
        [MatterStatus.Merged] = "merged",
    };

    public static IReadOnlyCollection<string> KindNames => Kinds.Values;
    public static IReadOnlyCollection<string> ChannelNames => Channels.Values;
    public static IReadOnlyCollection<string> StatusNames => Statuses.Values;

    public static string ToWire(this MatterKind kind) => Kinds[kind];
    public static string ToWire(this Channel channel) => Channels[channel];
    public static string ToWire(this MatterStatus status) => Statuses[status];

    public static bool TryParseKind(string? text, out MatterKind kind) => TryParse(Kinds, text, out kind);
    public static bool TryParseChannel(string? text, out Channel channel) => TryParse(Channels, text, out channel);
    public static bool TryParseStatus(string? text, out MatterStatus status) => TryParse(Statuses, text, out status);

    private static bool TryParse<T>(Dictionary<T, string> names, string? text, out T value)
        where T : struct
    {
        foreach (var (key, name) in names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = key;
                return true;
            }
        }

        value = default;
        return false;
    }
}
