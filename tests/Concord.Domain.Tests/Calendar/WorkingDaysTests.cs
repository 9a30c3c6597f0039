using System.Globalization;
using Concord.Domain.Calendar;
using Concord.Domain.Categories;

namespace Concord.Domain.Tests.Calendar;

/// <summary>Deadlines in working days: the close (18:00) of the N-th working day after the day of dispatch.</summary>
public sealed class WorkingDaysTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Official;

    /// <summary>A local time in Beijing.</summary>
    internal static DateTimeOffset T(string local) =>
        DateTimeOffset.ParseExact(local + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    [Fact]
    public void Seven_days_before_National_Day_2025_skip_the_holiday_and_count_the_make_up_Saturday()
    {
        // Dispatched Tue 2025-09-30 10:00. Day of dispatch does not count.
        // 10/1–10/8 off (国庆节、中秋节). 10/9 Thu = 1, 10/10 Fri = 2, 10/11 Sat (调休上班) = 3,
        // 10/12 Sun off, 10/13 Mon = 4, 10/14 = 5, 10/15 = 6, 10/16 Thu = 7 → Thu 2025-10-16 18:00.
        var due = Calendar.AddWorkingDays(T("2025-09-30 10:00"), 7);
        Assert.Equal(T("2025-10-16 18:00"), due);
        Assert.Equal(TimeSpan.FromHours(8), due.Offset);
    }

    [Fact]
    public void Spring_Festival_2026_counts_both_make_up_Saturdays()
    {
        // Dispatched Fri 2026-02-13 15:00. 2/14 Sat (调休上班) = 1; 2/15–2/23 off (春节);
        // 2/24 Tue = 2, 2/25 = 3, 2/26 = 4, 2/27 Fri = 5, 2/28 Sat (调休上班) = 6, 3/1 Sun off,
        // 3/2 Mon = 7 → Mon 2026-03-02 18:00.
        Assert.Equal(T("2026-03-02 18:00"), Calendar.AddWorkingDays(T("2026-02-13 15:00"), 7));
        // 1 working day: the make-up Saturday itself.
        Assert.Equal(T("2026-02-14 18:00"), Calendar.AddWorkingDays(T("2026-02-13 15:00"), 1));
        // 2 working days: from the Saturday straight over the nine days off.
        Assert.Equal(T("2026-02-24 18:00"), Calendar.AddWorkingDays(T("2026-02-13 15:00"), 2));
    }

    [Fact]
    public void Labour_Day_2025_counts_the_make_up_Sunday()
    {
        // Dispatched Fri 2025-04-25 09:00. 4/26 Sat off; 4/27 Sun (调休上班) = 1; 4/28 Mon = 2;
        // 4/29 Tue = 3; 4/30 Wed = 4; 5/1–5/5 off (劳动节); 5/6 Tue = 5 → Tue 2025-05-06 18:00.
        Assert.Equal(T("2025-05-06 18:00"), Calendar.AddWorkingDays(T("2025-04-25 09:00"), 5));
    }

    [Theory]
    // Tue 2025-11-18 within hours, before opening and after closing: Wednesday is day 1 in every case.
    [InlineData("2025-11-18 10:00", 1, "2025-11-19 18:00")]
    [InlineData("2025-11-18 07:00", 1, "2025-11-19 18:00")]
    [InlineData("2025-11-18 20:00", 1, "2025-11-19 18:00")]
    [InlineData("2025-11-18 00:00", 1, "2025-11-19 18:00")]
    [InlineData("2025-11-18 23:59", 1, "2025-11-19 18:00")]
    // Dispatched on Saturday 2025-11-15: Monday is day 1.
    [InlineData("2025-11-15 10:00", 1, "2025-11-17 18:00")]
    // Dispatched Fri 2025-11-14: Mon 17 = 1 … Fri 21 = 5.
    [InlineData("2025-11-14 16:00", 5, "2025-11-21 18:00")]
    // Dispatched on a holiday (Sat 2025-10-04): 10/9 = 1.
    [InlineData("2025-10-04 12:00", 1, "2025-10-09 18:00")]
    // Dispatched on a make-up day (Sun 2025-09-28): the day itself does not count; 9/29 Mon = 1, 9/30 = 2, 10/9 = 3.
    [InlineData("2025-09-28 09:00", 3, "2025-10-09 18:00")]
    // Across the New Year of 2026: Wed 2025-12-31 → 1/1–1/3 off, 1/4 Sun (调休上班) = 1, 1/5 Mon = 2.
    [InlineData("2025-12-31 17:00", 2, "2026-01-05 18:00")]
    public void The_day_of_dispatch_never_counts(string start, int days, string due)
    {
        Assert.Equal(T(due), Calendar.AddWorkingDays(T(start), days));
    }

    [Fact]
    public void The_start_is_taken_in_local_time_whatever_its_offset()
    {
        // 2025-11-18T17:00Z is Wed 2025-11-19 01:00 in Beijing: the day of dispatch is Wednesday (not
        // the UTC date, Tuesday), so 1 working day ends on Thursday at 18:00 Beijing time (10:00Z).
        var start = new DateTimeOffset(2025, 11, 18, 17, 0, 0, TimeSpan.Zero);
        var due = Calendar.AddWorkingDays(start, 1);
        Assert.Equal(T("2025-11-20 18:00"), due);
        Assert.Equal(TimeSpan.FromHours(8), due.Offset);
        Assert.Equal(new DateTimeOffset(2025, 11, 20, 10, 0, 0, TimeSpan.Zero), due.ToUniversalTime());
    }

    [Fact]
    public void Zero_or_negative_days_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(T("2025-11-18 10:00"), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(T("2025-11-18 10:00"), -3));
    }

    [Fact]
    public void An_unknown_year_counts_weekends_only_and_says_so()
    {
        // 2027's notice is not shipped, so Fri 2027-01-01 (New Year's Day, surely off in the real
        // notice) is counted as a working day. Dispatched Thu 2026-12-31 09:00 (a known day):
        // 1 working day → Fri 2027-01-01 18:00.
        Assert.False(Calendar.Knows(2027));
        Assert.Equal(DayKind.Workday, Calendar.KindOf(new DateOnly(2027, 1, 1)));
        var deadline = Calendar.Deadline(T("2026-12-31 09:00"), new WorkingSpan(1, WorkingSpanUnit.Days));
        Assert.Equal(T("2027-01-01 18:00"), deadline.Due);
        Assert.False(deadline.Coverage.IsComplete);
        Assert.Equal([2027], deadline.Coverage.UnknownYears);
        Assert.Equal("calendar for 2027 unknown: weekends only", deadline.Coverage.ToString());

        // 2028 likewise: Thu 2028-01-27 → Fri 28 = 1, Sat/Sun off, Mon 31 = 2, Tue 2/1 = 3.
        Assert.False(Calendar.Knows(2028));
        Assert.Equal(DayKind.Weekend, Calendar.KindOf(new DateOnly(2028, 1, 29)));
        Assert.Equal(T("2028-02-01 18:00"), Calendar.AddWorkingDays(T("2028-01-27 10:00"), 3));
    }

    [Fact]
    public void A_deadline_inside_known_years_has_complete_coverage()
    {
        var deadline = Calendar.Deadline(T("2025-09-30 10:00"), new WorkingSpan(7, WorkingSpanUnit.Days));
        Assert.Equal(T("2025-10-16 18:00"), deadline.Due);
        Assert.True(deadline.Coverage.IsComplete);
        Assert.Same(CalendarCoverage.Complete, deadline.Coverage);
    }

    [Fact]
    public void Coverage_names_every_unknown_year_of_a_range()
    {
        var coverage = Calendar.CoverageOf(new DateOnly(2026, 6, 1), new DateOnly(2029, 2, 1));
        Assert.Equal([2027, 2028, 2029], coverage.UnknownYears);
        Assert.True(Calendar.CoverageOf(new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 31)).IsComplete);
    }

    [Fact]
    public void An_empty_table_knows_no_year()
    {
        var calendar = new WorkingCalendar(HolidayTable.Empty);
        Assert.False(calendar.Knows(2025));
        // Wed 2025-10-01 is a plain Wednesday without the notice.
        Assert.Equal(DayKind.Workday, calendar.KindOf(new DateOnly(2025, 10, 1)));
        // Tue 2025-09-30 → Wed 10/1 = 1 … Fri 10/3 = 3, Mon 10/6 = 4, … Thu 10/9 = 7.
        Assert.Equal(T("2025-10-09 18:00"), calendar.AddWorkingDays(T("2025-09-30 10:00"), 7));
    }

    [Fact]
    public void A_span_dispatches_to_days_or_hours()
    {
        Assert.True(WorkingSpan.TryParse("7d", out var days));
        Assert.True(WorkingSpan.TryParse("2h", out var hours));
        Assert.Equal(T("2025-10-16 18:00"), Calendar.Add(T("2025-09-30 10:00"), days));
        // 11:30 + 2h: 30 min before lunch, 1 h 30 min from 14:30 → 16:00.
        Assert.Equal(T("2025-11-18 16:00"), Calendar.Add(T("2025-11-18 11:30"), hours));
    }

    [Fact]
    public void Long_spans_are_computed_by_days_not_minutes()
    {
        // 2,000 working days is roughly eight years; the result must be the close of a working day,
        // and the count of working days strictly between start day and due day must be 1,999.
        var start = T("2025-01-02 10:00");
        var due = Calendar.AddWorkingDays(start, 2000);
        Assert.Equal(new TimeOnly(18, 0), TimeOnly.FromDateTime(due.DateTime));
        Assert.True(Calendar.IsWorkingDay(DateOnly.FromDateTime(due.DateTime)));
        var between = 0;
        for (var d = new DateOnly(2025, 1, 3); d < DateOnly.FromDateTime(due.DateTime); d = d.AddDays(1))
        {
            between += Calendar.IsWorkingDay(d) ? 1 : 0;
        }

        Assert.Equal(1999, between);
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(start, int.MaxValue));
    }
}
