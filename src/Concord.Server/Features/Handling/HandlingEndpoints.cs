using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Workflow;
using Concord.Server.Access;
using Concord.Server.Access.PersonalData;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Handling;

/// <summary>
/// The handling API: one POST per step (<c>/api/v1/matters/{code}/dispatch</c>, <c>accept</c>, …),
/// with <c>If-Match</c> carrying the ETag of the version the caller saw; the queues of the
/// dispatcher and of a unit, with traffic lights.
/// </summary>
public static class HandlingEndpoints
{
    public static readonly IReadOnlyDictionary<string, MatterAction> Steps = new Dictionary<string, MatterAction>
    {
        ["dispatch"] = MatterAction.Dispatch,
        ["redispatch"] = MatterAction.Redispatch,
        ["on-site"] = MatterAction.DetermineOnSite,
        ["accept"] = MatterAction.Accept,
        ["progress"] = MatterAction.Progress,
        ["return"] = MatterAction.Return,
        ["extension"] = MatterAction.RequestExtension,
        ["extension-decision"] = MatterAction.DecideExtension,
        ["reply"] = MatterAction.Reply,
        ["verdict"] = MatterAction.Verdict,
        ["reopen"] = MatterAction.Reopen,
        ["merge"] = MatterAction.Merge,
        ["reject"] = MatterAction.Reject,
        ["unmerge"] = MatterAction.Unmerge,
    };

