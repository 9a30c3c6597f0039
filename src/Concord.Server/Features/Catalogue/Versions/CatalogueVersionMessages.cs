using Concord.Server.Problems;

namespace Concord.Server.Features.Catalogue.Versions;

public sealed class CatalogueVersionMessages : MessageSource
{
    public override IReadOnlyDictionary<string, (string Zh, string En)> Entries { get; } = new Dictionary<string, (string Zh, string En)>
    {
        ["detail.catalogue_version_not_found"] = ("派单目录第 {0} 版不存在", "There is no catalogue version {0}"),
        ["detail.catalogue_concurrent"] = ("另一版派单目录刚刚发布，请刷新后重试", "Another catalogue version was just published; reload and try again"),
        ["catalogue.not_in_past"] = ("生效时间不能早于当前时间（不改写历史）", "must not lie in the past (history is not rewritten)"),
        ["catalogue.before_latest"] = ("生效时间不能早于第 {0} 版的生效时间 {1}", "must not be earlier than version {0}, effective {1}"),
        ["catalogue.duplicate_rule"] = ("规则编号 {0} 重复", "rule id {0} appears more than once"),
        ["catalogue.department_push_down"] = (
            "按派单目录规则 {0}，此事项由部门（{1}）主办，不得下沉至乡镇（街道）或社区；确需下派，须由综治中心明确同意（override: true）并说明理由（overrideReason）",
            "By catalogue rule {0} a department ({1}) leads this matter: it is not pushed down to a township or community unless the center overrides explicitly (override: true) with a reason (overrideReason)"),
        ["catalogue.override_reason_required"] = ("下派部门事项须说明理由", "give the reason for pushing a department matter down"),
    };
}
