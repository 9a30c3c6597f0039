using System.Text.Json;
using Concord.Server.Features.Handling;
using Concord.Server.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Server.Components;

/// <summary>
/// Labels the matter pages share (status, kind, channel, light, event types, reasons, verdicts, letters)
/// from the <c>ui.*</c> keys of the catalogue, local times, and the problems of a handling step read back
/// for display beside the form that caused them.
/// </summary>
public static class PageText
{
    /// <summary>The wire name's label (ui.{group}.{name}), or the name itself when the catalogue lacks it.</summary>
    public static string Label(string group, string? name) =>
        name is null ? "" : Messages.Has($"ui.{group}.{name}") ? Ui.T($"ui.{group}.{name}") : name;

    public static string Status(string status) => Label("status", status);

    public static string Kind(string kind) => Label("kind", kind);

    public static string Channel(string channel) => Label("channel", channel);

    public static string Light(string? light) => Label("light", light);

    public static string Event(string type) => Label("event", type);

    public static string LetterKind(string kind) => Label("letter_kind", kind);

    /// <summary>A UTC instant as the center's local time: 2026-11-26 09:30.</summary>
    public static string Time(Deadlines deadlines, DateTime? utc) =>
        utc is { } value ? deadlines.Local(value).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "—";

    /// <summary>The handling steps' wire names (as the API's "actions" lists them).</summary>
    public static string StepName(Concord.Domain.Workflow.MatterAction action) =>
        HandlingEndpoints.Steps.First(kv => kv.Value == action).Key;

    public const string ReturnReasons = "not_our_duty,wrong_place,insufficient_information,duplicate,other";

    public const string Verdicts = "satisfied,basically_satisfied,dissatisfied";
}

/// <summary>A problem answer of a use case (RFC 9457 body), read back for the page: status, title, detail, field errors.</summary>
public sealed record PageProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static PageProblem From(IResult result)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status500InternalServerError;
        if (result is JsonHttpResult<Dictionary<string, object?>> { Value: { } body })
        {
            var title = body.TryGetValue("title", out var t) ? t as string ?? "" : "";
            var detail = body.TryGetValue("detail", out var d) ? d as string : null;
            var errors = body.TryGetValue("errors", out var e) && e is Dictionary<string, string[]> map ? map : new Dictionary<string, string[]>();
            return new PageProblem(status, title, detail, errors);
        }

        return new PageProblem(status, Messages.Text("title.server_error"), null, new Dictionary<string, string[]>());
    }

    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var list) ? list : [];
}

/// <summary>Reads the JSON data of a timeline event for a short, readable line.</summary>
public static class EventData
{
    public static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int? Int(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
