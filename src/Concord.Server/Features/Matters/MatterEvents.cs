using System.Text.Json;
using Concord.Server.Data;

namespace Concord.Server.Features.Matters;

/// <summary>
/// Records a change to a matter as an event row in the caller's unit of work: the timeline, the
/// audit trail and the outbox. The one place that knows the event row's shape and JSON.
/// </summary>
public static class MatterEvents
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Record(ConcordDb db, MatterRow matter, string type, DateTime at, string actor, object data)
    {
        var row = new MatterEventRow { MatterId = matter.Id, Type = type, At = at, Actor = actor, Data = JsonSerializer.Serialize(data, Json) };
        // A matter being taken in has no id yet: its events ride on its navigation and get the id on insert.
        if (matter.Id == 0)
        {
            matter.Events.Add(row);
        }
        else
        {
            db.MatterEvents.Add(row);
        }
    }
}
