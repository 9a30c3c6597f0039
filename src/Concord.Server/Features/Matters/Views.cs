using System.Text.Json;
using Concord.Domain.Privacy;
using Concord.Domain.Routing;
using Concord.Domain.Territories;
using Concord.Server.Access.PersonalData;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Problems;

namespace Concord.Server.Features.Matters;

public sealed record Link(string Code, string Name, string Level);

public sealed record UnitLink(string Code, string Name);

public sealed record PlaceView(string Code, string Name, string Level, IReadOnlyList<Link> Chain, string Match, bool Unmatched, double? Lat, double? Lon, string? Address);

public sealed record CategoryView(string Code, string Name, string Urgency, string AcceptWithin, string ReplyWithin, IReadOnlyList<Link> Path);

public sealed record RuleView(string Id, string? CategoryCode, string TerritoryCode, bool AutoDispatch, string? Note);

public sealed record RoutingView(string Basis, UnitLink? LeadUnit, IReadOnlyList<UnitLink> AssistingUnits, RuleView? Rule, string Explanation);

public sealed record PersonView(string? Name, string? Phone, string? Role = null);

public sealed record EventView(long Id, string Type, DateTime At, string? Actor, JsonElement Data);

/// <param name="Snippet">Only in search results: HTML, the passage that matched with its words in &lt;mark&gt;, all else escaped.</param>
public sealed record MatterSummary(string Code, string Kind, string Channel, string Status, string Title, PlaceView Place, CategoryView? Category, UnitLink? LeadUnit, DateTime ReceivedAt, string? Snippet = null);

public sealed record MatterView(
    string Code,
    string Kind,
    string Channel,
    string Status,
    string Title,
    string Description,
    PlaceView Place,
    CategoryView? Category,
    RoutingView Routing,
    DateTime? OccurredAt,
    DateTime ReceivedAt,
    DateTime UpdatedAt,
    PersonView? Reporter,
    IReadOnlyList<PersonView> Parties,
    int Version,
    IReadOnlyList<EventView>? Timeline,
    HandlingView? Handling = null);

/// <summary>Where the matter stands in its handling: deadlines with their traffic light, items, what the caller may do next.</summary>
public sealed record HandlingView(
    DateTime? DispatchedAt,
    DateTime? AcceptDueAt,
    DateTime? AcceptedAt,
    DateTime? ReplyDueAt,
    DateTime? RepliedAt,
    string? Light,
    string? Reply,
    string? Verdict,
    DateTime? ExtensionRequestedUntil,
    string? MergedInto,
    int Items,
    string CaseItemRatio,
    IReadOnlyList<string> Actions,
    IReadOnlyList<int> CalendarUnknownYears);

/// <summary>Renders stored matters for the API, in the request's language, with personal data masked.</summary>
public static class Views
{
    public static string MatchName(LocationMatch match) => Territories.LocatedView.MatchName(match);

    public static string BasisName(RoutingBasis basis) => basis switch
    {
        RoutingBasis.Rule => "rule",
        RoutingBasis.TerritoryFallback => "territory_fallback",
        _ => "undecided",
    };

    /// <summary>The matter with its personal data decrypted, then masked (张*, 138****5678).</summary>
    public static MatterView Matter(MatterRow m, CatalogSnapshot catalog, IEnumerable<MatterEventRow>? events, MatterPersonalData personalData)
    {
        var clear = personalData.Reveal(m);
        var reporter = clear.Reporter;
        return new MatterView(
            m.Code, m.Kind, m.Channel, m.Status, m.Title, m.Description,
            Place(m, catalog), Category(m.CategoryCode, catalog), Routing(m, catalog),
            m.OccurredAt, m.ReceivedAt, m.UpdatedAt,
            reporter is null || (reporter.Name is null && reporter.Phone is null) ? null : new PersonView(Masking.MaskName(reporter.Name), Masking.MaskPhone(reporter.Phone)),
            clear.Parties.Select(p => new PersonView(Masking.MaskName(p.Name), Masking.MaskPhone(p.Phone), p.Role)).ToList(),
            m.Version,
            events?.OrderBy(e => e.Id).Select(e => new EventView(e.Id, e.Type, e.At, e.Actor, JsonDocument.Parse(e.Data).RootElement.Clone())).ToList());
    }

