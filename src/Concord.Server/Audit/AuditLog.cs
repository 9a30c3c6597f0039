using System.Text.Json;
using Concord.Server.Data;

namespace Concord.Server.Audit;

/// <summary>Who did something, and from where: the subject of an audit entry.</summary>
public sealed record Actor(string Id, string Source)
{
    public static readonly Actor System = new("system", "local");
}

/// <summary>
/// Appends audit entries to the caller's unit of work, so that an entry commits (or not) with
/// the change it records. Entries are sealed into the hash chain afterwards by the sealer.
/// </summary>
public static class AuditLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static AuditEntryRow Append(ConcordDb db, Actor actor, string action, string? targetType, string? targetId, object? details, DateTime at)
    {
        var entry = new AuditEntryRow
        {
            At = at,
            Actor = actor.Id,
            Source = actor.Source,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Details = details is null ? "{}" : JsonSerializer.Serialize(details, Json),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}
