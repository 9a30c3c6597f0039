using System.Globalization;
using System.Text;
using Concord.Domain.Matters;
using Concord.Domain.Mediation;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Mediation;

public sealed record FiguresRow(string Key, string Name, MediationFigures Figures);

public sealed record FiguresAnswer(string By, DateOnly From, DateOnly To, MediationFigures Total, IReadOnlyList<FiguresRow> Rows);

/// <summary>
/// The figures of mediation per organization, mediator, county or township over a period of local
/// dates (cases received in it), computed by <see cref="Figures"/> from the case rows; no party data.
/// </summary>
public sealed class MediationFiguresQuery(ConcordDb db, CatalogStore catalog, LocalCalendar calendar, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Groupings = ["organization", "mediator", "county", "township"];

    public async Task<(FiguresAnswer? Answer, IReadOnlyList<FieldError> Errors)> RunAsync(string? by, string? from, string? to, string? territory, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        by ??= "organization";
        if (!Groupings.Contains(by))
        {
            errors.Add(new FieldError("by", "one_of", by, string.Join(", ", Groupings)));
        }

        var today = calendar.LocalDate(clock.GetUtcNow());
        var fromDate = ParseDate(from, "from", today.AddDays(-365), errors);
        var toDate = ParseDate(to, "to", today, errors);
        var tree = catalog.Current.Tree;
        if (territory is not null && tree.Find(territory) is null)
        {
            errors.Add(new FieldError("territory", "unknown_territory", territory));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var start = UtcStart(fromDate);
        var end = UtcStart(toDate.AddDays(1));
        var query = db.Set<MediationCaseRow>().AsNoTracking().Where(c => c.ReceivedAt >= start && c.ReceivedAt < end);
        if (territory is not null && tree.Find(territory) is { } t && t.Level != Concord.Domain.Territories.TerritoryLevel.City && t.Level != Concord.Domain.Territories.TerritoryLevel.Province)
        {
            query = t.Level == Concord.Domain.Territories.TerritoryLevel.County ? query.Where(c => c.CountyCode == territory)
                : t.Level == Concord.Domain.Territories.TerritoryLevel.Township ? query.Where(c => c.TownshipCode == territory)
                : query.Where(c => c.TerritoryCode == territory);
        }

        var cases = await query.ToListAsync(ct);
        var ids = cases.Where(c => c.Status == CaseStatus.Agreed).Select(c => c.Id).ToList();
        var obligations = (await db.Set<MediationObligationRow>().AsNoTracking().Where(o => ids.Contains(o.CaseId)).ToListAsync(ct))
            .ToLookup(o => o.CaseId);
        var now = clock.GetUtcNow().UtcDateTime;
        CaseFact Fact(MediationCaseRow c) => new(c.Status, c.FromCourt, c.ConsentedAt is not null, c.ReceivedAt, c.EndedAt, c.JudicialState,
            obligations[c.Id].Select(o => (o.DueAt, o.PerformedAt)).ToList());

        var names = by switch
        {
            "organization" => await db.Set<MediationOrganizationRow>().AsNoTracking().ToDictionaryAsync(o => o.Code, o => o.Name, ct),
            "mediator" => await db.Set<MediatorRow>().AsNoTracking().ToDictionaryAsync(o => o.Code, o => o.Name, ct),
            _ => tree.All.Where(x => x.Level is Concord.Domain.Territories.TerritoryLevel.County or Concord.Domain.Territories.TerritoryLevel.Township).ToDictionary(x => x.Code, x => x.Name),
        };
        Func<MediationCaseRow, string?> key = by switch
        {
            "organization" => c => c.OrganizationCode,
            "mediator" => c => c.MediatorCode,
            "county" => c => c.CountyCode,
            _ => c => c.TownshipCode,
        };
        var rows = cases.GroupBy(c => key(c) ?? "")
            .Select(g => new FiguresRow(g.Key, g.Key == "" ? "—" : names.GetValueOrDefault(g.Key, g.Key), MediationTally.Of(g.Select(Fact).ToList(), now)))
            .OrderByDescending(r => r.Figures.Received).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return (new FiguresAnswer(by, fromDate, toDate, MediationTally.Of(cases.Select(Fact).ToList(), now), rows), []);
    }

    private DateTime UtcStart(DateOnly date) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(date.ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified), calendar.Zone);

    private static DateOnly ParseDate(string? text, string field, DateOnly fallback, List<FieldError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        errors.Add(new FieldError(field, "bad_filter", text));
        return fallback;
    }

    public static readonly string[] ExportColumns =
        ["key", "name", "received", "court_received", "court_diverted", "diversion_rate", "agreed", "failed", "success_rate", "median_days", "agreements_due", "performed_on_time", "judicial_applied", "judicial_confirmed"];

    private static object?[] Cells(FiguresRow r) =>
    [
        r.Key, r.Name, r.Figures.Received, r.Figures.CourtReceived, r.Figures.CourtDiverted, r.Figures.DiversionRate, r.Figures.Agreed, r.Figures.Failed,
        r.Figures.SuccessRate, r.Figures.MedianDays, r.Figures.AgreementsDue, r.Figures.PerformedOnTime, r.Figures.JudicialApplied, r.Figures.JudicialConfirmed,
    ];

    private static IEnumerable<FiguresRow> WithTotal(FiguresAnswer a) => a.Rows.Append(new FiguresRow("total", "合计", a.Total));

    public static string Csv(FiguresAnswer a)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', ExportColumns));
        foreach (var r in WithTotal(a))
        {
            text.AppendLine(string.Join(',', Cells(r).Select(v => v switch
            {
                null => "",
                string s => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            })));
        }

        return text.ToString();
    }

    public static byte[] Xlsx(FiguresAnswer a)
    {
        var rows = WithTotal(a).Select(r => ExportColumns.Zip(Cells(r)).ToDictionary(p => p.First, p => p.Second)).ToList();
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, rows);
        return stream.ToArray();
    }
}
