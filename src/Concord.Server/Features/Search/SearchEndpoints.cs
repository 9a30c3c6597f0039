using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using MiniExcelLibs;

namespace Concord.Server.Features.Search;

public static class SearchEndpoints
{
    /// <summary>An export is a working list, not a dump of the database: beyond this many rows, narrow the filters.</summary>
    public const int MaxExportRows = 10_000;

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/matters/export.xlsx", ExportAsync)
            .RequireAuthorization(Permissions.MattersRead)
            .WithTags("Matters")
            .WithSummary($"The matter list as an Excel workbook: the same filters, q, sort and scope as GET /api/v1/matters, at most {MaxExportRows} rows (in list order)")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> ExportAsync(
        ConcordDb db, CatalogStore catalog, CurrentStaff staff, Handling.Deadlines deadlines, LocalCalendar local, TimeProvider clock, SearchSettings search, CancellationToken ct,
        string? q = null, string? territory = null, string? kind = null, string? status = null, string? category = null, string? from = null, string? to = null, string? sort = null)
    {
        var snapshot = catalog.Current;
        var filter = new MatterListFilter(q, territory, kind, status, category, from, to, sort);
        // An export is rare: it may rank as many matches as it can hold.
        var listed = await MatterList.ReadAsync(db, snapshot, await staff.ScopeAsync(ct), filter, cursor: null, MaxExportRows, Math.Max(search.RankedAmong, MaxExportRows), ct);
        var (rows, next, errors) = listed;
        if (errors.Count > 0)
        {
            return Problem.BadRequest(errors);
        }

        var sheet = rows.Select(r =>
        {
            var summary = Views.Summary(r.Matter, snapshot);
            return new Dictionary<string, object?>
            {
                [Messages.Text("ui.search.col.code")] = r.Matter.Code,
                [Messages.Text("ui.search.col.title")] = r.Matter.Title,
                [Messages.Text("ui.search.col.status")] = Components.PageText.Status(r.Matter.Status),
                [Messages.Text("ui.search.col.category")] = summary.Category?.Name,
                [Messages.Text("ui.search.col.place")] = string.Join(" ", summary.Place.Chain.Skip(1).Select(l => l.Name)),
                [Messages.Text("ui.search.col.unit")] = summary.LeadUnit?.Name,
                [Messages.Text("ui.search.col.received")] = TimeZoneInfo.ConvertTime(new DateTimeOffset(r.Matter.ReceivedAt, TimeSpan.Zero), local.Zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                [Messages.Text("ui.search.col.snippet")] = r.Snippet is { } s ? string.Concat(s.Parts.Select(p => p.Text)) : null,
            };
        }).ToList();

        // A bulk read of matters leaves a trace: who exported what filter, how many rows.
        AuditLog.Append(db, staff.Actor, "matters.exported", "matter", "list", new { q, territory, kind, status, category, from, to, rows = rows.Count, truncated = next is not null || listed.RankedAmong is not null }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);

        var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: Messages.Text("ui.search.sheet"), cancellationToken: ct);
        stream.Position = 0;
        var stamp = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), local.Zone).ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"matters-{stamp}.xlsx");
    }
}
