using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Concord.Domain.Territories;

/// <summary>
/// Which polygons cover a point, for many points against many fixed polygons. Built once, read by
/// any number of threads. Answers with the first covering polygon in the order the caller gave:
/// the caller orders them by its tie rule (smaller code first, or deeper level first).
/// <para>
/// A packed R-tree over flat arrays (items in Hilbert order of their envelope centres, 16 per node):
/// a point query reads a few contiguous blocks of doubles instead of chasing node objects, and holds
/// no per-polygon index. "Covers" is exactly NTS's prepared-polygon answer: the envelope covers the
/// point, and either the polygon is an axis-aligned rectangle (NTS's own shortcut) or the ray-crossing
/// count over all its rings does not say Exterior (what <see cref="IndexedPointInAreaLocator"/> counts,
/// here read straight from the rings; polygons with many vertices get that interval index, on first use).
/// </para>
/// </summary>
internal sealed class PolygonPointIndex
{
    private const int NodeCapacity = 16;

    /// <summary>Above this many vertices a linear scan of the rings costs more than a lazily built interval index.</summary>
    private const int ScanVertexLimit = 256;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private readonly Geometry[] polygons;
    private readonly Kind[] kinds;
    private readonly object?[] locators;

    // levels[0]: the items' envelopes (minX, minY, maxX, maxY) in tree order; levels[k]: the nodes over levels[k - 1].
    private readonly double[][] levels;
    private readonly int[] itemOrder;

    /// <param name="polygons">In the caller's preference order: <see cref="FirstCovering"/> answers the lowest position.</param>
    public PolygonPointIndex(IReadOnlyList<Geometry> polygons)
    {
        var n = polygons.Count;
        this.polygons = [.. polygons];
        kinds = new Kind[n];
        locators = new object?[n];
        // Hilbert order of the envelope centres keeps neighbours in the same nodes.
        var envelopes = new Envelope[n];
        var extent = new Envelope();
        for (var i = 0; i < n; i++)
        {
            envelopes[i] = EnvelopeOf(this.polygons[i]);
            extent.ExpandToInclude(envelopes[i]);
            kinds[i] = KindOf(this.polygons[i], envelopes[i]);
        }

        var keys = new ulong[n];
        itemOrder = new int[n];
        for (var i = 0; i < n; i++)
        {
            var e = envelopes[i];
            keys[i] = Hilbert(Scale((e.MinX + e.MaxX) / 2, extent.MinX, extent.Width), Scale((e.MinY + e.MaxY) / 2, extent.MinY, extent.Height));
            itemOrder[i] = i;
        }

        Array.Sort(keys, itemOrder);
        var items = new double[4 * n];
        for (var i = 0; i < n; i++)
        {
            var e = envelopes[itemOrder[i]];
            items[4 * i] = e.MinX;
            items[4 * i + 1] = e.MinY;
            items[4 * i + 2] = e.MaxX;
            items[4 * i + 3] = e.MaxY;
        }

        var built = new List<double[]> { items };
        while (built[^1].Length / 4 > NodeCapacity)
        {
            var below = built[^1];
            var count = below.Length / 4;
            var nodes = new double[4 * ((count + NodeCapacity - 1) / NodeCapacity)];
            for (var node = 0; node < nodes.Length / 4; node++)
            {
                double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
                for (var child = node * NodeCapacity; child < Math.Min(count, (node + 1) * NodeCapacity); child++)
                {
                    minX = Math.Min(minX, below[4 * child]);
                    minY = Math.Min(minY, below[4 * child + 1]);
                    maxX = Math.Max(maxX, below[4 * child + 2]);
                    maxY = Math.Max(maxY, below[4 * child + 3]);
                }

                nodes[4 * node] = minX;
                nodes[4 * node + 1] = minY;
                nodes[4 * node + 2] = maxX;
                nodes[4 * node + 3] = maxY;
            }

            built.Add(nodes);
        }

        levels = [.. built];
    }

    public int Count => polygons.Length;

    /// <summary>The lowest position of a polygon that covers (lon, lat), or -1.</summary>
    public int FirstCovering(double x, double y)
    {
        var best = -1;
        var top = levels.Length - 1;
        Visit(top, 0, levels[top].Length / 4, x, y, ref best);
        return best;
    }

    private void Visit(int level, int from, int to, double x, double y, ref int best)
    {
        var bounds = levels[level];
        for (var i = from; i < to; i++)
        {
            var o = 4 * i;
            // Written as "inside" so that NaN is never inside.
            if (!(bounds[o] <= x && x <= bounds[o + 2] && bounds[o + 1] <= y && y <= bounds[o + 3]))
            {
                continue;
            }

            if (level == 0)
            {
                var position = itemOrder[i];
                // A later position cannot win: skip its exact test.
                if ((best < 0 || position < best) && Covers(position, x, y))
                {
                    best = position;
                }
            }
            else
            {
                var below = levels[level - 1].Length / 4;
                Visit(level - 1, i * NodeCapacity, Math.Min(below, (i + 1) * NodeCapacity), x, y, ref best);
            }
        }
    }

