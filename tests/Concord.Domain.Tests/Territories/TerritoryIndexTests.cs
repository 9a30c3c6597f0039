using Concord.Domain.Territories;
using NetTopologySuite.Geometries;
using static Concord.Domain.Tests.Territories.SampleTerritories;

namespace Concord.Domain.Tests.Territories;

public sealed class TerritoryIndexTests
{
    private readonly TerritoryIndex index = Index();

    [Fact]
    public void Indexes_only_the_leaves_of_the_polygon_hierarchy()
    {
        // 东关一网格, 东关二网格, 西关社区, 崆峒镇, 泾川城关镇, 玉都镇.
        Assert.Equal(6, index.PolygonCount);
    }

    [Theory]
    [InlineData(30.125, 100.125, DongguanGrid1)]
    [InlineData(30.4, 100.1, DongguanGrid1)]
    [InlineData(30.125, 100.375, DongguanGrid2)]
    public void A_point_in_a_grid_gives_the_full_chain_down_to_the_grid(double lat, double lon, string grid)
    {
        var located = index.Locate(lat, lon);

        Assert.Equal(LocationMatch.Grid, located.Match);
        Assert.False(located.Unmatched);
        Assert.Null(located.DistanceKm);
        Assert.Equal([City, Kongtong, KongtongChengguan, Dongguan, grid], Codes(located.Chain));
        Assert.Equal(grid, located.Deepest?.Code);
    }

    [Theory]
    [InlineData(30.125, 100.25, DongguanGrid1)] // edge shared by 东关一网格 and 东关二网格
    [InlineData(30.25, 100.25, DongguanGrid1)] // a corner of both grids
    [InlineData(30.5, 100.125, DongguanGrid1)] // edge shared by 东关一网格 and 西关社区
    [InlineData(30.75, 101.0, KongtongTown)] // edge shared by 崆峒镇 (崆峒区) and 城关镇 (泾川县)
    [InlineData(30.75, 101.5, JingchuanChengguan)] // edge shared by 城关镇 and 玉都镇 (泾川县)
    public void A_point_on_a_shared_edge_resolves_to_the_smaller_code(double lat, double lon, string expected)
    {
        var first = index.Locate(lat, lon);
        var again = Index().Locate(lat, lon);

        Assert.Equal(expected, first.Deepest?.Code);
        Assert.Equal(expected, again.Deepest?.Code);
        Assert.False(first.Unmatched);
    }

    [Theory]
    [InlineData(30.75, 100.25, Xiguan, new[] { City, Kongtong, KongtongChengguan, Xiguan })]
    [InlineData(30.5, 100.75, KongtongTown, new[] { City, Kongtong, KongtongTown })]
    [InlineData(30.5, 101.25, JingchuanChengguan, new[] { City, Jingchuan, JingchuanChengguan })]
    public void A_point_in_a_division_without_grid_polygons_matches_the_division(double lat, double lon, string deepest, string[] chain)
    {
        var located = index.Locate(lat, lon);

        Assert.Equal(LocationMatch.Division, located.Match);
        Assert.False(located.Unmatched);
        Assert.Equal(deepest, located.Deepest?.Code);
        Assert.Equal(chain, Codes(located.Chain));
    }

    [Fact]
    public void A_point_in_a_community_but_in_none_of_its_grids_matches_the_community()
    {
        // 东关社区 has grid polygons, but they leave its north-east quarter uncovered. The point
        // is inside the community (and its township and county): it is not "outside every polygon".
        var located = index.Locate(30.375, 100.375);

        Assert.Equal(LocationMatch.Division, located.Match);
        Assert.Equal([City, Kongtong, KongtongChengguan, Dongguan], Codes(located.Chain));
        Assert.False(located.Unmatched);
    }

    [Fact]
    public void A_point_in_a_county_between_its_townships_matches_the_county_but_between_counties_falls_to_the_nearest()
    {
        // Hand-drawn polygons leave slivers: 甲县 is only half covered by its township, and the
        // city is not covered between 甲县 and 乙县.
        var tree = new TerritoryTree(
        [
            new Territory("620800", "平凉市", TerritoryLevel.City, null),
            new Territory("620801", "甲县", TerritoryLevel.County, "620800"),
            new Territory("620802", "乙县", TerritoryLevel.County, "620800"),
            new Territory("620801001", "甲镇", TerritoryLevel.Township, "620801"),
        ]);
        var sliver = new TerritoryIndex(tree, new Dictionary<string, Geometry>
        {
            ["620800"] = Box(100, 30, 102, 31),
            ["620801"] = Box(100, 30, 100.75, 31),
            ["620802"] = Box(101.25, 30, 102, 31),
            ["620801001"] = Box(100, 30, 100.75, 30.5),
        });

        var inCounty = sliver.Locate(30.75, 100.5);
        Assert.Equal(LocationMatch.Division, inCounty.Match);
        Assert.Equal(["620800", "620801"], Codes(inCounty.Chain));

        var inTownship = sliver.Locate(30.25, 100.5);
        Assert.Equal(LocationMatch.Division, inTownship.Match);
        Assert.Equal("620801001", inTownship.Deepest?.Code);

        // A quarter degree from 甲县, three quarters from 乙县: inside the city polygon, but no county's.
        var between = sliver.Locate(30.5, 101);
        Assert.Equal(LocationMatch.NearestCounty, between.Match);
        Assert.Equal("620801", between.Deepest?.Code);
        Assert.InRange(between.DistanceKm!.Value, 20, 30);
    }

