using System.Collections.Frozen;

namespace Concord.Domain.Calendar;

/// <summary>
/// The holiday notices a calendar knows, indexed by date. A year is known when the table holds its
/// notice; days of unknown years are told apart by the day of the week only.
/// </summary>
public sealed class HolidayTable
{
    /// <summary>No notice at all: every year falls back to weekends only.</summary>
    public static HolidayTable Empty { get; } = new([]);

    private readonly FrozenDictionary<DateOnly, HolidayPeriod> holidays;
    private readonly FrozenDictionary<DateOnly, MakeUpWorkday> makeUpWorkdays;
    private readonly FrozenSet<int> years;

    /// <summary>Builds the index and checks the notices.</summary>
    /// <exception cref="ArgumentException">
    /// Two notices for one year; a period that ends before it starts or lasts more than a month; a day
    /// named twice (off twice, or both off and working); a make-up workday that is not a Saturday or a
    /// Sunday; a date more than a year away from its notice's year.
    /// </exception>
    public HolidayTable(IEnumerable<HolidayNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        Notices = notices.OrderBy(n => n.Year).ToList();

        var off = new Dictionary<DateOnly, HolidayPeriod>();
        var on = new Dictionary<DateOnly, MakeUpWorkday>();
        var seenYears = new HashSet<int>();
        foreach (var notice in Notices)
        {
            if (!seenYears.Add(notice.Year))
            {
                throw new ArgumentException($"Two notices for {notice.Year}.", nameof(notices));
            }

            foreach (var period in notice.Holidays)
            {
                if (period.Last < period.First || period.Days > 31)
                {
                    throw new ArgumentException($"{notice.Year}: the period {period.Name} {period.First:yyyy-MM-dd}…{period.Last:yyyy-MM-dd} is not a run of at most 31 days.", nameof(notices));
                }

                foreach (var day in period.Dates())
                {
                    CheckNear(notice.Year, day);
                    if (off.ContainsKey(day))
                    {
                        throw new ArgumentException($"{day:yyyy-MM-dd} is off in two periods.", nameof(notices));
                    }

                    off.Add(day, period);
                }
            }

            foreach (var workday in notice.MakeUpWorkdays)
            {
                CheckNear(notice.Year, workday.Date);
                if (workday.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    throw new ArgumentException($"The make-up workday {workday.Date:yyyy-MM-dd} is a {workday.Date.DayOfWeek}, not a weekend day.", nameof(notices));
                }

                if (!on.TryAdd(workday.Date, workday))
                {
                    throw new ArgumentException($"{workday.Date:yyyy-MM-dd} is named twice as a make-up workday.", nameof(notices));
                }
            }
        }

        foreach (var day in on.Keys)
        {
            if (off.ContainsKey(day))
            {
                throw new ArgumentException($"{day:yyyy-MM-dd} is both a holiday and a make-up workday.", nameof(notices));
            }
        }

        holidays = off.ToFrozenDictionary();
        makeUpWorkdays = on.ToFrozenDictionary();
        years = seenYears.ToFrozenSet();
        Years = [.. seenYears.Order()];

        static void CheckNear(int year, DateOnly day)
        {
            if (Math.Abs(day.Year - year) > 1)
            {
                throw new ArgumentException($"{day:yyyy-MM-dd} is too far from the notice for {year}.", nameof(notices));
            }
        }
    }

    /// <summary>The notices, by year.</summary>
    public IReadOnlyList<HolidayNotice> Notices { get; }

    /// <summary>The years whose notice the table holds, ascending.</summary>
    public IReadOnlyList<int> Years { get; }

    /// <summary>Whether the table holds the notice for <paramref name="year"/>.</summary>
    public bool Knows(int year) => years.Contains(year);

    /// <summary>The holiday period the date belongs to, if any.</summary>
    public bool TryGetHoliday(DateOnly date, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HolidayPeriod? period) =>
        holidays.TryGetValue(date, out period);

    /// <summary>The make-up workday on that date, if any.</summary>
    public bool TryGetMakeUpWorkday(DateOnly date, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MakeUpWorkday? workday) =>
        makeUpWorkdays.TryGetValue(date, out workday);

    internal bool IsHoliday(DateOnly date) => holidays.ContainsKey(date);

    internal bool IsMakeUpWorkday(DateOnly date) => makeUpWorkdays.ContainsKey(date);
}
