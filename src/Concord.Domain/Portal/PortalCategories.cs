using Concord.Domain.Categories;

namespace Concord.Domain.Portal;

/// <summary>
/// The category picker residents use: the leaf categories (what a resident can name), found by
/// words in their own language — the category's name, its domain's name or a keyword.
/// </summary>
public static class PortalCategories
{
    public static IReadOnlyList<Category> Leaves(CategoryCatalog catalog)
    {
        var all = catalog.All.ToList();
        var parents = all.Select(c => c.ParentCode).Where(p => p is not null).ToHashSet(StringComparer.Ordinal);
        return all.Where(c => !parents.Contains(c.Code) && c.Depth > 1).ToList();
    }

    /// <summary>The leaves matching every word of the query (all leaves for an empty query).</summary>
    public static IReadOnlyList<Category> Search(CategoryCatalog catalog, string? query)
    {
        var leaves = Leaves(catalog);
        var words = (query ?? "").Split([' ', '\u3000', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return leaves;
        }

        return leaves.Where(c =>
        {
            var domain = catalog.Find(c.Code[..2]);
            var haystack = string.Join(' ', new[] { c.Name, c.NameEn, domain?.Name, domain?.NameEn }.Concat(c.Keywords).Concat(catalog.ChainOf(c.Code).Select(p => p.Name)));
            return words.All(w => haystack.Contains(w, StringComparison.OrdinalIgnoreCase));
        }).ToList();
    }
}
