using Concord.Domain.Routing;
using Concord.Domain.Territories;
using static Concord.Domain.Tests.Territories.SampleTerritories;

namespace Concord.Domain.Tests.Routing;

public sealed class RouterTests
{
    // 03 房地产 → 0301 物业管理 → 030101 物业收费; 0302 房屋买卖 is a sibling, 04 is another domain.
    private const string Domain = "03";
    private const string Category = "0301";
    private const string Subcategory = "030101";

    private static readonly IReadOnlyList<Territory> GridChain = Tree().ChainOf(DongguanGrid1);

    private static readonly Dictionary<string, string> Governments = new()
    {
        [City] = "gov-city",
        [Kongtong] = "gov-kongtong",
        [KongtongChengguan] = "gov-chengguan",
    };

    private static RoutingRule Rule(string id, string? category, string territory, bool autoDispatch = false, params string[] assisting) =>
        new(id, category, territory, "unit-" + id, assisting, autoDispatch);

    private static Router RouterOf(params RoutingRule[] rules) => new(rules, code => Governments.GetValueOrDefault(code));

    // ------------------------------------------------------------------ precedence

    [Theory]
    [InlineData("r1,r2,r3,r4", "r4")] // all four: the subcategory rule
    [InlineData("r1,r2,r3", "r3")] // no subcategory rule: the category rule
    [InlineData("r1,r2", "r2")] // only domain and any: the domain rule
    [InlineData("r1", "r1")] // only the any-category rule
    public void The_deepest_matching_category_wins(string present, string expected)
    {
        // The smaller ids and the deeper territories go to the broader rules, so neither the
        // id nor the territory can explain the outcome: only the category depth.
        var all = new[]
        {
            Rule("r1", null, DongguanGrid1),
            Rule("r2", Domain, Dongguan),
            Rule("r3", Category, Kongtong),
            Rule("r4", Subcategory, City),
        };
        var ids = present.Split(',');
        var router = RouterOf(all.Where(r => ids.Contains(r.Id)).ToArray());

        var decision = router.Route(Subcategory, GridChain);

        Assert.Equal(RoutingBasis.Rule, decision.Basis);
        Assert.Equal(expected, decision.Rule?.Id);
        Assert.Equal("unit-" + expected, decision.LeadUnitCode);
        Assert.Null(decision.FallbackTerritoryCode);
    }

    [Fact]
    public void Among_rules_of_the_same_category_depth_the_deeper_territory_wins()
    {
        var router = RouterOf(
            Rule("a", Category, City),
            Rule("b", Category, KongtongChengguan),
            Rule("c", Category, Kongtong));

        Assert.Equal("b", router.Route(Subcategory, GridChain).Rule?.Id);
    }

    [Fact]
    public void A_rule_at_the_grid_itself_is_the_deepest_territory()
    {
        var router = RouterOf(Rule("a", Category, Dongguan), Rule("b", Category, DongguanGrid1));

        Assert.Equal("b", router.Route(Category, GridChain).Rule?.Id);
    }

    [Fact]
    public void A_specific_category_at_the_city_beats_a_broader_category_at_the_county_because_department_matters_are_not_pushed_down()
    {
        // The catalogue names owners per category: a city department that owns 物业收费 keeps it
        // even though 崆峒区 has a rule for all of 房地产.
        var router = RouterOf(
            Rule("county-domain", Domain, Kongtong),
            Rule("city-subcategory", Subcategory, City));

        Assert.Equal("city-subcategory", router.Route(Subcategory, GridChain).Rule?.Id);
    }

    [Fact]
    public void Ties_resolve_to_the_smallest_id()
    {
        var router = RouterOf(
            Rule("R003", Category, Kongtong),
            Rule("R001", Category, Kongtong),
            Rule("R002", Category, Kongtong));

        Assert.Equal("R001", router.Route(Subcategory, GridChain).Rule?.Id);
        Assert.Equal("R001", RouterOf(Rule("R002", Category, Kongtong), Rule("R001", Category, Kongtong)).Route(Subcategory, GridChain).Rule?.Id);
    }

    // ------------------------------------------------------------------ applicability

    [Theory]
    [InlineData(Category, Jingchuan)] // another county
    [InlineData(Category, JingchuanChengguan)] // the same-named township of another county
    [InlineData(Category, Xiguan)] // a sibling community
    [InlineData(Category, DongguanGrid2)] // a sibling grid
    [InlineData("0302", Kongtong)] // a sibling category
    [InlineData("04", City)] // another domain
    [InlineData("030102", City)] // a sibling subcategory
    [InlineData("03010101", City)] // below the matter's category: narrower than what we know
    public void Rules_outside_the_chain_or_for_other_categories_never_apply(string category, string territory)
    {
        var router = RouterOf(Rule("x", category, territory));

        Assert.Empty(router.Candidates(Subcategory, GridChain));
        var decision = router.Route(Subcategory, GridChain);
        Assert.Equal(RoutingBasis.TerritoryFallback, decision.Basis);
        Assert.Null(decision.Rule);
    }

