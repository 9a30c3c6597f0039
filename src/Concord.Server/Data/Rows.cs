namespace Concord.Server.Data;

// The stored shape of the model. Enums are stored by their stable wire names, instants as UTC.

public sealed class TerritoryRow
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Level { get; set; }
    public string? ParentCode { get; set; }
    /// <summary>WKB (lon/lat, WGS84); null when only the division is known.</summary>
    public byte[]? Geometry { get; set; }
    /// <summary>True for the generated demo polygons, so the UI and API can say so.</summary>
    public bool Synthetic { get; set; }
}

public sealed class CategoryRow
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    public bool KeyDomain { get; set; }
    public required string Urgency { get; set; }
    public required string AcceptWithin { get; set; }
    public required string ReplyWithin { get; set; }
    /// <summary>Space-separated.</summary>
    public string Keywords { get; set; } = "";
}

public sealed class UnitRow
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    public required string Kind { get; set; }
    public required string TerritoryCode { get; set; }
}

public sealed class RoutingRuleRow
{
    public required string Id { get; set; }
    public string? CategoryCode { get; set; }
    public required string TerritoryCode { get; set; }
    public required string LeadUnitCode { get; set; }
    /// <summary>Comma-separated unit codes.</summary>
    public string AssistingUnitCodes { get; set; } = "";
    public bool AutoDispatch { get; set; }
    public string? Note { get; set; }
}

public sealed class MatterRow
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Kind { get; set; }
    public required string Channel { get; set; }
    public required string Status { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public string? CategoryCode { get; set; }
    public string? Urgency { get; set; }

    public double? Lat { get; set; }
    public double? Lon { get; set; }
    public string? Address { get; set; }
    /// <summary>The deepest territory the place resolved to.</summary>
    public required string TerritoryCode { get; set; }
    // The chain, one column a level, so that "this territory and everything below" is an equality on an indexed column.
    public string? ProvinceCode { get; set; }
    public string? CityCode { get; set; }
    public string? CountyCode { get; set; }
    public string? TownshipCode { get; set; }
    public string? CommunityCode { get; set; }
    public string? GridCode { get; set; }
    public required string LocationMatch { get; set; }
    public bool LocationUnmatched { get; set; }

    public DateTime? OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    // Personal data, encrypted at rest (ciphertext with its key id); masked in every answer.
    public string? ReporterName { get; set; }
    public string? ReporterPhone { get; set; }
    public string? ReporterIdNumber { get; set; }
    /// <summary>Keyed hash (HMAC) of the normalized phone: "other matters from this caller" without the phone in clear.</summary>
    public string? ReporterPhoneHash { get; set; }
    /// <summary>Encrypted JSON array of parties (names, phones, ID numbers, roles).</summary>
    public string? Parties { get; set; }
    /// <summary>Set when the retention rule erased the personal data of this closed matter.</summary>
    public DateTime? PersonalDataErasedAt { get; set; }

    public string? LeadUnitCode { get; set; }
    public string AssistingUnitCodes { get; set; } = "";
    public required string RoutingBasis { get; set; }
    public string? RoutingRuleId { get; set; }

    // Handling (the workflow): when things happened, what is due when, and what the deadline sweep has done.
    public DateTime? DispatchedAt { get; set; }
    public DateTime? AcceptDueAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? ReplyDueAt { get; set; }
    public DateTime? RepliedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? ReplyText { get; set; }
    /// <summary>The requested new reply deadline while an extension request waits for the center.</summary>
    public DateTime? ExtensionRequestedUntil { get; set; }
    public string? Verdict { get; set; }
    public int Dissatisfactions { get; set; }
    public long? MergedIntoId { get; set; }
    /// <summary>Items (件) so far: dispatches, re-dispatches, returns, reopenings, repeat complaints.</summary>
    public int Items { get; set; }
    /// <summary>When the deadline sweep must next look at this matter (indexed: its cost follows the due matters, not the table).</summary>
    public DateTime? NextCheckAt { get; set; }
    /// <summary>What the sweep already did for the current deadline: "", "yellow" (reminder sent) or "red" (supervision sent).</summary>
    public string SweepStage { get; set; } = "";

    // Queues (paged in the database): kept by Features/Handling/QueueColumns on every save of a matter.
    /// <summary>For an open matter (dispatched, accepted, in progress) the deadline it runs against now; null otherwise.</summary>
    public DateTime? QueueDueAt { get; set; }
    /// <summary>With <see cref="QueueDueAt"/>: the instant its light turns yellow (WorkingCalendar.YellowFrom).</summary>
    public DateTime? QueueYellowAt { get; set; }
    /// <summary>On the dispatcher's queue: received, returned, in review, or an extension request waiting.</summary>
    public bool WaitingForCenter { get; set; }

    /// <summary>The resident's tracking code (portal matters); with the secret, the only way a resident sees the matter.</summary>
    public string? TrackingCode { get; set; }
    /// <summary>SHA-256 of the tracking secret; the secret itself is shown once, to the resident.</summary>
    public string? TrackingSecretHash { get; set; }
    /// <summary>只让综治中心看到我的身份: only the center's dispatchers may reveal the identity, never the handling unit.</summary>
    public bool Confidential { get; set; }

    /// <summary>Row version for optimistic concurrency (ETag / If-Match).</summary>
    public int Version { get; set; }

    public List<MatterEventRow> Events { get; set; } = [];
}

/// <summary>Every change to a matter, written in the same transaction: the timeline, the audit trail, the outbox.</summary>
public sealed class MatterEventRow
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public required string Type { get; set; }
    public DateTime At { get; set; }
    public string? Actor { get; set; }
    /// <summary>JSON object with the event's facts.</summary>
    public required string Data { get; set; }
}

/// <summary>The first answer to a request carrying an Idempotency-Key, kept to answer retries.</summary>
public sealed class IdempotencyRow
{
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public required string ResponseBody { get; set; }
    public string? Location { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Named counters: the matter number on SQLite (PostgreSQL uses a sequence) and the catalogue revision.</summary>
public sealed class CounterRow
{
    public required string Name { get; set; }
    public long Value { get; set; }
}

/// <summary>A letter (函): 预警 warning, 提示 reminder, 督办 supervision, 交办 assignment, 警示 caution.</summary>
public sealed class LetterRow
{
    public long Id { get; set; }
    /// <summary>e.g. 平综治督〔2026〕17号; unique.</summary>
    public required string Number { get; set; }
    public required string Kind { get; set; }
    public required string IssuerUnitCode { get; set; }
    public int Year { get; set; }
    public long Sequence { get; set; }
    public required string AddresseeUnitCode { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateTime? ReplyDueAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public DateTime? RepliedAt { get; set; }
    public string? ReplyText { get; set; }
    /// <summary>The letter to the addressee's superior that this one escalated to, when unanswered.</summary>
    public long? EscalatedToId { get; set; }
    /// <summary>Set on letters that must exist once per key (a caution letter per unit and period; a deadline letter per matter and stage).</summary>
    public string? OnceKey { get; set; }
    /// <summary>Who issued it: a user id, or "system" for the sweep.</summary>
    public required string IssuedBy { get; set; }
    public List<LetterMatterRow> Matters { get; set; } = [];
}

public sealed class LetterMatterRow
{
    public long LetterId { get; set; }
    public long MatterId { get; set; }
}
