using System.Text.Json.Nodes;

namespace Concord.Bench;

/// <summary>Realistic intake bodies: ~30 Chinese templates, categories from the taxonomy, points inside Pingliang.</summary>
public sealed class Samples
{
    // keyword (matched against the taxonomy's names and keywords), title, description.
    private static readonly (string Keyword, string Title, string Description)[] Templates =
    [
        ("欠薪", "工地老板欠薪三个月", "某建筑工地老板欠薪三个月，二十多名工人多次讨薪无果，希望有关部门尽快协调解决。"),
        ("欠薪", "餐馆拖欠服务员工资", "我在一家餐馆做服务员，老板已经两个月没发工资，说生意不好让再等等。"),
        ("噪音", "夜间施工噪音扰民", "小区旁边的工地每天晚上十一点以后还在施工，噪音很大，老人孩子都睡不着觉。"),
        ("噪音", "广场舞音响声音过大", "每天早上六点和晚上八点广场舞音响开得很大，严重影响周边居民休息。"),
        ("漏水", "楼上住户漏水多次协商未果", "楼上住户卫生间漏水，我家天花板发霉脱落，多次找对方协商都没有结果。"),
        ("停水", "小区突然停水无通知", "我们小区从昨天下午开始停水，物业和自来水公司都没有提前通知，生活很不方便。"),
        ("井盖", "路面井盖缺失存在安全隐患", "十字路口附近有一个井盖丢失，只放了一个塑料桶，晚上行人和电动车很危险。"),
        ("物业", "物业服务差收费高", "小区物业费每年上涨，但是垃圾不及时清运，电梯经常坏，保安也不在岗。"),
        ("邻里", "邻居占用公共楼道堆放杂物", "邻居在楼道里堆放纸箱和旧家具，堵塞消防通道，劝说多次不听。"),
        ("邻里", "邻里宅基地边界纠纷", "村里两户人家因为宅基地边界发生争吵，差点动手，希望村委会和司法所调解。"),
        ("路灯", "路灯不亮已经一个月", "小区门口的几盏路灯已经坏了一个多月，晚上出行非常不安全。"),
        ("垃圾", "垃圾堆放长期无人清运", "巷子口的垃圾堆了很多天没人清理，天气热了气味很大，还招苍蝇。"),
        ("违建", "小区内私搭乱建", "一楼住户在院子里违规搭建彩钢房，占用公共绿地，影响其他住户采光。"),
        ("占道", "商贩占道经营堵塞交通", "菜市场门口的商贩把摊位摆到马路上，早晚高峰车辆无法通行。"),
        ("供暖", "暖气不热室温太低", "入冬以来家里暖气一直不热，室内温度只有十二度，多次报修没人来处理。"),
        ("燃气", "楼道内有燃气味道", "单元楼道里闻到明显的燃气味，担心有泄漏，请尽快派人检查。"),
        ("电梯", "电梯频繁故障困人", "小区三号楼电梯这个月已经困人两次，物业只是简单维修，存在安全隐患。"),
        ("污染", "工厂排放黑烟污染空气", "村子附近的砖厂每天排放黑烟，空气很差，村民咳嗽的人越来越多。"),
        ("污水", "生活污水直排河道", "河边几家饭店把污水直接排进河里，河水发黑发臭。"),
        ("房屋", "老旧房屋墙体开裂", "我家是老房子，最近墙体出现很大的裂缝，担心下雨天会倒塌。"),
        ("拆迁", "征地补偿款迟迟未发放", "去年村里土地被征用，说好的补偿款到现在还没有发到农户手里。"),
        ("婚姻", "家庭矛盾需要调解", "夫妻二人因为赡养老人问题长期争吵，老人无人照顾，希望社区帮忙调解。"),
        ("赡养", "子女不履行赡养义务", "村里一位八十岁老人独居，几个子女互相推诿不管，生活非常困难。"),
        ("交通", "学校门口缺少减速带", "小学门口车速很快，上下学时孩子过马路很危险，建议设置减速带和斑马线。"),
        ("停车", "小区车位被外来车辆占用", "小区车位经常被外面的车辆占用，业主回家没地方停车。"),
        ("养犬", "邻居养狗不拴绳吓人", "邻居家的大狗经常不拴绳在小区里跑，已经吓到好几个小孩。"),
        ("医疗", "医院收费不透明", "在医院看病时发现有几项检查费用没有说明，询问后工作人员态度很差。"),
        ("教育", "学校违规收取补课费", "孩子学校的老师在假期组织补课并收取费用，家长不敢不去。"),
        ("消防", "消防通道被占用", "小区消防通道长期停满私家车，一旦发生火灾消防车根本进不来。"),
        ("诈骗", "老人被推销保健品骗钱", "有人在小区里以免费体检为名向老人推销保健品，好几位老人被骗了几千元。"),
        ("低保", "低保申请迟迟没有结果", "家里老人瘫痪在床，三个月前申请低保，到现在还没有任何答复。"),
    ];

    private static readonly string[] Surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "马", "孙", "朱", "胡", "郭"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "秀英", "建国", "志强"];
    private static readonly string[] Channels = ["hotline", "hotline", "hotline", "walkin", "grid", "portal"];

    private readonly string[][] categoriesByTemplate;

    public Samples(IReadOnlyList<(string Code, string Name, string Keywords, bool Leaf)> categories)
    {
        var leaves = categories.Where(c => c.Leaf).Select(c => c.Code).ToArray();
        categoriesByTemplate = Templates.Select(t =>
        {
            var matches = categories.Where(c => c.Leaf && (c.Name.Contains(t.Keyword, StringComparison.Ordinal) || c.Keywords.Contains(t.Keyword, StringComparison.Ordinal)))
                .Select(c => c.Code).ToArray();
            return matches.Length > 0 ? matches : leaves;
        }).ToArray();
        MatchedTemplates = Templates.Select((t, i) => categoriesByTemplate[i] != leaves).Count(x => x);
    }

    public static int TemplateCount => Templates.Length;
    public int MatchedTemplates { get; }

    /// <summary>One intake body.</summary>
    public string Body(Random rng)
    {
        var i = rng.Next(Templates.Length);
        var (_, title, description) = Templates[i];
        var codes = categoriesByTemplate[i];
        var lon = 105.5 + rng.NextDouble() * 2.1;
        var lat = 35.0 + rng.NextDouble() * 0.7;
        var body = new JsonObject
        {
            ["kind"] = "appeal",
            ["channel"] = Channels[rng.Next(Channels.Length)],
            ["title"] = title,
            ["description"] = description,
            ["categoryCode"] = codes[rng.Next(codes.Length)],
            ["location"] = new JsonObject { ["lat"] = Math.Round(lat, 6), ["lon"] = Math.Round(lon, 6) },
            ["reporter"] = new JsonObject
            {
                ["name"] = Surnames[rng.Next(Surnames.Length)] + GivenNames[rng.Next(GivenNames.Length)],
                ["phone"] = "1" + (30 + rng.Next(60)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + rng.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return body.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>A ~1 KB row's text for the database-limit loops (the same templates).</summary>
    public static (string Title, string Description) Text(Random rng)
    {
        var t = Templates[rng.Next(Templates.Length)];
        // Repeat the description to reach ~900 bytes of UTF-8, about the size of an intake's stored text.
        var description = t.Description;
        while (System.Text.Encoding.UTF8.GetByteCount(description) < 850)
        {
            description += Templates[rng.Next(Templates.Length)].Description;
        }
        return (t.Title, description);
    }
}
