using System.Text.Json;
using System.Text.Json.Serialization;
using Concord.Server.Data;

namespace Concord.Server.Catalog;

/// <summary>Reads the JSON files under ReferenceData/ (see its README for the formats).</summary>
public static class ReferenceData
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "ReferenceData", file);

    public static List<CategoryRow> ReadCategories(string path)
    {
        var roots = Deserialize<List<CategoryNode>>(path);
        var rows = new List<CategoryRow>();
        void Walk(CategoryNode node, CategoryNode? parent)
        {
            rows.Add(new CategoryRow
            {
                Code = node.Code,
                Name = node.Name,
                NameEn = node.NameEn ?? node.Name,
                KeyDomain = node.KeyDomain ?? parent?.KeyDomain ?? false,
                Urgency = node.Urgency ?? parent?.Urgency ?? "general",
                AcceptWithin = node.AcceptWithin ?? parent?.AcceptWithin ?? "24h",
                ReplyWithin = node.ReplyWithin ?? parent?.ReplyWithin ?? "7d",
                Keywords = string.Join(' ', node.Keywords ?? []),
            });
            var inherited = node with
            {
                KeyDomain = node.KeyDomain ?? parent?.KeyDomain,
                Urgency = node.Urgency ?? parent?.Urgency,
                AcceptWithin = node.AcceptWithin ?? parent?.AcceptWithin,
                ReplyWithin = node.ReplyWithin ?? parent?.ReplyWithin,
            };
            foreach (var child in node.Children ?? [])
            {
                Walk(child, inherited);
            }
        }

        foreach (var root in roots)
        {
            Walk(root, null);
        }

        return rows;
    }

    public static List<UnitRow> ReadUnits(string path) =>
        Deserialize<List<UnitRow>>(path);

    public static List<RoutingRuleRow> ReadRules(string path) =>
        Deserialize<List<RuleEntry>>(path).Select(r => new RoutingRuleRow
        {
            Id = r.Id,
            CategoryCode = string.IsNullOrWhiteSpace(r.CategoryCode) ? null : r.CategoryCode,
            TerritoryCode = r.TerritoryCode,
            LeadUnitCode = r.LeadUnit,
            AssistingUnitCodes = string.Join(',', r.AssistingUnits ?? []),
            AutoDispatch = r.AutoDispatch,
            Note = r.Note,
        }).ToList();

    private static T Deserialize<T>(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidDataException($"{path} is empty.");
    }

    private sealed record CategoryNode(
        string Code,
        string Name,
        string? NameEn,
        bool? KeyDomain,
        string? Urgency,
        string? AcceptWithin,
        string? ReplyWithin,
        List<string>? Keywords,
        List<CategoryNode>? Children);

    private sealed record RuleEntry(
        string Id,
        string? CategoryCode,
        string TerritoryCode,
        string LeadUnit,
        List<string>? AssistingUnits,
        bool AutoDispatch,
        string? Note);
}
