using Concord.Domain.Territories;
using static Concord.Domain.Tests.Territories.SampleTerritories;

namespace Concord.Domain.Tests.Territories;

public sealed class TerritoryTreeTests
{
    private readonly TerritoryTree tree = Tree();

    [Fact]
    public void Counts_every_territory_once()
    {
        Assert.Equal(AllTerritories.Count, tree.Count);
        Assert.Equal(AllTerritories.Count, tree.All.Select(t => t.Code).Distinct().Count());
    }

    [Fact]
    public void Find_returns_the_territory_or_null()
    {
        Assert.Equal("泾川县", tree.Find(Jingchuan)?.Name);
        Assert.Null(tree.Find("999999"));
        Assert.Null(tree.Find(null));
    }

    [Fact]
    public void ChainOf_a_grid_runs_from_the_city_down_to_the_grid()
    {
        Assert.Equal([City, Kongtong, KongtongChengguan, Dongguan, DongguanGrid1], Codes(tree.ChainOf(DongguanGrid1)));
    }

    [Fact]
    public void ChainOf_stops_at_the_topmost_known_ancestor()
    {
        // The city names province 620000 as its parent, which the tree does not hold.
        Assert.Equal([City], Codes(tree.ChainOf(City)));
    }

    [Fact]
    public void ChainOf_an_unknown_code_is_empty()
    {
        Assert.Empty(tree.ChainOf("620899"));
    }

    [Fact]
    public void ChainOf_refuses_a_cycle_instead_of_looping()
    {
        var cyclic = new TerritoryTree(
        [
            new Territory("1", "甲", TerritoryLevel.County, "2"),
            new Territory("2", "乙", TerritoryLevel.Township, "1"),
        ]);

        Assert.Throws<InvalidOperationException>(() => cyclic.ChainOf("1"));
    }

    [Theory]
    [InlineData(DongguanGrid1, TerritoryLevel.Grid, DongguanGrid1)]
    [InlineData(DongguanGrid1, TerritoryLevel.Community, Dongguan)]
    [InlineData(DongguanGrid1, TerritoryLevel.Township, KongtongChengguan)]
    [InlineData(DongguanGrid1, TerritoryLevel.County, Kongtong)]
    [InlineData(DongguanGrid1, TerritoryLevel.City, City)]
    [InlineData(NanjieGrid1, TerritoryLevel.County, Jingchuan)]
    [InlineData(KongtongTown, TerritoryLevel.Township, KongtongTown)]
    public void AncestorAt_finds_the_ancestor_at_a_level(string code, TerritoryLevel level, string expected)
    {
        Assert.Equal(expected, tree.AncestorAt(code, level)?.Code);
    }

    [Theory]
    [InlineData(Kongtong, TerritoryLevel.Township)] // below the territory itself
    [InlineData(Kongtong, TerritoryLevel.Grid)]
    [InlineData(DongguanGrid1, TerritoryLevel.Province)] // above the topmost known ancestor
    [InlineData("999999", TerritoryLevel.City)] // unknown code
    public void AncestorAt_is_null_when_there_is_none(string code, TerritoryLevel level)
    {
        Assert.Null(tree.AncestorAt(code, level));
    }

    [Theory]
    [InlineData(DongguanGrid1, City, true)]
    [InlineData(DongguanGrid1, Kongtong, true)]
    [InlineData(DongguanGrid1, Dongguan, true)]
    [InlineData(DongguanGrid1, DongguanGrid1, true)] // a territory lies within itself
    [InlineData(DongguanGrid1, Jingchuan, false)] // another county
    [InlineData(DongguanGrid1, Xiguan, false)] // a sibling community
    [InlineData(Kongtong, DongguanGrid1, false)] // an ancestor does not lie within its descendant
    [InlineData(NanjieGrid1, KongtongChengguan, false)] // a same-named township elsewhere
    [InlineData("999999", City, false)]
    public void IsWithin_follows_the_parent_links(string code, string ancestor, bool expected)
    {
        Assert.Equal(expected, tree.IsWithin(code, ancestor));
    }

    [Fact]
    public void ChildrenOf_lists_the_direct_children_sorted_by_code()
    {
        Assert.Equal([Kongtong, Jingchuan], Codes(tree.ChildrenOf(City)));
        Assert.Equal([KongtongChengguan, KongtongTown], Codes(tree.ChildrenOf(Kongtong)));
        Assert.Equal([DongguanGrid1, DongguanGrid2], Codes(tree.ChildrenOf(Dongguan)));
    }

    [Theory]
    [InlineData(DongguanGrid1)] // a leaf
    [InlineData(Xiguan)] // a community without grids
    [InlineData("999999")] // unknown
    public void ChildrenOf_a_leaf_or_unknown_code_is_empty(string code)
    {
        Assert.Empty(tree.ChildrenOf(code));
    }

    [Fact]
    public void A_later_record_with_the_same_code_replaces_the_earlier_one()
    {
        var replaced = new TerritoryTree(
        [
            new Territory("620802", "旧名", TerritoryLevel.County, null),
            new Territory("620802", "崆峒区", TerritoryLevel.County, null),
        ]);

        Assert.Equal(1, replaced.Count);
        Assert.Equal("崆峒区", replaced.Find("620802")?.Name);
    }

    [Fact]
    public void Every_level_round_trips_through_its_wire_name()
    {
        foreach (var level in Enum.GetValues<TerritoryLevel>())
        {
            Assert.True(TerritoryLevels.TryParse(level.ToWire(), out var parsed));
            Assert.Equal(level, parsed);
        }

        Assert.False(TerritoryLevels.TryParse("district", out _));
        Assert.False(TerritoryLevels.TryParse(null, out _));
    }
}
