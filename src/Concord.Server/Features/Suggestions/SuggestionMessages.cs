using Concord.Server.Problems;

namespace Concord.Server.Features.Suggestions;

public sealed class SuggestionMessages : MessageSource
{
    public override IReadOnlyDictionary<string, (string Zh, string En)> Entries { get; } = new Dictionary<string, (string Zh, string En)>
    {
        ["ui.suggestions.title"] = ("智能分拨建议", "Suggested dispatch"),
        ["ui.suggestions.category"] = ("建议分类：{0}（置信度 {1}）", "Suggested category: {0} (confidence {1})"),
        ["ui.suggestions.unit"] = ("建议主办：{0}（置信度 {1}）", "Suggested lead: {0} (confidence {1})"),
        ["ui.suggestions.no_category"] = ("分类：无建议（置信度不足）", "Category: no suggestion (not confident enough)"),
        ["ui.suggestions.no_unit"] = ("主办单位：无建议（置信度不足）", "Lead unit: no suggestion (not confident enough)"),
        ["ui.suggestions.words"] = ("依据：{0}", "Because of: {0}"),
        ["ui.suggestions.learned"] = ("学习自 {0} 次派单决定", "Learned from {0} dispatch decisions"),
        ["ui.suggestions.dispatch"] = ("按建议派单", "Dispatch as suggested"),
        ["ui.suggestions.none"] = ("无建议", "No suggestion"),
    };
}
