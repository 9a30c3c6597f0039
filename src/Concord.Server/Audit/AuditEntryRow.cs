namespace Concord.Server.Audit;

/// <summary>
/// One line of the append-only audit log. Written in the transaction of the change it records;
/// sealed afterwards into a hash chain (<see cref="ChainSeq"/>, <see cref="PreviousHash"/>,
/// <see cref="Hash"/>) by the sealer, so that concurrent writers never queue behind one chain head.
/// </summary>
public sealed class AuditEntryRow
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>User id, token prefix or "anonymous"/"system".</summary>
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    /// <summary>Client address.</summary>
    public string? Source { get; set; }
    /// <summary>JSON object with the facts of the action (never personal data in clear).</summary>
    public required string Details { get; set; }
    public long? ChainSeq { get; set; }
    public string? PreviousHash { get; set; }
    public string? Hash { get; set; }
}
