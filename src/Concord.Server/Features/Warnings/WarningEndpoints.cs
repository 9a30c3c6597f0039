using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Http;
using Concord.Server.Problems;

namespace Concord.Server.Features.Warnings;

/// <summary>Early warning (预警): run the engine, list and explain signals, confirm or dismiss them.</summary>
public static class WarningEndpoints
{
    public static readonly string[] Statuses = ["open", "confirmed", "dismissed"];

    public static IServiceCollection AddWarnings(this IServiceCollection services)
    {
        services.AddScoped<WarningEngine>();
        services.AddScoped<SignalDesk>();
        services.AddHostedService<WarningEngineService>();
        return services;
    }

    public static IEndpointRouteBuilder MapWarnings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/warnings").WithTags("Early warning");
        group.MapPost("/run", RunAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Run the engine now (EARS C1/C2/C3 and the rules); a signal already raised is not raised again");
        group.MapGet("/signals", ListAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("Signals in my area: ?status=open|confirmed|dismissed, newest first");
        group.MapGet("/signals/{id:long}", GetAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("One signal and its explanation: observed, baseline mean and deviation, statistic, threshold, matters counted");
        group.MapPost("/signals/{id:long}/confirm", ConfirmAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Confirm as a warning letter (预警函), an assignment letter (交办函) or a risk (recorded for the risk register)");
        group.MapPost("/signals/{id:long}/dismiss", DismissAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Dismiss with a reason; the signal stays in the dismissed list");
        return app;
    }

    private static async Task<IResult> RunAsync(WarningEngine engine, CancellationToken ct)
    {
        var result = await engine.RunAsync(ct);
        return Results.Ok(new { series = result.Series, raised = result.Raised, step = engine.Settings.Step });
    }

    private static async Task<IResult> ListAsync(SignalDesk desk, CurrentStaff staff, CancellationToken ct, string? status = null, int? limit = null)
    {
        if (status is not null && !Statuses.Contains(status))
        {
            return Problem.BadRequest([new FieldError("status", "one_of", status, string.Join(", ", Statuses))]);
        }

        var rows = await desk.ListAsync(await staff.ScopeAsync(ct), status, limit ?? 100, ct);
        return Results.Ok(rows.Select(desk.View));
    }

    private static async Task<IResult> GetAsync(long id, SignalDesk desk, CurrentStaff staff, CancellationToken ct)
    {
        var row = await desk.FindAsync(await staff.ScopeAsync(ct), id, ct);
        return row is null ? Problem.NotFound("warnings.not_found", id) : Results.Ok(desk.View(row));
    }

    private static async Task<IResult> ConfirmAsync(long id, HttpContext http, SignalDesk desk, CurrentStaff staff, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<ConfirmRequest>(http.Request, ct);
        return read.Problem ?? Answer(await desk.ConfirmAsync(await staff.ScopeAsync(ct), staff.Actor, id, read.Value, ct), id);
    }

    private static async Task<IResult> DismissAsync(long id, HttpContext http, SignalDesk desk, CurrentStaff staff, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<DismissRequest>(http.Request, ct);
        return read.Problem ?? Answer(await desk.DismissAsync(await staff.ScopeAsync(ct), staff.Actor, id, read.Value, ct), id);
    }

    private static IResult Answer(SignalDesk.Outcome outcome, long id) =>
        outcome.NotFound ? Problem.NotFound("warnings.not_found", id)
        : outcome.Errors.Count > 0 ? Problem.Validation(outcome.Errors)
        : outcome.Conflict ? Problem.Create(StatusCodes.Status409Conflict, "signal-decided", "title.conflict", Messages.Text("warnings.already_decided", outcome.Signal!.Status))
        : Results.Ok(outcome.Signal);
}
