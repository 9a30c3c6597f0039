namespace Concord.Domain.Categories;

/// <summary>How fast a matter must move. Drives the default deadlines of a category.</summary>
public enum Urgency
{
    Emergency,
    Urgent,
    General,
    Complex,
}

/// <summary>A span of working time: hours, or whole working days.</summary>
public readonly record struct WorkingSpan(int Amount, WorkingSpanUnit Unit)
{
    public static bool TryParse(string? text, out WorkingSpan span)
    {
        span = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            return false;
        }

        var unit = char.ToLowerInvariant(text[^1]) switch
        {
            'h' => WorkingSpanUnit.Hours,
            'd' => WorkingSpanUnit.Days,
            _ => (WorkingSpanUnit?)null,
        };
        if (unit is null
            || !int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount)
            || amount <= 0)
        {
            return false;
        }

        span = new WorkingSpan(amount, unit.Value);
        return true;
    }

    public override string ToString() => $"{Amount}{(Unit == WorkingSpanUnit.Hours ? "h" : "d")}";
}

public enum WorkingSpanUnit
{
    Hours,
    Days,
}

/// <summary>
/// A node of the category taxonomy (事项分类): domain (2 digits) → category (4) → subcategory (6).
/// A child's code starts with its parent's.
/// </summary>
public sealed record Category(
    string Code,
    string Name,
    string NameEn,
    bool KeyDomain,
    Urgency Urgency,
    WorkingSpan AcceptWithin,
    WorkingSpan ReplyWithin,
    IReadOnlyList<string> Keywords)
{
    public string? ParentCode => Code.Length > 2 ? Code[..^2] : null;

    /// <summary>1 for a domain, 2 for a category, 3 for a subcategory.</summary>
    public int Depth => Code.Length / 2;

    public static bool IsWellFormedCode(string? code) =>
        code is { Length: 2 or 4 or 6 } && code.All(char.IsAsciiDigit);
}
