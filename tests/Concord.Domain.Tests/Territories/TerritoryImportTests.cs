using Concord.Domain.Matters;
using Concord.Domain.Territories;
using NetTopologySuite.Geometries;
using static Concord.Domain.Tests.Territories.SampleTerritories;

namespace Concord.Domain.Tests.Territories;

public sealed class TerritoryImportTests
{
    private static readonly TerritoryTree Empty = new([]);

    private static ImportedTerritory Item(string reference, string code, TerritoryLevel level, string? parent, Geometry? geometry = null) =>
        new(reference, new Territory(code, "名称" + code, level, parent), geometry);

    private static List<FieldError> Validate(TerritoryTree existing, params ImportedTerritory[] items) =>
        TerritoryImport.Validate(items, existing, code => Geometries.GetValueOrDefault(code));

    private static List<FieldError> ValidateAgainstSample(params ImportedTerritory[] items) => Validate(Tree(), items);

    private static void AssertError(FieldError error, string reference, string key, params object[] args)
    {
        Assert.Equal(reference, error.Field);
        Assert.Equal(key, error.MessageKey);
        Assert.Equal(args, error.Args);
    }

    // ------------------------------------------------------------------ whole file

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = Assert.Single(ValidateAgainstSample());

        AssertError(error, "file", "import.empty");
    }

    [Fact]
    public void A_sound_file_has_no_errors()
    {
        var errors = ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown, Box(100.5, 30, 100.75, 30.5)),
            Item("line 3", "620802002001001", TerritoryLevel.Grid, "620802002001", Box(100.5, 30, 100.625, 30.25)),
            Item("line 4", "620802002002", TerritoryLevel.Community, KongtongTown));

        Assert.Empty(errors);
    }

    [Fact]
    public void Reimporting_the_existing_hierarchy_is_accepted()
    {
        var items = AllTerritories.Select(t => new ImportedTerritory(t.Code, t, Geometries.GetValueOrDefault(t.Code))).ToArray();

        Assert.Empty(ValidateAgainstSample(items));
    }

    [Fact]
    public void A_duplicate_code_is_reported_on_its_second_record()
    {
        var errors = ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown),
            Item("line 3", "620802002002", TerritoryLevel.Community, KongtongTown),
            Item("line 4", "620802002001", TerritoryLevel.Community, KongtongTown));

        var error = Assert.Single(errors);
        AssertError(error, "line 4", "import.duplicate_code", "620802002001");
    }

    [Fact]
    public void Every_fault_of_the_file_is_reported_each_on_its_record()
    {
        var errors = ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, "620802009"),
            Item("line 3", "620821002001", TerritoryLevel.Community, KongtongTown),
            Item("line 4", "620802002003", TerritoryLevel.County, KongtongTown),
            Item("line 5", "620802002004", TerritoryLevel.Community, KongtongTown, Box(101.5, 30, 101.75, 30.5)),
            Item("line 6", "620802002001", TerritoryLevel.Community, KongtongTown));

        Assert.Equal(
            [
                ("line 6", "import.duplicate_code"),
                ("line 2", "import.unknown_parent"),
                ("line 3", "import.code_not_under_parent"),
                ("line 4", "import.level_order"),
                ("line 5", "import.not_inside_parent"),
            ],
            errors.Select(e => (e.Field, e.MessageKey)));
    }

    // ------------------------------------------------------------------ parents and roots

    [Fact]
    public void An_unknown_parent_is_refused()
    {
        var error = Assert.Single(ValidateAgainstSample(Item("line 2", "620802009001", TerritoryLevel.Community, "620802009")));

        AssertError(error, "line 2", "import.unknown_parent", "620802009");
    }

    [Fact]
    public void A_parent_from_the_same_file_is_known()
    {
        var errors = ValidateAgainstSample(
            Item("line 2", "620802003001", TerritoryLevel.Community, "620802003"),
            Item("line 3", "620802003", TerritoryLevel.Township, Kongtong));

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("620000", TerritoryLevel.Province, null)]
    [InlineData("620900", TerritoryLevel.City, "620000")] // a second city of a province the store does not hold
    [InlineData("620900", TerritoryLevel.City, null)]
    public void A_province_or_city_may_be_a_root(string code, TerritoryLevel level, string? parent)
    {
        Assert.Empty(ValidateAgainstSample(Item("line 2", code, level, parent)));
    }

    [Fact]
    public void The_first_import_into_an_empty_tree_may_have_roots_at_its_top_level()
    {
        // Counties of a city the store does not hold yet, with their townships.
        var errors = Validate(
            Empty,
            Item("line 2", "620802", TerritoryLevel.County, "620800"),
            Item("line 3", "620821", TerritoryLevel.County, "620800"),
            Item("line 4", "620802001", TerritoryLevel.Township, "620802"));

        Assert.Empty(errors);
    }

    [Fact]
    public void In_the_first_import_a_record_below_the_top_level_still_needs_its_parent()
    {
        var errors = Validate(
            Empty,
            Item("line 2", "620802", TerritoryLevel.County, "620800"),
            Item("line 3", "620802001001001", TerritoryLevel.Grid, "620802001001"));

        var error = Assert.Single(errors);
        AssertError(error, "line 3", "import.unknown_parent", "620802001001");
    }

    [Fact]
    public void A_county_with_an_unknown_parent_is_refused_once_the_tree_holds_territories()
    {
        var error = Assert.Single(ValidateAgainstSample(Item("line 2", "620902", TerritoryLevel.County, "620900")));

        AssertError(error, "line 2", "import.unknown_parent", "620900");
    }

    [Fact]
    public void A_grid_with_a_missing_parent_is_refused()
    {
        var error = Assert.Single(ValidateAgainstSample(Item("line 2", "620802001001009", TerritoryLevel.Grid, "620802001009")));

        AssertError(error, "line 2", "import.unknown_parent", "620802001009");
    }

    [Theory]
    [InlineData(TerritoryLevel.Grid, "620802001001009")]
    [InlineData(TerritoryLevel.County, "620803")]
    public void A_record_below_the_city_without_any_parent_code_is_refused(TerritoryLevel level, string code)
    {
        // Without this, re-importing a grid's polygon with an empty parent_code would cut it loose from the tree.
        var error = Assert.Single(ValidateAgainstSample(Item("line 2", code, level, null)));

        AssertError(error, "line 2", "import.empty_field", "parent_code");
    }

    // ------------------------------------------------------------------ codes

    [Theory]
    [InlineData("620000", TerritoryLevel.Province, "62")]
    [InlineData("110000", TerritoryLevel.Province, "11")]
    [InlineData("620800", TerritoryLevel.City, "6208")]
    [InlineData("620802", TerritoryLevel.County, "620802")]
    [InlineData("620800", TerritoryLevel.County, "620800")] // the padding rule is for provinces and cities only
    [InlineData("620802001", TerritoryLevel.Township, "620802001")]
    [InlineData("6208", TerritoryLevel.City, "6208")] // not a padded six-digit code: taken whole
    [InlineData("62080000", TerritoryLevel.Province, "62080000")]
    public void CodePrefixOf_strips_the_GB_T_2260_padding_of_provinces_and_cities(string code, TerritoryLevel level, string prefix)
    {
        Assert.Equal(prefix, TerritoryImport.CodePrefixOf(new Territory(code, "上级", level, null)));
    }

    [Fact]
    public void A_county_lies_under_its_padded_city_and_province_codes()
    {
        var existing = new TerritoryTree(
        [
            new Territory("620000", "甘肃省", TerritoryLevel.Province, null),
            new Territory("620800", "平凉市", TerritoryLevel.City, "620000"),
        ]);

        var errors = Validate(
            existing,
            Item("line 2", "620802", TerritoryLevel.County, "620800"),
            Item("line 3", "620881", TerritoryLevel.County, "620000")); // a county directly under the province

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("620902", TerritoryLevel.County, City)] // another city's county
    [InlineData("630802", TerritoryLevel.County, City)]
    [InlineData("620821001", TerritoryLevel.Township, Kongtong)] // 泾川县's prefix under 崆峒区
    [InlineData("620802101", TerritoryLevel.Community, KongtongChengguan)] // shares the county's prefix only
    [InlineData("620802002", TerritoryLevel.Community, KongtongChengguan)]
    public void A_child_code_must_start_with_its_parents_prefix(string code, TerritoryLevel level, string parent)
    {
        var error = Assert.Single(ValidateAgainstSample(Item("line 2", code, level, parent)));

        AssertError(error, "line 2", "import.code_not_under_parent", code, parent);
    }

    [Fact]
    public void A_child_code_equal_to_its_parents_code_is_refused()
    {
        var errors = ValidateAgainstSample(Item("line 2", KongtongTown, TerritoryLevel.Community, KongtongTown));

        Assert.Contains(errors, e => e.MessageKey == "import.code_not_under_parent" && e.Field == "line 2");
    }

    // ------------------------------------------------------------------ levels

    [Fact]
    public void A_county_under_a_township_is_refused()
    {
        var error = Assert.Single(ValidateAgainstSample(Item("line 2", "620802001009", TerritoryLevel.County, KongtongChengguan)));

        AssertError(error, "line 2", "import.level_order", "county", "township");
    }

    [Fact]
    public void A_territory_at_its_parents_level_is_refused()
    {
        var error = Assert.Single(ValidateAgainstSample(Item("line 2", "620802001009", TerritoryLevel.Township, KongtongChengguan)));

        AssertError(error, "line 2", "import.level_order", "township", "township");
    }

    [Fact]
    public void A_level_may_be_skipped_downwards()
    {
        // Some townships keep their grids directly, without communities.
        Assert.Empty(ValidateAgainstSample(Item("line 2", "620802002901", TerritoryLevel.Grid, KongtongTown)));
    }

    // ------------------------------------------------------------------ geometry

    [Fact]
    public void A_self_intersecting_bow_tie_is_refused_with_its_message_and_place()
    {
        var bowTie = Factory.CreatePolygon(
        [
            new Coordinate(100.5, 30), new Coordinate(101, 30.5), new Coordinate(101, 30),
            new Coordinate(100.5, 30.5), new Coordinate(100.5, 30),
        ]);

        var error = Assert.Single(ValidateAgainstSample(Item("feature 3", "620802002001", TerritoryLevel.Community, KongtongTown, bowTie)));

        AssertError(error, "feature 3", "import.invalid_geometry", "Self-intersection", 100.75, 30.25);
    }

    [Fact]
    public void A_child_polygon_sticking_out_of_its_parent_from_the_file_is_refused()
    {
        var errors = Validate(
            Tree(),
            Item("line 2", "620802003", TerritoryLevel.Township, Kongtong, Box(100, 30, 100.5, 30.5)),
            Item("line 3", "620802003001", TerritoryLevel.Community, "620802003", Box(100.25, 30.25, 100.75, 30.5)));

        var error = Assert.Single(errors);
        AssertError(error, "line 3", "import.not_inside_parent", "620802003");
    }

    [Fact]
    public void A_child_polygon_sticking_out_of_its_parent_from_the_tree_is_refused()
    {
        var asked = new List<string>();
        var errors = TerritoryImport.Validate(
            [Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown, Box(100.875, 30, 101.125, 30.5))],
            Tree(),
            code =>
            {
                asked.Add(code);
                return Geometries.GetValueOrDefault(code);
            });

        var error = Assert.Single(errors);
        AssertError(error, "line 2", "import.not_inside_parent", KongtongTown);
        Assert.Contains(KongtongTown, asked);
    }

    [Fact]
    public void A_child_polygon_entirely_elsewhere_is_refused()
    {
        var error = Assert.Single(ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown, Box(110, 40, 110.5, 40.5))));

        AssertError(error, "line 2", "import.not_inside_parent", KongtongTown);
    }

    [Fact]
    public void A_parent_in_the_file_without_a_polygon_is_checked_against_its_stored_polygon()
    {
        // The file renames 崆峒镇 without a polygon; its new community must still lie inside the stored one.
        var errors = ValidateAgainstSample(
            Item("line 2", KongtongTown, TerritoryLevel.Township, Kongtong),
            Item("line 3", "620802002001", TerritoryLevel.Community, KongtongTown, Box(101, 30, 101.25, 30.5)));

        var error = Assert.Single(errors);
        AssertError(error, "line 3", "import.not_inside_parent", KongtongTown);
    }

    [Fact]
    public void A_child_sharing_its_parents_edges_exactly_is_accepted()
    {
        // The south half of 崆峒镇: three of its four edges lie on the parent's boundary.
        Assert.Empty(ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown, Box(100.5, 30, 101, 30.5))));
    }

    [Fact]
    public void A_child_equal_to_its_parent_is_accepted()
    {
        Assert.Empty(ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown, Box(100.5, 30, 101, 31))));
    }

    [Fact]
    public void A_negligible_overhang_from_rounding_is_accepted_but_a_real_one_is_not()
    {
        Assert.Empty(ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown, Box(100.5, 30, 101 + 1e-10, 30.5))));

        Assert.Single(ValidateAgainstSample(
            Item("line 2", "620802002001", TerritoryLevel.Community, KongtongTown, Box(100.5, 30, 101.001, 30.5))));
    }

    [Fact]
    public void Without_a_parent_polygon_a_child_polygon_is_not_checked_for_containment()
    {
        // 南街社区 has no polygon.
        Assert.Empty(ValidateAgainstSample(
            Item("line 2", "620821001001002", TerritoryLevel.Grid, Nanjie, Box(110, 40, 110.5, 40.5))));
    }
}
