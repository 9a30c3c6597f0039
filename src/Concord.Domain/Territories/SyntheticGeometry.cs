using System.Collections.ObjectModel;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Triangulate;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Concord.Domain.Tests")]

namespace Concord.Domain.Territories;

/// <summary>
/// Deterministic generator of <b>synthetic</b> boundaries for a real administrative hierarchy,
/// plus a generated layer of grids (网格) under every community.
/// </summary>
/// <remarks>
/// <para>
/// The geometry produced here is <b>synthetic — it is not the real boundary of anything</b>.
/// No public boundary data exists for townships, communities or grids, so the demo invents
/// plausible shapes: an irregular city outline, counties as Voronoi cells of the county seats,
/// and every lower level as a Lloyd-relaxed Voronoi partition of its parent. Real deployments
/// import official boundaries as GeoJSON instead of calling this.
/// </para>
/// <para>
/// Guarantees: every level partitions its parent (children cover the parent exactly and do
/// not overlap, up to floating-point rounding), every geometry is valid, SRID 4326, lon/lat,
/// and the output is a pure function of the inputs — the same divisions (in any order) and
/// options give identical codes and bit-identical coordinates on every run. Randomness comes
/// from a SplitMix64 stream per parent, seeded from <see cref="Options.Seed"/> and an FNV-1a
/// hash of the parent's code (never <see cref="string.GetHashCode()"/>, which is randomized
/// per process, nor <see cref="Random"/>), so the parallel work cannot change the result.
/// The outline uses <see cref="Math.Sin"/>, <see cref="Math.Pow"/> and friends, whose last bit
/// may differ between CPU architectures or C runtimes; within one platform the output is stable.
/// </para>
/// <para>
/// Edges are shared exactly between siblings (same Voronoi vertices), but a parent's boundary
/// is not re-noded: where two neighbouring communities' grids meet, each side has its own
/// vertices (T-junctions), so coverage tools that demand matching vertices across parents
/// need a snapping step first.
/// </para>
/// </remarks>
public static class SyntheticGeometry
{
    /// <summary>The spatial reference of every generated geometry: WGS 84 longitude/latitude.</summary>
    public const int Srid = 4326;

    /// <summary>Grid codes append a three-digit sequence, so a community holds at most this many grids.</summary>
    public const int MaxGridsPerCommunity = 999;

    /// <summary>Input of <see cref="Generate"/>.</summary>
    /// <param name="CountySeats">County code → seat (lon/lat). Every county of the city needs one.</param>
    /// <param name="Bounds">The city's extent (lon/lat); the generated outline stays inside it.</param>
    /// <param name="TargetGridCount">How many grids to generate in total (at least one per community).</param>
    /// <param name="Seed">Varies the shapes; the same seed always gives the same output.</param>
    public sealed record Options(
        IReadOnlyDictionary<string, (double Lon, double Lat)> CountySeats,
        Envelope Bounds,
        int TargetGridCount,
        int Seed);

    /// <summary>Output of <see cref="Generate"/>.</summary>
    /// <param name="Grids">The generated grid territories, ordered by code.</param>
    /// <param name="Geometries">
    /// Code → polygon for the city, every county, township and community, and every grid.
    /// Polygons where possible; a <see cref="MultiPolygon"/> only in the rare case that a
    /// detached piece could not be merged into a neighbour.
    /// </param>
    public sealed record Result(
        IReadOnlyList<Territory> Grids,
        IReadOnlyDictionary<string, Geometry> Geometries);

    /// <summary>The demo's county seats for 平凉市 (620800), approximate lon/lat of each seat town.</summary>
    public static IReadOnlyDictionary<string, (double Lon, double Lat)> PingliangCountySeats { get; } =
        new ReadOnlyDictionary<string, (double Lon, double Lat)>(new Dictionary<string, (double Lon, double Lat)>
        {
            ["620802"] = (106.68, 35.54), // 崆峒区
            ["620821"] = (107.37, 35.33), // 泾川县
            ["620822"] = (107.62, 35.07), // 灵台县
            ["620823"] = (107.03, 35.30), // 崇信县
            ["620825"] = (106.04, 35.20), // 庄浪县
            ["620826"] = (105.73, 35.52), // 静宁县
            ["620881"] = (106.65, 35.22), // 华亭市
        });

