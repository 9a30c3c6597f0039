using NetTopologySuite.Geometries;

namespace Concord.Domain.Territories;

/// <summary>How a place was resolved to a territory.</summary>
public enum LocationMatch
{
    /// <summary>The point lies in a grid.</summary>
    Grid,
    /// <summary>The point lies in a polygon above grid level (no grid covers it).</summary>
    Division,
    /// <summary>The point lies outside every polygon: it falls to the nearest county (属地兜底).</summary>
    NearestCounty,
    /// <summary>The caller named the territory by code.</summary>
    Code,
    /// <summary>A territory name was recognised in the address text.</summary>
    Address,
    /// <summary>Nothing matched; the matter sits at the root and waits for the dispatcher.</summary>
    None,
}

public sealed record Located(IReadOnlyList<Territory> Chain, LocationMatch Match, double? DistanceKm = null)
{
    public Territory? Deepest => Chain.Count > 0 ? Chain[^1] : null;

    /// <summary>True when the dispatcher must confirm the place ("location unmatched").</summary>
    public bool Unmatched => Match is LocationMatch.NearestCounty or LocationMatch.None;
}

/// <summary>
/// Point → grid → community → township → county → city, from polygons held in memory
/// (a packed R-tree over the polygons' envelopes, then the exact "covers" test; see
/// <see cref="PolygonPointIndex"/>). Immutable once built: a reload builds a new index and swaps it.
/// </summary>
public sealed class TerritoryIndex
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    // Leaves in code order (on a shared edge the smaller code wins); divisions deepest level first, then by code.
    private readonly Territory[] leafTerritories;
    private readonly PolygonPointIndex finest;
    private readonly Territory[] divisionTerritories;
    private readonly PolygonPointIndex divisions;

    // The answer for a polygon never changes while this index lives: built on first hit, then shared.
    private readonly Located?[] leafAnswers;
    private readonly Located?[] divisionAnswers;

    private readonly List<(Territory Territory, Geometry Geometry)> counties = [];
    private readonly IReadOnlyDictionary<string, Geometry> geometries;
    private readonly Dictionary<string, Territory[]> byName;
    private readonly int longestName;
    private readonly IReadOnlyList<Territory> root;

    public TerritoryIndex(TerritoryTree tree, IReadOnlyDictionary<string, Geometry> geometries)
    {
        Tree = tree;
        this.geometries = geometries;
        // Index only the leaves of the polygon hierarchy: a grid, or a division whose children have no polygon.
        var hasPolygonChild = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in geometries.Keys)
        {
            if (tree.Find(code)?.ParentCode is { } parent)
            {
                hasPolygonChild.Add(parent);
            }
        }

        var leaves = new List<(Territory Territory, Geometry Geometry)>();
        var upper = new List<(Territory Territory, Geometry Geometry)>();
        foreach (var (code, geometry) in geometries)
        {
            var territory = tree.Find(code);
            if (territory is null || geometry.IsEmpty)
            {
                continue;
            }

            if (!hasPolygonChild.Contains(code))
            {
                leaves.Add((territory, geometry));
            }
            else if (territory.Level >= TerritoryLevel.County)
            {
                // Above the county a point between the children's polygons still falls to the nearest county.
                upper.Add((territory, geometry));
            }

            if (territory.Level == TerritoryLevel.County)
            {
                counties.Add((territory, geometry));
            }
        }

        leaves.Sort((a, b) => string.CompareOrdinal(a.Territory.Code, b.Territory.Code));
        upper.Sort((a, b) => a.Territory.Level != b.Territory.Level
            ? b.Territory.Level.CompareTo(a.Territory.Level)
            : string.CompareOrdinal(a.Territory.Code, b.Territory.Code));
        leafTerritories = leaves.Select(l => l.Territory).ToArray();
        finest = new PolygonPointIndex(leaves.Select(l => l.Geometry).ToArray());
        leafAnswers = new Located?[leaves.Count];
        divisionTerritories = upper.Select(u => u.Territory).ToArray();
        divisions = new PolygonPointIndex(upper.Select(u => u.Geometry).ToArray());
        divisionAnswers = new Located?[upper.Count];
        PolygonCount = leaves.Count;

        var named = new Dictionary<string, List<Territory>>(StringComparer.Ordinal);
        foreach (var territory in tree.All)
        {
            if (territory.Name.Length < 2)
            {
                continue;
            }

            if (!named.TryGetValue(territory.Name, out var list))
            {
                named[territory.Name] = list = new List<Territory>(1);
            }

            list.Add(territory);
            longestName = Math.Max(longestName, territory.Name.Length);
        }

        // Exact-size arrays: a national tree has ~half a million distinct names.
        byName = new Dictionary<string, Territory[]>(named.Count, StringComparer.Ordinal);
        foreach (var (name, list) in named)
        {
            byName[name] = [.. list];
        }

        counties.Sort((a, b) => string.CompareOrdinal(a.Territory.Code, b.Territory.Code));
        // Found once: a stream of unplaceable points must stay cheap to answer.
        var top = tree.All.Where(t => tree.Find(t.ParentCode) is null).OrderBy(t => t.Level).ThenBy(t => t.Code, StringComparer.Ordinal).FirstOrDefault();
        root = top is null ? [] : [top];
    }

    public TerritoryTree Tree { get; }

    /// <summary>Number of leaf polygons in the spatial index.</summary>
    public int PolygonCount { get; }

    public Geometry? GeometryOf(string code) => geometries.GetValueOrDefault(code);

    public Located Locate(double lat, double lon)
    {
        var leaf = finest.FirstCovering(lon, lat);
        if (leaf >= 0)
        {
            return leafAnswers[leaf] ?? Remember(leafAnswers, leaf, leafTerritories[leaf]);
        }

        // Children's polygons need not tile their parent (a community only partly covered by
        // grids): the point then lies in the deepest division that covers it.
        var division = divisions.FirstCovering(lon, lat);
        if (division >= 0)
        {
            return divisionAnswers[division] ?? Remember(divisionAnswers, division, divisionTerritories[division]);
        }

        if (counties.Count == 0)
        {
            return new Located(root, LocationMatch.None);
        }

        var point = Factory.CreatePoint(new Coordinate(lon, lat));
        (Territory Territory, Geometry Geometry)? nearest = null;
        var nearestDistance = double.MaxValue;
        foreach (var county in counties)
        {
            var distance = county.Geometry.Distance(point);
            if (distance < nearestDistance)
            {
                nearestDistance = distance;
                nearest = county;
            }
        }

        return nearest is not { } found
            ? new Located(root, LocationMatch.None)
            : new Located(Tree.ChainOf(found.Territory.Code), LocationMatch.NearestCounty, Math.Round(DegreesToKm(nearestDistance, lat), 1));
    }

    private Located Remember(Located?[] answers, int position, Territory territory)
    {
        var match = territory.Level == TerritoryLevel.Grid ? LocationMatch.Grid : LocationMatch.Division;
        var located = new Located(Tree.ChainOf(territory.Code).ToArray(), match);
        // Two threads may both build it; the answers are equal and either is kept.
        Volatile.Write(ref answers[position], located);
        return located;
    }

    public Located LocateCode(string code)
    {
        var territory = Tree.Find(code);
        return territory is null ? new Located(Root(), LocationMatch.None) : new Located(Tree.ChainOf(code), LocationMatch.Code);
    }

    /// <summary>
    /// Finds the deepest territory whose name appears in the address, preferring chains whose
    /// ancestors are named too (同名乡镇 exist in different counties).
    /// </summary>
    public Located LocateAddress(string address)
    {
        var best = new List<Territory>();
        var bestScore = 0;
        // Every substring of the address looked up by name: the cost follows the address, not the number of territories.
        var candidates = new HashSet<Territory>();
        for (var start = 0; start < address.Length; start++)
        {
            for (var length = 2; length <= Math.Min(longestName, address.Length - start); length++)
            {
                if (byName.TryGetValue(address.Substring(start, length), out var named))
                {
                    candidates.UnionWith(named);
                }
            }
        }

        foreach (var territory in candidates)
        {
            var score = 0;
            foreach (var link in Tree.ChainOf(territory.Code))
            {
                if (address.Contains(link.Name, StringComparison.Ordinal))
                {
                    score += 10;
                }
            }

            score += (int)territory.Level;
            if (score > bestScore)
            {
                best.Clear();
                bestScore = score;
            }

            if (score == bestScore)
            {
                best.Add(territory);
            }
        }

        if (best.Count == 0)
        {
            return new Located(Root(), LocationMatch.None);
        }

        if (best.Count == 1)
        {
            return new Located(Tree.ChainOf(best[0].Code), LocationMatch.Address);
        }

        // The name fits several places equally well (two 城关镇): do not guess. The matter waits at
        // the places' common ancestor, flagged for the dispatcher.
        return new Located(CommonChain(best.Select(t => Tree.ChainOf(t.Code)).ToList()), LocationMatch.None);
    }

    private IReadOnlyList<Territory> CommonChain(IReadOnlyList<IReadOnlyList<Territory>> chains)
    {
        var common = new List<Territory>();
        for (var i = 0; chains.All(c => c.Count > i && c[i].Code == chains[0][i].Code); i++)
        {
            common.Add(chains[0][i]);
        }

        return common.Count > 0 ? common : Root();
    }

    private IReadOnlyList<Territory> Root() => root;

    private static double DegreesToKm(double degrees, double lat) =>
        // Good enough for "how far outside" hints: a degree of latitude is ~111 km; longitude shrinks with cos(lat).
        degrees * 111.32 * Math.Sqrt((1 + Math.Pow(Math.Cos(lat * Math.PI / 180), 2)) / 2);

}
