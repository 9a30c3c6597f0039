namespace Concord.Domain.Categories;

/// <summary>The taxonomy in memory.</summary>
public sealed class CategoryCatalog
{
    private readonly Dictionary<string, Category> byCode;

    public CategoryCatalog(IEnumerable<Category> categories)
    {
        byCode = categories.ToDictionary(c => c.Code, StringComparer.Ordinal);
    }

    public int Count => byCode.Count;

    public IEnumerable<Category> All => byCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal);

    public Category? Find(string? code) => code is not null && byCode.TryGetValue(code, out var c) ? c : null;

    /// <summary>The chain from the domain down to the category itself.</summary>
    public IReadOnlyList<Category> ChainOf(string code)
    {
        var chain = new List<Category>(3);
        for (var length = 2; length <= code.Length; length += 2)
        {
            if (Find(code[..length]) is { } c)
            {
                chain.Add(c);
            }
        }

        return chain;
    }

    /// <summary>True when <paramref name="code"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsWithin(string code, string ancestor) => code.StartsWith(ancestor, StringComparison.Ordinal);
}
