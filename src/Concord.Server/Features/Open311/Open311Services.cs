using Concord.Domain.Categories;

namespace Concord.Server.Features.Open311;

/// <summary>One value of a list attribute.</summary>
public sealed record AttributeValue(string Key, string Name, string NameEn);

/// <summary>A GeoReport attribute of a service definition.</summary>
public sealed record ServiceAttribute(string Code, string Datatype, bool Required, int Order, string Description, string DescriptionEn, IReadOnlyList<AttributeValue> Values);

/// <summary>
/// The GeoReport services are the leaf categories of the taxonomy (事项分类). Each has the same
/// small set of attributes; what is required follows the category: an emergency or urgent category
/// needs the time it happened, and a dispute needs how many people are involved (many people
/// make a 群体性 matter the center must see at once).
/// </summary>
public static class Open311Services
{
    public const string Kind = "kind";
    public const string OccurredAt = "occurred_at";
    public const string HowManyPeople = "how_many_people";

    /// <summary>The domains whose categories are disputes (矛盾纠纷): labour, land, family, neighbours, medical, traffic.</summary>
    private static readonly string[] DisputeDomains = ["02", "04", "05", "06", "07", "08"];

    public static IEnumerable<Category> Leaves(CategoryCatalog catalog) => Concord.Domain.Portal.PortalCategories.Leaves(catalog);

    public static bool IsDispute(Category category) => DisputeDomains.Any(d => category.Code.StartsWith(d, StringComparison.Ordinal));

    public static string KindOf(Category category) =>
        IsDispute(category) ? "dispute" : category.Urgency is Urgency.Emergency ? "hazard" : "appeal";

    public static IReadOnlyList<ServiceAttribute> Attributes(Category category) =>
    [
        new(Kind, "singlevaluelist", false, 1, "事项类型（不填按分类判断）", "Kind of matter (by default from the service)",
            [new("appeal", "诉求", "Appeal"), new("dispute", "矛盾纠纷", "Dispute"), new("hazard", "风险隐患", "Hazard")]),
        new(OccurredAt, "datetime", category.Urgency is Urgency.Emergency or Urgency.Urgent, 2, "发生时间（ISO 8601，含时区）", "When it happened (ISO 8601 with time zone)", []),
        new(HowManyPeople, "singlevaluelist", IsDispute(category), 3, "涉及人数", "How many people are involved",
            [new("1", "1 人", "1 person"), new("2-9", "2–9 人", "2–9 people"), new("10+", "10 人及以上", "10 or more people")]),
    ];
}
