using Concord.Server.Problems;

namespace Concord.Server.Features.Search;

public sealed class SearchMessages : MessageSource
{
    public override IReadOnlyDictionary<string, (string Zh, string En)> Entries { get; } = new Dictionary<string, (string Zh, string En)>
    {
        ["search.no_terms"] = ("请至少输入一个两字以上的词（标点和单字无法检索）", "enter at least one word of two or more characters (punctuation and single characters cannot be searched)"),
        ["ui.search.nav"] = ("事项查询", "Matters"),
        ["ui.search.title"] = ("事项查询", "Find matters"),
        ["ui.search.q"] = ("关键词", "Words"),
        ["ui.search.q_hint"] = ("如：欠薪、噪音、漏水", "e.g. 欠薪, 噪音, 漏水"),
        ["ui.search.status"] = ("状态", "Status"),
        ["ui.search.category"] = ("分类", "Category"),
        ["ui.search.territory"] = ("区划", "Territory"),
        ["ui.search.from"] = ("受理起", "Received from"),
        ["ui.search.to"] = ("受理止", "Received until"),
        ["ui.search.any"] = ("全部", "Any"),
        ["ui.search.submit"] = ("查询", "Search"),
        ["ui.search.export"] = ("导出 Excel", "Export to Excel"),
        ["ui.search.export_hint"] = ("最多导出 {0} 条", "at most {0} rows"),
        ["ui.search.next"] = ("下一页", "Next page"),
        ["ui.search.first"] = ("第一页", "First page"),
        ["ui.search.empty"] = ("没有符合条件的事项。", "No matters match."),
        ["ui.search.by_relevance"] = ("按相关度排序", "Most relevant first"),
        ["ui.search.by_time"] = ("按受理时间排序（新的在前）", "Newest first"),
        ["ui.search.sort"] = ("排序", "Order"),
        ["ui.search.sort_relevance"] = ("按相关度", "Most relevant first"),
        ["ui.search.sort_received"] = ("按受理时间", "Newest first"),
        ["ui.search.ranked_among"] = ("匹配的事项很多，仅在最新的 {0} 条中按相关度排序。可缩小条件，或改为", "Many matters match: only the newest {0} are ordered by relevance. Narrow the search, or order by"),
        ["ui.search.col.code"] = ("编号", "Code"),
        ["ui.search.col.title"] = ("标题", "Title"),
        ["ui.search.col.status"] = ("状态", "Status"),
        ["ui.search.col.category"] = ("分类", "Category"),
        ["ui.search.col.place"] = ("地点", "Place"),
        ["ui.search.col.unit"] = ("主办单位", "Lead unit"),
        ["ui.search.col.received"] = ("受理时间", "Received"),
        ["ui.search.col.snippet"] = ("匹配内容", "Match"),
        ["ui.search.sheet"] = ("事项", "Matters"),
    };
}
