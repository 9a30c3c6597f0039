using Concord.Domain.Risks;
using Concord.Domain.Figures;
using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Figures;
using Concord.Server.Features.Matters;
using Concord.Server.Features.Warnings;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Bulletins;

public sealed record LetterCount(string Kind, int Issued, int Answered);

public sealed record SignalCount(string Method, int Raised, int Confirmed, int Dismissed);

public sealed record SignalLine(long Id, string Method, string Status, string Text);

/// <summary>
/// Risks of the territory by level and movement, from the risk register (风险隐患清单): open now,
/// listed in the period, closed in the period. <see cref="Wired"/> stays in the answer so that readers
/// of older bulletins (drafted before the register was wired in) can tell "none" from "not counted".
/// </summary>
public sealed record RiskSection(bool Wired, IReadOnlyList<RiskLevelCount> ByLevel);

public sealed record RiskLevelCount(string Level, int Listed, int New, int Resolved);

/// <summary>What a bulletin says in numbers: the situation figures of the period and of the one before, letters, signals, risks.</summary>
public sealed record BulletinFigures(
    string Territory, string TerritoryName, string? Category, string? CategoryName,
    DateOnly From, DateOnly To, DateTimeOffset ComputedAt,
    int Volume, int PreviousVolume, double? ChangePercent, int Open, int Overdue,
    RateView Response, RateView Resolution, RateView Satisfaction,
    IReadOnlyList<DayFigure> ByDay, IReadOnlyList<DayFigure> PreviousByDay,
    IReadOnlyList<CategoryFigure> TopCategories, IReadOnlyList<AreaFigure> Hotspots,
    int LettersIssued, int LettersAnswered, IReadOnlyList<LetterCount> Letters,
    int Signals, IReadOnlyList<SignalCount> SignalsByMethod, IReadOnlyList<SignalLine> TopSignals,
    RiskSection Risks);

/// <summary>
/// Computes a bulletin's figures from live data. A territory's picture comes from
/// <see cref="SituationFigures"/> (the one definition of the three rates); a special report on a
/// category applies the same definition (<see cref="MatterOutcome"/>) to that category's rows.
/// </summary>
public sealed class BulletinComposer(ConcordDb db, CatalogStore catalog, SituationFigures situation, SignalDesk signals, Risks.RiskRegister risks, TimeProvider clock)
{
    private static readonly AccessScope Everything = new(true, null, null, []);