    public static IServiceCollection AddHandling(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var zone = sp.GetRequiredService<LocalCalendar>().Zone;
            return new Concord.Domain.Calendar.WorkingCalendar(Concord.Domain.Calendar.OfficialHolidays.Table, timeZone: zone);
        });
        services.AddSingleton<Deadlines>();
        services.AddScoped<MatterHandling>();
        services.AddScoped<Letters.LetterService>();
        services.AddScoped<DeadlineSweep>();
        services.AddHostedService<DeadlineSweepService>();
        return services;
    }

    public static IEndpointRouteBuilder MapHandling(this IEndpointRouteBuilder app)
    {
        var matters = app.MapGroup("/api/v1/matters").WithTags("Handling");
        foreach (var (path, action) in Steps)
        {
            matters.MapPost($"/{{code}}/{path}", (string code, HttpContext http, MatterHandling handling, CatalogStore catalog, MatterPersonalData personalData, Deadlines deadlines, TimeProvider clock, CancellationToken ct) =>
                    StepAsync(code, action, http, handling, catalog, personalData, deadlines, clock, ct))
                .RequireAuthorization(Permissions.MattersHandle)
                .WithSummary($"Handling step: {path}; send If-Match with the ETag you saw (a stale version answers 412, an illegal step 409)");
        }

        app.MapGet("/api/v1/units/{unitCode}/queue", UnitQueueAsync).WithTags("Handling")
            .RequireAuthorization(Permissions.MattersRead)
            .WithSummary("A unit's open matters (我的待办), most urgent first, with traffic lights");
        app.MapGet("/api/v1/dispatch/queue", DispatchQueueAsync).WithTags("Handling")
            .RequireAuthorization(Permissions.MattersDispatch)
            .WithSummary("The dispatcher's queue: new, returned, in review, extension requests, unmatched places");
        return app;
    }

    private static async Task<IResult> StepAsync(string code, MatterAction action, HttpContext http, MatterHandling handling, CatalogStore catalog, MatterPersonalData personalData, Deadlines deadlines, TimeProvider clock, CancellationToken ct)
    {
        JsonElement body = default;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.ContentType.Count > 0)
        {
            var read = await RequestBody.ReadJsonAsync(http.Request, 64 * 1024, ct);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            using var document = read.Document!;
            body = document.RootElement.Clone();
        }

        int? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (!TryParseETag(ifMatch, out var version))
            {
                return Problem.BadRequest([new FieldError("If-Match", "bad_filter", ifMatch)]);
            }

            expected = version;
        }

        var outcome = await handling.ApplyAsync(code, new HandlingStep(action, body), expected, ct);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        http.Response.Headers.ETag = ETag(outcome.Matter!.Version);
        return Results.Ok(await ViewAsync(outcome.Matter, handling, catalog, personalData, deadlines, clock, http.RequestServices.GetRequiredService<ConcordDb>(), ct));
    }

    public static string ETag(int version) => $"\"{version}\"";

    public static bool TryParseETag(string header, out int version)
    {
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        return int.TryParse(text.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version);
    }

    public static async Task<MatterView> ViewAsync(MatterRow matter, MatterHandling handling, CatalogStore catalog, MatterPersonalData personalData, Deadlines deadlines, TimeProvider clock, ConcordDb db, CancellationToken ct)
    {
        var events = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId == matter.Id).ToListAsync(ct);
        var mergedInto = matter.MergedIntoId is { } id ? await db.Matters.Where(m => m.Id == id).Select(m => m.Code).SingleOrDefaultAsync(ct) : null;
        return Views.Matter(matter, catalog.Current, events, personalData) with { Handling = Handling(matter, handling, deadlines, clock.GetUtcNow(), mergedInto) };
    }

    public static HandlingView Handling(MatterRow m, MatterHandling handling, Deadlines deadlines, DateTimeOffset now, string? mergedInto)
    {
        WireNames.TryParseStatus(m.Status, out var status);
        var (start, due) = status switch
        {
            MatterStatus.Dispatched => (m.DispatchedAt, m.AcceptDueAt),
            MatterStatus.Accepted or MatterStatus.InProgress => (m.DispatchedAt, m.ReplyDueAt),
            _ => ((DateTime?)null, (DateTime?)null),
        };
        var light = start is { } s && due is { } d ? Deadlines.LightName(deadlines.LightOf(s, d, now)) : null;
        // A deadline that runs into a year without an official holiday notice counted weekends only: say so.
        var unknownYears = m.DispatchedAt is { } from && m.ReplyDueAt is { } to
            ? deadlines.Calendar.CoverageOf(new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero)).UnknownYears
            : [];
        return new HandlingView(m.DispatchedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, light, m.ReplyText, m.Verdict,
            m.ExtensionRequestedUntil, mergedInto, m.Items, $"1:{Math.Max(m.Items, 1)}",
            handling.AvailableTo(m).Select(a => Steps.First(kv => kv.Value == a).Key).ToList(), unknownYears);
    }

    private static async Task<IResult> UnitQueueAsync(string unitCode, string? after, int? size, HttpContext http, CurrentStaff staff, CatalogStore catalog, Situation.StaffQueues queues, CancellationToken ct)
    {
        // A unit's queue is for its own staff and for the center.
        var scope = await staff.ScopeAsync(ct);
        if (!catalog.Current.Units.ContainsKey(unitCode) || (staff.UnitCode != unitCode && !scope.Everything))
        {
            return Problem.NotFound("detail.unit_not_found", unitCode);
        }

        // Queues: ordered, paged and counted in the database (Situation/StaffQueues).
        if (Situation.StaffQueues.Size(size, Situation.StaffQueues.MaxUnitSize) is not { } take)
        {
            return Problem.BadRequest([new FieldError("size", "bad_filter", http.Request.Query["size"].ToString())]);
        }

        if (await queues.UnitQueueAsync(unitCode, after, take, ct) is not { } page)
        {
            return Problem.BadRequest([new FieldError("after", "bad_filter", after!)]);
        }

        var c = page.Counts;
        return Results.Ok(new
        {
            unit = Views.UnitOf(unitCode, catalog.Current),
            asOf = page.AsOf,
            counts = new { total = c.Total, red = c.Red, yellow = c.Yellow, green = c.Green, dispatched = c.Dispatched, accepted = c.Accepted, inProgress = c.InProgress },
            items = page.Items.Select(i => new { matter = i.Matter, status = i.Status, due = i.Due, light = i.Light, extensionRequested = i.ExtensionRequested }),
            next = page.Next,
        });
    }

    private static async Task<IResult> DispatchQueueAsync(string? after, int? size, HttpContext http, CurrentStaff staff, CatalogStore catalog, Situation.StaffQueues queues, Suggestions.SuggestionStore suggestions, ConcordDb db, CancellationToken ct)
    {
        // Queues: filtered by the stored "waiting for the center" flag, oldest first, paged in the database.
        if (Situation.StaffQueues.Size(size, Situation.StaffQueues.MaxDispatchSize) is not { } take)
        {
            return Problem.BadRequest([new FieldError("size", "bad_filter", http.Request.Query["size"].ToString())]);
        }

        if (await queues.DispatchQueueAsync(await staff.ScopeAsync(ct), after, take, ct) is not { } page)
        {
            return Problem.BadRequest([new FieldError("after", "bad_filter", after!)]);
        }

        // The body stays an array (as before paging); the next page and the whole queue's size ride in headers.
        http.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (page.Next is { } next)
        {
            http.Response.Headers.Link = $"</api/v1/dispatch/queue?after={next}&size={take}>; rel=\"next\"";
            http.Response.Headers["X-Next-Cursor"] = next;
        }

        // 智能分拨 (Features/Suggestions): the model learns the decisions made since the last request first.
        await suggestions.CatchUpAsync(ct);
        // Portal: spam-like repeats grouped for the dispatcher (never dropped); for the page's rows only.
        var repeats = await Portal.PortalSubmissions.RepeatGroupsAsync(db, page.Items.Select(i => i.Stored.Id).ToList(), ct);
        return Results.Ok(page.Items.Select(i => new
        {
            matter = i.Matter,
            status = i.Stored.Status,
            why = i.Why,
            suggestedLead = Views.UnitOf(i.Stored.LeadUnitCode, catalog.Current),
            extensionRequestedUntil = i.Stored.ExtensionRequestedUntil,
            suggestions = Suggestions.SuggestionEndpoints.View(i.Stored, suggestions, catalog.Current),
            repeatGroup = repeats.GetValueOrDefault(i.Stored.Id),
        }));
    }
}
