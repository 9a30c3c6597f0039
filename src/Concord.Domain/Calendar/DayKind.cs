namespace Concord.Domain.Calendar;

/// <summary>What a calendar day is for the center.</summary>
public enum DayKind
{
    /// <summary>Monday to Friday, not a holiday.</summary>
    Workday,
    /// <summary>Saturday or Sunday, not a make-up workday.</summary>
    Weekend,
    /// <summary>A day off of an official holiday period (放假), whatever the day of the week.</summary>
    Holiday,
    /// <summary>A Saturday or Sunday on which people work to make up for a holiday (调休上班).</summary>
    MakeUpWorkday,
}

/// <summary>How far along its deadline a matter is (红黄绿灯).</summary>
public enum TrafficLight
{
    /// <summary>Less than <see cref="WorkingCalendar.YellowShare"/> of the allowed working time is used.</summary>
    Green,
    /// <summary>At least <see cref="WorkingCalendar.YellowShare"/> of the allowed working time is used, the deadline is not reached.</summary>
    Yellow,
    /// <summary>The deadline is reached or passed.</summary>
    Red,
}
