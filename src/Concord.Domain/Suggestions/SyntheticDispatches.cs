using Concord.Domain.Categories;

namespace Concord.Domain.Suggestions;

/// <summary>A place a synthetic matter happens in.</summary>
public sealed record SyntheticPlace(string CountyCode, string TownshipCode, string Name);

/// <summary>A synthetic matter with the decision a dispatcher would take for it.</summary>
public sealed record SyntheticDispatch(string Title, string Description, SyntheticPlace Place, string CategoryCode, string LeadUnitCode)
{
    public DispatchDecision Decision => new(new MatterText(Title + " " + Description, Place.CountyCode, Place.TownshipCode), CategoryCode, LeadUnitCode);
}

/// <summary>
/// SYNTHETIC matters for the demo's dispatch history and for the evaluation: texts of a category
/// built from a phrase bank (the category's own keywords and name, its parent's keywords, fixed
/// openers and closings), with noise (a word of another category, a dropped character), at a
/// random place; the lead unit is what the routing rules say for that category and place.
/// Deterministic for a seed. Never real residents' words.
/// </summary>
public static class SyntheticDispatches
{
    private static readonly string[] Openers =
        ["市民来电反映：", "群众反映，", "网格员上报：", "居民投诉，", "来电人称", "有群众在平安键留言：", "窗口来访反映，", ""];

    private static readonly string[] Connectors = ["，", "，而且", "，还有", "，另外", "。", "，并且"];

    private static readonly string[] Closings =
        ["请相关部门尽快处理。", "希望尽快解决。", "已经持续好几天了。", "多次反映无果。", "影响群众正常生活。", "请求核实处理。", "盼回复。", ""];

    public static IReadOnlyList<SyntheticDispatch> Generate(
        IEnumerable<Category> categories,
        IReadOnlyList<SyntheticPlace> places,
        Func<string, SyntheticPlace, string?> leadUnitOf,
        int count,
        int seed,
        double noise = 0.15)
    {
        var all = categories.ToList();
        var byCode = all.ToDictionary(c => c.Code, StringComparer.Ordinal);
        // Dispatchers choose the most specific category: the leaves of the taxonomy that have words to speak of.
        var leaves = all.Where(c => !all.Any(o => o.ParentCode == c.Code) && c.Keywords.Count > 0)
            .OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        if (leaves.Count == 0 || places.Count == 0)
        {
            return [];
        }

        var random = new Random(seed);
        var result = new List<SyntheticDispatch>(count);
        var attempts = 0;
        while (result.Count < count && attempts++ < count * 4)
        {
            var category = leaves[random.Next(leaves.Count)];
            var place = places[random.Next(places.Count)];
            if (leadUnitOf(category.Code, place) is not { } unit)
            {
                continue;
            }

            var bank = category.Keywords.Concat([category.Name]).ToList();
            var parentWords = category.ParentCode is { } p && byCode.TryGetValue(p, out var parent) ? parent.Keywords : [];
            var words = new List<string>();
            var wanted = 2 + random.Next(2);
            for (var i = 0; i < wanted; i++)
            {
                var fromParent = parentWords.Count > 0 && random.NextDouble() < 0.25;
                words.Add(fromParent ? parentWords[random.Next(parentWords.Count)] : bank[random.Next(bank.Count)]);
            }

            if (random.NextDouble() < noise)
            {
                var other = leaves[random.Next(leaves.Count)];
                words.Add(other.Keywords[random.Next(other.Keywords.Count)]);
            }

            var title = Drop(place.Name + words[0] + "问题", random, noise);
            var description = Openers[random.Next(Openers.Length)] + place.Name
                + string.Concat(words.Select((w, i) => (i == 0 ? "" : Connectors[random.Next(Connectors.Length)]) + w))
                + "，" + Closings[random.Next(Closings.Length)];
            result.Add(new SyntheticDispatch(title, Drop(description, random, noise), place, category.Code, unit));
        }

        return result;
    }

    /// <summary>Typing noise: now and then one character goes missing.</summary>
    private static string Drop(string text, Random random, double noise) =>
        text.Length > 4 && random.NextDouble() < noise ? text.Remove(random.Next(text.Length), 1) : text;
}
