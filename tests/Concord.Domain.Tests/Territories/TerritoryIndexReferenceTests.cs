using Concord.Domain.Territories;
using NetTopologySuite.Geometries;

namespace Concord.Domain.Tests.Territories;

/// <summary>
/// The index against a brute-force reference: for each point, every polygon tested with plain
/// <see cref="Geometry.Covers(Geometry)"/>, then the rule — the covering leaf with the smallest code;
/// else the deepest covering division (county or below), smallest code first; else the nearest
/// county, smallest code on a tie. Random layouts with shared edges, a diagonal edge, holes, a
/// multipolygon, overlapping leaves, a polygon with hundreds of vertices and gaps; points on edges,
/// on vertices, at edge midpoints and outside everything.
/// </summary>
public sealed class TerritoryIndexReferenceTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Every_point_resolves_as_the_brute_force_reference_does(int seed)
    {
        var (tree, geometries) = Layout(seed);
        var index = new TerritoryIndex(tree, geometries);
        var reference = new Reference(tree, geometries);
        var points = Points(geometries, seed);
        var matches = new Dictionary<LocationMatch, int>();

        foreach (var (lat, lon) in points)
        {
            var expected = reference.Locate(lat, lon);
            var actual = index.Locate(lat, lon);

            var where = $"point lat {lat:R}, lon {lon:R}";
            Assert.True(expected.Match == actual.Match, $"{where}: {expected.Match} expected, {actual.Match} found");
            Assert.True(expected.Chain.SequenceEqual(actual.Chain.Select(t => t.Code)),
                $"{where}: {string.Join('/', expected.Chain)} expected, {string.Join('/', actual.Chain.Select(t => t.Code))} found");
            if (expected.Degrees is { } degrees)
            {
                // DistanceKm: degrees × 111.32 km × a factor in [√½, 1] for the latitude, rounded to 0.1 km.
                Assert.InRange(actual.DistanceKm!.Value, degrees * 111.32 * Math.Sqrt(0.5) - 0.05, degrees * 111.32 + 0.05);
            }
            else
            {
                Assert.Null(actual.DistanceKm);
            }

            matches[actual.Match] = matches.GetValueOrDefault(actual.Match) + 1;
        }

        // The layout and the points exercise every path, not just the common one.
        Assert.True(matches.GetValueOrDefault(LocationMatch.Grid) > 50, "grid hits");
        Assert.True(matches.GetValueOrDefault(LocationMatch.Division) > 50, "division hits");
        Assert.True(matches.GetValueOrDefault(LocationMatch.NearestCounty) > 50, "points outside every polygon");
    }

    [Fact]
    public void A_repeated_point_gets_an_equal_answer_each_time()
    {
        var (tree, geometries) = Layout(7);
        var index = new TerritoryIndex(tree, geometries);
        foreach (var (lat, lon) in Points(geometries, 7).Take(500))
        {
            var first = index.Locate(lat, lon);
            var again = index.Locate(lat, lon);
            Assert.Equal(first.Match, again.Match);
            Assert.Equal(first.Chain.Select(t => t.Code), again.Chain.Select(t => t.Code));
            Assert.Equal(first.DistanceKm, again.DistanceKm);
        }
    }

    private sealed class Reference(TerritoryTree tree, IReadOnlyDictionary<string, Geometry> geometries)
    {
        private readonly HashSet<string> withPolygonChild = geometries.Keys
            .Select(code => tree.Find(code)?.ParentCode).OfType<string>().ToHashSet(StringComparer.Ordinal);

        private readonly List<(Territory Territory, Geometry Geometry)> polygons = geometries
            .Where(g => tree.Find(g.Key) is not null && !g.Value.IsEmpty)
            .Select(g => (tree.Find(g.Key)!, g.Value)).ToList();

        public (LocationMatch Match, string[] Chain, double? Degrees) Locate(double lat, double lon)
        {
            var point = Factory.CreatePoint(new Coordinate(lon, lat));
            var covering = polygons.Where(p => p.Geometry.Covers(point)).ToList();
            var leaf = covering.Where(p => !withPolygonChild.Contains(p.Territory.Code))
                .OrderBy(p => p.Territory.Code, StringComparer.Ordinal).Select(p => p.Territory).FirstOrDefault();
            if (leaf is not null)
            {
                return (leaf.Level == TerritoryLevel.Grid ? LocationMatch.Grid : LocationMatch.Division, Chain(leaf), null);
            }

            var division = covering.Where(p => withPolygonChild.Contains(p.Territory.Code) && p.Territory.Level >= TerritoryLevel.County)
                .OrderByDescending(p => p.Territory.Level).ThenBy(p => p.Territory.Code, StringComparer.Ordinal)
                .Select(p => p.Territory).FirstOrDefault();
            if (division is not null)
            {
                return (LocationMatch.Division, Chain(division), null);
            }

            var county = polygons.Where(p => p.Territory.Level == TerritoryLevel.County)
                .Select(p => (p.Territory, Distance: p.Geometry.Distance(point)))
                .OrderBy(p => p.Distance).ThenBy(p => p.Territory.Code, StringComparer.Ordinal).FirstOrDefault();
            return county.Territory is not null
                ? (LocationMatch.NearestCounty, Chain(county.Territory), county.Distance)
                : (LocationMatch.None, [tree.All.OrderBy(t => t.Level).First().Code], null);
        }

        private string[] Chain(Territory territory)
        {
            var chain = new List<string>();
            for (var t = territory; t is not null; t = tree.Find(t.ParentCode))
            {
                chain.Insert(0, t.Code);
            }

            return [.. chain];
        }
    }

    /// <summary>
    /// 市 620800 over lon 100–104, lat 30–32. 县 620801 (lon 100–102) split into three townships along
    /// random vertical lines (shared edges); 县 620802 (lon 102–103.5, lat 30–31.5) with one triangular
    /// township covering half of it; 县 620803 without a polygon; the rest of the city is a gap.
    /// Township 1 has communities on a 2×2 layout (one missing, one with a hole) and grids in one of
    /// them (two triangles sharing a diagonal, the upper half ungridded); township 2 is a leaf;
    /// township 3 holds a two-part multipolygon, a comb with hundreds of vertices and two
    /// overlapping communities. Every coordinate is dyadic, so edges and midpoints are exact.
    /// </summary>
    private static (TerritoryTree Tree, Dictionary<string, Geometry> Geometries) Layout(int seed)
    {
        var rng = new Random(seed);
        const double eighth = 0.125;
        var x1 = 100 + eighth * rng.Next(4, 8);
        var x2 = x1 + eighth * rng.Next(4, 8);
        var territories = new List<Territory>
        {
            new("620800", "平凉市", TerritoryLevel.City, null),
            new("620801", "甲县", TerritoryLevel.County, "620800"),
            new("620802", "乙县", TerritoryLevel.County, "620800"),
            new("620803", "丙县", TerritoryLevel.County, "620800"),
            new("620801001", "一镇", TerritoryLevel.Township, "620801"),
            new("620801002", "二镇", TerritoryLevel.Township, "620801"),
            new("620801003", "三镇", TerritoryLevel.Township, "620801"),
            new("620802001", "四镇", TerritoryLevel.Township, "620802"),
            new("620803001", "五镇", TerritoryLevel.Township, "620803"),
        };
        var g = new Dictionary<string, Geometry>(StringComparer.Ordinal)
        {
            ["620800"] = Box(100, 30, 104, 32),
            ["620801"] = Box(100, 30, 102, 32),
            ["620802"] = Box(102, 30, 103.5, 31.5),
            ["620801001"] = Box(100, 30, x1, 32),
            ["620801002"] = Box(x1, 30, x2, 32),
            ["620801003"] = Box(x2, 30, 102, 32),
            ["620802001"] = Polygon((102, 30), (103.5, 30), (102, 31.5), (102, 30)),
        };

        // Township 1: communities on a 2×2 layout with shared edges; one slot left empty at random.
        var midX = 100 + (x1 - 100) / 2;
        var midY = 30 + eighth * rng.Next(4, 12);
        var empty = rng.Next(4);
        var slots = new[] { (100, 30, midX, midY), (midX, 30, x1, midY), (100, midY, midX, 32.0), (midX, midY, x1, 32.0) };
        for (var i = 0; i < 4; i++)
        {
            var code = $"620801001{i + 1:000}";
            territories.Add(new Territory(code, $"社区{i + 1}", TerritoryLevel.Community, "620801001"));
            if (i == empty)
            {
                continue;
            }

            var (a, b, c, d) = slots[i];
            g[code] = i == (empty + 1) % 4
                ? Factory.CreatePolygon(Ring((a, b), (c, b), (c, d), (a, d), (a, b)),
                    [Ring((a + (c - a) / 4, b + (d - b) / 4), (a + (c - a) / 2, b + (d - b) / 4), (a + (c - a) / 2, b + (d - b) / 2), (a + (c - a) / 4, b + (d - b) / 2), (a + (c - a) / 4, b + (d - b) / 4))])
                : Box(a, b, c, d);
        }

        // Grids in the first community that has a plain box: two triangles sharing the diagonal of its lower square.
        var gridded = Enumerable.Range(0, 4).First(i => i != empty && i != (empty + 1) % 4);
        var (ga, gb, gc, _) = slots[gridded];
        var side = gc - ga;
        var parent = $"620801001{gridded + 1:000}";
        territories.Add(new Territory(parent + "001", "一网格", TerritoryLevel.Grid, parent));
        territories.Add(new Territory(parent + "002", "二网格", TerritoryLevel.Grid, parent));
        territories.Add(new Territory(parent + "003", "三网格", TerritoryLevel.Grid, parent));
        g[parent + "001"] = Polygon((ga, gb), (gc, gb), (gc, gb + side), (ga, gb));
        g[parent + "002"] = Polygon((ga, gb), (gc, gb + side), (ga, gb + side), (ga, gb));
        g[parent + "003"] = Factory.CreatePolygon(); // an empty polygon is skipped

        // Township 3: a two-part multipolygon, a comb with hundreds of vertices, two overlapping communities.
        territories.Add(new Territory("620801003001", "多块社区", TerritoryLevel.Community, "620801003"));
        territories.Add(new Territory("620801003002", "梳子社区", TerritoryLevel.Community, "620801003"));
        territories.Add(new Territory("620801003003", "重叠甲", TerritoryLevel.Community, "620801003"));
        territories.Add(new Territory("620801003004", "重叠乙", TerritoryLevel.Community, "620801003"));
        g["620801003001"] = Factory.CreateMultiPolygon([Box(x2, 30, x2 + eighth, 30.25), Box(x2 + 2 * eighth, 30, x2 + 3 * eighth, 30.25)]);
        g["620801003002"] = Comb(x2, 30.5, teeth: 140 + rng.Next(60), toothWidth: 1.0 / 256, height: 0.5, depth: 1.0 / 16);
        var o = 31.25 + eighth * rng.Next(2);
        g["620801003004"] = Box(x2, o, x2 + 2 * eighth, o + 2 * eighth);
        g["620801003003"] = Box(x2 + eighth, o + eighth, x2 + 3 * eighth, o + 3 * eighth);

        return (new TerritoryTree(territories), g);
    }

    private static List<(double Lat, double Lon)> Points(IReadOnlyDictionary<string, Geometry> geometries, int seed)
    {
        var rng = new Random(seed * 7919);
        var points = new List<(double, double)>();
        // Uniform, over the city and a margin around it (outside everything).
        for (var i = 0; i < 1500; i++)
        {
            points.Add((29.5 + rng.NextDouble() * 3, 99.5 + rng.NextDouble() * 5));
        }

        // On a 1/16 lattice: shared edges, corners, the triangles' diagonal.
        for (var i = 0; i < 1500; i++)
        {
            points.Add((29.75 + rng.Next(41) / 16.0, 99.75 + rng.Next(73) / 16.0));
        }

        // In every polygon's envelope, every vertex and every edge midpoint of every polygon, and a fine lattice over the comb.
        foreach (var geometry in geometries.Values)
        {
            var envelope = geometry.EnvelopeInternal;
            for (var i = 0; i < 60 && !envelope.IsNull; i++)
            {
                points.Add((envelope.MinY + rng.NextDouble() * envelope.Height, envelope.MinX + rng.NextDouble() * envelope.Width));
            }

            var coordinates = geometry.Coordinates;
            for (var i = 0; i < coordinates.Length; i++)
            {
                points.Add((coordinates[i].Y, coordinates[i].X));
                if (i > 0)
                {
                    points.Add(((coordinates[i].Y + coordinates[i - 1].Y) / 2, (coordinates[i].X + coordinates[i - 1].X) / 2));
                }
            }
        }

        var comb = geometries["620801003002"].EnvelopeInternal;
        for (var i = 0; i < 1000; i++)
        {
            points.Add((comb.MinY + rng.Next((int)(comb.Height * 512) + 1) / 512.0, comb.MinX + rng.Next((int)(comb.Width * 512) + 1) / 512.0));
        }

        return points;
    }

    private static Polygon Comb(double x, double y, int teeth, double toothWidth, double height, double depth)
    {
        var right = x + teeth * toothWidth;
        var ring = new List<(double, double)> { (x, y), (right, y) };
        for (var i = 0; i < teeth; i++)
        {
            var top = i % 2 == 0 ? y + height : y + height - depth;
            ring.Add((right - i * toothWidth, top));
            ring.Add((right - (i + 1) * toothWidth, top));
        }

        ring.Add((x, y));
        return Polygon([.. ring]);
    }

    private static Polygon Box(double minLon, double minLat, double maxLon, double maxLat) =>
        Polygon((minLon, minLat), (maxLon, minLat), (maxLon, maxLat), (minLon, maxLat), (minLon, minLat));

    private static Polygon Polygon(params (double X, double Y)[] ring) => Factory.CreatePolygon(Ring(ring));

    private static LinearRing Ring(params (double X, double Y)[] ring) =>
        Factory.CreateLinearRing(ring.Select(p => new Coordinate(p.X, p.Y)).ToArray());
}
