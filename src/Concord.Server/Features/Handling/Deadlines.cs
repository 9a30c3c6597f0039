using Concord.Domain.Calendar;
using Concord.Domain.Categories;

namespace Concord.Server.Features.Handling;

/// <summary>
/// Deadlines in working time on the official calendar (statutory holidays, make-up workdays) in
/// the center's time zone: when something is due, when it turns yellow, and its traffic light.
/// </summary>
public sealed class Deadlines(WorkingCalendar calendar, IConfiguration configuration)
{
    public WorkingCalendar Calendar => calendar;

    public DateTimeOffset Add(DateTimeOffset start, WorkingSpan span) => calendar.Add(start, span);

    /// <summary>The instant at which 80 % of the working time from start to due is used.</summary>
    public DateTimeOffset YellowAt(DateTimeOffset start, DateTimeOffset due) =>
        calendar.AddWorkingTime(start, calendar.WorkingTimeBetween(start, due) * WorkingCalendar.YellowShare);

    public TrafficLight LightOf(DateTime start, DateTime due, DateTimeOffset now) =>
        calendar.LightOf(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(due, TimeSpan.Zero), now);

    /// <summary>After a reply, the resident has this long to give the verdict before the matter closes unrated.</summary>
    public DateTimeOffset VerdictWindowEnd(DateTimeOffset repliedAt) =>
        repliedAt.AddDays(Math.Max(1, configuration.GetValue("Concord:Handling:VerdictWindowDays", 7)));

    public DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), calendar.TimeZone);

    public static string LightName(TrafficLight light) => light switch
    {
        TrafficLight.Green => "green",
        TrafficLight.Yellow => "yellow",
        _ => "red",
    };
}
