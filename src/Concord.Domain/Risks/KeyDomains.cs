namespace Concord.Domain.Risks;

/// <summary>One of the 12 key domains (重点领域) that are screened for risks; its code is the top category's.</summary>
public sealed record KeyDomain(string Wire, string CategoryCode, string Name, string NameEn);

/// <summary>
/// The 12 key domains of the seed (经济金融, 劳动关系, 房地产, …). They match the top-level categories
/// marked <c>keyDomain</c> in the category catalogue (01–12), so a risk and a matter of one domain meet
/// in the figures.
/// </summary>
public static class KeyDomains
{
    public static readonly IReadOnlyList<KeyDomain> All =
    [
        new("economy_finance", "01", "经济金融", "Economy and finance"),
        new("labour_relations", "02", "劳动关系", "Labour relations"),
        new("real_estate", "03", "房地产", "Real estate"),
        new("land_resettlement", "04", "土地征收与安置", "Land expropriation and resettlement"),
        new("marriage_family", "05", "婚姻家庭", "Marriage and family"),
        new("neighbourhood", "06", "邻里纠纷", "Neighbour disputes"),
        new("medical", "07", "医疗纠纷", "Medical disputes"),
        new("traffic", "08", "交通事故", "Traffic accidents"),
        new("ecology_environment", "09", "生态环境", "Ecology and environment"),
        new("consumer_rights", "10", "消费维权", "Consumer rights"),
        new("campus_safety", "11", "校园安全", "Campus safety"),
        new("work_safety", "12", "安全生产", "Work safety"),
    ];

    private static readonly Dictionary<string, KeyDomain> ByWire = All.ToDictionary(d => d.Wire, StringComparer.Ordinal);

    public static KeyDomain? Find(string? wire) => wire is not null && ByWire.TryGetValue(wire, out var d) ? d : null;

    public static string WireList => string.Join(", ", All.Select(d => d.Wire));
}