    /// <summary>The rough extent of 平凉市 (lon 105.2–107.8 E, lat 34.9–35.8 N). A new instance per call: <see cref="Envelope"/> is mutable.</summary>
    public static Envelope PingliangBounds => new(105.2, 107.8, 34.9, 35.8);

    /// <summary>Ready-made options for the 平凉市 demo.</summary>
    public static Options PingliangOptions(int targetGridCount = 5000, int seed = 620800) =>
        new(PingliangCountySeats, PingliangBounds, targetGridCount, seed);

    // Communities of urban townships (街道, code suffix starting with '0') are denser: each weighs this
    // many rural communities when the grid budget is shared out.
    private const double UrbanCommunityWeight = 4.0;

    private const int LloydIterations = 2;
    private const int SamplesPerChild = 24;
    private const int MinSamples = 64;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid);

    /// <summary>
    /// Generates synthetic geometry for the single <see cref="TerritoryLevel.City"/> in
    /// <paramref name="divisions"/> and everything under it, and generates the grids.
    /// Grid-level entries already in <paramref name="divisions"/> are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">No single city, a county without a seat, a seat outside the bounds, or duplicate codes.</exception>
    public static Result Generate(IReadOnlyList<Territory> divisions, Options options)
    {
        ArgumentNullException.ThrowIfNull(divisions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.CountySeats);
        ArgumentNullException.ThrowIfNull(options.Bounds);
        if (options.Bounds.IsNull || options.Bounds.Width <= 0 || options.Bounds.Height <= 0)
        {
            throw new ArgumentException("Bounds must be a non-empty envelope.", nameof(options));
        }
        if (options.TargetGridCount < 0)
        {
            throw new ArgumentException("TargetGridCount must not be negative.", nameof(options));
        }

        var byCode = new Dictionary<string, Territory>(StringComparer.Ordinal);
        foreach (var t in divisions)
        {
            if (t.Level == TerritoryLevel.Grid)
            {
                continue;
            }
            if (!byCode.TryAdd(t.Code, t))
            {
                throw new ArgumentException($"Duplicate territory code {t.Code}.", nameof(divisions));
            }
        }

        var cities = byCode.Values.Where(t => t.Level == TerritoryLevel.City).ToList();
        if (cities.Count != 1)
        {
            throw new ArgumentException($"Expected exactly one city, found {cities.Count}.", nameof(divisions));
        }
        var city = cities[0];

        var children = byCode.Values
            .Where(t => t.ParentCode is not null && byCode.ContainsKey(t.ParentCode) && t.Level > TerritoryLevel.City)
            .GroupBy(t => t.ParentCode!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(t => t.Code, StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal);
        Territory[] ChildrenOf(string code) => children.TryGetValue(code, out var c) ? c : [];

        // All the work happens in a local equal-scale frame (longitude shrunk by cos(latitude)), so
        // cells come out round on the ground rather than stretched north–south; the result is mapped
        // back to lon/lat at the end. Mapping is per coordinate, so shared vertices stay shared.
        var xScale = Math.Cos(options.Bounds.Centre.Y * Math.PI / 180);
        if (!(xScale > 0.05))
        {
            throw new ArgumentException("Bounds too close to a pole.", nameof(options));
        }
        var bounds = new Envelope(
            options.Bounds.MinX * xScale, options.Bounds.MaxX * xScale, options.Bounds.MinY, options.Bounds.MaxY);
        var counties = ChildrenOf(city.Code);
        var seats = new Coordinate[counties.Length];
        for (var i = 0; i < counties.Length; i++)
        {
            if (!options.CountySeats.TryGetValue(counties[i].Code, out var seat))
            {
                throw new ArgumentException($"No seat given for county {counties[i].Code} {counties[i].Name}.", nameof(options));
            }
            if (!options.Bounds.Contains(seat.Lon, seat.Lat))
            {
                throw new ArgumentException($"The seat of county {counties[i].Code} lies outside the bounds.", nameof(options));
            }
            seats[i] = new Coordinate(seat.Lon * xScale, seat.Lat);
        }
        if (seats.Select(s => (s.X, s.Y)).Distinct().Count() != seats.Length)
        {
            throw new ArgumentException("Two counties share a seat.", nameof(options));
        }

        var geometries = new Dictionary<string, Geometry>(StringComparer.Ordinal);

        // City outline, then counties as Voronoi cells of their seats.
        var outline = BuildOutline(bounds, seats, new Rng(options.Seed, city.Code));
        geometries[city.Code] = outline;
        if (counties.Length > 0)
        {
            var countyRng = new Rng(options.Seed, city.Code + "/counties");
            var countyShapes = Partition(outline, counties.Length, seats, ref countyRng, lloydIterations: 0);
            for (var i = 0; i < counties.Length; i++)
            {
                geometries[counties[i].Code] = countyShapes[i];
            }
        }

        // Every lower division level, one level at a time (parents are independent, so in parallel).
        var level = counties;
        var seatByCounty = counties.Select((c, i) => (c.Code, Seat: seats[i]))
            .ToDictionary(x => x.Code, x => x.Seat, StringComparer.Ordinal);
        while (true)
        {
            var parents = level.Where(p => ChildrenOf(p.Code).Length > 0).ToArray();
            if (parents.Length == 0)
            {
                break;
            }
            var shapes = new Geometry[parents.Length][];
            Parallel.For(0, parents.Length, i =>
            {
                var parent = parents[i];
                var kids = ChildrenOf(parent.Code);
                Coordinate?[]? anchors = null;
                if (parent.Level == TerritoryLevel.County && seatByCounty.TryGetValue(parent.Code, out var seat))
                {
                    anchors = UrbanAnchors(kids, seat, geometries[parent.Code]);
                }
                var rng = new Rng(options.Seed, parent.Code);
                shapes[i] = Partition(geometries[parent.Code], kids.Length, anchors, ref rng, LloydIterations);
            });
            for (var i = 0; i < parents.Length; i++)
            {
                var kids = ChildrenOf(parents[i].Code);
                for (var j = 0; j < kids.Length; j++)
                {
                    geometries[kids[j].Code] = shapes[i][j];
                }
            }
            level = parents.SelectMany(p => ChildrenOf(p.Code)).ToArray();
        }

        // Grids under every community.
        var communities = byCode.Values
            .Where(t => t.Level == TerritoryLevel.Community && geometries.ContainsKey(t.Code))
            .OrderBy(t => t.Code, StringComparer.Ordinal)
            .ToArray();
        var gridCounts = AllocateGrids(communities, byCode, geometries, options.TargetGridCount);
        var gridShapes = new Geometry[communities.Length][];
        Parallel.For(0, communities.Length, i =>
        {
            var rng = new Rng(options.Seed, communities[i].Code);
            gridShapes[i] = Partition(geometries[communities[i].Code], gridCounts[i], null, ref rng, LloydIterations);
        });

        var grids = new List<Territory>(gridCounts.Sum());
        for (var i = 0; i < communities.Length; i++)
        {
            var community = communities[i];
            for (var n = 1; n <= gridCounts[i]; n++)
            {
                var grid = new Territory(
                    community.Code + n.ToString("D3", System.Globalization.CultureInfo.InvariantCulture),
                    $"{community.Name}第{n}网格",
                    TerritoryLevel.Grid,
                    community.Code);
                grids.Add(grid);
                geometries[grid.Code] = gridShapes[i][n - 1];
            }
        }

        var lonLat = new Dictionary<string, Geometry>(geometries.Count, StringComparer.Ordinal);
        foreach (var (code, geometry) in geometries)
        {
            lonLat[code] = ToLonLat(geometry, xScale);
        }
        return new Result(grids.AsReadOnly(), new ReadOnlyDictionary<string, Geometry>(lonLat));
    }

    /// <summary>Whether a township code (or a community code under it) belongs to an urban 街道: the township suffix starts with '0'.</summary>
    public static bool IsUrban(string townshipOrCommunityCode) =>
        townshipOrCommunityCode.Length >= 9 && townshipOrCommunityCode[6] == '0';

    private static Geometry ToLonLat(Geometry geometry, double xScale)
    {
        var copy = geometry.Copy();
        copy.Apply(new UnscaleX(xScale));
        copy.GeometryChanged();
        copy.SRID = Srid;
        copy.UserData = null;
        return copy;
    }

    private sealed class UnscaleX(double xScale) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, seq.GetX(i) / xScale);
            }
        }
    }

    // ---------------------------------------------------------------- grid budget

    /// <summary>
    /// Shares <paramref name="target"/> grids out over the communities: first over counties in
    /// proportion to their area, then within a county over communities by weight (urban 街道
    /// communities weigh <see cref="UrbanCommunityWeight"/>, rural ones 1). Every community gets at least one.
    /// </summary>
    private static int[] AllocateGrids(
        Territory[] communities,
        Dictionary<string, Territory> byCode,
        Dictionary<string, Geometry> geometries,
        int target)
    {
        var counts = new int[communities.Length];
        if (communities.Length == 0)
        {
            return counts;
        }
        target = Math.Clamp(target, communities.Length, communities.Length * MaxGridsPerCommunity);

        // Group communities by county (the ancestor whose level is County; the city itself if none).
        string CountyOf(Territory t)
        {
            var current = t;
            while (current.Level > TerritoryLevel.County && current.ParentCode is not null && byCode.TryGetValue(current.ParentCode, out var p))
            {
                current = p;
            }
            return current.Code;
        }
        var groups = communities.Select((c, i) => (County: CountyOf(c), Index: i))
            .GroupBy(x => x.County, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (County: g.Key, Members: g.Select(x => x.Index).ToArray()))
            .ToArray();

        var countyAreas = groups.Select(g => geometries.TryGetValue(g.County, out var geom) ? geom.Area : 0).ToArray();
        var countyBudgets = Apportion(
            target,
            countyAreas,
            groups.Select(g => g.Members.Length).ToArray(),
            groups.Select(g => g.Members.Length * MaxGridsPerCommunity).ToArray());

        for (var g = 0; g < groups.Length; g++)
        {
            var members = groups[g].Members;
            var weights = members.Select(i => IsUrban(communities[i].Code) ? UrbanCommunityWeight : 1.0).ToArray();
            var perCommunity = Apportion(
                countyBudgets[g],
                weights,
                members.Select(_ => 1).ToArray(),
                members.Select(_ => MaxGridsPerCommunity).ToArray());
            for (var m = 0; m < members.Length; m++)
            {
                counts[members[m]] = perCommunity[m];
            }
        }
        return counts;
    }

    /// <summary>
    /// Splits <paramref name="total"/> into integers proportional to <paramref name="weights"/>,
    /// each clamped to [min, max] (a clamped share's excess or shortfall goes to the others),
    /// rounded by the largest-remainder method with ties to the lower index.
    /// </summary>
    private static int[] Apportion(int total, double[] weights, int[] min, int[] max)
    {
        var n = weights.Length;
        var result = new int[n];
        var clamped = new bool[n];
        var quotas = new double[n];
        while (true)
        {
            var free = Enumerable.Range(0, n).Where(i => !clamped[i]).ToArray();
            var left = total - Enumerable.Range(0, n).Where(i => clamped[i]).Sum(i => result[i]);
            var weightSum = free.Sum(i => Math.Max(weights[i], 0));
            foreach (var i in free)
            {
                quotas[i] = weightSum > 0 ? left * Math.Max(weights[i], 0) / weightSum : (double)left / free.Length;
            }
            var changed = false;
            foreach (var i in free)
            {
                if (quotas[i] < min[i] || quotas[i] > max[i])
                {
                    clamped[i] = true;
                    result[i] = quotas[i] < min[i] ? min[i] : max[i];
                    changed = true;
                }
            }
            if (!changed)
            {
                foreach (var i in free)
                {
                    result[i] = (int)Math.Floor(quotas[i]);
                    left -= result[i];
                }
                foreach (var i in free.OrderByDescending(i => quotas[i] - Math.Floor(quotas[i])).ThenBy(i => i))
                {
                    if (left <= 0)
                    {
                        break;
                    }
                    if (result[i] < max[i])
                    {
                        result[i]++;
                        left--;
                    }
                }
                return result;
            }
        }
    }

    // ---------------------------------------------------------------- city outline

    /// <summary>
    /// A wobbly rounded shape filling most of <paramref name="bounds"/>, pushed out towards any seat
    /// it would otherwise pass too close to, and cut to the bounds.
    /// </summary>
    private static Polygon BuildOutline(Envelope bounds, Coordinate[] seats, Rng rng)
    {
        // Work in coordinates normalised to the bounds: centre (0, 0), half-extent 1.
        var cx = bounds.Centre.X;
        var cy = bounds.Centre.Y;
        var hx = bounds.Width / 2;
        var hy = bounds.Height / 2;

        const int vertexCount = 120;
        const double exponent = 6.0;     // superellipse: a rounded box
        const double scale = 0.97;       // of the bounds
        const double seatMargin = 0.15;  // normalised radius kept beyond every seat
        const double seatSpread = 0.5;   // radians over which the push towards a seat fades out
        var harmonics = new (int K, double Amplitude, double Phase)[]
        {
            (2, 0.02 + 0.03 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
            (3, 0.03 + 0.03 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
            (5, 0.02 + 0.03 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
            (8, 0.01 + 0.02 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
            (13, 0.005 + 0.01 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
        };
        var seatPolar = seats
            .Select(s => ((s.X - cx) / hx, (s.Y - cy) / hy))
            .Select(p => (Radius: Math.Sqrt(p.Item1 * p.Item1 + p.Item2 * p.Item2), Angle: Math.Atan2(p.Item2, p.Item1)))
            .ToArray();

        var ring = new Coordinate[vertexCount + 1];
        for (var i = 0; i < vertexCount; i++)
        {
            var theta = 2 * Math.PI * i / vertexCount;
            var (cos, sin) = (Math.Cos(theta), Math.Sin(theta));
            var unit = 1 / Math.Pow(Math.Pow(Math.Abs(cos), exponent) + Math.Pow(Math.Abs(sin), exponent), 1 / exponent);
            var wobble = harmonics.Sum(h => h.Amplitude * Math.Sin(h.K * theta + h.Phase)) + 0.02 * (rng.NextDouble() - 0.5);
            var r = scale * unit * (1 + wobble);
            foreach (var (radius, angle) in seatPolar)
            {
                var delta = Math.Abs(Math.IEEERemainder(theta - angle, 2 * Math.PI)) / seatSpread;
                if (delta < 1)
                {
                    r = Math.Max(r, (radius + seatMargin) * (1 - delta * delta) + r * delta * delta);
                }
            }
            // Stay inside the bounds without running flat along them: a smooth minimum with the box.
            var box = 0.99 / Math.Max(Math.Abs(cos), Math.Abs(sin));
            const double softness = 0.03;
            r = -softness * Math.Log(Math.Exp(-r / softness) + Math.Exp(-box / softness));
            ring[i] = new Coordinate(cx + hx * r * cos, cy + hy * r * sin);
        }
        ring[vertexCount] = ring[0].Copy();
        Geometry shape = Factory.CreatePolygon(ring);

        // Safety net for seats the push could not reach (e.g. one right at the centre of a wild wobble).
        var margin = 0.05 * Math.Min(hx, hy);
        var boundary = shape.Boundary;
        var locator = new IndexedPointInAreaLocator(shape);
        var grow = seats
            .Where(s => locator.Locate(s) != Location.Interior || boundary.Distance(Factory.CreatePoint(s)) < margin)
            .Select(s => Factory.CreatePoint(s).Buffer(margin * 1.5, 4))
            .ToList();
        if (grow.Count > 0)
        {
            shape = OverlayNGRobust.Union((Geometry)Factory.CreateGeometryCollection([shape, .. grow]));
        }
        shape = OverlayNGRobust.Overlay(shape, Factory.ToGeometry(bounds), SpatialFunction.Intersection);
        return LargestPolygon(shape) ?? throw new InvalidOperationException("The city outline came out empty.");
    }

    // ---------------------------------------------------------------- partition

    /// <summary>
    /// Splits <paramref name="parent"/> into <paramref name="count"/> pieces that cover it exactly
    /// without overlapping: Voronoi cells of sites inside the parent, clipped to it. Sites are the
    /// given anchors where not null, otherwise random points relaxed by a few discrete Lloyd steps.
    /// </summary>
    private static Geometry[] Partition(Geometry parent, int count, Coordinate?[]? anchors, ref Rng rng, int lloydIterations)
    {
        if (count <= 0)
        {
            return [];
        }
        if (count == 1)
        {
            return [parent.Copy()];
        }

        var env = parent.EnvelopeInternal;
        var locator = new IndexedPointInAreaLocator(parent);

        // Random sample of interior points: the seed pool and the "mass" for Lloyd relaxation.
        var wanted = Math.Max(MinSamples, SamplesPerChild * count);
        var samples = new List<Coordinate>(wanted);
        var attempts = 0;
        var maxAttempts = wanted * 2000;
        while (samples.Count < wanted && attempts < maxAttempts)
        {
            attempts++;
            var c = new Coordinate(env.MinX + env.Width * rng.NextDouble(), env.MinY + env.Height * rng.NextDouble());
            if (locator.Locate(c) == Location.Interior)
            {
                samples.Add(c);
            }
        }
        if (samples.Count < count)
        {
            throw new InvalidOperationException("Could not place sites inside a parent polygon (is it degenerate?).");
        }

        var sites = new Coordinate[count];
        var fixedSite = new bool[count];
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            if (anchors is not null && i < anchors.Length && anchors[i] is { } a)
            {
                sites[i] = a.Copy();
                fixedSite[i] = true;
            }
            else
            {
                sites[i] = samples[next++].Copy();
            }
        }

        // Discrete Lloyd: move each free site to the mean of the samples nearest to it.
        for (var iteration = 0; iteration < lloydIterations; iteration++)
        {
            var sumX = new double[count];
            var sumY = new double[count];
            var n = new int[count];
            var owner = new int[samples.Count];
            for (var s = 0; s < samples.Count; s++)
            {
                owner[s] = Nearest(sites, samples[s]);
                sumX[owner[s]] += samples[s].X;
                sumY[owner[s]] += samples[s].Y;
                n[owner[s]]++;
            }
            for (var i = 0; i < count; i++)
            {
                if (fixedSite[i] || n[i] == 0)
                {
                    continue;
                }
                var mean = new Coordinate(sumX[i] / n[i], sumY[i] / n[i]);
                if (locator.Locate(mean) != Location.Interior)
                {
                    // Non-convex parent: fall back to the member sample closest to the mean.
                    var best = double.MaxValue;
                    for (var s = 0; s < samples.Count; s++)
                    {
                        if (owner[s] == i && samples[s].Distance(mean) < best)
                        {
                            best = samples[s].Distance(mean);
                            sites[i] = samples[s].Copy();
                        }
                    }
                    continue;
                }
                sites[i] = mean;
            }
        }
        EnsureDistinct(sites);

        return ClipVoronoi(parent, sites);
    }

    /// <summary>
    /// Test hook: splits one polygon the way every level below the counties is split
    /// (random sites, Lloyd relaxation, clipped Voronoi, detached pieces merged into neighbours).
    /// </summary>
    internal static Geometry[] Split(Geometry parent, int count, int seed, string key)
    {
        var rng = new Rng(seed, key);
        return Partition(parent, count, null, ref rng, LloydIterations);
    }

    private static int Nearest(Coordinate[] sites, Coordinate p)
    {
        var best = 0;
        var bestD = double.MaxValue;
        for (var i = 0; i < sites.Length; i++)
        {
            var dx = sites[i].X - p.X;
            var dy = sites[i].Y - p.Y;
            var d = dx * dx + dy * dy;
            if (d < bestD)
            {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    private static void EnsureDistinct(Coordinate[] sites)
    {
        var seen = new HashSet<(double, double)>();
        for (var i = 0; i < sites.Length; i++)
        {
            while (!seen.Add((sites[i].X, sites[i].Y)))
            {
                sites[i] = new Coordinate(sites[i].X + 1e-9, sites[i].Y + 1e-9);
            }
        }
    }

    /// <summary>Voronoi cells of <paramref name="sites"/> (all inside <paramref name="parent"/>) clipped to the parent, one per site.</summary>
    private static Geometry[] ClipVoronoi(Geometry parent, Coordinate[] sites)
    {
        var env = parent.EnvelopeInternal;
        var count = sites.Length;

        // Four far-away guard sites make the diagram cover the whole parent even when the real
        // sites bunch up (NTS sizes its frame from the sites' extent). A guard is farther from
        // every point of the parent's envelope than any real site is, so guard cells never reach it.
        var reach = 3 * Math.Max(env.Diameter, 1e-9);
        var centre = env.Centre;
        var all = new List<Coordinate>(sites)
        {
            new(centre.X - reach, centre.Y),
            new(centre.X + reach, centre.Y),
            new(centre.X, centre.Y - reach),
            new(centre.X, centre.Y + reach),
        };
        var clip = env.Copy();
        clip.ExpandBy(0.01 * Math.Max(env.Width, env.Height));
        var builder = new VoronoiDiagramBuilder { ClipEnvelope = clip };
        builder.SetSites(all);
        var diagram = builder.GetDiagram(Factory);

        var index = new Dictionary<(double, double), int>();
        for (var i = 0; i < count; i++)
        {
            index[(sites[i].X, sites[i].Y)] = i;
        }
        var cells = new Geometry?[count];
        for (var g = 0; g < diagram.NumGeometries; g++)
        {
            var cell = diagram.GetGeometryN(g);
            if (cell.UserData is Coordinate site && index.TryGetValue((site.X, site.Y), out var i))
            {
                cells[i] = cell;
            }
        }

        // Clip; keep for each child the piece holding its site, collect the rest as orphans.
        var pieces = new Geometry[count];
        var orphans = new List<(Polygon Piece, int Owner)>();
        var parentArea = parent.Area;
        for (var i = 0; i < count; i++)
        {
            var cell = cells[i] ?? throw new InvalidOperationException("Voronoi diagram lost a site.");
            var clipped = OverlayNGRobust.Overlay(cell, parent, SpatialFunction.Intersection);
            var polygons = PolygonExtracter.GetPolygons(clipped).Cast<Polygon>().Where(p => p.Area > 0).ToList();
            if (polygons.Count == 0)
            {
                throw new InvalidOperationException("A Voronoi cell missed its parent.");
            }
            var sitePoint = Factory.CreatePoint(sites[i]);
            var main = polygons.FirstOrDefault(p => p.Covers(sitePoint)) ?? polygons.MaxBy(p => p.Area)!;
            pieces[i] = main;
            orphans.AddRange(polygons.Where(p => !ReferenceEquals(p, main)).Select(p => (p, i)));
        }

        // Hand each detached piece to the neighbour it shares the longest border with.
        var progress = true;
        while (orphans.Count > 0 && progress)
        {
            progress = false;
            for (var o = 0; o < orphans.Count; o++)
            {
                var (piece, _) = orphans[o];
                var best = -1;
                var bestLength = 0.0;
                for (var j = 0; j < count; j++)
                {
                    if (!pieces[j].EnvelopeInternal.Intersects(piece.EnvelopeInternal))
                    {
                        continue;
                    }
                    var shared = OverlayNGRobust.Overlay(piece.Boundary, pieces[j].Boundary, SpatialFunction.Intersection).Length;
                    if (shared > bestLength)
                    {
                        bestLength = shared;
                        best = j;
                    }
                }
                if (best < 0)
                {
                    continue;
                }
                pieces[best] = Polygonal(OverlayNGRobust.Overlay(pieces[best], piece, SpatialFunction.Union));
                orphans.RemoveAt(o);
                o--;
                progress = true;
            }
        }
        foreach (var (piece, owner) in orphans)
        {
            // Touches its neighbours only at points: keep it with its owner as a MultiPolygon,
            // unless it is a rounding sliver.
            if (piece.Area > 1e-12 * parentArea)
            {
                pieces[owner] = Polygonal(OverlayNGRobust.Overlay(pieces[owner], piece, SpatialFunction.Union));
            }
        }
        return pieces;
    }

    /// <summary>The polygonal part of an overlay result: a Polygon if there is one piece, else a MultiPolygon.</summary>
    private static Geometry Polygonal(Geometry g)
    {
        var polygons = PolygonExtracter.GetPolygons(g).Cast<Polygon>().Where(p => p.Area > 0).ToArray();
        return polygons.Length switch
        {
            0 => throw new InvalidOperationException("An overlay lost all area."),
            1 => polygons[0],
            _ => Factory.CreateMultiPolygon(polygons),
        };
    }

    private static Polygon? LargestPolygon(Geometry g) =>
        PolygonExtracter.GetPolygons(g).Cast<Polygon>().Where(p => p.Area > 0).MaxBy(p => p.Area);

    // ---------------------------------------------------------------- urban anchors

    /// <summary>
    /// Fixed sites for a county's urban 街道 townships: the first at the county seat, the others on a
    /// tight ring around it, so the town districts come out small and central. Null for rural
    /// townships (placed randomly).
    /// </summary>
    private static Coordinate?[]? UrbanAnchors(Territory[] townships, Coordinate seat, Geometry county)
    {
        var urban = Enumerable.Range(0, townships.Length).Where(i => IsUrban(townships[i].Code)).ToArray();
        if (urban.Length == 0 || urban.Length == townships.Length)
        {
            return null;
        }
        var locator = new IndexedPointInAreaLocator(county);
        var radius = 0.12 * Math.Sqrt(county.Area / Math.PI);
        var anchors = new Coordinate?[townships.Length];
        anchors[urban[0]] = seat.Copy(); // the first 街道 holds the seat itself
        for (var u = 1; u < urban.Length; u++)
        {
            var angle = 2 * Math.PI * u / (urban.Length - 1) + 0.5;
            var r = radius;
            Coordinate c;
            do
            {
                c = new Coordinate(seat.X + r * Math.Cos(angle), seat.Y + r * Math.Sin(angle));
                r /= 2;
            }
            while (locator.Locate(c) != Location.Interior && r > 1e-6);
            anchors[urban[u]] = c;
        }
        return anchors;
    }

    // ---------------------------------------------------------------- deterministic randomness

    /// <summary>SplitMix64 seeded from the options' seed and a stable (FNV-1a) hash of a code.</summary>
    private struct Rng
    {
        private ulong _state;

        public Rng(int seed, string key)
        {
            var hash = 14695981039346656037UL;
            foreach (var ch in key)
            {
                hash = (hash ^ ch) * 1099511628211UL;
            }
            _state = hash ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
        }

        public ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1).</summary>
        public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));
    }
}
