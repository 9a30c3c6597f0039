using Concord.Domain.Categories;

namespace Concord.Domain.Tests.Categories;

public sealed class CategoryTests
{
    private static Category Make(string code) =>
        new(code, "分类" + code, "Category " + code, false, Urgency.General, new(1, WorkingSpanUnit.Days), new(15, WorkingSpanUnit.Days), []);

    // ------------------------------------------------------------------ WorkingSpan

    [Theory]
    [InlineData("2h", 2, WorkingSpanUnit.Hours)]
    [InlineData("7d", 7, WorkingSpanUnit.Days)]
    [InlineData("1h", 1, WorkingSpanUnit.Hours)]
    [InlineData("24H", 24, WorkingSpanUnit.Hours)]
    [InlineData("15D", 15, WorkingSpanUnit.Days)]
    [InlineData("60d", 60, WorkingSpanUnit.Days)]
    public void WorkingSpan_parses_hours_and_days(string text, int amount, WorkingSpanUnit unit)
    {
        Assert.True(WorkingSpan.TryParse(text, out var span));
        Assert.Equal(new WorkingSpan(amount, unit), span);
    }

    [Theory]
    [InlineData("0h")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("h")]
    [InlineData("d")]
    [InlineData("7x")]
    [InlineData("7")]
    [InlineData("77")]
    [InlineData("7dd")]
    [InlineData("1.5h")]
    [InlineData("7 天")]
    [InlineData("+2h")] // no sign, no spaces: the format is digits then a unit
    [InlineData(" 2h")]
    [InlineData("2 h")]
    [InlineData("99999999999h")] // beyond int
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void WorkingSpan_refuses_anything_else(string? text)
    {
        Assert.False(WorkingSpan.TryParse(text, out var span));
        Assert.Equal(default, span);
    }

    [Theory]
    [InlineData("2h")]
    [InlineData("7d")]
    [InlineData("120h")]
    public void WorkingSpan_prints_what_it_parses(string text)
    {
        Assert.True(WorkingSpan.TryParse(text, out var span));
        Assert.Equal(text, span.ToString());
    }

    // ------------------------------------------------------------------ Category

    [Theory]
    [InlineData("03", null, 1)]
    [InlineData("0301", "03", 2)]
    [InlineData("030101", "0301", 3)]
    public void A_category_knows_its_parent_and_depth(string code, string? parent, int depth)
    {
        var category = Make(code);

        Assert.Equal(parent, category.ParentCode);
        Assert.Equal(depth, category.Depth);
    }

    [Theory]
    [InlineData("03", true)]
    [InlineData("0301", true)]
    [InlineData("030101", true)]
    [InlineData("00", true)]
    [InlineData("3", false)]
    [InlineData("030", false)]
    [InlineData("03010101", false)] // deeper than a subcategory
    [InlineData("0a", false)]
    [InlineData("03-1", false)]
    [InlineData("０３", false)] // full-width digits
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsWellFormedCode_accepts_two_four_or_six_ascii_digits(string? code, bool expected)
    {
        Assert.Equal(expected, Category.IsWellFormedCode(code));
    }

    // ------------------------------------------------------------------ CategoryCatalog

    private static readonly CategoryCatalog Catalog = new([Make("030101"), Make("03"), Make("0301"), Make("0302"), Make("04"), Make("040101")]);

    [Fact]
    public void The_catalog_finds_and_lists_its_categories_in_code_order()
    {
        Assert.Equal(6, Catalog.Count);
        Assert.Equal(["03", "0301", "030101", "0302", "04", "040101"], Catalog.All.Select(c => c.Code));
        Assert.Equal("分类0302", Catalog.Find("0302")?.Name);
        Assert.Null(Catalog.Find("05"));
        Assert.Null(Catalog.Find(null));
    }

    [Fact]
    public void A_duplicate_code_in_the_catalog_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new CategoryCatalog([Make("03"), Make("03")]));
    }

    [Theory]
    [InlineData("030101", new[] { "03", "0301", "030101" })]
    [InlineData("0301", new[] { "03", "0301" })]
    [InlineData("03", new[] { "03" })]
    [InlineData("040101", new[] { "04", "040101" })] // the missing middle level is skipped
    [InlineData("030199", new[] { "03", "0301" })] // an unknown subcategory: its known ancestors
    [InlineData("99", new string[0])]
    public void ChainOf_runs_from_the_domain_down_to_the_category(string code, string[] expected)
    {
        Assert.Equal(expected, Catalog.ChainOf(code).Select(c => c.Code));
    }

    [Theory]
    [InlineData("030101", "03", true)]
    [InlineData("030101", "0301", true)]
    [InlineData("030101", "030101", true)]
    [InlineData("0301", "03", true)]
    [InlineData("03", "0301", false)] // an ancestor is not within its child
    [InlineData("030201", "0301", false)] // a sibling's subcategory
    [InlineData("0403", "03", false)]
    [InlineData("0304", "04", false)]
    public void IsWithin_follows_the_code_prefix(string code, string ancestor, bool expected)
    {
        Assert.Equal(expected, CategoryCatalog.IsWithin(code, ancestor));
    }
}
