using Concord.Domain.Calendar;

namespace Concord.Domain.Tests.Calendar;

public sealed class OfficialHolidaysTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Official;

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    // ------------------------------------------------------------------ what is shipped

    [Fact]
    public void Ships_2025_and_2026_and_not_2027_whose_notice_could_not_be_confirmed()
    {
        Assert.Equal([2025, 2026], OfficialHolidays.Table.Years);
        Assert.True(Calendar.Knows(2025));
        Assert.True(Calendar.Knows(2026));
        Assert.False(Calendar.Knows(2027));
        Assert.False(Calendar.Knows(2028));
        Assert.False(Calendar.Knows(2024));
    }

    [Fact]
    public void Each_notice_names_its_year_and_the_seven_festivals()
    {
        foreach (var notice in OfficialHolidays.Notices)
        {
            Assert.Equal($"国务院办公厅关于{notice.Year}年部分节假日安排的通知", notice.Title);
            Assert.Equal(notice.Year - 1, notice.Issued.Year); // published in the autumn before
            var names = string.Join("、", notice.Holidays.Select(h => h.Name));
            foreach (var festival in new[] { "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节" })
            {
                Assert.Contains(festival, names);
            }
        }
    }

    // ------------------------------------------------------------------ data sanity

    [Fact]
    public void Every_day_off_and_every_make_up_day_lies_in_its_notice_year()
    {
        // None of the shipped notices names a day of an adjacent year (the 2025 and 2026 notices
        // begin with 1 January and end in October).
        foreach (var notice in OfficialHolidays.Notices)
        {
            Assert.All(notice.Holidays.SelectMany(h => h.Dates()), d => Assert.Equal(notice.Year, d.Year));
            Assert.All(notice.MakeUpWorkdays, m => Assert.Equal(notice.Year, m.Date.Year));
        }
    }

    [Fact]
    public void No_day_is_both_off_and_a_make_up_workday_and_no_day_is_off_twice()
    {
        foreach (var notice in OfficialHolidays.Notices)
        {
            var off = notice.Holidays.SelectMany(h => h.Dates()).ToList();
            Assert.Equal(off.Count, off.Distinct().Count());
            Assert.Empty(off.Intersect(notice.MakeUpWorkdays.Select(m => m.Date)));
        }
    }

    [Fact]
    public void Make_up_workdays_are_weekend_days_and_make_up_for_a_holiday_of_the_notice()
    {
        foreach (var notice in OfficialHolidays.Notices)
        {
            Assert.All(notice.MakeUpWorkdays, m =>
            {
                Assert.Contains(m.Date.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday });
                Assert.Contains(m.For, notice.Holidays.Select(h => h.Name));
            });
        }
    }

    [Fact]
    public void Periods_run_forward_and_have_the_lengths_the_notices_state()
    {
        // "共N天" of each notice, in table order.
        int[] days2025 = [1, 8, 3, 5, 3, 8];
        int[] days2026 = [3, 9, 3, 5, 3, 3, 7];
        Assert.Equal(days2025, OfficialHolidays.Notices.Single(n => n.Year == 2025).Holidays.Select(h => h.Days));
        Assert.Equal(days2026, OfficialHolidays.Notices.Single(n => n.Year == 2026).Holidays.Select(h => h.Days));
    }

    [Fact]
    public void The_weekday_of_each_end_is_the_one_the_notice_prints()
    {
        // The notices print the weekday next to each date; check a few of them against the calendar,
        // which catches a mistyped month or day.
        Assert.Equal(DayOfWeek.Tuesday, D(2025, 1, 28).DayOfWeek);   // 除夕、周二
        Assert.Equal(DayOfWeek.Tuesday, D(2025, 2, 4).DayOfWeek);    // 正月初七、周二
        Assert.Equal(DayOfWeek.Wednesday, D(2025, 10, 8).DayOfWeek); // 8日(周三)
        Assert.Equal(DayOfWeek.Sunday, D(2026, 2, 15).DayOfWeek);    // 腊月二十八、周日
        Assert.Equal(DayOfWeek.Monday, D(2026, 2, 23).DayOfWeek);    // 正月初七、周一
        Assert.Equal(DayOfWeek.Wednesday, D(2026, 10, 7).DayOfWeek); // 7日(周三)
        Assert.Equal(DayOfWeek.Sunday, D(2026, 9, 20).DayOfWeek);    // 9月20日(周日)上班
    }

    [Fact]
    public void A_table_refuses_inconsistent_notices()
    {
        static HolidayNotice Notice(int year, HolidayPeriod[] off, MakeUpWorkday[] on) =>
            new(year, "t", new(year - 1, 11, 1), null, off, on);

        // A day both off and working.
        Assert.Throws<ArgumentException>(() => new HolidayTable(
            [Notice(2030, [new("x", D(2030, 5, 1), D(2030, 5, 5))], [new(D(2030, 5, 4), "x")])]));
        // A make-up workday on a weekday (2030-05-06 is a Monday).
        Assert.Throws<ArgumentException>(() => new HolidayTable([Notice(2030, [], [new(D(2030, 5, 6), "x")])]));
        // A period ending before it starts.
        Assert.Throws<ArgumentException>(() => new HolidayTable([Notice(2030, [new("x", D(2030, 5, 5), D(2030, 5, 1))], [])]));
        // Two notices for one year.
        Assert.Throws<ArgumentException>(() => new HolidayTable([Notice(2030, [], []), Notice(2030, [], [])]));
        // A date far from its notice's year.
        Assert.Throws<ArgumentException>(() => new HolidayTable([Notice(2030, [new("x", D(2033, 5, 1), D(2033, 5, 1))], [])]));
    }

    // ------------------------------------------------------------------ the days, as the notices say

    [Theory]
    // 2025
    [InlineData("2025-01-01", DayKind.Holiday)]       // 元旦, 周三
    [InlineData("2025-01-02", DayKind.Workday)]
    [InlineData("2025-01-26", DayKind.MakeUpWorkday)] // 周日上班 (春节)
    [InlineData("2025-01-27", DayKind.Workday)]
    [InlineData("2025-01-28", DayKind.Holiday)]       // 除夕
    [InlineData("2025-02-04", DayKind.Holiday)]       // 初七
    [InlineData("2025-02-05", DayKind.Workday)]
    [InlineData("2025-02-08", DayKind.MakeUpWorkday)] // 周六上班 (春节)
    [InlineData("2025-02-09", DayKind.Weekend)]
    [InlineData("2025-04-04", DayKind.Holiday)]       // 清明节
    [InlineData("2025-04-06", DayKind.Holiday)]
    [InlineData("2025-04-07", DayKind.Workday)]
    [InlineData("2025-04-26", DayKind.Weekend)]
    [InlineData("2025-04-27", DayKind.MakeUpWorkday)] // 周日上班 (劳动节)
    [InlineData("2025-05-01", DayKind.Holiday)]
    [InlineData("2025-05-05", DayKind.Holiday)]       // 周一, off
    [InlineData("2025-05-06", DayKind.Workday)]
    [InlineData("2025-05-31", DayKind.Holiday)]       // 端午节
    [InlineData("2025-06-02", DayKind.Holiday)]
    [InlineData("2025-09-28", DayKind.MakeUpWorkday)] // 周日上班 (国庆节、中秋节)
    [InlineData("2025-09-30", DayKind.Workday)]
    [InlineData("2025-10-01", DayKind.Holiday)]
    [InlineData("2025-10-08", DayKind.Holiday)]
    [InlineData("2025-10-09", DayKind.Workday)]
    [InlineData("2025-10-11", DayKind.MakeUpWorkday)] // 周六上班
    [InlineData("2025-10-12", DayKind.Weekend)]
    // 2026
    [InlineData("2026-01-01", DayKind.Holiday)]
    [InlineData("2026-01-03", DayKind.Holiday)]       // 周六, part of 元旦
    [InlineData("2026-01-04", DayKind.MakeUpWorkday)] // 周日上班 (元旦)
    [InlineData("2026-02-14", DayKind.MakeUpWorkday)] // 周六上班 (春节)
    [InlineData("2026-02-15", DayKind.Holiday)]       // 腊月二十八
    [InlineData("2026-02-23", DayKind.Holiday)]       // 初七, 周一
    [InlineData("2026-02-24", DayKind.Workday)]
    [InlineData("2026-02-28", DayKind.MakeUpWorkday)] // 周六上班 (春节)
    [InlineData("2026-03-01", DayKind.Weekend)]
    [InlineData("2026-04-06", DayKind.Holiday)]       // 清明节, 周一
    [InlineData("2026-05-05", DayKind.Holiday)]       // 劳动节, 周二
    [InlineData("2026-05-09", DayKind.MakeUpWorkday)] // 周六上班
    [InlineData("2026-06-19", DayKind.Holiday)]       // 端午节, 周五
    [InlineData("2026-09-20", DayKind.MakeUpWorkday)] // 周日上班 (国庆节)
    [InlineData("2026-09-25", DayKind.Holiday)]       // 中秋节, 周五
    [InlineData("2026-09-28", DayKind.Workday)]
    [InlineData("2026-10-07", DayKind.Holiday)]
    [InlineData("2026-10-08", DayKind.Workday)]
    [InlineData("2026-10-10", DayKind.MakeUpWorkday)] // 周六上班
    [InlineData("2026-11-26", DayKind.Workday)]       // today, a Thursday
    public void Days_are_what_the_notices_say(string date, DayKind kind)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(kind, Calendar.KindOf(day));
        Assert.Equal(kind is DayKind.Workday or DayKind.MakeUpWorkday, Calendar.IsWorkingDay(day));
    }

    [Fact]
    public void Every_day_of_a_shipped_year_is_counted_as_the_table_says()
    {
        // Independent of KindOf: a day works when it is a make-up day, or a weekday not off.
        foreach (var notice in OfficialHolidays.Notices)
        {
            var off = notice.Holidays.SelectMany(h => h.Dates()).ToHashSet();
            var on = notice.MakeUpWorkdays.Select(m => m.Date).ToHashSet();
            for (var d = new DateOnly(notice.Year, 1, 1); d.Year == notice.Year; d = d.AddDays(1))
            {
                var weekend = d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
                Assert.Equal(on.Contains(d) || (!weekend && !off.Contains(d)), Calendar.IsWorkingDay(d));
            }
        }
    }

    [Fact]
    public void Working_days_per_year_counted_by_hand()
    {
        // 2025 begins on a Wednesday: 52 weeks + 1 day → 104 weekend days, 261 weekdays.
        // Weekdays off: 元旦 1/1 (1); 春节 1/28–2/4 minus Sat 2/1, Sun 2/2 (6); 清明 4/4 Fri (1);
        // 劳动节 5/1, 5/2, 5/5 (3); 端午 6/2 Mon (1); 国庆中秋 10/1–10/8 minus Sat 10/4, Sun 10/5 (6) → 18.
        // Make-up days: 1/26, 2/8, 4/27, 9/28, 10/11 → 5.  261 − 18 + 5 = 248.
        Assert.Equal(248, CountWorkingDays(2025));

        // 2026 begins on a Thursday: 104 weekend days, 261 weekdays.
        // Weekdays off: 元旦 1/1, 1/2 (2); 春节 2/16–2/20, 2/23 (6); 清明 4/6 (1); 劳动节 5/1, 5/4, 5/5 (3);
        // 端午 6/19 (1); 中秋 9/25 (1); 国庆 10/1, 10/2, 10/5, 10/6, 10/7 (5) → 19.
        // Make-up days: 1/4, 2/14, 2/28, 5/9, 9/20, 10/10 → 6.  261 − 19 + 6 = 248.
        Assert.Equal(248, CountWorkingDays(2026));

        // 2027 is not shipped: weekends only. It begins on a Friday: 52 weeks + 1 day → 261 weekdays.
        Assert.Equal(261, CountWorkingDays(2027));

        static int CountWorkingDays(int year)
        {
            var n = 0;
            for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
            {
                n += Calendar.IsWorkingDay(d) ? 1 : 0;
            }

            return n;
        }
    }

    [Fact]
    public void A_holiday_has_its_name_and_a_make_up_day_the_holiday_it_serves()
    {
        Assert.True(OfficialHolidays.Table.TryGetHoliday(D(2025, 10, 6), out var period));
        Assert.Equal("国庆节、中秋节", period.Name);
        Assert.True(OfficialHolidays.Table.TryGetMakeUpWorkday(D(2025, 4, 27), out var workday));
        Assert.Equal("劳动节", workday.For);
        Assert.False(OfficialHolidays.Table.TryGetHoliday(D(2025, 10, 9), out _));
    }
}
