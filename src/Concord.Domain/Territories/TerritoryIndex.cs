using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

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
/// (STRtree over envelopes, prepared geometries for the exact test). Immutable once built:
/// a reload builds a new index and swaps it.
/// </summary>
public sealed class TerritoryIndex
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private readonly STRtree<Cell> finest = new();
    private readonly STRtree<Cell> divisions = new();
    private readonly List<Cell> counties = [];
    private readonly IReadOnlyDictionary<string, Geometry> geometries;
    private readonly Dictionary<string, List<Territory>> byName = new(StringComparer.Ordinal);
    private readonly int longestName;

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

        foreach (var (code, geometry) in geometries)
        {
            var territory = tree.Find(code);
            if (territory is null || geometry.IsEmpty)
            {
                continue;
            }

            var cell = new Cell(territory, geometry, Prepare(geometry));
            if (!hasPolygonChild.Contains(code))
            {
                finest.Insert(geometry.EnvelopeInternal, cell);
                PolygonCount++;
            }
            else if (territory.Level >= TerritoryLevel.County)
            {
                // Above the county a point between the children's polygons still falls to the nearest county.
                divisions.Insert(geometry.EnvelopeInternal, cell);
            }

            if (territory.Level == TerritoryLevel.County)
            {
                counties.Add(cell);
            }
        }

        finest.Build();
        foreach (var territory in tree.All.Where(t => t.Name.Length >= 2))
        {
            if (!byName.TryGetValue(territory.Name, out var named))
            {
                byName[territory.Name] = named = [];
            }

            named.Add(territory);
            longestName = Math.Max(longestName, territory.Name.Length);
        }

        divisions.Build();
        counties.Sort((a, b) => string.CompareOrdinal(a.Territory.Code, b.Territory.Code));
    }

    public TerritoryTree Tree { get; }

    /// <summary>Number of leaf polygons in the spatial index.</summary>
    public int PolygonCount { get; }

    public Geometry? GeometryOf(string code) => geometries.GetValueOrDefault(code);

    public Located Locate(double lat, double lon)
    {
        var point = Factory.CreatePoint(new Coordinate(lon, lat));
        Cell? best = null;
        foreach (var cell in finest.Query(point.EnvelopeInternal))
        {
            // On a shared edge both cells cover the point; the smaller code wins so the answer is stable.
            if (cell.Prepared.Covers(point) && (best is null || string.CompareOrdinal(cell.Territory.Code, best.Territory.Code) < 0))
            {
                best = cell;
            }
        }

        if (best is null)
        {
            // Children's polygons need not tile their parent (a community only partly covered by
            // grids): the point then lies in the deepest division that covers it.
            foreach (var cell in divisions.Query(point.EnvelopeInternal))
            {
                if (cell.Prepared.Covers(point)
                    && (best is null || cell.Territory.Level > best.Territory.Level
                        || (cell.Territory.Level == best.Territory.Level && string.CompareOrdinal(cell.Territory.Code, best.Territory.Code) < 0)))
                {
                    best = cell;
                }
            }
        }

        if (best is not null)
        {
            var match = best.Territory.Level == TerritoryLevel.Grid ? LocationMatch.Grid : LocationMatch.Division;
            return new Located(Tree.ChainOf(best.Territory.Code), match);
        }

        Cell? nearest = null;
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

        return nearest is null
            ? new Located(Root(), LocationMatch.None)
            : new Located(Tree.ChainOf(nearest.Territory.Code), LocationMatch.NearestCounty, Math.Round(DegreesToKm(nearestDistance, lat), 1));
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

    /// <summary>The topmost territory, found once: a stream of unplaceable points must stay cheap to answer.</summary>
    private IReadOnlyList<Territory> Root() => root ??= FindRoot();

    private IReadOnlyList<Territory>? root;

    private IReadOnlyList<Territory> FindRoot()
    {
        var top = Tree.All.Where(t => Tree.Find(t.ParentCode) is null).OrderBy(t => t.Level).ThenBy(t => t.Code, StringComparer.Ordinal).FirstOrDefault();
        return top is null ? [] : [top];
    }

    private static IPreparedGeometry Prepare(Geometry geometry) => PreparedGeometryFactory.Prepare(geometry);

    private static double DegreesToKm(double degrees, double lat) =>
        // Good enough for "how far outside" hints: a degree of latitude is ~111 km; longitude shrinks with cos(lat).
        degrees * 111.32 * Math.Sqrt((1 + Math.Pow(Math.Cos(lat * Math.PI / 180), 2)) / 2);

    private sealed record Cell(Territory Territory, Geometry Geometry, IPreparedGeometry Prepared);
}
