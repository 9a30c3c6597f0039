using Concord.Domain.Duplicates;

namespace Concord.Domain.Tests.Duplicates;

/// <summary>A labelled pair: two matters as the measure sees them, and whether they are the same matter.</summary>
public sealed record LabelledPair(string Kind, bool Duplicate, DuplicateProbe A, DuplicateProbe B, string TextA, string TextB);

/// <summary>
/// Generates labelled pairs of matters for measuring the duplicate candidates, from a seed:
/// near-duplicates are two residents describing one problem (clauses reordered, synonyms from a
/// small bank, filler added or dropped, a typo) within 200 m and 10 days; distinct pairs are the
/// same text elsewhere (0.6–5 km), another category months apart, and another problem at the same
/// place and time, and another problem of the same category at the same place and time. Residents' appeals are short (20–60 characters), as on 12345 lines.
/// </summary>
public sealed class DuplicateCorpus(int seed)
{
    private readonly Random random = new(seed);

    private static readonly DateTime Start = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Problems: category and clauses (each clause one fact of the appeal).</summary>
    private static readonly (string Category, string[] Clauses)[] Problems =
    [
        ("020101", ["工地老板拖欠我们三个月工资", "二十多名工人找不到包工头", "请求帮助讨回血汗钱"]),
        ("020102", ["公司已经两个月没发工资", "老板说资金周转困难", "员工生活很困难"]),
        ("160101", ["小区旁边工地晚上施工", "噪音很大吵得睡不着觉", "已经持续一个星期"]),
        ("160201", ["广场上跳舞音响声音太大", "每天晚上吵到十点", "老人孩子无法休息"]),
        ("150402", ["楼上暖气管道漏水", "水流到我家天花板", "墙皮都泡坏了"]),
        ("150401", ["家里暖气一直不热", "室内温度只有十二度", "老人冻得生病"]),
        ("130301", ["小区门口路灯不亮", "晚上走路黑漆漆的", "已经坏了半个月"]),
        ("130201", ["人行道上井盖缺失", "有人差点掉下去", "请尽快补上"]),
        ("130101", ["路面坑洼破损严重", "电动车经常摔倒", "下雨天全是积水"]),
        ("130501", ["楼下下水道堵塞", "污水冒到路面上", "臭味很大"]),
        ("150101", ["小区突然停水", "没有任何通知", "做饭洗漱都成问题"]),
        ("150201", ["整栋楼停电一天了", "冰箱里的东西都坏了", "也没人来修"]),
        ("150301", ["楼道里闻到很浓的燃气味", "怀疑燃气管道泄漏", "很担心发生爆炸"]),
        ("120401", ["消防通道被私家车堵死", "消防车根本进不来", "物业不管"]),
        ("120402", ["有人在楼道里给电动车充电", "电线拉得到处都是", "存在火灾隐患"]),
        ("120501", ["单元电梯经常困人", "今天又有老人被困", "物业维修不及时"]),
        ("090103", ["附近工地扬尘严重", "窗户都不敢开", "没有洒水降尘"]),
        ("090302", ["有人在河边乱倒建筑垃圾", "堆得像小山一样", "影响环境"]),
        ("100401", ["学校门口小吃店卫生很差", "厨房苍蝇乱飞", "孩子吃了拉肚子"]),
        ("010301", ["健身房突然关门跑路", "办的预付卡还有三千元没用", "老板联系不上"]),
        ("030102", ["买的房子逾期两年没交房", "开发商一直拖延", "业主要求尽快交房"]),
        ("080501", ["小区门口长期违法停车", "占用了人行道", "行人只能走机动车道"]),
        ("160202", ["楼下饭店排风机噪声很大", "油烟也直接排到窗口", "严重影响生活"]),
        ("150102", ["自来水发黄有异味", "烧开后有沉淀", "不敢饮用"]),
    ];

    /// <summary>Other problems in the same categories as some of the above: the hardest distinct pairs.</summary>
    private static readonly (string Category, string[] Clauses)[] Neighbours =
    [
        ("130301", ["路灯白天也一直亮着", "浪费电", "反映过没人管"]),
        ("130101", ["新修的路刚一个月就开裂", "怀疑偷工减料", "要求查处施工单位"]),
        ("150201", ["小区每天晚上定时断电", "供电所说是线路老化", "要求改造线路"]),
        ("120401", ["商铺在消防通道上堆放货物", "楼梯口全是纸箱", "一旦着火跑不出去"]),
        ("160101", ["渣土车凌晨进出工地", "喇叭按个不停", "路面也被压坏"]),
        ("150402", ["供暖公司换管道后", "地下室一直积水", "管道阀门没有关严"]),
        ("100401", ["超市卖的熟食没有生产日期", "售货员不戴手套", "卫生不合格"]),
        ("020102", ["公司辞退员工不给经济补偿", "还扣了最后一个月的工资", "劳动合同也不给"]),
    ];