    public async Task<BulletinFigures> ComputeAsync(Territory territory, string? category, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var snapshot = catalog.Current;
        var length = to.DayNumber - from.DayNumber + 1;
        var previous = new FigurePeriod(territory, from.AddDays(-length), from.AddDays(-1));
        var period = new FigurePeriod(territory, from, to);
        var now = clock.GetUtcNow();

        int volume, previousVolume, open, overdue;
        RateView response, resolution, satisfaction;
        IReadOnlyList<DayFigure> byDay, previousByDay;
        IReadOnlyList<CategoryFigure> top;
        IReadOnlyList<AreaFigure> areas;
        if (category is null)
        {
            var current = await situation.ComputeAsync(period, Everything, ct);
            var before = await situation.ComputeAsync(previous, Everything, ct);
            (volume, previousVolume, open, overdue) = (current.Volume, before.Volume, current.Open, current.Overdue);
            (response, resolution, satisfaction) = (current.Response, current.Resolution, current.Satisfaction);
            (byDay, previousByDay, top, areas) = (current.ByDay, before.ByDay, current.TopCategories, current.ByArea);
        }
        else
        {
            var current = await CategoryFiguresAsync(period, category, now.UtcDateTime, ct);
            var before = await CategoryFiguresAsync(previous, category, now.UtcDateTime, ct);
            (volume, previousVolume, open, overdue) = (current.Rates.Volume, before.Rates.Volume, current.Rates.Open, current.Rates.Overdue);
            (response, resolution, satisfaction) = (RateView.Of(current.Rates.Response), RateView.Of(current.Rates.Resolution), RateView.Of(current.Rates.Satisfaction));
            (byDay, previousByDay, top, areas) = (current.ByDay, before.ByDay, current.Top, current.Areas);
        }

        var (fromUtc, toUtc) = situation.Bounds(period);
        var unitsInside = snapshot.Units.Values.Where(u => snapshot.Tree.IsWithin(u.TerritoryCode, territory.Code)).Select(u => u.Code).ToList();
        var letters = await db.Letters.AsNoTracking()
            .Where(l => l.IssuedAt >= fromUtc && l.IssuedAt < toUtc && unitsInside.Contains(l.AddresseeUnitCode))
            .GroupBy(l => l.Kind)
            .Select(g => new { Kind = g.Key, Issued = g.Count(), Answered = g.Count(l => l.RepliedAt != null) })
            .ToListAsync(ct);

        var signalRows = (await db.Set<SignalRow>().AsNoTracking()
                .Where(s => s.PeriodStart >= fromUtc && s.PeriodStart < toUtc && (category == null || s.CategoryCode == category))
                .OrderByDescending(s => s.Statistic ?? s.Observed).ThenBy(s => s.Id)
                .ToListAsync(ct))
            .Where(s => snapshot.Tree.IsWithin(s.TerritoryCode, territory.Code))
            .ToList();

        // Risks: the territory's register (a special report on a category keeps the risks of that key domain).
        var domain = category is null ? null : Concord.Domain.Risks.KeyDomains.All.FirstOrDefault(d => category.StartsWith(d.CategoryCode, StringComparison.Ordinal))?.Wire;
        var registered = category is not null && domain is null ? []
            : await risks.ListAsync(new Risks.RiskFilter(Territory: territory.Code, Domain: domain, Limit: 1000), Risks.RiskRegister.Everything, ct);
        var riskSection = new RiskSection(true, Enum.GetValues<Concord.Domain.Risks.RiskLevel>()
            .Select(level => level.Wire())
            .Select(level => new RiskLevelCount(
                level,
                registered.Count(r => r.Level == level && r.ClosedAt == null),
                registered.Count(r => r.Level == level && r.ListedAt >= fromUtc && r.ListedAt < toUtc),
                registered.Count(r => r.Level == level && r.ClosedAt >= fromUtc && r.ClosedAt < toUtc)))
            .ToList());

        var categoryName = category is null ? null : snapshot.Categories.Find(category)?.Name ?? category;
        return new BulletinFigures(
            territory.Code, territory.Name, category, categoryName, from, to, now,
            volume, previousVolume, previousVolume == 0 ? null : Math.Round((volume - previousVolume) * 100.0 / previousVolume, 1), open, overdue,
            response, resolution, satisfaction,
            byDay, previousByDay, top.Take(5).ToList(), areas.Take(5).ToList(),
            letters.Sum(l => l.Issued), letters.Sum(l => l.Answered), letters.OrderBy(l => l.Kind, StringComparer.Ordinal).Select(l => new LetterCount(l.Kind, l.Issued, l.Answered)).ToList(),
            signalRows.Count,
            signalRows.GroupBy(s => s.Method).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new SignalCount(g.Key, g.Count(), g.Count(s => s.Status == "confirmed"), g.Count(s => s.Status == "dismissed"))).ToList(),
            signalRows.Where(s => s.Status != "dismissed").Take(5).Select(s => new SignalLine(s.Id, s.Method, s.Status, signals.ExplainText(s, zh: true))).ToList(),
            riskSection);
    }

    private sealed record CategoryPicture(SituationRates Rates, IReadOnlyList<DayFigure> ByDay, IReadOnlyList<CategoryFigure> Top, IReadOnlyList<AreaFigure> Areas);

    /// <summary>One category's picture: the rows of the period, each judged by the domain's definition.</summary>
    private async Task<CategoryPicture> CategoryFiguresAsync(FigurePeriod period, string category, DateTime now, CancellationToken ct)
    {
        var snapshot = catalog.Current;
        var (fromUtc, toUtc) = situation.Bounds(period);
        var rows = await db.Matters.AsNoTracking()
            .Where(AccessScope.InTerritory(period.Territory))
            .Where(m => m.ReceivedAt >= fromUtc && m.ReceivedAt < toUtc && m.CategoryCode != null && m.CategoryCode.StartsWith(category))
            .Select(m => new { m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict, m.CategoryCode, m.CountyCode, m.TownshipCode, m.CommunityCode, m.GridCode })
            .ToListAsync(ct);
        var rates = SituationRates.Of(rows.Select(m => new MatterOutcome(m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict)), now);
        var byDay = new List<DayFigure>();
        for (var day = period.From; day <= period.To; day = day.AddDays(1))
        {
            var (s, e) = situation.Bounds(period with { From = day, To = day });
            byDay.Add(new DayFigure(day, rows.Count(m => m.ReceivedAt >= s && m.ReceivedAt < e)));
        }

        var top = rows.GroupBy(m => m.CategoryCode!).Select(g => new CategoryFigure(g.Key, snapshot.Categories.Find(g.Key)?.Name ?? g.Key, g.Count()))
            .OrderByDescending(c => c.Volume).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        Func<string?, string?, string?, string?, string?> child = period.Territory.Level switch
        {
            TerritoryLevel.City => (c, _, _, _) => c,
            TerritoryLevel.County => (_, t, _, _) => t,
            TerritoryLevel.Township => (_, _, c, _) => c,
            _ => (_, _, _, g) => g,
        };
        var areas = rows.GroupBy(m => child(m.CountyCode, m.TownshipCode, m.CommunityCode, m.GridCode))
            .Where(g => g.Key is not null && snapshot.Tree.Find(g.Key) is not null)
            .Select(g =>
            {
                var t = snapshot.Tree.Find(g.Key)!;
                var outcomes = g.Select(m => new MatterOutcome(m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict)).ToList();
                var r = SituationRates.Of(outcomes, now);
                return new AreaFigure(t.Code, t.Name, t.Level.ToString().ToLowerInvariant(), r.Volume, r.Open, r.Overdue, RateView.Of(r.Satisfaction));
            })
            .OrderByDescending(a => a.Volume).ThenBy(a => a.Code, StringComparer.Ordinal).ToList();
        return new CategoryPicture(rates, byDay, top, areas);
    }
}
