using Concord.Domain.Categories;

namespace Concord.Domain.Calendar;

/// <summary>
/// Working time on the official calendar: which days are working days (weekdays, minus the holidays of
/// the State Council's notices, plus their make-up workdays 调休上班), and deadlines counted in working
/// hours or working days. Takes and returns instants (<see cref="DateTimeOffset"/>); computes in the
/// center's local time (<see cref="TimeZone"/>), and returns instants at that zone's offset.
/// </summary>
/// <remarks>
/// <para>
/// A year whose notice the table does not hold is counted by weekends only (Saturday and Sunday off,
/// no holidays, no make-up days). <see cref="Knows"/>, <see cref="CoverageOf(DateOnly, DateOnly)"/> and
/// <see cref="Deadline"/> let callers say so.
/// </para>
/// <para>
/// Costs: every computation walks calendar days (never minutes), a handful of dictionary look-ups per day.
/// A deadline may lie at most <see cref="MaxScanDays"/> calendar days after its start.
/// </para>
/// </remarks>
public sealed class WorkingCalendar
{
    /// <summary>Share of the allowed working time from which a matter is <see cref="TrafficLight.Yellow"/>.</summary>
    public const double YellowShare = 0.8;

    /// <summary>How far (in calendar days) a deadline may lie from its start: about 50 years.</summary>
    public const int MaxScanDays = 18_263;

