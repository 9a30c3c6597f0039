using System.Globalization;
using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;

namespace Concord.Server.Features.Figures;

/// <summary>The situation figures (态势) of a territory and period, for the dashboard, the big screen and the bulletins.</summary>
public static class FigureEndpoints
{
    /// <summary>A year and a day at most: enough for "the last 12 months", bounded for the store.</summary>
    public const int MaxDays = 366;

    public static IServiceCollection AddFigures(this IServiceCollection services) => services.AddScoped<SituationFigures>();

    public static IEndpointRouteBuilder MapFigures(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/figures/situation", SituationAsync)
            .RequireAuthorization(Permissions.FiguresRead)
            .WithTags("Figures")
            .WithSummary("The three rates (响应率, 解决率, 满意率), volume by day, top categories, areas one level down, units (overdue, 案-件比) and a heat map, for a territory and a period of local dates");
        return app;
    }

    private static async Task<IResult> SituationAsync(
        SituationFigures figures, CatalogStore catalog, CurrentStaff staff, LocalCalendar calendar, TimeProvider clock, CancellationToken ct,
        string? territory = null, string? from = null, string? to = null)
    {
        var scope = await staff.ScopeAsync(ct);
        var result = ReadPeriod(catalog.Current, scope, calendar.LocalDate(clock.GetUtcNow()), territory, from, to);
        if (result.Problem is not null)
        {
            return result.Problem;
        }

        return Results.Ok(await figures.ComputeAsync(result.Period!, scope, ct));
    }

    public sealed record PeriodOrProblem(FigurePeriod? Period, IResult? Problem);

    /// <summary>
    /// Reads territory and period as the figures take them: the user's own territory and the last 30
    /// days by default; a territory outside the user's scope is refused, not silently narrowed.
    /// </summary>
    public static PeriodOrProblem ReadPeriod(CatalogSnapshot snapshot, AccessScope scope, DateOnly today, string? territory, string? from, string? to)
    {
        var errors = new List<FieldError>();
        var home = scope.Territory ?? (scope.Everything ? snapshot.Tree.All.FirstOrDefault(t => t.ParentCode is null) : null);
        var place = territory is null ? home : snapshot.Tree.Find(territory);
        if (territory is not null && place is null)
        {
            errors.Add(new("territory", "unknown_territory", territory));
        }

        var toDay = ParseDate(to, "to", errors) ?? today;
        var fromDay = ParseDate(from, "from", errors) ?? toDay.AddDays(-29);
        if (fromDay > toDay)
        {
            errors.Add(new("from", "figures.period_order"));
        }
        else if (toDay.DayNumber - fromDay.DayNumber + 1 > MaxDays)
        {
            errors.Add(new("to", "figures.period_too_long", MaxDays));
        }

        if (errors.Count > 0)
        {
            return new(null, Problem.BadRequest(errors));
        }

        if (place is null || !(scope.Everything || (scope.Territory is { } own && snapshot.Tree.IsWithin(place.Code, own.Code))))
        {
            return new(null, Problem.Create(StatusCodes.Status403Forbidden, "out-of-scope", "title.out_of_scope", Messages.Text("figures.territory_out_of_scope", territory ?? "")));
        }

        return new(new FigurePeriod(place, fromDay, toDay), null);
    }

    private static DateOnly? ParseDate(string? text, string field, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(new(field, "figures.bad_date", text));
        return null;
    }
}

public sealed class FigureMessages : MessageSource
{
    public override IReadOnlyDictionary<string, (string Zh, string En)> Entries { get; } = new Dictionary<string, (string Zh, string En)>
    {
        ["figures.bad_date"] = ("“{0}”不是日期，应为 yyyy-MM-dd，例如 2026-11-26", "'{0}' is not a date; use yyyy-MM-dd, e.g. 2026-11-26"),
        ["figures.period_order"] = ("开始日期不能晚于结束日期", "must not be after 'to'"),
        ["figures.period_too_long"] = ("统计期不能超过 {0} 天", "the period must not exceed {0} days"),
        ["figures.territory_out_of_scope"] = ("区划“{0}”不在您的管辖范围内", "The territory '{0}' lies outside your area"),
    };
}
