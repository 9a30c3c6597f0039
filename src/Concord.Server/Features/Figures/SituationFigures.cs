using System.Linq.Expressions;
using Concord.Domain.Figures;
using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Figures;

/// <summary>A territory and a period of local dates (both ends included), as the figures are asked for.</summary>
public sealed record FigurePeriod(Territory Territory, DateOnly From, DateOnly To);

public sealed record RateView(int Numerator, int Denominator, double? Value)
{
    public static RateView Of(Rate rate) => new(rate.Numerator, rate.Denominator, rate.Value);
}

public sealed record AreaFigure(string Code, string Name, string Level, int Volume, int Open, int Overdue, RateView Satisfaction);

public sealed record UnitFigure(string Code, string Name, int Cases, int Items, double? ItemsPerCase, int Open, int Overdue);

public sealed record CategoryFigure(string Code, string Name, int Volume);

public sealed record DayFigure(DateOnly Date, int Volume);

public sealed record HeatPoint(double Lat, double Lon, int Volume);

/// <summary>The situation (态势) of a territory over a period: what the dashboard, the big screen and the bulletins show.</summary>
public sealed record SituationView(
    string Territory, string TerritoryName, DateOnly From, DateOnly To, DateTimeOffset At,
    int Volume, int Open, int Overdue,
    RateView Response, RateView Resolution, RateView Satisfaction, double? MedianHoursToReply,
    IReadOnlyList<DayFigure> ByDay,
    IReadOnlyList<CategoryFigure> TopCategories,
    IReadOnlyList<AreaFigure> ByArea,
    IReadOnlyList<UnitFigure> ByUnit,
    IReadOnlyList<HeatPoint> Heat);

/// <summary>
/// Computes the situation figures in ONE pass over the period's rows: the store filters by territory
/// and period (the (level code, ReceivedAt, …) indexes; on PostgreSQL a county's is index-only, see
/// QueryIndexes in ConcordDb) and streams a narrow projection; every figure —
/// the rates by <see cref="MatterOutcome"/> itself (the one definition), areas, units, categories, days,
/// heat cells and the median — is tallied as the rows go by, holding no rows. Seven grouped scans of
/// the same 40–60k rows of a county-month cost several times more (docs/benchmarks.md).
/// </summary>
public sealed class SituationFigures(ConcordDb db, CatalogStore catalog, LocalCalendar calendar, TimeProvider clock)
{
    /// <summary>Grid-sized cells (about 1 km) for the heat map: rounding to 0.01° keeps the answer small at any volume.</summary>
    private const double HeatCell = 0.01;