    /// <summary>Words residents use for the same thing.</summary>
    private static readonly (string, string)[] Synonyms =
    [
        ("拖欠", "欠"), ("工资", "薪水"), ("三个月", "3个月"), ("两个月", "2个月"), ("噪音", "噪声"), ("晚上", "夜里"),
        ("小区", "社区"), ("请求", "希望"), ("很大", "特别大"), ("严重", "厉害"), ("一个星期", "一周"), ("半个月", "十几天"),
        ("尽快", "赶紧"), ("老板", "老总"), ("找不到", "联系不上"), ("漏水", "渗水"), ("不热", "不暖和"), ("物业", "物业公司"),
        ("堵死", "堵住"), ("很差", "太差"), ("孩子", "小孩"), ("路面", "马路"), ("经常", "老是"), ("附近", "旁边"),
    ];

    private static readonly string[] Fillers =
        ["您好", "我要反映一个问题", "麻烦你们", "谢谢", "希望有关部门管一管", "特此反映", "急", "我是附近居民", "请尽快处理"];

    /// <summary>Characters residents mistype (same sound or shape).</summary>
    private static readonly (char, char)[] Typos =
        [('工', '功'), ('资', '姿'), ('暖', '缓'), ('灯', '登'), ('车', '东'), ('楼', '搂'), ('水', '氺'), ('噪', '燥'), ('跑', '泡'), ('坏', '怀')];

    public IEnumerable<LabelledPair> Pairs(int count)
    {
        for (var i = 0; i < count; i++)
        {
            // Half duplicates, half distinct pairs of three kinds.
            yield return (i % 8) switch
            {
                0 or 1 or 2 or 3 => Paraphrase(),
                4 => SameTextElsewhere(),
                5 => OtherCategoryLater(),
                6 => OtherProblemSamePlace(),
                _ => NeighbourSamePlace(),
            };
        }
    }

    private LabelledPair Paraphrase()
    {
        var problem = Problems[random.Next(Problems.Length)];
        var (lat, lon) = Point();
        var (lat2, lon2) = Offset(lat, lon, random.NextDouble() * 200);
        var at = Instant();
        var a = Reword(problem.Clauses);
        var b = Reword(problem.Clauses);
        // Mostly the same category; sometimes the operator picked a sibling, or none yet (waiting for the dispatcher).
        var roll = random.NextDouble();
        var other = roll < 0.8 ? problem.Category : roll < 0.9 ? Sibling(problem.Category) : null;
        return Pair("paraphrase", true, a, problem.Category, lat, lon, at, b, other, lat2, lon2, at.AddHours(random.NextDouble() * 240));
    }

    private LabelledPair SameTextElsewhere()
    {
        var problem = Problems[random.Next(Problems.Length)];
        var (lat, lon) = Point();
        var (lat2, lon2) = Offset(lat, lon, 600 + random.NextDouble() * 4400);
        var at = Instant();
        var text = Reword(problem.Clauses);
        return Pair("same_text_elsewhere", false, text, problem.Category, lat, lon, at, Reword(problem.Clauses), problem.Category, lat2, lon2, at.AddHours(random.NextDouble() * 240));
    }

    private LabelledPair OtherCategoryLater()
    {
        var (first, second) = TwoProblems();
        var (lat, lon) = Point();
        var (lat2, lon2) = Offset(lat, lon, random.NextDouble() * 200);
        var at = Instant();
        return Pair("other_category_later", false, Reword(first.Clauses), first.Category, lat, lon, at, Reword(second.Clauses), second.Category, lat2, lon2, at.AddDays(40 + random.NextDouble() * 150));
    }

    private LabelledPair OtherProblemSamePlace()
    {
        var (first, second) = TwoProblems();
        var (lat, lon) = Point();
        var (lat2, lon2) = Offset(lat, lon, random.NextDouble() * 100);
        var at = Instant();
        return Pair("other_problem_same_place", false, Reword(first.Clauses), first.Category, lat, lon, at, Reword(second.Clauses), second.Category, lat2, lon2, at.AddHours(random.NextDouble() * 120));
    }

