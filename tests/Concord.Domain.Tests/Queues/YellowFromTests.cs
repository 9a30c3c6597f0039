using Concord.Domain.Calendar;

namespace Concord.Domain.Tests.Queues;

/// <summary>
/// The stored "yellow from" instant reproduces the light exactly: the queues count and order by it in
/// the database, so any disagreement with <see cref="WorkingCalendar.LightOf"/> would miscount a matter.
/// </summary>
public sealed class YellowFromTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Official;

    [Fact]
    public void Light_from_the_stored_instants_equals_LightOf_for_many_deadlines_and_instants()
    {
        var random = new Random(8);
        var origin = new DateTimeOffset(2025, 9, 20, 0, 0, 0, TimeSpan.Zero); // spans the National Day holiday
        var compared = 0;
        for (var i = 0; i < 400; i++)
        {
            // Microsecond-whole instants, as a database keeps them.
            var start = origin.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 30) / 10 * 10);
            var due = start.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 20) / 10 * 10);
            var yellow = Calendar.YellowFrom(start, due);
            Assert.True(yellow >= start && yellow <= due);
            Assert.Equal(0, yellow.UtcTicks % 10);
            for (var j = 0; j < 30; j++)
            {
                var now = start.AddTicks(random.NextInt64(0, (due - start).Ticks + TimeSpan.TicksPerDay) / 10 * 10);
                Assert.Equal(Calendar.LightOf(start, due, now), Stored(due, yellow, now));
                compared++;
            }

            // Around the boundary: one microsecond before and at it.
            if (yellow > start && yellow < due)
            {
                Assert.Equal(TrafficLight.Green, Calendar.LightOf(start, due, yellow.AddTicks(-10)));
                Assert.Equal(TrafficLight.Yellow, Calendar.LightOf(start, due, yellow));
            }
        }

        Assert.Equal(12_000, compared);
    }

    [Theory]
    // 10 working hours from Mon 08:30: 8 h used at Tue 09:30 (7 h Monday + 1 h Tuesday).
    [InlineData("2025-11-17 08:30", 10, "2025-11-18 09:30")]
    // 5 working hours from Fri 16:00: 4 h used at Mon 10:30 (2 h Friday, weekend off, 2 h Monday).
    [InlineData("2025-11-14 16:00", 5, "2025-11-17 10:30")]
    public void Turns_yellow_when_four_fifths_of_the_working_time_is_used(string start, double hours, string expected)
    {
        var from = Concord.Domain.Tests.Calendar.WorkingDaysTests.T(start);
        var due = Calendar.AddWorkingHours(from, hours);
        Assert.Equal(Concord.Domain.Tests.Calendar.WorkingDaysTests.T(expected), Calendar.YellowFrom(from, due));
    }

    [Fact]
    public void No_working_time_allowed_is_yellow_from_the_start()
    {
        var saturday = Concord.Domain.Tests.Calendar.WorkingDaysTests.T("2025-11-15 10:00");
        Assert.Equal(saturday, Calendar.YellowFrom(saturday, saturday.AddHours(2)));
        Assert.Equal(TrafficLight.Yellow, Calendar.LightOf(saturday, saturday.AddHours(2), saturday));
    }

    private static TrafficLight Stored(DateTimeOffset due, DateTimeOffset yellow, DateTimeOffset now) =>
        now >= due ? TrafficLight.Red : now >= yellow ? TrafficLight.Yellow : TrafficLight.Green;
}
