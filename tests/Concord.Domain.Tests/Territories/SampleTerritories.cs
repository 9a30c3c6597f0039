using Concord.Domain.Territories;
using NetTopologySuite.Geometries;

namespace Concord.Domain.Tests.Territories;

/// <summary>
/// A tiny hand-made hierarchy with rectangular polygons (lon/lat, SRID 4326), shared by the
/// territory, routing and intake tests. Every coordinate is a multiple of 1/4, so edges are exact.
/// <code>
/// 平凉市 620800          lon 100..102, lat 30..31
///   崆峒区 620802        lon 100..101
///     城关镇 620802001   lon 100..100.5
///       东关社区 …001    lat 30..30.5
///         东关一网格 …001  lon 100..100.25,  lat 30..30.5
///         东关二网格 …002  lon 100.25..100.5, lat 30..30.25  (lon 100.25..100.5, lat 30.25..30.5: no grid)
///       西关社区 …002    lat 30.5..31 (no grid polygons)
///     崆峒镇 620802002   lon 100.5..101 (no children)
///   泾川县 620821        lon 101..102
///     城关镇 620821001   lon 101..101.5 (same name as 620802001; its community and grid have no polygon)
///       南街社区 …001 → 南街一网格 …001
///     玉都镇 620821002   lon 101.5..102
/// </code>
/// </summary>
internal static class SampleTerritories
{
    public const string City = "620800";
    public const string Kongtong = "620802";
    public const string Jingchuan = "620821";
    public const string KongtongChengguan = "620802001";
    public const string KongtongTown = "620802002";
    public const string JingchuanChengguan = "620821001";
    public const string Yudu = "620821002";
    public const string Dongguan = "620802001001";
    public const string Xiguan = "620802001002";
    public const string Nanjie = "620821001001";
    public const string DongguanGrid1 = "620802001001001";
    public const string DongguanGrid2 = "620802001001002";
    public const string NanjieGrid1 = "620821001001001";

    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static IReadOnlyList<Territory> AllTerritories { get; } =
    [
        // Deliberately not in code order: the tree must sort children itself.
        new(NanjieGrid1, "南街一网格", TerritoryLevel.Grid, Nanjie),
        new(DongguanGrid2, "东关二网格", TerritoryLevel.Grid, Dongguan),
        new(DongguanGrid1, "东关一网格", TerritoryLevel.Grid, Dongguan),
        new(Xiguan, "西关社区", TerritoryLevel.Community, KongtongChengguan),
        new(Dongguan, "东关社区", TerritoryLevel.Community, KongtongChengguan),
        new(Nanjie, "南街社区", TerritoryLevel.Community, JingchuanChengguan),
        new(Yudu, "玉都镇", TerritoryLevel.Township, Jingchuan),
        new(JingchuanChengguan, "城关镇", TerritoryLevel.Township, Jingchuan),
        new(KongtongTown, "崆峒镇", TerritoryLevel.Township, Kongtong),
        new(KongtongChengguan, "城关镇", TerritoryLevel.Township, Kongtong),
        new(Jingchuan, "泾川县", TerritoryLevel.County, City),
        new(Kongtong, "崆峒区", TerritoryLevel.County, City),
        new(City, "平凉市", TerritoryLevel.City, "620000"),
    ];

    public static IReadOnlyDictionary<string, Geometry> Geometries { get; } = new Dictionary<string, Geometry>(StringComparer.Ordinal)
    {
        [City] = Box(100, 30, 102, 31),
        [Kongtong] = Box(100, 30, 101, 31),
        [Jingchuan] = Box(101, 30, 102, 31),
        [KongtongChengguan] = Box(100, 30, 100.5, 31),
        [KongtongTown] = Box(100.5, 30, 101, 31),
        [JingchuanChengguan] = Box(101, 30, 101.5, 31),
        [Yudu] = Box(101.5, 30, 102, 31),
        [Dongguan] = Box(100, 30, 100.5, 30.5),
        [Xiguan] = Box(100, 30.5, 100.5, 31),
        [DongguanGrid1] = Box(100, 30, 100.25, 30.5),
        [DongguanGrid2] = Box(100.25, 30, 100.5, 30.25),
    };

    public static TerritoryTree Tree() => new(AllTerritories);

    public static TerritoryIndex Index() => new(Tree(), Geometries);

    /// <summary>An axis-aligned square (or rectangle), counter-clockwise, in lon/lat.</summary>
    public static Polygon Box(double minLon, double minLat, double maxLon, double maxLat) =>
        Factory.CreatePolygon(
        [
            new Coordinate(minLon, minLat),
            new Coordinate(maxLon, minLat),
            new Coordinate(maxLon, maxLat),
            new Coordinate(minLon, maxLat),
            new Coordinate(minLon, minLat),
        ]);

    public static string[] Codes(IEnumerable<Territory> territories) => territories.Select(t => t.Code).ToArray();
}