    [Fact]
    public void A_rule_for_a_broader_category_applies_to_a_narrower_matter_but_not_the_reverse()
    {
        var router = RouterOf(Rule("sub", Subcategory, City));

        Assert.Equal("sub", router.Route(Subcategory, GridChain).Rule?.Id);
        Assert.Equal(RoutingBasis.TerritoryFallback, router.Route(Category, GridChain).Basis);
    }

    // ------------------------------------------------------------------ fallback and undecided

    [Fact]
    public void Without_a_rule_the_deepest_territory_with_a_government_owns_the_matter()
    {
        var router = RouterOf(Rule("other", "04", City));

        var decision = router.Route(Subcategory, GridChain);

        // The grid and the community have no government of their own: the township's takes it.
        Assert.Equal(RoutingBasis.TerritoryFallback, decision.Basis);
        Assert.Equal("gov-chengguan", decision.LeadUnitCode);
        Assert.Equal(KongtongChengguan, decision.FallbackTerritoryCode);
        Assert.Null(decision.Rule);
        Assert.Empty(decision.AssistingUnitCodes);
        Assert.False(decision.AutoDispatch);
    }

    [Fact]
    public void The_fallback_climbs_as_far_as_needed()
    {
        var decision = RouterOf().Route(Subcategory, Tree().ChainOf(NanjieGrid1));

        // 泾川县 and its township have no government in this catalogue: the city's takes it.
        Assert.Equal("gov-city", decision.LeadUnitCode);
        Assert.Equal(City, decision.FallbackTerritoryCode);
    }

    [Fact]
    public void Without_a_rule_or_any_government_the_matter_is_undecided()
    {
        var router = new Router([Rule("other", "04", City)], _ => null);

        var decision = router.Route(Subcategory, GridChain);

        Assert.Equal(RoutingBasis.Undecided, decision.Basis);
        Assert.Null(decision.LeadUnitCode);
        Assert.Null(decision.FallbackTerritoryCode);
        Assert.False(decision.AutoDispatch);
    }

    [Fact]
    public void Without_a_place_and_a_rule_the_matter_is_undecided()
    {
        Assert.Equal(RoutingBasis.Undecided, RouterOf(Rule("x", Category, City)).Route(Subcategory, []).Basis);
    }

    [Fact]
    public void Without_a_category_the_matter_is_undecided_even_with_an_any_category_rule_and_a_government()
    {
        var router = RouterOf(Rule("any", null, City, autoDispatch: true));

        var decision = router.Route(null, GridChain);

        Assert.Equal(RoutingBasis.Undecided, decision.Basis);
        Assert.Null(decision.LeadUnitCode);
        Assert.Null(decision.Rule);
        Assert.False(decision.AutoDispatch);
    }

    // ------------------------------------------------------------------ what the decision carries

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AutoDispatch_and_the_assisting_units_come_from_the_deciding_rule(bool autoDispatch)
    {
        var router = RouterOf(
            Rule("decider", Subcategory, Kongtong, autoDispatch, "unit-housing", "unit-market"),
            Rule("loser", Category, Kongtong, !autoDispatch, "unit-other"));

        var decision = router.Route(Subcategory, GridChain);

        Assert.Equal("decider", decision.Rule?.Id);
        Assert.Equal(autoDispatch, decision.AutoDispatch);
        Assert.Equal(["unit-housing", "unit-market"], decision.AssistingUnitCodes);
        Assert.Equal("unit-decider", decision.LeadUnitCode);
    }

    [Fact]
    public void Candidates_list_every_applicable_rule_with_the_decider_first()
    {
        var router = RouterOf(
            Rule("any-grid", null, DongguanGrid1),
            Rule("domain-city", Domain, City),
            Rule("category-city", Category, City),
            Rule("category-township", Category, KongtongChengguan),
            Rule("sub-city-b", Subcategory, City),
            Rule("sub-city-a", Subcategory, City),
            Rule("other-county", Subcategory, Jingchuan),
            Rule("other-domain", "04", DongguanGrid1));

        var candidates = router.Candidates(Subcategory, GridChain);

        Assert.Equal(
            ["sub-city-a", "sub-city-b", "category-township", "category-city", "domain-city", "any-grid"],
            candidates.Select(r => r.Id));
        Assert.Same(candidates[0], router.Route(Subcategory, GridChain).Rule);
    }
}
