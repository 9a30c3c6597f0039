namespace Concord.Domain.Territories;

/// <summary>
/// One division or grid. Codes are hierarchical: a child's code starts with its parent's
/// (county 620802 → township 620802001 → community 620802001001 → grid 620802001001001),
/// except that GB/T 2260 pads province and city codes to six digits (620000 ⊃ 620800 ⊃ 620802).
/// </summary>
public sealed record Territory(string Code, string Name, TerritoryLevel Level, string? ParentCode);