    /// <summary>
    /// China Standard Time as a fixed UTC+08:00 zone, so that the domain needs no time-zone database.
    /// China has observed no daylight saving time since 1991, so this equals Asia/Shanghai for every
    /// instant this system handles; the server may pass the system's Asia/Shanghai instead.
    /// </summary>
    public static TimeZoneInfo ChinaStandardTime { get; } = TimeZoneInfo.CreateCustomTimeZone(
        "China Standard Time (UTC+08:00)", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    /// <summary>The official table (<see cref="OfficialHolidays"/>), default hours, China Standard Time.</summary>
    public static WorkingCalendar Official { get; } = new(OfficialHolidays.Table);

    /// <param name="holidays">The notices known.</param>
    /// <param name="hours">Daily work periods; <see cref="WorkingHours.Default"/> when null.</param>
    /// <param name="timeZone">The center's zone; <see cref="ChinaStandardTime"/> when null.</param>
    public WorkingCalendar(HolidayTable holidays, WorkingHours? hours = null, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        Holidays = holidays;
        Hours = hours ?? WorkingHours.Default;
        TimeZone = timeZone ?? ChinaStandardTime;
    }

    public HolidayTable Holidays { get; }

    public WorkingHours Hours { get; }

    public TimeZoneInfo TimeZone { get; }

    // ------------------------------------------------------------------ days

    /// <summary>Whether the holiday notice of <paramref name="year"/> is known. When not, that year is counted by weekends only.</summary>
    public bool Knows(int year) => Holidays.Knows(year);

    /// <summary>
    /// The kind of a day. A date the table names (a holiday, a make-up workday) is that, whatever its
    /// year; any other date is a <see cref="DayKind.Weekend"/> on Saturday and Sunday and a
    /// <see cref="DayKind.Workday"/> otherwise — which, for a year not known, is a guess (see <see cref="Knows"/>).
    /// </summary>
    public DayKind KindOf(DateOnly date)
    {
        if (Holidays.IsHoliday(date))
        {
            return DayKind.Holiday;
        }

        if (Holidays.IsMakeUpWorkday(date))
        {
            return DayKind.MakeUpWorkday;
        }

        return date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? DayKind.Weekend : DayKind.Workday;
    }

    /// <summary>Weekdays that are not holidays, and make-up workdays (a Saturday or Sunday that is 调休上班).</summary>
    public bool IsWorkingDay(DateOnly date) => KindOf(date) is DayKind.Workday or DayKind.MakeUpWorkday;

    /// <summary>The date of an instant in the center's local time.</summary>
    public DateOnly LocalDateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>Which years from <paramref name="first"/> to <paramref name="last"/> (inclusive) are unknown.</summary>
    public CalendarCoverage CoverageOf(DateOnly first, DateOnly last)
    {
        if (last < first)
        {
            (first, last) = (last, first);
        }

        var unknown = Enumerable.Range(first.Year, last.Year - first.Year + 1).Where(y => !Knows(y)).ToList();
        return unknown.Count == 0 ? CalendarCoverage.Complete : new CalendarCoverage(unknown);
    }

    /// <summary>Which years between two instants (their local dates, inclusive) are unknown.</summary>
    public CalendarCoverage CoverageOf(DateTimeOffset from, DateTimeOffset to) => CoverageOf(LocalDateOf(from), LocalDateOf(to));

    // ------------------------------------------------------------------ deadlines

    /// <summary>
    /// The deadline <paramref name="days"/> working days after <paramref name="start"/>: the close of
    /// business (<see cref="WorkingHours.Closing"/>, 18:00 by default) of the N-th working day
    /// <b>after</b> the local date of the start.
    /// </summary>
    /// <remarks>
    /// The day of dispatch never counts, whatever the hour and whatever the day ("7个工作日" run from the
    /// next day, as periods counted in days do not include the day they start — 民法典 第二百零一条):
    /// dispatched on Tuesday at 10:00, at 20:00 or at 07:00, 1 working day ends on Wednesday at 18:00;
    /// dispatched on Saturday, 1 working day ends on Monday at 18:00. Holidays and weekends are skipped,
    /// make-up workdays count.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is less than 1, or too many.</exception>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var day = LocalDateOf(start);
        var counted = 0;
        for (var scanned = 0; scanned < MaxScanDays; scanned++)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day) && ++counted == days)
            {
                return At(day, Hours.Closing);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(days), days, $"More working days than fit in {MaxScanDays} calendar days.");
    }

    /// <summary>
    /// The instant when <paramref name="hours"/> of working time have elapsed since <paramref name="start"/>.
    /// Only time inside the work periods of working days is consumed; a start outside working time
    /// (lunch break, evening, weekend, holiday) begins at the next work period. When the hours run out
    /// exactly at the end of a period, the deadline is that end (e.g. 18:00), not the next opening.
    /// Zero hours is <paramref name="start"/> itself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is negative, not finite, or too large.</exception>
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, double hours)
    {
        if (!double.IsFinite(hours) || hours < 0 || hours > MaxScanDays * 24.0)
        {
            throw new ArgumentOutOfRangeException(nameof(hours), hours, "Working hours must be a finite, non-negative number.");
        }

        return AddWorkingTime(start, TimeSpan.FromTicks((long)Math.Round(hours * TimeSpan.TicksPerHour)));
    }

    /// <summary>As <see cref="AddWorkingHours"/>, with the amount as a <see cref="TimeSpan"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative, or too large.</exception>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan amount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, TimeSpan.Zero);
        if (amount == TimeSpan.Zero)
        {
            return ToLocal(start);
        }

        var remaining = amount;
        var day = LocalDateOf(start);
        for (var scanned = 0; scanned < MaxScanDays; scanned++, day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var period in Hours.Periods)
            {
                var open = At(day, period.Start);
                var close = At(day, period.End);
                var from = open > start ? open : start;
                if (from >= close)
                {
                    continue;
                }

                var available = close - from;
                if (remaining <= available)
                {
                    return ToLocal(from + remaining);
                }

                remaining -= available;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(amount), amount, $"More working time than fits in {MaxScanDays} calendar days.");
    }

    /// <summary>Dispatches a category's span: "2h" to <see cref="AddWorkingHours"/>, "7d" to <see cref="AddWorkingDays"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset start, WorkingSpan span) => span.Unit switch
    {
        WorkingSpanUnit.Hours => AddWorkingHours(start, span.Amount),
        WorkingSpanUnit.Days => AddWorkingDays(start, span.Amount),
        _ => throw new ArgumentOutOfRangeException(nameof(span), span, "Unknown unit."),
    };

    /// <summary>
    /// <see cref="Add"/>, with the coverage of the days from the start's date to the deadline's: when
    /// not complete, the deadline was computed with weekends only for the years it names.
    /// </summary>
    public WorkingDeadline Deadline(DateTimeOffset start, WorkingSpan span)
    {
        var due = Add(start, span);
        return new WorkingDeadline(due, CoverageOf(start, due));
    }

    // ------------------------------------------------------------------ elapsed time and lights

    /// <summary>
    /// Working time between two instants: the part of [<paramref name="from"/>, <paramref name="to"/>)
    /// that lies inside the work periods of working days. Zero when <paramref name="to"/> is not after
    /// <paramref name="from"/>. <c>WorkingTimeBetween(s, AddWorkingTime(s, t)) == t</c>.
    /// </summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var last = LocalDateOf(to);
        for (var day = LocalDateOf(from); ; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                foreach (var period in Hours.Periods)
                {
                    var open = At(day, period.Start);
                    var close = At(day, period.End);
                    var lo = open > from ? open : from;
                    var hi = close < to ? close : to;
                    if (hi > lo)
                    {
                        total += hi - lo;
                    }
                }
            }

            if (day >= last)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// Red when <paramref name="now"/> is at or after <paramref name="due"/>; Yellow when at least
    /// <see cref="YellowShare"/> (80 %) of the working time from <paramref name="start"/> to
    /// <paramref name="due"/> has elapsed by <paramref name="now"/> (also when that allowed time is
    /// zero); Green otherwise.
    /// </summary>
    public TrafficLight LightOf(DateTimeOffset start, DateTimeOffset due, DateTimeOffset now)
    {
        if (now >= due)
        {
            return TrafficLight.Red;
        }

        var allowed = WorkingTimeBetween(start, due);
        var used = WorkingTimeBetween(start, now);

        // used / allowed >= 4/5, in integers so that exactly 80 % is Yellow.
        return (Int128)used.Ticks * 5 >= (Int128)allowed.Ticks * 4 ? TrafficLight.Yellow : TrafficLight.Green;
    }

    /// <summary>
    /// The instant from which <see cref="LightOf"/> answers Yellow (until <paramref name="due"/>, when it
    /// turns Red): the earliest instant by which 80 % of the allowed working time is used, rounded up to
    /// the next microsecond (what a database keeps). Stored per matter, it lets a store count and order
    /// the lights without the calendar: <c>LightOf(start, due, now)</c> is Red when <c>now ≥ due</c>,
    /// Yellow when <c>now ≥ YellowFrom(start, due)</c>, Green otherwise, for every <paramref name="now"/>
    /// not before <paramref name="start"/> and whole in microseconds.
    /// </summary>
    public DateTimeOffset YellowFrom(DateTimeOffset start, DateTimeOffset due)
    {
        var allowed = WorkingTimeBetween(start, due);
        if (allowed == TimeSpan.Zero)
        {
            // No working time allowed: Yellow from the start.
            return start;
        }

        // used * 5 >= allowed * 4  ⇔  used >= ceil(allowed * 4 / 5); working time grows monotonically,
        // and AddWorkingTime answers the earliest instant at which that much is used.
        var threshold = TimeSpan.FromTicks((long)(((Int128)allowed.Ticks * 4 + 4) / 5));
        var at = AddWorkingTime(start, threshold);
        var ticks = at.UtcTicks;
        var rounded = (ticks + 9) / 10 * 10;
        return new DateTimeOffset(rounded, TimeSpan.Zero).ToOffset(at.Offset);
    }

    // ------------------------------------------------------------------ local time

    private DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>
    /// The instant of a local wall-clock time. In a zone with daylight saving time, a time in the
    /// spring-forward gap or in the repeated autumn hour takes the zone's standard offset.
    /// </summary>
    private DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return ToLocal(new DateTimeOffset(local, TimeZone.GetUtcOffset(local)));
    }
}
