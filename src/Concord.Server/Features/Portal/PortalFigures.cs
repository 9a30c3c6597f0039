using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Features.Figures;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;

namespace Concord.Server.Features.Portal;

/// <summary>A public count: null when it is under the threshold (shown as "fewer than 5").</summary>
public sealed record PublicRate(int? Numerator, int? Denominator, double? Value);

public sealed record PublicCategoryFigure(string Code, string Name, int? Volume);

/// <summary>Public aggregate figures of a county or township: no matter-level data, small cells suppressed.</summary>
public sealed record PublicFigures(
    string Territory, string TerritoryName, string Level, DateOnly From, DateOnly To, int SuppressBelow,
    int? Volume, double? MedianHoursToReply, PublicRate Response, PublicRate Resolution, PublicRate Satisfaction,
    IReadOnlyList<PublicCategoryFigure> ByCategory);

/// <summary>
/// 公开数据: the situation figures of a county or township over the last 12 months, computed by
/// <see cref="SituationFigures"/> (the one definition of the three rates) with an unrestricted scope,
/// since only aggregates leave. Any count under <see cref="SuppressBelow"/> is withheld, and a rate
/// whose denominator is under it (the rate's numerator follows from its value, so it is shown with it), so that no resident can be picked out of a small cell.
/// </summary>
public static class PortalFigures
{
    public const int SuppressBelow = 5;

    private static readonly AccessScope Public = new(true, null, null, []);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/public/figures", async (SituationFigures figures, CatalogStore catalog, LocalCalendar calendar, TimeProvider clock, CancellationToken ct, string? territory) =>
            {
                var result = await ComputeAsync(figures, catalog, calendar, clock, territory, ct);
                return result.Figures is { } f ? Results.Ok(f) : result.Problem!;
            })
            .WithTags("Residents").AllowAnonymous().RequireRateLimiting(AccessSetup.PublicRateLimit)
            .WithSummary("Public figures of a county or township over the last 12 months: volume by category, median time to reply, the three rates; counts under 5 withheld");

    /// <summary>The counties and townships figures may be asked for (the city's too, as the default).</summary>
    public static IEnumerable<Territory> Places(CatalogSnapshot snapshot) =>
        snapshot.Tree.All.Where(t => t.Level is TerritoryLevel.City or TerritoryLevel.County or TerritoryLevel.Township).OrderBy(t => t.Code, StringComparer.Ordinal);

    public static async Task<(PublicFigures? Figures, IResult? Problem)> ComputeAsync(
        SituationFigures figures, CatalogStore catalog, LocalCalendar calendar, TimeProvider clock, string? territory, CancellationToken ct)
    {
        var snapshot = catalog.Current;
        var place = territory is null ? Places(snapshot).FirstOrDefault() : snapshot.Tree.Find(territory);
        if (place is null || place.Level is not (TerritoryLevel.City or TerritoryLevel.County or TerritoryLevel.Township))
        {
            return (null, Problem.BadRequest([new("territory", "portal.figures_place", territory ?? "")]));
        }

        var today = calendar.LocalDate(clock.GetUtcNow());
        var period = new FigurePeriod(place, today.AddMonths(-12).AddDays(1), today);
        var view = await figures.ComputeAsync(period, Public, ct);
        return (new PublicFigures(
            view.Territory, view.TerritoryName, place.Level.ToWire(), view.From, view.To, SuppressBelow,
            Count(view.Volume),
            view.Response.Numerator >= SuppressBelow ? view.MedianHoursToReply : null,
            Rate(view.Response), Rate(view.Resolution), Rate(view.Satisfaction),
            view.TopCategories.Select(c => new PublicCategoryFigure(c.Code, c.Name, Count(c.Volume))).ToList()), null);
    }

    private static int? Count(int count) => count >= SuppressBelow ? count : null;

    private static PublicRate Rate(RateView rate) =>
        rate.Denominator >= SuppressBelow
            ? new PublicRate(rate.Numerator, rate.Denominator, rate.Value)
            : new PublicRate(null, null, null);
}
