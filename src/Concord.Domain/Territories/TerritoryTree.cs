namespace Concord.Domain.Territories;

/// <summary>The division hierarchy in memory: lookups by code, ancestor chains and subtrees.</summary>
public sealed class TerritoryTree
{
    private readonly Dictionary<string, Territory> byCode;
    private readonly Dictionary<string, List<Territory>> childrenByCode;

    public TerritoryTree(IEnumerable<Territory> territories)
    {
        byCode = new Dictionary<string, Territory>(StringComparer.Ordinal);
        childrenByCode = new Dictionary<string, List<Territory>>(StringComparer.Ordinal);
        foreach (var territory in territories)
        {
            byCode[territory.Code] = territory;
        }

        foreach (var territory in byCode.Values)
        {
            if (territory.ParentCode is { } parent && byCode.ContainsKey(parent))
            {
                if (!childrenByCode.TryGetValue(parent, out var list))
                {
                    childrenByCode[parent] = list = [];
                }

                list.Add(territory);
            }
        }

        foreach (var list in childrenByCode.Values)
        {
            list.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        }
    }

    public int Count => byCode.Count;

    public IEnumerable<Territory> All => byCode.Values;

    public Territory? Find(string? code) => code is not null && byCode.TryGetValue(code, out var t) ? t : null;

    public IReadOnlyList<Territory> ChildrenOf(string code) =>
        childrenByCode.TryGetValue(code, out var list) ? list : [];

    /// <summary>The chain from the topmost known ancestor down to the territory itself.</summary>
    public IReadOnlyList<Territory> ChainOf(string code)
    {
        var chain = new List<Territory>(6);
        var current = Find(code);
        while (current is not null)
        {
            chain.Add(current);
            current = Find(current.ParentCode);
            if (chain.Count > 16)
            {
                throw new InvalidOperationException($"The territory hierarchy has a cycle at {code}.");
            }
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>The nearest ancestor (or the territory itself) at the given level, if any.</summary>
    public Territory? AncestorAt(string code, TerritoryLevel level)
    {
        var current = Find(code);
        while (current is not null && current.Level > level)
        {
            current = Find(current.ParentCode);
        }

        return current?.Level == level ? current : null;
    }

    public bool IsWithin(string code, string ancestorCode)
    {
        var current = Find(code);
        while (current is not null)
        {
            if (current.Code == ancestorCode)
            {
                return true;
            }

            current = Find(current.ParentCode);
        }

        return false;
    }
}
