using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Concord.Domain.Calendar;

/// <summary>A daily period of work in the center's local time, e.g. 08:30–12:00. Start is included, End is not.</summary>
public readonly record struct WorkPeriod(TimeOnly Start, TimeOnly End)
{
    public TimeSpan Duration => End - Start;

    public override string ToString() =>
        $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{End.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The work periods of every working day, in local time: by default 08:30–12:00 and 14:30–18:00
/// (7 hours a day). Periods lie inside one calendar day (none may run past midnight), each ends after
/// it starts, and they are given in ascending order without overlapping (one may start where the
/// previous one ends).
/// </summary>
public sealed class WorkingHours
{
    /// <summary>08:30–12:00 and 14:30–18:00.</summary>
    public static WorkingHours Default { get; } = new([new(new(8, 30), new(12, 0)), new(new(14, 30), new(18, 0))]);

    /// <exception cref="ArgumentException">No period; a period that does not end after it starts; periods out of order or overlapping.</exception>
    public WorkingHours(IEnumerable<WorkPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var list = periods.ToList();
        if (Problem(list) is { } problem)
        {
            throw new ArgumentException(problem, nameof(periods));
        }

        Periods = list;
        PerDay = TimeSpan.FromTicks(list.Sum(p => p.Duration.Ticks));
    }

    /// <summary>The periods, ascending.</summary>
    public IReadOnlyList<WorkPeriod> Periods { get; }

    /// <summary>Working time in one working day (7 hours by default).</summary>
    public TimeSpan PerDay { get; }

    /// <summary>When the first period starts (08:30 by default).</summary>
    public TimeOnly Opening => Periods[0].Start;

    /// <summary>When the last period ends (18:00 by default): the close of a working day.</summary>
    public TimeOnly Closing => Periods[^1].End;

    /// <summary>
    /// Reads periods written as in configuration: <c>"08:30-12:00,14:30-18:00"</c> (24-hour clock,
    /// comma-separated, spaces around items allowed). False for anything unreadable or invalid.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WorkingHours? hours)
    {
        hours = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var periods = new List<WorkPeriod>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var ends = item.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2
                || !TimeOnly.TryParseExact(ends[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !TimeOnly.TryParseExact(ends[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            {
                return false;
            }

            periods.Add(new WorkPeriod(start, end));
        }

        if (Problem(periods) is not null)
        {
            return false;
        }

        hours = new WorkingHours(periods);
        return true;
    }

    public override string ToString() => string.Join(",", Periods);

    private static string? Problem(List<WorkPeriod> periods)
    {
        if (periods.Count == 0)
        {
            return "At least one work period is needed.";
        }

        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].End <= periods[i].Start)
            {
                return $"The work period {periods[i]} does not end after it starts.";
            }

            if (i > 0 && periods[i].Start < periods[i - 1].End)
            {
                return $"The work period {periods[i]} starts before {periods[i - 1]} ends: periods must be ascending and must not overlap.";
            }
        }

        return null;
    }
}
