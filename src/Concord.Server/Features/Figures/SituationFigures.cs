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
/// Computes the situation figures in the store: the counts are aggregated by SQL with the tests of
/// <see cref="MatterOutcome"/> (the one definition of the rates), so a province-wide year costs a
/// few grouped scans of the period's rows, never loading matters.
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

        var totals = await Tally(matters.GroupBy(m => 1), now).FirstOrDefaultAsync(ct) ?? new Tallied<int>(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        // The median needs the values: one small column of the replied matters.
        var replyHours = (await matters.Where(m => m.Status != "merged" && m.Status != "rejected" && m.RepliedAt != null)
                .Select(m => new { m.ReceivedAt, m.RepliedAt })
                .ToListAsync(ct))
            .Select(m => (m.RepliedAt!.Value - m.ReceivedAt).TotalHours)
            .ToList();

        var receivedTimes = await matters.Select(m => m.ReceivedAt).ToListAsync(ct);
        var byDay = new SortedDictionary<DateOnly, int>();
        for (var day = period.From; day <= period.To; day = day.AddDays(1))
        {
            byDay[day] = 0;
        }

        foreach (var at in receivedTimes)
        {
            var day = calendar.LocalDate(new DateTimeOffset(at, TimeSpan.Zero));
            byDay[day] = byDay.GetValueOrDefault(day) + 1;
        }

        var categories = await matters.Where(m => m.CategoryCode != null)
            .GroupBy(m => m.CategoryCode!)
            .Select(g => new { Code = g.Key, Volume = g.Count() })
            .OrderByDescending(g => g.Volume).ThenBy(g => g.Code)
            .Take(10)
            .ToListAsync(ct);

        var areas = await ByAreaAsync(matters, period.Territory, snapshot, now, ct);

        var units = await Tally(matters.Where(m => m.LeadUnitCode != null).GroupBy(m => m.LeadUnitCode!), now).ToListAsync(ct);

        var heat = await matters.Where(m => m.Lat != null && m.Lon != null)
            .GroupBy(m => new { Lat = Math.Round(m.Lat!.Value / HeatCell), Lon = Math.Round(m.Lon!.Value / HeatCell) })
            .Select(g => new { g.Key.Lat, g.Key.Lon, Volume = g.Count() })
            .ToListAsync(ct);

        return new SituationView(
            period.Territory.Code, period.Territory.Name, period.From, period.To, clock.GetUtcNow(),
            totals.Volume, totals.Open, totals.Overdue,
            RateView.Of(new Rate(totals.Responded, totals.ResponseDue)),
            RateView.Of(new Rate(totals.Resolved, totals.ResolutionDue)),
            RateView.Of(new Rate(totals.Satisfied, totals.Rated)),
            SituationRates.Median(replyHours),
            byDay.Select(d => new DayFigure(d.Key, d.Value)).ToList(),
            categories.Select(c => new CategoryFigure(c.Code, CategoryName(snapshot, c.Code), c.Volume)).ToList(),
            areas,
            units.Select(u => new UnitFigure(u.Key, Views.UnitOf(u.Key, snapshot)?.Name ?? u.Key, u.Volume, u.Items, u.Volume == 0 ? null : (double)u.Items / u.Volume, u.Open, u.Overdue))
                .OrderByDescending(u => u.Overdue).ThenByDescending(u => u.Cases).ThenBy(u => u.Code, StringComparer.Ordinal)
                .ToList(),
            heat.Select(h => new HeatPoint(Math.Round(h.Lat * HeatCell, 4), Math.Round(h.Lon * HeatCell, 4), h.Volume)).OrderByDescending(h => h.Volume).ToList());
    }

    /// <summary>The period's local dates as UTC instants: [From 00:00, To+1 00:00) in the configured time zone.</summary>
    public (DateTime From, DateTime To) Bounds(FigurePeriod period)
    {
        DateTime Start(DateOnly day) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), calendar.Zone);
        return (Start(period.From), Start(period.To.AddDays(1)));
    }

    private static string CategoryName(CatalogSnapshot snapshot, string code) =>
        snapshot.Categories.Find(code) is { } c ? (Problems.Messages.IsZh ? c.Name : c.NameEn) : code;

    private async Task<IReadOnlyList<AreaFigure>> ByAreaAsync(IQueryable<MatterRow> matters, Territory territory, CatalogSnapshot snapshot, DateTime now, CancellationToken ct)
    {
        // One level down from the territory asked for: a county's townships, a township's communities, ...
        Expression<Func<MatterRow, string?>>? childColumn = territory.Level switch
        {
            TerritoryLevel.Province => m => m.CityCode,
            TerritoryLevel.City => m => m.CountyCode,
            TerritoryLevel.County => m => m.TownshipCode,
            TerritoryLevel.Township => m => m.CommunityCode,
            TerritoryLevel.Community => m => m.GridCode,
            _ => null,
        };
        if (childColumn is null)
        {
            return [];
        }

        var rows = await Tally(matters.GroupBy(childColumn), now).ToListAsync(ct);
        return rows.Where(r => r.Key is not null)
            .Select(r => snapshot.Tree.Find(r.Key!) is { } child
                ? new AreaFigure(child.Code, child.Name, child.Level.ToString().ToLowerInvariant(), r.Volume, r.Open, r.Overdue, RateView.Of(new Rate(r.Satisfied, r.Rated)))
                : null)
            .OfType<AreaFigure>()
            .OrderByDescending(a => a.Volume).ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The tests of <see cref="MatterOutcome"/>, as conditional counts the store computes per group.
    /// Kept side by side with that record: change one, change the other (FigureTests holds them equal).
    /// </summary>
    private static IQueryable<Tallied<TKey>> Tally<TKey>(IQueryable<IGrouping<TKey, MatterRow>> groups, DateTime now) =>
        groups.Select(g => new Tallied<TKey>(
            g.Key,
            g.Count(),
            g.Count(m => m.Status != "closed" && m.Status != "merged" && m.Status != "rejected"),
            g.Count(m => m.Status != "closed" && m.Status != "merged" && m.Status != "rejected"
                && ((m.AcceptedAt == null && m.AcceptDueAt != null && m.AcceptDueAt < now) || (m.RepliedAt == null && m.ReplyDueAt != null && m.ReplyDueAt < now))),
            g.Count(m => m.Status != "merged" && m.Status != "rejected" && m.AcceptDueAt != null && (m.AcceptedAt != null || m.AcceptDueAt <= now)),
            g.Count(m => m.Status != "merged" && m.Status != "rejected" && m.AcceptDueAt != null && m.AcceptedAt != null && m.AcceptedAt <= m.AcceptDueAt),
            g.Count(m => m.Status != "merged" && m.Status != "rejected" && (m.Status == "closed" || (m.ReplyDueAt != null && m.ReplyDueAt <= now))),
            g.Count(m => m.Status == "closed"),
            g.Count(m => m.Status != "merged" && m.Status != "rejected" && m.Verdict != null),
            g.Count(m => m.Status != "merged" && m.Status != "rejected" && (m.Verdict == "satisfied" || m.Verdict == "basically_satisfied")),
            g.Sum(m => m.Items)));

    private sealed record Tallied<TKey>(TKey Key, int Volume, int Open, int Overdue, int ResponseDue, int Responded, int ResolutionDue, int Resolved, int Rated, int Satisfied, int Items);
}
