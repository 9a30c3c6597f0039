using Concord.Domain.Routing;
using Concord.Domain.Territories;

namespace Concord.Domain.Tests.Routing;

public sealed class CatalogueVersionTests
{
    private static readonly DateTimeOffset Jan = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Jun = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static RoutingRule Rule(string id, string lead) => new(id, "0305", "620802", lead, [], true);

    private static CatalogueHistory History() => new([
        new CatalogueVersion(2, Jun, Jun, "dispatcher", "物业纠纷改由城管主办", [Rule("R1", "620802.cgj")]),
        new CatalogueVersion(1, Jan, Jan, "system", "initial", [Rule("R1", "620802.zjj")]),
    ]);

    [Fact]
    public void The_version_in_force_is_the_latest_that_had_begun()
    {
        var history = History();
        Assert.Null(history.InForceAt(Jan.AddDays(-1)));
        Assert.Equal(1, history.InForceAt(Jan)!.Number);
        Assert.Equal(1, history.InForceAt(Jun.AddTicks(-1))!.Number);
        Assert.Equal(2, history.InForceAt(Jun)!.Number);
        Assert.Equal(2, history.Latest!.Number);
    }

    private static IReadOnlyList<Concord.Domain.Matters.FieldError> Validate(DateTimeOffset from, string? reason, params RoutingRule[] rules) =>
        History().Validate(from, Jun.AddDays(10), reason, rules, c => c == "0305", t => t == "620802", u => u.StartsWith("620802.", StringComparison.Ordinal));

    [Fact]
    public void A_new_version_names_every_bad_field_and_may_not_rewrite_the_past()
    {
        Assert.Empty(Validate(Jun.AddDays(10), "调整", Rule("R1", "620802.gaj")));
        Assert.Contains(Validate(Jun.AddDays(1), "调整", Rule("R1", "620802.gaj")), e => e.Field == "effectiveFrom" && e.MessageKey == "catalogue.not_in_past");
        Assert.Contains(Validate(Jun.AddDays(10), " ", Rule("R1", "620802.gaj")), e => e.Field == "reason");
        Assert.Contains(Validate(Jun.AddDays(10), "调整"), e => e.Field == "rules");
        var errors = Validate(Jun.AddDays(10), "调整",
            Rule("R1", "620802.gaj"),
            Rule("R1", "nowhere") with { CategoryCode = "9999", TerritoryCode = "000000", AssistingUnitCodes = ["620802.gaj", "nope"] });
        Assert.Equal(
            ["rules[1].id", "rules[1].categoryCode", "rules[1].territoryCode", "rules[1].leadUnit", "rules[1].assistingUnits[1]"],
            errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("department", TerritoryLevel.County, TerritoryLevel.Township, true)]
    [InlineData("department", TerritoryLevel.City, TerritoryLevel.Community, true)]
    [InlineData("department", TerritoryLevel.County, TerritoryLevel.County, false)] // sideways, to another department
    [InlineData("department", TerritoryLevel.City, TerritoryLevel.County, false)] // to a county is not to the grassroots
    [InlineData("government", TerritoryLevel.County, TerritoryLevel.Township, false)] // a government's matter may go to its townships
    [InlineData(null, null, TerritoryLevel.Township, false)] // no rule decided
    public void Department_matters_are_not_pushed_down_to_townships_and_communities(string? kind, TerritoryLevel? ruleLevel, TerritoryLevel? newLevel, bool forbidden) =>
        Assert.Equal(forbidden, PushDownProtection.Forbids(kind, ruleLevel, newLevel));
}
