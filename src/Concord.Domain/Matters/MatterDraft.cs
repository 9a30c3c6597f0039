namespace Concord.Domain.Matters;

/// <summary>One party to a dispute, as given at intake.</summary>
public sealed record PartyDraft(string? Name, string? Phone, string? Role);

/// <summary>
/// A matter as the caller described it, before validation. Fields the caller gave with the
/// wrong JSON type never reach here: the reader reports them as field errors itself.
/// </summary>
public sealed record MatterDraft
{
    public string? Kind { get; init; }
    public string? Channel { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? CategoryCode { get; init; }
    public double? Lat { get; init; }
    public double? Lon { get; init; }
    public string? TerritoryCode { get; init; }
    public string? Address { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public string? ReporterName { get; init; }
    public string? ReporterPhone { get; init; }
    public IReadOnlyList<PartyDraft> Parties { get; init; } = [];
    /// <summary>只让综治中心看到我的身份: only the center may reveal the reporter's identity.</summary>
    public bool Confidential { get; init; }
}

/// <summary>
/// One thing wrong with the input: the JSON path of the field, a message key the server
/// localizes (see the server's message catalogue), and the values the message quotes.
/// </summary>
public sealed record FieldError(string Field, string MessageKey, params object[] Args);
