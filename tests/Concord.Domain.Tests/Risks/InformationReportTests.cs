using Concord.Domain.Risks;

namespace Concord.Domain.Tests.Risks;

public sealed class InformationReportTests
{
    private static readonly DateTime Known = new(2026, 11, 26, 1, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(ReportUrgency.Immediate, 60, true)]
    [InlineData(ReportUrgency.Immediate, 61, false)]
    [InlineData(ReportUrgency.Urgent, 240, true)]
    [InlineData(ReportUrgency.Urgent, 241, false)]
    [InlineData(ReportUrgency.Routine, 1440, true)]
    [InlineData(ReportUrgency.Routine, 1441, false)]
    public void A_report_is_on_time_within_its_urgency_window(ReportUrgency urgency, int minutes, bool onTime)
    {
        Assert.Equal(onTime, InformationReports.FiledOnTime(urgency, Known, Known.AddMinutes(minutes)));
    }

    [Fact]
    public void Follow_ups_count_once_answered_or_overdue()
    {
        var due = Known.AddHours(4);
        Assert.True(InformationReports.AnsweredOnTime(due, due, due.AddDays(1)));
        Assert.False(InformationReports.AnsweredOnTime(due, due.AddMinutes(1), due.AddDays(1)));
        Assert.False(InformationReports.AnsweredOnTime(due, null, due.AddMinutes(1)));
        Assert.Null(InformationReports.AnsweredOnTime(due, null, due));
    }

    [Fact]
    public void Figures_add_up_reports_and_follow_ups()
    {
        var figures = InformationReports.Figures(
            [(true, true), (true, false), (false, false), (true, true)],
            [true, false, null]);
        Assert.Equal(new ReportingFigures(4, 3, 2, 1, 2), figures);
        Assert.Equal(4.0 / 6, figures.Timeliness);
        Assert.Equal(0.5, figures.ConfirmedRate);
        Assert.Null(InformationReports.Figures([], []).Timeliness);
    }

    [Fact]
    public void Urgency_and_trend_have_lower_case_wire_names()
    {
        Assert.True(InformationReports.TryParseUrgency("immediate", out var u));
        Assert.Equal(ReportUrgency.Immediate, u);
        Assert.False(InformationReports.TryParseUrgency("Immediate", out _));
        Assert.True(InformationReports.TryParseTrend("easing", out var t));
        Assert.Equal(ReportTrend.Easing, t);
        Assert.Equal("rising", ReportTrend.Rising.Wire());
    }
}
