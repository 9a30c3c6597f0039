using Concord.Domain.Categories;
using Concord.Domain.Routing;
using Concord.Domain.Territories;

namespace Concord.Server.Catalog;

/// <summary>A unit that handles matters (单位).</summary>
public sealed record Unit(string Code, string Name, string NameEn, string Kind, string TerritoryCode)
{
    public const string GovernmentKind = "government";
}

/// <summary>
/// Everything intake needs to understand a matter, loaded from the database once and held
/// immutable in memory: territories with their spatial index, categories, units and the
/// dispatch catalogue. An import builds a new snapshot and swaps it in.
/// </summary>
public sealed class CatalogSnapshot
{
    public CatalogSnapshot(long revision, TerritoryIndex territories, CategoryCatalog categories, IReadOnlyList<Unit> units, IReadOnlyList<RoutingRule> rules)
    {
        Revision = revision;
        Territories = territories;
        Categories = categories;
        Units = units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        Rules = rules;
        governments = units.Where(u => u.Kind == Unit.GovernmentKind)
            .GroupBy(u => u.TerritoryCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(u => u.Code, StringComparer.Ordinal).First().Code, StringComparer.Ordinal);
        Router = new Router(rules, GovernmentOf);
    }

    public static CatalogSnapshot Empty { get; } = new(
        -1,
        new TerritoryIndex(new TerritoryTree([]), new Dictionary<string, NetTopologySuite.Geometries.Geometry>()),
        new CategoryCatalog([]),
        [],
        []);

    private readonly Dictionary<string, string> governments;

    /// <summary>The government unit of a territory (属地), when it has one.</summary>
    public string? GovernmentOf(string territoryCode) => governments.GetValueOrDefault(territoryCode);

    public long Revision { get; }
    public TerritoryIndex Territories { get; }
    public TerritoryTree Tree => Territories.Tree;
    public CategoryCatalog Categories { get; }
    public IReadOnlyDictionary<string, Unit> Units { get; }
    public IReadOnlyList<RoutingRule> Rules { get; }
    public Router Router { get; }
}