    [Fact]
    public void A_point_outside_everything_falls_to_the_nearest_county()
    {
        // One degree of longitude east of 泾川县 at latitude 30.5°: about 96 km.
        var located = index.Locate(30.5, 103);

        Assert.Equal(LocationMatch.NearestCounty, located.Match);
        Assert.True(located.Unmatched);
        Assert.Equal([City, Jingchuan], Codes(located.Chain));
        Assert.NotNull(located.DistanceKm);
        Assert.InRange(located.DistanceKm.Value, 90, 110);
        Assert.Equal(Math.Round(located.DistanceKm.Value, 1), located.DistanceKm.Value);
    }

    [Fact]
    public void The_nearest_county_is_the_closer_one()
    {
        // Half a degree west of 崆峒区: about 48 km.
        var located = index.Locate(30.5, 99.5);

        Assert.Equal(LocationMatch.NearestCounty, located.Match);
        Assert.Equal(Kongtong, located.Deepest?.Code);
        Assert.InRange(located.DistanceKm!.Value, 40, 60);
    }

    [Fact]
    public void A_point_as_far_from_two_counties_falls_to_the_smaller_code()
    {
        // Due north of the border between 崆峒区 and 泾川县: both are one degree of latitude (~111 km) away.
        var located = index.Locate(32, 101);

        Assert.Equal(LocationMatch.NearestCounty, located.Match);
        Assert.Equal(Kongtong, located.Deepest?.Code);
        Assert.InRange(located.DistanceKm!.Value, 95, 125);
    }

    [Fact]
    public void Without_any_county_polygon_an_outside_point_matches_nothing_and_sits_at_the_root()
    {
        var empty = new TerritoryIndex(Tree(), new Dictionary<string, Geometry>());

        var located = empty.Locate(30.5, 100.5);

        Assert.Equal(LocationMatch.None, located.Match);
        Assert.True(located.Unmatched);
        Assert.Null(located.DistanceKm);
        Assert.Equal([City], Codes(located.Chain));
        Assert.Equal(0, empty.PolygonCount);
    }

    [Fact]
    public void LocateCode_gives_the_chain_of_a_known_code()
    {
        var located = index.LocateCode(NanjieGrid1);

        Assert.Equal(LocationMatch.Code, located.Match);
        Assert.False(located.Unmatched);
        Assert.Equal([City, Jingchuan, JingchuanChengguan, Nanjie, NanjieGrid1], Codes(located.Chain));
    }

    [Fact]
    public void LocateCode_of_an_unknown_code_matches_nothing_and_sits_at_the_root()
    {
        var located = index.LocateCode("620899001");

        Assert.Equal(LocationMatch.None, located.Match);
        Assert.True(located.Unmatched);
        Assert.Equal([City], Codes(located.Chain));
    }

    [Theory]
    // Two townships are called 城关镇: the one whose county is named too wins.
    [InlineData("平凉市泾川县城关镇人民路1号", JingchuanChengguan)]
    [InlineData("泾川县城关镇", JingchuanChengguan)]
    [InlineData("崆峒区城关镇中山街", KongtongChengguan)]
    // A named community under one of them decides as well, and is deeper.
    [InlineData("城关镇南街社区3号楼", Nanjie)]
    [InlineData("城关镇东关社区", Dongguan)]
    // The deepest named territory wins.
    [InlineData("平凉市崆峒区城关镇东关社区东关一网格", DongguanGrid1)]
    [InlineData("平凉市玉都镇", Yudu)]
    [InlineData("泾川县某村", Jingchuan)]
    public void LocateAddress_prefers_the_chain_whose_ancestors_are_named(string address, string expected)
    {
        var located = index.LocateAddress(address);

        Assert.Equal(LocationMatch.Address, located.Match);
        Assert.False(located.Unmatched);
        Assert.Equal(expected, located.Deepest?.Code);
        Assert.Equal(Codes(Tree().ChainOf(expected)), Codes(located.Chain));
    }

    [Fact]
    public void LocateAddress_does_not_guess_between_places_of_the_same_name()
    {
        // Nothing but the ambiguous name: the matter waits at the common ancestor for the dispatcher.
        var located = index.LocateAddress("城关镇北大街");

        Assert.Equal(LocationMatch.None, located.Match);
        Assert.True(located.Unmatched);
        Assert.Equal([City], Codes(located.Chain));
    }

    [Theory]
    [InlineData("")]
    [InlineData("兰州市城中区")]
    public void LocateAddress_without_a_known_name_matches_nothing(string address)
    {
        var located = index.LocateAddress(address);

        Assert.Equal(LocationMatch.None, located.Match);
        Assert.True(located.Unmatched);
        Assert.Equal([City], Codes(located.Chain));
    }

    [Fact]
    public void GeometryOf_returns_the_polygon_or_null()
    {
        Assert.Same(Geometries[Dongguan], index.GeometryOf(Dongguan));
        Assert.Null(index.GeometryOf(Nanjie));
    }
}
