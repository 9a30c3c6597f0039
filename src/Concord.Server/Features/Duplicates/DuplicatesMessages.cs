using Concord.Server.Problems;

namespace Concord.Server.Features.Duplicates;

/// <summary>The duplicates slice's texts: the reasons of a candidate, the console's block, unmerge.</summary>
public sealed class DuplicatesMessages : MessageSource
{
    public override IReadOnlyDictionary<string, (string Zh, string En)> Entries { get; } = new Dictionary<string, (string Zh, string En)>
    {
        ["duplicates.reason.distance"] = ("距离 {0} 米", "{0} m apart"),
        ["duplicates.reason.same_territory"] = ("同一区划（无坐标）", "same territory (no point)"),
        ["duplicates.reason.days_apart"] = ("相隔 {0} 天", "{0} days apart"),
        ["duplicates.reason.same_category"] = ("同一类别", "same category"),
        ["duplicates.reason.same_parent_category"] = ("同一上级类别", "same parent category"),
        ["duplicates.reason.other_category"] = ("类别不同", "another category"),
        ["duplicates.reason.category_unknown"] = ("类别未定", "category not set yet"),
        ["duplicates.reason.text_similarity"] = ("文字相似度 {0}", "text similarity {0}"),

        ["ui.action.unmerge"] = ("撤销并单", "Undo the merge"),
        ["ui.event.unmerged"] = ("撤销并单", "Merge undone"),
        ["ui.event.merge_undone"] = ("并入事项已撤销", "A merged matter was split off"),
        ["ui.duplicates.title"] = ("疑似重复（并单建议）", "Possible duplicates (merge suggestions)"),
        ["ui.duplicates.badge"] = ("疑似重复", "Possible duplicate"),
        ["ui.duplicates.none"] = ("未发现疑似重复事项。", "No possible duplicates."),
        ["ui.duplicates.score"] = ("相似度 {0}", "score {0}"),
        ["ui.duplicates.merge_into"] = ("并入此事项", "Merge into this one"),
        ["ui.duplicates.merged_here"] = ("已并入本事项（其反映人同样收到本事项的进展与回访）", "Merged into this matter (their reporters follow this one)"),
        ["ui.duplicates.done"] = ("已将 {0} 并入 {1}。", "{0} was merged into {1}."),
    };
}