    /// <summary>Another problem of the same category, at the same place and in the same days.</summary>
    private LabelledPair NeighbourSamePlace()
    {
        var neighbour = Neighbours[random.Next(Neighbours.Length)];
        var first = Problems.First(p => p.Category == neighbour.Category);
        var (lat, lon) = Point();
        var (lat2, lon2) = Offset(lat, lon, random.NextDouble() * 100);
        var at = Instant();
        return Pair("same_category_other_problem", false, Reword(first.Clauses), first.Category, lat, lon, at, Reword(neighbour.Clauses), neighbour.Category, lat2, lon2, at.AddHours(random.NextDouble() * 120));
    }

    private ((string Category, string[] Clauses), (string Category, string[] Clauses)) TwoProblems()
    {
        var i = random.Next(Problems.Length);
        var j = (i + 1 + random.Next(Problems.Length - 1)) % Problems.Length;
        return (Problems[i], Problems[j]);
    }

    private static LabelledPair Pair(string kind, bool duplicate, string textA, string? categoryA, double latA, double lonA, DateTime atA, string textB, string? categoryB, double latB, double lonB, DateTime atB) =>
        new(kind, duplicate,
            new DuplicateProbe(MinHash.Of(textA), latA, lonA, "", atA, categoryA),
            new DuplicateProbe(MinHash.Of(textB), latB, lonB, "", atB, categoryB),
            textA, textB);

    /// <summary>One resident's wording: some clauses, in any order, with synonyms, filler and maybe a typo.</summary>
    private string Reword(string[] clauses)
    {
        var kept = clauses.Where((_, i) => i == 0 || random.NextDouble() < 0.85).OrderBy(_ => random.Next()).ToList();
        var words = kept.Select(clause =>
        {
            foreach (var (a, b) in Synonyms)
            {
                if (random.NextDouble() < 0.5)
                {
                    clause = clause.Replace(a, b, StringComparison.Ordinal);
                }
            }

            return clause;
        }).ToList();
        if (random.NextDouble() < 0.6)
        {
            words.Insert(0, Fillers[random.Next(Fillers.Length)]);
        }

        if (random.NextDouble() < 0.4)
        {
            words.Add(Fillers[random.Next(Fillers.Length)]);
        }

        var text = string.Join(random.NextDouble() < 0.5 ? "，" : "。", words) + (random.NextDouble() < 0.5 ? "。" : "！");
        if (random.NextDouble() < 0.3)
        {
            var (from, to) = Typos[random.Next(Typos.Length)];
            var at = text.IndexOf(from, StringComparison.Ordinal);
            if (at >= 0)
            {
                text = string.Concat(text.AsSpan(0, at), to.ToString(), text.AsSpan(at + 1));
            }
        }

        return text;
    }

    private string? Sibling(string category)
    {
        var siblings = Problems.Select(p => p.Category).Where(c => c != category && c[..4] == category[..4]).ToList();
        return siblings.Count > 0 ? siblings[random.Next(siblings.Count)] : category[..4] + "99";
    }

    /// <summary>A point in Pingliang's central district.</summary>
    private (double Lat, double Lon) Point() => (35.50 + random.NextDouble() * 0.08, 106.62 + random.NextDouble() * 0.12);

    private (double Lat, double Lon) Offset(double lat, double lon, double meters)
    {
        var bearing = random.NextDouble() * 2 * Math.PI;
        return (lat + meters * Math.Cos(bearing) / 111_195, lon + meters * Math.Sin(bearing) / (111_195 * Math.Cos(lat * Math.PI / 180)));
    }

    private DateTime Instant() => Start.AddMinutes(random.Next(0, 60 * 24 * 150));
}

/// <summary>Precision and recall of the candidates over labelled pairs.</summary>
public sealed record DuplicateEvaluation(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : TruePositives / (double)(TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : TruePositives / (double)(TruePositives + FalseNegatives);

    public static DuplicateEvaluation Of(IEnumerable<LabelledPair> pairs, DuplicateSettings settings)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var pair in pairs)
        {
            var found = DuplicateScorer.Score(pair.A, pair.B, settings) is not null;
            (tp, fp, fn, tn) = (found, pair.Duplicate) switch
            {
                (true, true) => (tp + 1, fp, fn, tn),
                (true, false) => (tp, fp + 1, fn, tn),
                (false, true) => (tp, fp, fn + 1, tn),
                _ => (tp, fp, fn, tn + 1),
            };
        }

        return new(tp, fp, fn, tn);
    }
}
