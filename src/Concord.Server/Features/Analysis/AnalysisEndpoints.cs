using Concord.Server.Access;
using Concord.Server.Http;
using Concord.Server.Problems;

namespace Concord.Server.Features.Analysis;

/// <summary>Analysis sessions (研判): record a session with its decisions, each an assignment with an owner unit and a deadline.</summary>
public static class AnalysisEndpoints
{
    public static IServiceCollection AddAnalysis(this IServiceCollection services) => services.AddScoped<AnalysisSessions>();

    public static IEndpointRouteBuilder MapAnalysis(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/analysis/sessions").WithTags("Analysis sessions");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("Analysis sessions, latest first");
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Permissions.WarningsRead).WithSummary("One session with its decisions and their assignment letters");
        group.MapPost("/", CreateAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Record a session (instant, periodic, special_topic, emergency); each decision becomes an assignment letter with its deadline");
        group.MapPost("/{id:long}/decisions", DecideAsync).RequireAuthorization(Permissions.WarningsManage).WithSummary("Add a decision to a session: an assignment letter to the owner unit, due on the date given");
        return app;
    }

    private static async Task<IResult> ListAsync(AnalysisSessions sessions, CancellationToken ct, int? limit = null) =>
        Results.Ok((await sessions.ListAsync(limit ?? 100, ct)).Select(sessions.View));

    private static async Task<IResult> GetAsync(long id, AnalysisSessions sessions, CancellationToken ct) =>
        await sessions.FindAsync(id, ct) is { } row ? Results.Ok(sessions.View(row)) : Problem.NotFound("sessions.not_found", id);

    private static async Task<IResult> CreateAsync(HttpContext http, AnalysisSessions sessions, CurrentStaff staff, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<SessionRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var outcome = await sessions.CreateAsync(await staff.ScopeAsync(ct), staff.Actor, read.Value, ct);
        return outcome.Errors.Count > 0 ? Problem.Validation(outcome.Errors) : Results.Created($"/api/v1/analysis/sessions/{outcome.Session!.Id}", outcome.Session);
    }

    private static async Task<IResult> DecideAsync(long id, HttpContext http, AnalysisSessions sessions, CurrentStaff staff, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<DecisionRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var outcome = await sessions.AddDecisionAsync(staff.Actor, id, read.Value, ct);
        return outcome.NotFound ? Problem.NotFound("sessions.not_found", id)
            : outcome.Errors.Count > 0 ? Problem.Validation(outcome.Errors)
            : Results.Ok(outcome.Session);
    }
}