    /// <summary>The envelope already covers the point.</summary>
    private bool Covers(int position, double x, double y)
    {
        switch (kinds[position])
        {
            case Kind.Rectangle:
                return true;
            case Kind.Scan:
                return ScanCovers(polygons[position], new Coordinate(x, y));
            case Kind.Indexed:
                var locator = (IPointOnGeometryLocator)(locators[position] ?? InitLocator(position, () => new IndexedPointInAreaLocator(polygons[position])));
                return locator.Locate(new Coordinate(x, y)) != Location.Exterior;
            default:
                var prepared = (IPreparedGeometry)(locators[position] ?? InitLocator(position, () => PreparedGeometryFactory.Prepare(polygons[position])));
                return prepared.Covers(Factory.CreatePoint(new Coordinate(x, y)));
        }
    }

    private object InitLocator(int position, Func<object> create)
    {
        // Two threads may both build one; either result is the same, one is kept.
        Interlocked.CompareExchange(ref locators[position], create(), null);
        return locators[position]!;
    }

    /// <summary>One crossing count over every ring of every part, as NTS's indexed locator counts it.</summary>
    private static bool ScanCovers(Geometry polygonal, Coordinate p)
    {
        var counter = new RayCrossingCounter(p);
        for (var part = 0; part < polygonal.NumGeometries; part++)
        {
            var polygon = (Polygon)polygonal.GetGeometryN(part);
            if (CountRing(counter, polygon.Shell))
            {
                return true;
            }

            foreach (var hole in polygon.Holes)
            {
                if (CountRing(counter, hole))
                {
                    return true;
                }
            }
        }

        return counter.Location != Location.Exterior;
    }

    /// <returns>True when the point lies on the ring (boundary: covered).</returns>
    private static bool CountRing(RayCrossingCounter counter, LineString ring)
    {
        var sequence = ring.CoordinateSequence;
        for (var i = 1; i < sequence.Count; i++)
        {
            counter.CountSegment(sequence.GetCoordinate(i - 1), sequence.GetCoordinate(i));
            if (counter.IsOnSegment)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The envelope NTS tests first (a polygon's is its shell's), read from the coordinates so that the
    /// geometry does not keep a cached envelope object for each of hundreds of thousands of polygons.
    /// </summary>
    private static Envelope EnvelopeOf(Geometry geometry)
    {
        switch (geometry)
        {
            case Polygon polygon:
                return polygon.Shell.CoordinateSequence.ExpandEnvelope(new Envelope());
            case MultiPolygon multi:
                var envelope = new Envelope();
                for (var part = 0; part < multi.NumGeometries; part++)
                {
                    ((Polygon)multi.GetGeometryN(part)).Shell.CoordinateSequence.ExpandEnvelope(envelope);
                }

                return envelope;
            default:
                return geometry.EnvelopeInternal;
        }
    }

    private static Kind KindOf(Geometry geometry, Envelope envelope) => geometry switch
    {
        Polygon polygon when IsAxisAlignedRectangle(polygon, envelope) => Kind.Rectangle,
        Polygon or MultiPolygon when geometry.NumPoints <= ScanVertexLimit => Kind.Scan,
        Polygon or MultiPolygon => Kind.Indexed,
        _ => Kind.Other,
    };

    /// <summary>
    /// Four corners of its envelope joined by axis-parallel edges, no hole: the polygon is its envelope, so
    /// "the envelope covers the point" is the exact answer (NTS's own rectangle shortcut; checked here
    /// without <see cref="Polygon.IsRectangle"/>, which caches an envelope on the geometry).
    /// </summary>
    private static bool IsAxisAlignedRectangle(Polygon polygon, Envelope e)
    {
        var ring = polygon.Shell.CoordinateSequence;
        if (polygon.NumInteriorRings != 0 || ring.Count != 5 || !(e.MinX < e.MaxX && e.MinY < e.MaxY))
        {
            return false;
        }

        for (var i = 0; i < 5; i++)
        {
            var x = ring.GetX(i);
            var y = ring.GetY(i);
            if ((x != e.MinX && x != e.MaxX) || (y != e.MinY && y != e.MaxY))
            {
                return false;
            }

            // Each edge moves along exactly one axis.
            if (i > 0 && (x == ring.GetX(i - 1)) == (y == ring.GetY(i - 1)))
            {
                return false;
            }
        }

        return true;
    }

    private static uint Scale(double value, double min, double width) =>
        width > 0 ? (uint)Math.Clamp((value - min) / width * 65535, 0, 65535) : 0;

    /// <summary>Position of (x, y) on the Hilbert curve over a 65,536 × 65,536 grid.</summary>
    private static ulong Hilbert(uint x, uint y)
    {
        const uint n = 1u << 16;
        ulong d = 0;
        for (var s = n / 2; s > 0; s /= 2)
        {
            var rx = (x & s) > 0 ? 1u : 0u;
            var ry = (y & s) > 0 ? 1u : 0u;
            d += (ulong)s * s * ((3 * rx) ^ ry);
            if (ry == 0)
            {
                if (rx == 1)
                {
                    x = n - 1 - x;
                    y = n - 1 - y;
                }

                (x, y) = (y, x);
            }
        }

        return d;
    }

    private enum Kind : byte
    {
        Rectangle,
        Scan,
        Indexed,
        Other,
    }
}
