namespace Concord.Domain.Calendar;

/// <summary>
/// Which years of a computation the calendar knew. For an unknown year only weekends are days off,
/// so a deadline that crosses one may be too early; say so, e.g. "calendar for 2027 unknown: weekends only".
/// </summary>
public sealed class CalendarCoverage
{
    public static CalendarCoverage Complete { get; } = new([]);

    public CalendarCoverage(IEnumerable<int> unknownYears)
    {
        ArgumentNullException.ThrowIfNull(unknownYears);
        UnknownYears = [.. unknownYears.Distinct().Order()];
    }

    /// <summary>The years without a holiday notice, ascending; empty when every year was known.</summary>
    public IReadOnlyList<int> UnknownYears { get; }

    /// <summary>True when the holiday notice of every year involved was known.</summary>
    public bool IsComplete => UnknownYears.Count == 0;

    public override string ToString() => IsComplete
        ? "calendar known"
        : $"calendar for {string.Join(", ", UnknownYears)} unknown: weekends only";
}

/// <summary>A deadline and whether the calendar knew every year it crossed.</summary>
public sealed record WorkingDeadline(DateTimeOffset Due, CalendarCoverage Coverage);
