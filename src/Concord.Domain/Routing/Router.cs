using Concord.Domain.Categories;
using Concord.Domain.Territories;

namespace Concord.Domain.Routing;

public enum RoutingBasis
{
    /// <summary>A rule of the dispatch catalogue decided.</summary>
    Rule,
    /// <summary>No rule matched: the territory's own government owns the matter (属地兜底).</summary>
    TerritoryFallback,
    /// <summary>Nothing could decide (no category and no government for the place): the dispatcher must.</summary>
    Undecided,
}

/// <summary>Who handles a matter, and why — so that every dispatch can be explained.</summary>
public sealed record RoutingDecision(
    RoutingBasis Basis,
    string? LeadUnitCode,
    IReadOnlyList<string> AssistingUnitCodes,
    RoutingRule? Rule,
    string? FallbackTerritoryCode,
    bool AutoDispatch)
{
    public static readonly RoutingDecision Undecided = new(RoutingBasis.Undecided, null, [], null, null, false);
}

/// <summary>
/// Chooses the lead unit. Precedence, most specific first: the deepest matching category
/// (subcategory over category over domain over "any"), then the deepest matching territory,
/// then the smallest rule id (so that ties resolve the same way on every node).
/// A rule for a more specific category wins over a more local rule for a broader category:
/// the catalogue names owners per category, and "department matters are not pushed down"
/// (2025 national opinion on 12345) is expressed by city-level rules on specific categories.
/// </summary>
public sealed class Router
{
    private readonly IReadOnlyList<RoutingRule> rules;
    private readonly Func<string, string?> governmentOf;

    /// <param name="rules">The catalogue.</param>
    /// <param name="governmentOf">The government unit of a territory code, or null when it has none.</param>
    public Router(IEnumerable<RoutingRule> rules, Func<string, string?> governmentOf)
    {
        this.rules = rules.ToList();
        this.governmentOf = governmentOf;
    }

    /// <summary>
    /// Without a category nothing is decided: the matter waits in the dispatcher's queue, because
    /// a place alone does not say which unit must act.
    /// </summary>
    public RoutingDecision Route(string? categoryCode, IReadOnlyList<Territory> chain)
    {
        if (categoryCode is null)
        {
            return RoutingDecision.Undecided;
        }

        if (Candidates(categoryCode, chain).FirstOrDefault() is { } best)
        {
            return new RoutingDecision(RoutingBasis.Rule, best.LeadUnitCode, best.AssistingUnitCodes, best, null, best.AutoDispatch);
        }

        // 属地兜底: the deepest territory in the chain that has a government of its own.
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (governmentOf(chain[i].Code) is { } government)
            {
                return new RoutingDecision(RoutingBasis.TerritoryFallback, government, [], null, chain[i].Code, false);
            }
        }

        return RoutingDecision.Undecided;
    }

    /// <summary>Every rule that applies, the deciding one first: the material for explaining a dispatch.</summary>
    public IReadOnlyList<RoutingRule> Candidates(string categoryCode, IReadOnlyList<Territory> chain) =>
        rules
            .Select(rule => (rule, category: CategoryDepth(rule, categoryCode), territory: IndexInChain(chain, rule.TerritoryCode)))
            .Where(x => x.category >= 0 && x.territory >= 0)
            .OrderByDescending(x => x.category)
            .ThenByDescending(x => x.territory)
            .ThenBy(x => x.rule.Id, StringComparer.Ordinal)
            .Select(x => x.rule)
            .ToList();

    /// <summary>0 for "any category", else the length of the matching category prefix in levels; -1 when not matching.</summary>
    private static int CategoryDepth(RoutingRule rule, string categoryCode) =>
        rule.CategoryCode is null ? 0
        : CategoryCatalog.IsWithin(categoryCode, rule.CategoryCode) ? rule.CategoryCode.Length / 2
        : -1;

    private static int IndexInChain(IReadOnlyList<Territory> chain, string code)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain[i].Code == code)
            {
                return i;
            }
        }

        return -1;
    }
}
