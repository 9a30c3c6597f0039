using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Concord.Domain.Territories;
using NetTopologySuite.Geometries;

namespace Concord.Bench;

/// <summary>
/// Scenario 2: point → grid chain with the domain's <see cref="TerritoryIndex"/>, in process (no HTTP, no database):
/// the Pingliang demo (synthetic Voronoi grids, as the server loads them) and a national synthetic layout.
/// </summary>
public static class LocateBench
{
    public const double TargetPerCore = 200_000;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static void Run(BenchOptions options, Report report)
    {
        var rows = new List<string[]>();
        double outsidePingliang = double.NaN, outsideNational = double.NaN;
        var sets = new JsonObject();
        report.Json["sets"] = sets;

        // --- Pingliang demo, as the server builds it.
        {
            var baseline = ManagedBytes();
            var sw = Stopwatch.StartNew();
            var divisions = ReadDivisions(File.OpenText(Path.Combine(options.Repo, "src", "Concord.Server", "ReferenceData", "pingliang-divisions.csv")));
            var generated = SyntheticGeometry.Generate(divisions, SyntheticGeometry.PingliangOptions());
            var generateSeconds = sw.Elapsed.TotalSeconds;
            var tree = new TerritoryTree(divisions.Concat(generated.Grids));
            var beforeIndex = ManagedBytes();
            sw.Restart();
            var index = new TerritoryIndex(tree, generated.Geometries);
            var buildSeconds = sw.Elapsed.TotalSeconds;
            var afterIndex = ManagedBytes();
            Console.WriteLine($"Pingliang: {index.PolygonCount} leaf polygons, generated in {generateSeconds:0.0} s, index built in {buildSeconds * 1000:0} ms");
            var points = RandomPoints(options.Points, 105.5, 107.6, 35.0, 35.7, seed: 1);
            var result = Measure(index, points);
            var outside = MeasureOutside(index, RandomPoints(Math.Min(options.Points, 2000), 104.0, 105.0, 35.0, 35.7, seed: 3));
            outsidePingliang = outside;
            var afterQueries = ManagedBytes();
            var json = SetJson("pingliang", tree.Count, index.PolygonCount, generateSeconds, buildSeconds, beforeIndex - baseline, afterIndex - beforeIndex, afterQueries - beforeIndex, result);
            json["pointArea"] = "uniform in lon 105.5–107.6, lat 35.0–35.7";
            json["outsideMicrosecondsPerPoint"] = Math.Round(outside, 1);
            sets["pingliang"] = json;
            rows.Add(Row("Pingliang demo (synthetic Voronoi grids)", index.PolygonCount, afterIndex - beforeIndex, afterQueries - beforeIndex, result));
            GC.KeepAlive(index);
            GC.KeepAlive(generated);
        }
        ForceGc();

        // --- National: one square per community on a deterministic grid per township (synthetic layout).
        if (options.National)
        {
            var path = options.Divisions ?? FindSharedDivisions(options.Repo);
            if (!File.Exists(path))
            {
                report.Note($"National set skipped: {path} not found.");
            }
            else
            {
                var baseline = ManagedBytes();
                var sw = Stopwatch.StartNew();
                List<Territory> divisions;
                using (var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
                using (var reader = new StreamReader(gz))
                {
                    divisions = ReadDivisions(reader);
                }
                // The file lists 东莞市, 中山市 and 儋州市 twice: as a city and as a county with the same code whose parent is
                // itself. TerritoryTree keeps the last and ChainOf then reports a cycle; keep the city only.
                var selfParented = divisions.Where(t => t.Code == t.ParentCode).Select(t => $"{t.Code} {t.Name}").ToList();
                divisions = divisions.Where(t => t.Code != t.ParentCode).ToList();
                var readSeconds = sw.Elapsed.TotalSeconds;
                sw.Restart();
                var layout = NationalLayout.Build(divisions, options.NationalMax);
                var generateSeconds = sw.Elapsed.TotalSeconds;
                var tree = new TerritoryTree(layout.Territories);
                var beforeIndex = ManagedBytes();
                sw.Restart();
                var index = new TerritoryIndex(tree, layout.Geometries);
                var buildSeconds = sw.Elapsed.TotalSeconds;
                var afterIndex = ManagedBytes();
                Console.WriteLine($"National: {layout.Communities} communities in {layout.Townships} townships, read in {readSeconds:0.0} s, laid out in {generateSeconds:0.0} s, index ({index.PolygonCount} leaf polygons) built in {buildSeconds:0.0} s");
                var points = layout.RandomPointsInTownships(options.Points, seed: 2);
                var result = Measure(index, points);
                var outside = MeasureOutside(index, RandomPoints(Math.Min(options.Points, 2000), 60, 70, 20, 50, seed: 4));
                outsideNational = outside;
                var afterQueries = ManagedBytes();
                var json = SetJson("national", tree.Count, index.PolygonCount, generateSeconds, buildSeconds, beforeIndex - baseline, afterIndex - beforeIndex, afterQueries - beforeIndex, result);
                json["communities"] = layout.Communities;
                json["droppedSelfParentedRows"] = new JsonArray(selfParented.Select(x => (JsonNode)x).ToArray());
                json["townships"] = layout.Townships;
                json["capped"] = layout.Capped;
                json["readSeconds"] = Math.Round(readSeconds, 2);
                json["layout"] = $"synthetic: townships on a {layout.Columns}×{layout.Rows} lattice over lon {layout.Extent.MinX}–{layout.Extent.MaxX}, lat {layout.Extent.MinY}–{layout.Extent.MaxY}; each township's communities as squares on a k×k grid inside its cell";
                json["pointArea"] = "a township chosen uniformly, then a point uniform in its cell (communities cover part of it; the rest falls to the township)";
                json["outsideMicrosecondsPerPoint"] = Math.Round(outside, 1);
                sets["national"] = json;
                rows.Add(Row($"National synthetic layout ({Report.F0(layout.Communities)} communities{(layout.Capped ? ", capped" : "")})", index.PolygonCount, afterIndex - beforeIndex, afterQueries - beforeIndex, result));
                GC.KeepAlive(index);
                GC.KeepAlive(layout);
            }
        }

        report.Note($"Points outside every polygon (the 属地兜底 path), 2,000 each: Pingliang {Report.F1(outsidePingliang)} µs/point"
            + (double.IsNaN(outsideNational) ? "." : $", national {Report.F1(outsideNational)} µs/point."));
        report.Table($"Locate: {Report.F0(options.Points)} random points → chain (TerritoryIndex.Locate, in process)",
            ["set", "leaf polygons", "1 thread points/s", "2 threads points/s", "2-thread scaling", "µs/point (1 thread)", "CPU µs/point (1 thread)", "index MB after build", "index MB after queries", "deepest hit: grid / community / township / outside"],
            rows);
        var targets = new List<string[]>();
        if (sets["national"] is JsonObject national)
        {
            var one = (double)national["oneThreadPerSecond"]!;
            targets.Add(["locate per core, national scale (1 thread)", "≥ 200,000 points/s", Report.F0(one) + " points/s", one >= TargetPerCore ? "yes" : "**no**"]);
        }
        var pl = sets["pingliang"]!;
        var plOne = (double)pl["oneThreadPerSecond"]!;
        targets.Add(["locate per core, Pingliang (1 thread)", "(≥ 200,000 points/s)", Report.F0(plOne) + " points/s", plOne >= TargetPerCore ? "yes" : "**no**"]);
        report.Table("Locate against the targets of issue 8", ["figure", "target", "measured", "met?"], targets);
    }

    // Division: the deepest hit is a community; Nearest: a township or above; None: outside every polygon (nearest county or root).
    // CpuMicroseconds: the process's CPU time per point over the three one-thread passes; less sensitive than wall time to a loaded machine.
    private sealed record LocateResult(double OneThread, double TwoThreads, long Grid, long Division, long Nearest, long None, double CpuMicroseconds);

    private static LocateResult Measure(TerritoryIndex index, (double Lat, double Lon)[] points)
    {
        // Warm-up (JIT tiers, lazily built prepared-geometry indexes are part of the steady state).
        var warm = Math.Min(points.Length, 100_000);
        for (var i = 0; i < warm; i++)
        {
            index.Locate(points[i].Lat, points[i].Lon);
        }
        long grid = 0, division = 0, nearest = 0, none = 0;
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        foreach (var (lat, lon) in points)
        {
            var located = index.Locate(lat, lon);
            if (located.Unmatched)
            {
                none++;
            }
            else
            {
                switch (located.Deepest?.Level)
                {
                    case TerritoryLevel.Grid: grid++; break;
                    case TerritoryLevel.Community: division++; break;
                    default: nearest++; break;
                }
            }
        }
        var ones = new List<double> { points.Length / sw.Elapsed.TotalSeconds };
        // The machine is shared and noisy: two more passes, the median is reported.
        for (var pass = 0; pass < 2; pass++)
        {
            sw.Restart();
            foreach (var (lat, lon) in points)
            {
                index.Locate(lat, lon);
            }
            ones.Add(points.Length / sw.Elapsed.TotalSeconds);
        }
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalMicroseconds / (3.0 * points.Length);
        ones.Sort();
        var one = ones[1];

        var twos = new List<double>();
        for (var pass = 0; pass < 3; pass++)
        {
            twos.Add(TwoThreads(index, points));
        }
        twos.Sort();
        var two = twos[1];
        Console.WriteLine($"   1 thread {one:0} points/s ({cpu:0.00} CPU µs/point), 2 threads {two:0} points/s; grid {grid}, community {division}, township or above {nearest}, outside every polygon {none}");
        return new LocateResult(one, two, grid, division, nearest, none, cpu);
    }

    private static double TwoThreads(TerritoryIndex index, (double Lat, double Lon)[] points)
    {
        var sw = Stopwatch.StartNew();
        var half = points.Length / 2;
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            var from = t * half;
            var to = t == 0 ? half : points.Length;
            for (var i = from; i < to; i++)
            {
                index.Locate(points[i].Lat, points[i].Lon);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        return points.Length / sw.Elapsed.TotalSeconds;
    }

    private static double MeasureOutside(TerritoryIndex index, (double Lat, double Lon)[] points)
    {
        index.Locate(points[0].Lat, points[0].Lon);
        var sw = Stopwatch.StartNew();
        foreach (var (lat, lon) in points)
        {
            index.Locate(lat, lon);
        }
        var us = sw.Elapsed.TotalMicroseconds / points.Length;
        Console.WriteLine($"   {points.Length} points outside every polygon: {us:0.0} µs/point");
        return us;
    }

    private static string[] Row(string name, int polygons, long indexBytes, long afterQueries, LocateResult r)
    {
        var n = (double)(r.Grid + r.Division + r.Nearest + r.None);
        return
        [
            name, Report.F0(polygons), Report.F0(r.OneThread), Report.F0(r.TwoThreads), Report.F2(r.TwoThreads / r.OneThread) + "×",
            Report.F2(1e6 / r.OneThread), Report.F2(r.CpuMicroseconds), Report.F0(indexBytes / 1048576.0), Report.F0(afterQueries / 1048576.0),
            $"{Report.Pct(r.Grid / n)} / {Report.Pct(r.Division / n)} / {Report.Pct(r.Nearest / n)} / {Report.Pct(r.None / n)}",
        ];
    }

    private static JsonObject SetJson(string name, int territories, int polygons, double generateSeconds, double buildSeconds,
        long geometryBytes, long indexBytes, long indexBytesAfterQueries, LocateResult r) => new()
    {
        ["name"] = name,
        ["territories"] = territories,
        ["leafPolygons"] = polygons,
        ["generateSeconds"] = Math.Round(generateSeconds, 2),
        ["indexBuildSeconds"] = Math.Round(buildSeconds, 3),
        ["geometriesAndTreeManagedMB"] = Math.Round(geometryBytes / 1048576.0, 1),
        ["indexManagedMB"] = Math.Round(indexBytes / 1048576.0, 1),
        ["indexManagedMBAfterQueries"] = Math.Round(indexBytesAfterQueries / 1048576.0, 1),
        ["oneThreadPerSecond"] = Math.Round(r.OneThread),
        ["twoThreadsPerSecond"] = Math.Round(r.TwoThreads),
        ["microsecondsPerPoint"] = Math.Round(1e6 / r.OneThread, 3),
        ["cpuMicrosecondsPerPoint"] = Math.Round(r.CpuMicroseconds, 3),
        ["deepestHit"] = new JsonObject { ["grid"] = r.Grid, ["community"] = r.Division, ["townshipOrAbove"] = r.Nearest, ["outsideEveryPolygon"] = r.None },
    };

    /// <summary>
    /// <c>shared/data/china-divisions.csv.gz</c> beside the repository, or beside one of its parents
    /// (a worktree sits a level deeper than the main checkout).
    /// </summary>
    private static string FindSharedDivisions(string repo)
    {
        var first = Path.Combine(Path.GetDirectoryName(repo)!, "shared", "data", "china-divisions.csv.gz");
        for (var dir = Directory.GetParent(repo); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "china-divisions.csv.gz");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return first;
    }

    private static (double Lat, double Lon)[] RandomPoints(int n, double minLon, double maxLon, double minLat, double maxLat, int seed)
    {
        var rng = new Random(seed);
        var points = new (double, double)[n];
        for (var i = 0; i < n; i++)
        {
            points[i] = (minLat + rng.NextDouble() * (maxLat - minLat), minLon + rng.NextDouble() * (maxLon - minLon));
        }
        return points;
    }

    private static void ForceGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private static long ManagedBytes()
    {
        ForceGc();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary><c>code,name,level,parent_code</c>; no quoted fields in these files.</summary>
    public static List<Territory> ReadDivisions(TextReader reader)
    {
        var list = new List<Territory>();
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var f = line.Split(',');
            if (f.Length != 4 || !TerritoryLevels.TryParse(f[2], out var level))
            {
                throw new InvalidDataException($"bad divisions line: {line}");
            }
            list.Add(new Territory(f[0], f[1], level, f[3].Length == 0 ? null : f[3]));
        }
        return list;
    }

    /// <summary>The national synthetic layout: NOT real boundaries.</summary>
    public sealed class NationalLayout
    {
        public required List<Territory> Territories { get; init; }
        public required Dictionary<string, Geometry> Geometries { get; init; }
        public int Communities { get; init; }
        public int Townships { get; init; }
        public int Columns { get; init; }
        public int Rows { get; init; }
        public bool Capped { get; init; }
        public required Envelope Extent { get; init; }

        /// <summary>
        /// Townships (ordered by code) fill a lattice over China's rough extent (lon 73–135, lat 18–53) row by row;
        /// a township's cell is its polygon, and its n communities are squares on a ⌈√n⌉×⌈√n⌉ grid inside it
        /// (each inset by 5 % of its slot, so neighbours never touch). Deterministic.
        /// </summary>
        public static NationalLayout Build(List<Territory> divisions, int maxCommunities)
        {
            var communitiesByTownship = divisions.Where(t => t.Level == TerritoryLevel.Community && t.ParentCode is not null)
                .GroupBy(t => t.ParentCode!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(t => t.Code, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
            var townships = divisions.Where(t => t.Level == TerritoryLevel.Township).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
            var capped = false;
            if (maxCommunities < int.MaxValue)
            {
                // Keep whole townships, in code order, until the cap.
                var kept = new List<Territory>();
                var total = 0;
                foreach (var t in townships)
                {
                    var n = communitiesByTownship.GetValueOrDefault(t.Code)?.Count ?? 0;
                    if (total + n > maxCommunities)
                    {
                        capped = true;
                        break;
                    }
                    kept.Add(t);
                    total += n;
                }
                townships = kept;
            }

            var extent = new Envelope(73, 135, 18, 53);
            // A lattice with roughly square cells on the ground is not needed: equal degrees are fine for a synthetic layout.
            var columns = (int)Math.Ceiling(Math.Sqrt(townships.Count * extent.Width / extent.Height));
            var rows = (int)Math.Ceiling(townships.Count / (double)columns);
            var cellW = extent.Width / columns;
            var cellH = extent.Height / rows;
            var geometries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
            var keptCodes = new HashSet<string>(StringComparer.Ordinal);
            var communities = 0;
            for (var i = 0; i < townships.Count; i++)
            {
                var township = townships[i];
                var x0 = extent.MinX + (i % columns) * cellW;
                var y0 = extent.MinY + (i / columns) * cellH;
                geometries[township.Code] = Square(x0, y0, cellW, cellH, 0);
                keptCodes.Add(township.Code);
                if (!communitiesByTownship.TryGetValue(township.Code, out var children))
                {
                    continue;
                }
                var k = (int)Math.Ceiling(Math.Sqrt(children.Count));
                var w = cellW / k;
                var h = cellH / k;
                for (var j = 0; j < children.Count; j++)
                {
                    geometries[children[j].Code] = Square(x0 + (j % k) * w, y0 + (j / k) * h, w, h, 0.05);
                    keptCodes.Add(children[j].Code);
                    communities++;
                }
            }
            // Every division above township level stays in the tree (chains reach the province); below it only the laid-out ones.
            var territories = divisions.Where(t => t.Level < TerritoryLevel.Township || keptCodes.Contains(t.Code)).ToList();
            return new NationalLayout
            {
                Territories = territories, Geometries = geometries, Communities = communities, Townships = townships.Count,
                Columns = columns, Rows = rows, Capped = capped, Extent = extent,
            };
        }

        /// <summary>A township chosen uniformly, then a point uniform in its lattice cell.</summary>
        public (double Lat, double Lon)[] RandomPointsInTownships(int n, int seed)
        {
            var rng = new Random(seed);
            var cellW = Extent.Width / Columns;
            var cellH = Extent.Height / Rows;
            var points = new (double, double)[n];
            for (var i = 0; i < n; i++)
            {
                var t = rng.Next(Townships);
                var x = Extent.MinX + (t % Columns + rng.NextDouble()) * cellW;
                var y = Extent.MinY + (t / Columns + rng.NextDouble()) * cellH;
                points[i] = (y, x);
            }
            return points;
        }

        private static Polygon Square(double x, double y, double w, double h, double inset)
        {
            var dx = w * inset;
            var dy = h * inset;
            return Factory.CreatePolygon(
            [
                new Coordinate(x + dx, y + dy), new Coordinate(x + w - dx, y + dy), new Coordinate(x + w - dx, y + h - dy),
                new Coordinate(x + dx, y + h - dy), new Coordinate(x + dx, y + dy),
            ]);
        }
    }
}
