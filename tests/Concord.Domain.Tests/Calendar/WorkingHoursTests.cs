using Concord.Domain.Calendar;
using static Concord.Domain.Tests.Calendar.WorkingDaysTests;

namespace Concord.Domain.Tests.Calendar;

/// <summary>Deadlines in working hours, elapsed working time and traffic lights (periods 08:30–12:00, 14:30–18:00).</summary>
public sealed class WorkingHoursTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Official;

    // ------------------------------------------------------------------ AddWorkingHours

    [Theory]
    // 24 h from Fri 2025-11-14 16:00: Fri 16:00–18:00 = 2 (22 left); Sat, Sun off; Mon 17 = 7 (15);
    // Tue 18 = 7 (8); Wed 19 = 7 (1); Thu 20 08:30 + 1 → 09:30.
    [InlineData("2025-11-14 16:00", 24, "2025-11-20 09:30")]
    // 2 h from 11:30: 11:30–12:00 = 0.5, lunch, 14:30 + 1.5 → 16:00.
    [InlineData("2025-11-18 11:30", 2, "2025-11-18 16:00")]
    // From 20:00 nothing is left today: next morning 08:30 + 2 → 10:30.
    [InlineData("2025-11-18 20:00", 2, "2025-11-19 10:30")]
    // From 06:00: the day's first period, 08:30 + 2 → 10:30.
    [InlineData("2025-11-18 06:00", 2, "2025-11-18 10:30")]
    // From the lunch break (13:00): 14:30 + 1 → 15:30; from exactly 12:00 the same.
    [InlineData("2025-11-18 13:00", 1, "2025-11-18 15:30")]
    [InlineData("2025-11-18 12:00", 1, "2025-11-18 15:30")]
    // Exactly a day's work from opening ends at the day's close, not at the next opening.
    [InlineData("2025-11-17 08:30", 7, "2025-11-17 18:00")]
    // Exactly the morning ends at 12:00.
    [InlineData("2025-11-17 08:30", 3.5, "2025-11-17 12:00")]
    // Half an hour from 11:45: 15 min to 12:00, 15 min from 14:30 → 14:45.
    [InlineData("2025-11-18 11:45", 0.5, "2025-11-18 14:45")]
    // From Saturday: Monday 08:30 + 4 → 3.5 in the morning, 0.5 after lunch → 15:00.
    [InlineData("2025-11-15 10:00", 4, "2025-11-17 15:00")]
    // 2 h from Tue 2025-09-30 17:00: 1 h today (to 18:00), 10/1–10/8 off, Thu 10/9 08:30 + 1 → 09:30.
    [InlineData("2025-09-30 17:00", 2, "2025-10-09 09:30")]
    // 10 h from Fri 2026-02-13 17:00: 1 h Friday (9 left); Sat 2/14 调休上班 7 h (2 left);
    // 2/15–2/23 off; Tue 2/24 08:30 + 2 → 10:30.
    [InlineData("2026-02-13 17:00", 10, "2026-02-24 10:30")]
    // 8 h from Fri 2025-04-25 17:00: 1 h Friday (7 left); Sat off; Sun 4/27 调休上班 exactly 7 h → 18:00 that Sunday.
    [InlineData("2025-04-25 17:00", 8, "2025-04-27 18:00")]
    public void Hours_are_consumed_only_inside_work_periods_of_working_days(string start, double hours, string due)
    {
        var result = Calendar.AddWorkingHours(T(start), hours);
        Assert.Equal(T(due), result);
        Assert.Equal(TimeSpan.FromHours(8), result.Offset);
    }

    [Fact]
    public void Zero_hours_is_the_start_itself_and_negative_or_odd_amounts_are_refused()
    {
        Assert.Equal(T("2025-11-15 10:00"), Calendar.AddWorkingHours(T("2025-11-15 10:00"), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingHours(T("2025-11-18 10:00"), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingHours(T("2025-11-18 10:00"), double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingHours(T("2025-11-18 10:00"), double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingHours(T("2025-11-18 10:00"), 1e12));
    }

    [Fact]
    public void A_start_given_in_UTC_is_computed_in_Beijing_time()
    {
        // 03:30Z is 11:30 in Beijing; 2 h → 16:00 Beijing = 08:00Z.
        var result = Calendar.AddWorkingHours(new DateTimeOffset(2025, 11, 18, 3, 30, 0, TimeSpan.Zero), 2);
        Assert.Equal(new DateTimeOffset(2025, 11, 18, 8, 0, 0, TimeSpan.Zero), result);
        Assert.Equal(TimeSpan.FromHours(8), result.Offset);
    }

    [Fact]
    public void Another_zone_and_other_hours_are_honoured()
    {
        // A center at UTC+05:00 working 09:00–17:00 in one period, weekends only.
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test +05", TimeSpan.FromHours(5), "Test +05", "Test +05");
        Assert.True(WorkingHours.TryParse("09:00-17:00", out var hours));
        var calendar = new WorkingCalendar(HolidayTable.Empty, hours, zone);
        // Fri 2025-11-14 16:00 +05:00, 3 h: 1 h Friday, Mon 09:00 + 2 → 11:00 +05:00.
        var start = new DateTimeOffset(2025, 11, 14, 16, 0, 0, TimeSpan.FromHours(5));
        Assert.Equal(new DateTimeOffset(2025, 11, 17, 11, 0, 0, TimeSpan.FromHours(5)), calendar.AddWorkingHours(start, 3));
        // 1 working day ends at the close of this calendar's single period, 17:00 on Monday.
        Assert.Equal(new DateTimeOffset(2025, 11, 17, 17, 0, 0, TimeSpan.FromHours(5)), calendar.AddWorkingDays(start, 1));
    }

    [Fact]
    public void Work_periods_are_local_wall_clock_times_across_a_daylight_saving_change()
    {
        // Not China (no DST since 1991), but the calendar takes any zone: UTC+01:00 with summer time
        // (+02:00) from the last Sunday of March 02:00 — 2025-03-30. Built by hand, no tzdata needed.
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday));
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test CET", TimeSpan.FromHours(1), "Test CET", "Test CET", "Test CEST", [rule]);
        var calendar = new WorkingCalendar(HolidayTable.Empty, timeZone: zone);

        // Fri 2025-03-28 16:00 +01:00, 4 h: 2 h on Friday, Mon 03-31 08:30 + 2 → 10:30, now at +02:00.
        var start = new DateTimeOffset(2025, 3, 28, 16, 0, 0, TimeSpan.FromHours(1));
        var due = calendar.AddWorkingHours(start, 4);
        Assert.Equal(new DateTimeOffset(2025, 3, 31, 10, 30, 0, TimeSpan.FromHours(2)), due);
        Assert.Equal(TimeSpan.FromHours(2), due.Offset);
        Assert.Equal(TimeSpan.FromHours(4), calendar.WorkingTimeBetween(start, due));
    }

    [Fact]
    public void Adding_then_measuring_gives_back_the_amount()
    {
        string[] starts = ["2025-09-30 17:00", "2025-11-14 16:00", "2025-11-18 11:59", "2026-02-13 17:00", "2026-12-30 20:00", "2025-04-26 09:00"];
        double[] amounts = [0.25, 1, 3.5, 7, 7.75, 24, 100, 1000];
        foreach (var start in starts)
        {
            foreach (var hours in amounts)
            {
                var due = Calendar.AddWorkingHours(T(start), hours);
                Assert.Equal(TimeSpan.FromHours(hours), Calendar.WorkingTimeBetween(T(start), due));
            }
        }
    }

    // ------------------------------------------------------------------ WorkingTimeBetween

    [Theory]
    // Across 国庆 2025: Tue 9/30 16:00–18:00 = 2 h; 10/1–10/8 off; Thu 10/9 08:30–10:00 = 1.5 h → 3.5 h.
    [InlineData("2025-09-30 16:00", "2025-10-09 10:00", 3.5)]
    // Across the make-up Saturday: Fri 10/10 17:00–18:00 = 1; Sat 10/11 = 7; Sun off; Mon 10/13 08:30–09:00 = 0.5 → 8.5.
    [InlineData("2025-10-10 17:00", "2025-10-13 09:00", 8.5)]
    // Within one day across lunch: 10:00–12:00 = 2, 14:30–15:00 = 0.5 → 2.5.
    [InlineData("2025-11-18 10:00", "2025-11-18 15:00", 2.5)]
    // Entirely inside the lunch break, a night, or a weekend: nothing.
    [InlineData("2025-11-18 12:10", "2025-11-18 14:20", 0)]
    [InlineData("2025-11-18 19:00", "2025-11-19 08:00", 0)]
    [InlineData("2025-11-15 00:00", "2025-11-17 00:00", 0)]
    // A whole working week, Monday 00:00 to Saturday 00:00: 5 × 7 = 35.
    [InlineData("2025-11-17 00:00", "2025-11-22 00:00", 35)]
    // Backwards or empty: nothing.
    [InlineData("2025-11-18 15:00", "2025-11-18 10:00", 0)]
    [InlineData("2025-11-18 10:00", "2025-11-18 10:00", 0)]
    public void Working_time_between_two_instants(string from, string to, double hours)
    {
        Assert.Equal(TimeSpan.FromHours(hours), Calendar.WorkingTimeBetween(T(from), T(to)));
    }

    // ------------------------------------------------------------------ LightOf

    [Theory]
    // Start Mon 2025-11-17 08:30, due +10 h = Mon 7 h + Tue 3 h → Tue 2025-11-18 11:30. Allowed 10 h.
    // Mon 12:00: 3.5 h used = 35 %.
    [InlineData("2025-11-17 12:00", TrafficLight.Green)]
    // Mon 20:00: 7 h = 70 %.
    [InlineData("2025-11-17 20:00", TrafficLight.Green)]
    // Tue 09:24: 7 h + 54 min = 7.9 h = 79 %.
    [InlineData("2025-11-18 09:24", TrafficLight.Green)]
    // Tue 09:30: 8 h = exactly 80 %.
    [InlineData("2025-11-18 09:30", TrafficLight.Yellow)]
    // Tue 11:29: 9 h 59 min, not yet due.
    [InlineData("2025-11-18 11:29", TrafficLight.Yellow)]
    // Tue 11:30: due.
    [InlineData("2025-11-18 11:30", TrafficLight.Red)]
    // Later: overdue.
    [InlineData("2025-11-19 09:00", TrafficLight.Red)]
    // Before the start: nothing used.
    [InlineData("2025-11-16 09:00", TrafficLight.Green)]
    public void Lights_follow_the_share_of_allowed_working_time(string now, TrafficLight light)
    {
        var start = T("2025-11-17 08:30");
        var due = Calendar.AddWorkingHours(start, 10);
        Assert.Equal(T("2025-11-18 11:30"), due);
        Assert.Equal(light, Calendar.LightOf(start, due, T(now)));
    }

    [Fact]
    public void Lights_measure_working_time_not_clock_time_across_a_holiday()
    {
        // Dispatched Tue 2025-09-30 10:00, due 7 working days later: Thu 2025-10-16 18:00.
        // Allowed: 9/30 10:00–12:00 = 2 h and 14:30–18:00 = 3.5 h → 5.5 h; 10/1–10/8 off;
        // then 7 full working days (10/9, 10/10, 10/11, 10/13 … 10/16) × 7 h = 49 h → 54.5 h. 80 % = 43.6 h.
        var start = T("2025-09-30 10:00");
        var due = Calendar.AddWorkingDays(start, 7);
        Assert.Equal(TimeSpan.FromHours(54.5), Calendar.WorkingTimeBetween(start, due));

        // On Wed 10/8 evening, 8 of 16 calendar days have passed but only 5.5 working hours: green.
        Assert.Equal(TrafficLight.Green, Calendar.LightOf(start, due, T("2025-10-08 20:00")));
        // Wed 10/15 18:00: 5.5 + 6 × 7 = 47.5 h ≥ 43.6 → yellow. Tue 10/14 18:00: 5.5 + 5 × 7 = 40.5 h → green.
        Assert.Equal(TrafficLight.Yellow, Calendar.LightOf(start, due, T("2025-10-15 18:00")));
        Assert.Equal(TrafficLight.Green, Calendar.LightOf(start, due, T("2025-10-14 18:00")));
        Assert.Equal(TrafficLight.Red, Calendar.LightOf(start, due, T("2025-10-16 18:00")));
    }

    [Fact]
    public void A_deadline_without_working_time_before_it_is_yellow_until_red()
    {
        // Start Sat 2025-11-15 10:00, due Sat 20:00: no working time allowed at all.
        Assert.Equal(TrafficLight.Yellow, Calendar.LightOf(T("2025-11-15 10:00"), T("2025-11-15 20:00"), T("2025-11-15 11:00")));
        Assert.Equal(TrafficLight.Red, Calendar.LightOf(T("2025-11-15 10:00"), T("2025-11-15 20:00"), T("2025-11-15 20:00")));
    }

    // ------------------------------------------------------------------ WorkingHours

    [Fact]
    public void Default_hours_are_seven_a_day()
    {
        var hours = WorkingHours.Default;
        Assert.Equal(TimeSpan.FromHours(7), hours.PerDay);
        Assert.Equal(new TimeOnly(8, 30), hours.Opening);
        Assert.Equal(new TimeOnly(18, 0), hours.Closing);
        Assert.Equal("08:30-12:00,14:30-18:00", hours.ToString());
    }

    [Theory]
    [InlineData("08:30-12:00,14:30-18:00", 7)]
    [InlineData("09:00-17:00", 8)]
    [InlineData(" 08:00 - 12:00 , 12:00 - 13:00 ", 5)] // touching periods do not overlap
    [InlineData("00:00-23:59", 23.983333333333334)]
    public void Hours_parse_from_configuration(string text, double perDay)
    {
        Assert.True(WorkingHours.TryParse(text, out var hours));
        Assert.Equal(perDay, hours.PerDay.TotalHours, 9);
    }

    [Theory]
    [InlineData("14:30-18:00,08:30-12:00")] // not ascending
    [InlineData("08:30-12:00,11:00-18:00")] // overlapping
    [InlineData("12:00-08:30")]             // ends before it starts
    [InlineData("08:30-08:30")]             // empty
    [InlineData("22:00-02:00")]             // past midnight
    [InlineData("8h30-12h")]
    [InlineData("08:30")]
    [InlineData("08:30-12:00,")]
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_hours_are_refused(string? text)
    {
        Assert.False(WorkingHours.TryParse(text, out var hours));
        Assert.Null(hours);
    }

    [Fact]
    public void The_constructor_refuses_what_the_parser_refuses()
    {
        WorkPeriod P(int h1, int m1, int h2, int m2) => new(new(h1, m1), new(h2, m2));
        Assert.Throws<ArgumentException>(() => new WorkingHours([]));
        Assert.Throws<ArgumentException>(() => new WorkingHours([P(14, 30, 18, 0), P(8, 30, 12, 0)]));
        Assert.Throws<ArgumentException>(() => new WorkingHours([P(8, 30, 12, 0), P(11, 0, 18, 0)]));
        Assert.Throws<ArgumentException>(() => new WorkingHours([P(12, 0, 8, 30)]));
    }
}