    public async Task<SituationView> ComputeAsync(FigurePeriod period, AccessScope scope, CancellationToken ct)
    {
        var snapshot = catalog.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        var (fromUtc, toUtc) = Bounds(period);
        var matters = scope.Apply(db.Matters.AsNoTracking())
            .Where(AccessScope.InTerritory(period.Territory))
            .Where(m => m.ReceivedAt >= fromUtc && m.ReceivedAt < toUtc);

        var totals = new SituationTally(now);
        var replyHours = new List<double>();
        var byDay = new SortedDictionary<DateOnly, int>();
        for (var day = period.From; day <= period.To; day = day.AddDays(1))
        {
            byDay[day] = 0;
        }

        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        var areas = new Dictionary<string, SituationTally>(StringComparer.Ordinal);
        var units = new Dictionary<string, (SituationTally Tally, int Items)>(StringComparer.Ordinal);
        var heat = new Dictionary<(double Lat, double Lon), int>();

        await foreach (var m in Narrow(matters, ChildColumn(period.Territory.Level)).AsAsyncEnumerable().WithCancellation(ct))
        {
            var outcome = new MatterOutcome(m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict);
            totals.Add(outcome);
            if (outcome.HoursToReply is { } hours)
            {
                replyHours.Add(hours);
            }

            var local = calendar.LocalDate(new DateTimeOffset(m.ReceivedAt, TimeSpan.Zero));
            byDay[local] = byDay.GetValueOrDefault(local) + 1;
            if (m.CategoryCode is { } category)
            {
                categories[category] = categories.GetValueOrDefault(category) + 1;
            }

            if (m.Child is { } child)
            {
                if (!areas.TryGetValue(child, out var area))
                {
                    areas[child] = area = new SituationTally(now);
                }

                area.Add(outcome);
            }

            if (m.LeadUnitCode is { } unit)
            {
                if (!units.TryGetValue(unit, out var u))
                {
                    u = (new SituationTally(now), 0);
                }

                u.Tally.Add(outcome);
                units[unit] = (u.Tally, u.Items + m.Items);
            }

            if (m.Lat is { } lat && m.Lon is { } lon)
            {
                var cell = (Math.Round(lat / HeatCell), Math.Round(lon / HeatCell));
                heat[cell] = heat.GetValueOrDefault(cell) + 1;
            }
        }

        return new SituationView(
            period.Territory.Code, period.Territory.Name, period.From, period.To, clock.GetUtcNow(),
            totals.Volume, totals.Open, totals.Overdue,
            RateView.Of(totals.Response),
            RateView.Of(totals.Resolution),
            RateView.Of(totals.Satisfaction),
            SituationRates.Median(replyHours),
            byDay.Select(d => new DayFigure(d.Key, d.Value)).ToList(),
            categories.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(10)
                .Select(c => new CategoryFigure(c.Key, CategoryName(snapshot, c.Key), c.Value)).ToList(),
            areas.Select(a => snapshot.Tree.Find(a.Key) is { } t
                    ? new AreaFigure(t.Code, t.Name, t.Level.ToString().ToLowerInvariant(), a.Value.Volume, a.Value.Open, a.Value.Overdue, RateView.Of(a.Value.Satisfaction))
                    : null)
                .OfType<AreaFigure>()
                .OrderByDescending(a => a.Volume).ThenBy(a => a.Code, StringComparer.Ordinal)
                .ToList(),
            units.Select(u => new UnitFigure(u.Key, Views.UnitOf(u.Key, snapshot)?.Name ?? u.Key, u.Value.Tally.Volume, u.Value.Items,
                    u.Value.Tally.Volume == 0 ? null : (double)u.Value.Items / u.Value.Tally.Volume, u.Value.Tally.Open, u.Value.Tally.Overdue))
                .OrderByDescending(u => u.Overdue).ThenByDescending(u => u.Cases).ThenBy(u => u.Code, StringComparer.Ordinal)
                .ToList(),
            heat.Select(h => new HeatPoint(Math.Round(h.Key.Lat * HeatCell, 4), Math.Round(h.Key.Lon * HeatCell, 4), h.Value))
                .OrderByDescending(h => h.Volume).ThenBy(h => h.Lat).ThenBy(h => h.Lon).ToList());
    }

    /// <summary>The period's local dates as UTC instants: [From 00:00, To+1 00:00) in the configured time zone.</summary>
    public (DateTime From, DateTime To) Bounds(FigurePeriod period)
    {
        DateTime Start(DateOnly day) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), calendar.Zone);
        return (Start(period.From), Start(period.To.AddDays(1)));
    }

    private static string CategoryName(CatalogSnapshot snapshot, string code) =>
        snapshot.Categories.Find(code) is { } c ? (Problems.Messages.IsZh ? c.Name : c.NameEn) : code;

    /// <summary>One level down from the territory asked for: a county's townships, a township's communities, ... (none below a grid).</summary>
    private static Expression<Func<MatterRow, string?>> ChildColumn(TerritoryLevel level) => level switch
    {
        TerritoryLevel.Province => m => m.CityCode,
        TerritoryLevel.City => m => m.CountyCode,
        TerritoryLevel.County => m => m.TownshipCode,
        TerritoryLevel.Township => m => m.CommunityCode,
        TerritoryLevel.Community => m => m.GridCode,
        _ => m => null,
    };

    /// <summary>Only the columns the figures read: the projection with the child level's column put in.</summary>
    private static IQueryable<FigureRow> Narrow(IQueryable<MatterRow> matters, Expression<Func<MatterRow, string?>> child)
    {
        Expression<Func<MatterRow, string?, FigureRow>> shape = (m, c) => new FigureRow(
            m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict, m.Items, m.CategoryCode, m.LeadUnitCode, m.Lat, m.Lon, c);
        var row = shape.Parameters[0];
        var body = new Substitute(shape.Parameters[1], new Substitute(child.Parameters[0], row).Visit(child.Body)).Visit(shape.Body);
        return matters.Select(Expression.Lambda<Func<MatterRow, FigureRow>>(body, row));
    }

    private sealed record FigureRow(
        string Status, DateTime ReceivedAt, DateTime? AcceptDueAt, DateTime? AcceptedAt, DateTime? ReplyDueAt, DateTime? RepliedAt, string? Verdict,
        int Items, string? CategoryCode, string? LeadUnitCode, double? Lat, double? Lon, string? Child);

    private sealed class Substitute(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
