namespace Concord.Domain.Calendar;

/// <summary>
/// A run of days off named by the notice (放假调休), e.g. 春节 2026-02-15 … 2026-02-23. Both ends are included.
/// Weekend days inside the run are part of it, as in the notice ("共9天").
/// </summary>
public sealed record HolidayPeriod(string Name, DateOnly First, DateOnly Last)
{
    /// <summary>Number of calendar days, both ends included.</summary>
    public int Days => Last.DayNumber - First.DayNumber + 1;

    public bool Contains(DateOnly date) => date >= First && date <= Last;

    public IEnumerable<DateOnly> Dates()
    {
        for (var day = First; day <= Last; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}

/// <summary>A Saturday or Sunday that is a working day (调休上班), and the holiday it makes up for.</summary>
public sealed record MakeUpWorkday(DateOnly Date, string For);

/// <summary>
/// One year's notice of the General Office of the State Council (国务院办公厅关于20XX年部分节假日安排的通知):
/// its days off and its make-up workdays.
/// </summary>
/// <param name="Year">The year the notice arranges.</param>
/// <param name="Title">The notice's title.</param>
/// <param name="Issued">The date the notice bears.</param>
/// <param name="Number">The document number (文号), or null when it could not be confirmed.</param>
/// <param name="Holidays">The periods off.</param>
/// <param name="MakeUpWorkdays">The make-up workdays.</param>
public sealed record HolidayNotice(
    int Year,
    string Title,
    DateOnly Issued,
    string? Number,
    IReadOnlyList<HolidayPeriod> Holidays,
    IReadOnlyList<MakeUpWorkday> MakeUpWorkdays);