    public static MatterSummary Summary(MatterRow m, CatalogSnapshot catalog) =>
        new(m.Code, m.Kind, m.Channel, m.Status, m.Title, Place(m, catalog), Category(m.CategoryCode, catalog), UnitOf(m.LeadUnitCode, catalog), m.ReceivedAt);

    public static PlaceView Place(MatterRow m, CatalogSnapshot catalog)
    {
        var chain = catalog.Tree.ChainOf(m.TerritoryCode).Select(t => new Link(t.Code, t.Name, t.Level.ToWire())).ToList();
        var deepest = chain.Count > 0 ? chain[^1] : new Link(m.TerritoryCode, m.TerritoryCode, "");
        return new PlaceView(deepest.Code, deepest.Name, deepest.Level, chain, m.LocationMatch, m.LocationUnmatched, m.Lat, m.Lon, m.Address);
    }

    public static CategoryView? Category(string? code, CatalogSnapshot catalog)
    {
        if (catalog.Categories.Find(code) is not { } c)
        {
            return code is null ? null : new CategoryView(code, code, "", "", "", []);
        }

        return new CategoryView(
            c.Code, Messages.IsZh ? c.Name : c.NameEn, c.Urgency.ToString().ToLowerInvariant(), c.AcceptWithin.ToString(), c.ReplyWithin.ToString(),
            catalog.Categories.ChainOf(c.Code).Select(x => new Link(x.Code, Messages.IsZh ? x.Name : x.NameEn, x.Depth switch { 1 => "domain", 2 => "category", _ => "subcategory" })).ToList());
    }

    public static UnitLink? UnitOf(string? code, CatalogSnapshot catalog) =>
        code is null ? null
        : catalog.Units.TryGetValue(code, out var unit) ? new UnitLink(unit.Code, Messages.IsZh ? unit.Name : unit.NameEn)
        : new UnitLink(code, code);

    public static RoutingView Routing(MatterRow m, CatalogSnapshot catalog)
    {
        var lead = UnitOf(m.LeadUnitCode, catalog);
        var assisting = m.AssistingUnitCodes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => UnitOf(c, catalog)!).ToList();
        var rule = m.RoutingRuleId is null ? null : catalog.Rules.FirstOrDefault(r => r.Id == m.RoutingRuleId);
        var ruleView = rule is null
            ? (m.RoutingRuleId is null ? null : new RuleView(m.RoutingRuleId, null, "", false, null))
            : new RuleView(rule.Id, rule.CategoryCode, rule.TerritoryCode, rule.AutoDispatch, rule.Note);
        return new RoutingView(m.RoutingBasis, lead, assisting, ruleView, Explain(m, rule, lead, assisting, catalog));
    }

    /// <summary>A sentence a dispatcher can read: which rule (or fallback) chose the unit, and why it applied.</summary>
    private static string Explain(MatterRow m, RoutingRule? rule, UnitLink? lead, IReadOnlyList<UnitLink> assisting, CatalogSnapshot catalog)
    {
        var zh = Messages.IsZh;
        var assistingText = assisting.Count == 0 ? "" : (zh ? "，协办：" : "; assisting: ") + string.Join(zh ? "、" : ", ", assisting.Select(a => a.Name));
        switch (m.RoutingBasis)
        {
            case "rule":
                var category = rule?.CategoryCode is { } cc ? Category(cc, catalog)?.Name ?? cc : (zh ? "任意分类" : "any category");
                var territory = rule is null ? "" : catalog.Tree.Find(rule.TerritoryCode)?.Name ?? rule.TerritoryCode;
                return zh
                    ? $"派单规则 {m.RoutingRuleId}（{category} · {territory}）为最具体的适用规则：主办 {lead?.Name}{assistingText}"
                    : $"Rule {m.RoutingRuleId} ({category} · {territory}) is the most specific rule that applies: lead {lead?.Name}{assistingText}";
            case "territory_fallback":
                return zh
                    ? $"没有适用的派单规则，按属地兜底：主办 {lead?.Name}"
                    : $"No routing rule applies; the territory's own government leads: {lead?.Name}";
            default:
                return zh
                    ? (m.CategoryCode is null ? "未分类，等待派单员分派" : "无法确定承办单位，等待派单员分派")
                    : (m.CategoryCode is null ? "No category yet: waits for the dispatcher" : "No unit could be determined: waits for the dispatcher");
        }
    }
}
