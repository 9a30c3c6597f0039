using System.Globalization;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Components;
using Concord.Server.Features.Figures;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using MiniExcelLibs;

namespace Concord.Server.Features.Situation;

/// <summary>
/// XLSX exports of what the staff pages list: the dashboard's tables (one sheet each), the unit queue
/// (workbench) and the dispatch queue. Server-side, in the user's scope, with the same bounds as the
/// pages; headers and labels in the user's language, times in the center's zone.
/// </summary>
public static class SituationExports
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IServiceCollection AddSituation(this IServiceCollection services) => services.AddScoped<StaffQueues>();

    public static IEndpointRouteBuilder MapSituationExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/situation/export.xlsx", SituationAsync).RequireAuthorization(Permissions.FiguresRead).ExcludeFromDescription();
        app.MapGet("/workbench/export.xlsx", WorkbenchAsync).RequireAuthorization(Permissions.MattersRead).ExcludeFromDescription();
        app.MapGet("/dispatch/export.xlsx", DispatchAsync).RequireAuthorization(Permissions.MattersHandle).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SituationAsync(
        SituationFigures figures, CatalogStore catalog, CurrentStaff staff, LocalCalendar calendar, TimeProvider clock, CancellationToken ct,
        string? territory = null, string? from = null, string? to = null)
    {
        var scope = await staff.ScopeAsync(ct);
        var read = FigureEndpoints.ReadPeriod(catalog.Current, scope, calendar.LocalDate(clock.GetUtcNow()), Blank(territory), Blank(from), Blank(to));
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var view = await figures.ComputeAsync(read.Period!, scope, ct);
        return File(Workbook(view), $"situation-{view.Territory}-{Day(view.From)}-{Day(view.To)}.xlsx");
    }

    /// <summary>The dashboard's tables, a sheet each, with every row (the page shows the first few).</summary>
    public static Dictionary<string, object> Workbook(SituationView view)
    {
        static Dictionary<string, object?> RateRow(string key, RateView rate) => new()
        {
            [Ui.T("ui.export.figure")] = Ui.T(key),
            [Ui.T("ui.export.numerator")] = rate.Numerator,
            [Ui.T("ui.export.denominator")] = rate.Denominator,
            [Ui.T("ui.export.value")] = rate.Value,
        };

        return new Dictionary<string, object>
        {
            [Ui.T("ui.export.sheet_rates")] = new[]
            {
                RateRow("ui.situation.response", view.Response),
                RateRow("ui.situation.resolution", view.Resolution),
                RateRow("ui.situation.satisfaction", view.Satisfaction),
                new() { [Ui.T("ui.export.figure")] = Ui.T("ui.figures.volume"), [Ui.T("ui.export.numerator")] = null, [Ui.T("ui.export.denominator")] = null, [Ui.T("ui.export.value")] = view.Volume },
                new() { [Ui.T("ui.export.figure")] = Ui.T("ui.figures.open"), [Ui.T("ui.export.numerator")] = null, [Ui.T("ui.export.denominator")] = null, [Ui.T("ui.export.value")] = view.Open },
                new() { [Ui.T("ui.export.figure")] = Ui.T("ui.figures.overdue"), [Ui.T("ui.export.numerator")] = null, [Ui.T("ui.export.denominator")] = null, [Ui.T("ui.export.value")] = view.Overdue },
            },
            [Ui.T("ui.export.sheet_days")] = view.ByDay.Select(d => new Dictionary<string, object?>
            {
                [Ui.T("ui.figures.date")] = Day(d.Date),
                [Ui.T("ui.figures.volume")] = d.Volume,
            }).ToList(),
            [Ui.T("ui.export.sheet_categories")] = view.TopCategories.Select(c => new Dictionary<string, object?>
            {
                [Ui.T("ui.export.code")] = c.Code,
                [Ui.T("ui.figures.category")] = c.Name,
                [Ui.T("ui.figures.volume")] = c.Volume,
            }).ToList(),
            [Ui.T("ui.export.sheet_areas")] = view.ByArea.Select(a => new Dictionary<string, object?>
            {
                [Ui.T("ui.export.code")] = a.Code,
                [Ui.T("ui.figures.area")] = a.Name,
                [Ui.T("ui.figures.volume")] = a.Volume,
                [Ui.T("ui.figures.open")] = a.Open,
                [Ui.T("ui.figures.overdue")] = a.Overdue,
                [Ui.T("ui.situation.satisfaction")] = a.Satisfaction.Value,
            }).ToList(),
            [Ui.T("ui.export.sheet_units")] = view.ByUnit.Select(u => new Dictionary<string, object?>
            {
                [Ui.T("ui.export.code")] = u.Code,
                [Ui.T("ui.figures.unit")] = u.Name,
                [Ui.T("ui.figures.cases")] = u.Cases,
                [Ui.T("ui.figures.items")] = u.Items,
                [Ui.T("ui.figures.items_per_case")] = u.ItemsPerCase,
                [Ui.T("ui.figures.open")] = u.Open,
                [Ui.T("ui.figures.overdue")] = u.Overdue,
            }).ToList(),
            [Ui.T("ui.export.sheet_heat")] = view.Heat.Select(h => new Dictionary<string, object?>
            {
                [Ui.T("ui.figures.lat")] = h.Lat,
                [Ui.T("ui.figures.lon")] = h.Lon,
                [Ui.T("ui.figures.volume")] = h.Volume,
            }).ToList(),
        };
    }

    private static async Task<IResult> WorkbenchAsync(StaffQueues queues, CurrentStaff staff, CatalogStore catalog, Deadlines deadlines, CancellationToken ct)
    {
        if (staff.UnitCode is not { } unit || !catalog.Current.Units.ContainsKey(unit))
        {
            return Problem.NotFound("detail.unit_not_found", staff.UnitCode ?? "");
        }

        // Queues: the whole queue up to the export cap, read page by page through the cursor (one instant for all pages).
        var items = new List<QueueItem>();
        string? after = null;
        do
        {
            var page = await queues.UnitQueueAsync(unit, after, Math.Min(StaffQueues.MaxUnitSize, StaffQueues.ExportCap - items.Count), ct);
            items.AddRange(page!.Items);
            after = page.Next;
        }
        while (after is not null && items.Count < StaffQueues.ExportCap);

        var rows = items.Select(i => new Dictionary<string, object?>
        {
            [Ui.T("ui.export.code")] = i.Matter.Code,
            [Ui.T("ui.export.title")] = i.Matter.Title,
            [Ui.T("ui.export.status")] = PageText.Status(i.Status),
            [Ui.T("ui.export.light")] = PageText.Light(i.Light),
            [Ui.T("ui.export.due")] = PageText.Time(deadlines, i.Due),
            [Ui.T("ui.export.place")] = i.Matter.Place.Name,
            [Ui.T("ui.export.category")] = i.Matter.Category?.Name,
            [Ui.T("ui.export.received")] = PageText.Time(deadlines, i.Matter.ReceivedAt),
        }).ToList();
        return File(new Dictionary<string, object> { [Ui.T("ui.export.sheet_queue")] = rows }, $"workbench-{unit}.xlsx");
    }

    private static async Task<IResult> DispatchAsync(StaffQueues queues, CurrentStaff staff, Deadlines deadlines, CancellationToken ct)
    {
        // Queues: the whole queue in scope up to the export cap, read page by page through the cursor.
        var scope = await staff.ScopeAsync(ct);
        var items = new List<DispatchItem>();
        string? after = null;
        do
        {
            var page = await queues.DispatchQueueAsync(scope, after, Math.Min(StaffQueues.MaxDispatchSize, StaffQueues.ExportCap - items.Count), ct);
            items.AddRange(page!.Items);
            after = page.Next;
        }
        while (after is not null && items.Count < StaffQueues.ExportCap);

        var rows = items.Select(i => new Dictionary<string, object?>
        {
            [Ui.T("ui.export.code")] = i.Matter.Code,
            [Ui.T("ui.export.title")] = i.Matter.Title,
            [Ui.T("ui.export.why")] = PageText.Label("why", i.Why),
            [Ui.T("ui.export.status")] = PageText.Status(i.Matter.Status),
            [Ui.T("ui.export.place")] = i.Matter.Place.Name,
            [Ui.T("ui.export.category")] = i.Matter.Category?.Name,
            [Ui.T("ui.export.lead_unit")] = i.Matter.LeadUnit?.Name,
            [Ui.T("ui.export.received")] = PageText.Time(deadlines, i.Matter.ReceivedAt),
        }).ToList();
        return File(new Dictionary<string, object> { [Ui.T("ui.export.sheet_queue")] = rows }, "dispatch-queue.xlsx");
    }

    private static IResult File(Dictionary<string, object> sheets, string name)
    {
        var stream = new MemoryStream();
        stream.SaveAs(sheets);
        stream.Position = 0;
        return Results.File(stream, XlsxType, name);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
