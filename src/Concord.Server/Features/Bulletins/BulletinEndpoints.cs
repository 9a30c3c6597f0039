using Concord.Domain.Matters;
using System.Globalization;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Features.Figures;
using Concord.Server.Features.Matters;
using Concord.Server.Http;
using Concord.Server.Problems;

namespace Concord.Server.Features.Bulletins;

/// <summary>Bulletins (周报, 专报): draft, read, edit, issue, DOCX and charts.</summary>
public static class BulletinEndpoints
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static IServiceCollection AddBulletins(this IServiceCollection services)
    {
        services.AddScoped<BulletinComposer>();
        services.AddScoped<BulletinService>();
        services.AddHostedService<WeeklyDraftService>();
        return services;
    }

    public static IEndpointRouteBuilder MapBulletins(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/bulletins").WithTags("Bulletins");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("Bulletins in my area (?kind=weekly|special), latest period first");
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("One bulletin: its text sections and the figures it was drafted from");
        group.MapGet("/{id:long}/docx", DocxAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("The bulletin as DOCX in the official layout (GB/T 9704), with its charts");
        group.MapGet("/{id:long}/charts/{name}.png", ChartAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("A chart of the bulletin as PNG: volume or categories");
        group.MapPost("/weekly", WeeklyAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Draft the weekly report (周报) of a territory and week now (it exists once; an existing one is returned)");
        group.MapPost("/special", SpecialAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Draft a special report (专报) on a territory, or a category within it, for a period");
        group.MapPost("/{id:long}", EditAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Edit a draft's title and text sections (summary, analysis, suggestions)");
        group.MapPost("/{id:long}/issue", IssueAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Issue a draft: numbered, then immutable");
        return app;
    }

    private static async Task<IResult> ListAsync(BulletinService bulletins, CurrentStaff staff, CancellationToken ct, string? kind = null, int? limit = null)
    {
        if (kind is not null and not ("weekly" or "special"))
        {
            return Problem.BadRequest([new FieldError("kind", "one_of", kind, "weekly, special")]);
        }

        return Results.Ok((await bulletins.ListAsync(await staff.ScopeAsync(ct), kind, limit ?? 100, ct)).Select(bulletins.Summary));
    }

    private static async Task<IResult> GetAsync(long id, BulletinService bulletins, CurrentStaff staff, CancellationToken ct) =>
        await bulletins.FindAsync(await staff.ScopeAsync(ct), id, ct) is { } row ? Results.Ok(bulletins.View(row)) : Problem.NotFound("bulletins.not_found", id);

    private static async Task<IResult> DocxAsync(long id, BulletinService bulletins, CurrentStaff staff, CancellationToken ct)
    {
        var row = await bulletins.FindAsync(await staff.ScopeAsync(ct), id, ct);
        return row is null ? Problem.NotFound("bulletins.not_found", id)
            : Results.File(bulletins.Docx(row), DocxType, $"{row.Number ?? $"bulletin-{row.Id}-draft"}.docx");
    }

    private static async Task<IResult> ChartAsync(long id, string name, BulletinService bulletins, CurrentStaff staff, CancellationToken ct)
    {
        var row = await bulletins.FindAsync(await staff.ScopeAsync(ct), id, ct);
        if (row is null || !BulletinService.Charts.Contains(name))
        {
            return Problem.NotFound("bulletins.not_found", id);
        }

        return Results.File(BulletinService.Chart(BulletinService.FiguresOf(row), name), "image/png");
    }

    private static async Task<IResult> WeeklyAsync(HttpContext http, BulletinService bulletins, CatalogStore catalog, CurrentStaff staff, LocalCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<WeeklyRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var scope = await staff.ScopeAsync(ct);
        var monday = bulletins.LastWeek();
        if (read.Value?.Week is { } week)
        {
            if (!DateOnly.TryParseExact(week, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return Problem.Validation([new FieldError("week", "bad_filter", week)]);
            }

            monday = BulletinService.MondayOf(day);
        }

        var place = FigureEndpoints.ReadPeriod(catalog.Current, scope, calendar.LocalDate(clock.GetUtcNow()), read.Value?.Territory, null, null);
        if (place.Problem is not null)
        {
            return place.Problem;
        }

        var row = await bulletins.DraftWeeklyAsync(place.Period!.Territory, monday, staff.Actor.Id, ct);
        return Results.Created($"/api/v1/bulletins/{row.Id}", bulletins.View(row));
    }

    private static async Task<IResult> SpecialAsync(HttpContext http, BulletinService bulletins, CatalogStore catalog, CurrentStaff staff, LocalCalendar calendar, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<SpecialRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var request = read.Value;
        var scope = await staff.ScopeAsync(ct);
        var period = FigureEndpoints.ReadPeriod(catalog.Current, scope, calendar.LocalDate(clock.GetUtcNow()), request?.Territory, request?.From, request?.To);
        if (period.Problem is not null)
        {
            return period.Problem;
        }

        if (request?.Category is { } category && catalog.Current.Categories.Find(category) is null)
        {
            return Problem.Validation([new FieldError("category", "unknown_category", category)]);
        }

        if (request?.Title is { Length: > 200 } title)
        {
            return Problem.Validation([new FieldError("title", "too_long", 200, title.Length)]);
        }

        var outcome = await bulletins.DraftSpecialAsync(period.Period!.Territory, request?.Category, period.Period.From, period.Period.To, request?.Title, staff.Actor, ct);
        return Results.Created($"/api/v1/bulletins/{outcome.Row!.Id}", bulletins.View(outcome.Row));
    }

    private static async Task<IResult> EditAsync(long id, HttpContext http, BulletinService bulletins, CurrentStaff staff, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<BulletinEdit>(http.Request, ct);
        return read.Problem ?? Answer(await bulletins.EditAsync(await staff.ScopeAsync(ct), staff.Actor, id, read.Value, ct), bulletins, id);
    }

    private static async Task<IResult> IssueAsync(long id, BulletinService bulletins, CurrentStaff staff, CancellationToken ct) =>
        Answer(await bulletins.IssueAsync(await staff.ScopeAsync(ct), staff.Actor, id, ct), bulletins, id);

    internal static IResult Answer(BulletinService.Outcome outcome, BulletinService bulletins, long id) =>
        outcome.NotFound ? Problem.NotFound("bulletins.not_found", id)
        : outcome.Errors.Count > 0 ? Problem.Validation(outcome.Errors)
        : outcome.Stale ? Problem.Create(StatusCodes.Status412PreconditionFailed, "stale", "title.conflict", Messages.Text("bulletins.stale", outcome.Row!.Version))
        : outcome.Conflict ? Problem.Create(StatusCodes.Status409Conflict, "bulletin-issued", "title.conflict", Messages.Text("bulletins.already_issued", outcome.Row!.Number ?? ""))
        : Results.Ok(bulletins.View(outcome.Row!));
}
