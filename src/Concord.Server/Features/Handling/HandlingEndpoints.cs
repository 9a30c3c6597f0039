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

    private static async Task<IResult> UnitQueueAsync(string unitCode, ConcordDb db, CurrentStaff staff, CatalogStore catalog, Deadlines deadlines, TimeProvider clock, CancellationToken ct)
    {
        // A unit's queue is for its own staff and for the center.
        var scope = await staff.ScopeAsync(ct);
        if (!catalog.Current.Units.ContainsKey(unitCode) || (staff.UnitCode != unitCode && !scope.Everything))
        {
            return Problem.NotFound("detail.unit_not_found", unitCode);
        }

        string[] open = [MatterStatus.Dispatched.ToWire(), MatterStatus.Accepted.ToWire(), MatterStatus.InProgress.ToWire()];
        var rows = await db.Matters.AsNoTracking().Where(m => m.LeadUnitCode == unitCode && open.Contains(m.Status)).Take(1000).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var items = rows.Select(m =>
        {
            var due = m.Status == "dispatched" ? m.AcceptDueAt : m.ReplyDueAt;
            var light = m.DispatchedAt is { } s && due is { } d ? deadlines.LightOf(s, d, now) : Concord.Domain.Calendar.TrafficLight.Green;
            return new { matter = Views.Summary(m, catalog.Current), status = m.Status, due, light = Deadlines.LightName(light), rank = (int)light, extensionRequested = m.ExtensionRequestedUntil is not null };
        })
        .OrderByDescending(x => x.rank).ThenBy(x => x.due)
        .ToList();
        return Results.Ok(new
        {
            unit = Views.UnitOf(unitCode, catalog.Current),
            counts = new { total = items.Count, red = items.Count(i => i.light == "red"), yellow = items.Count(i => i.light == "yellow"), green = items.Count(i => i.light == "green") },
            items = items.Select(i => new { i.matter, i.status, i.due, i.light, i.extensionRequested }),
        });
    }

    private static async Task<IResult> DispatchQueueAsync(ConcordDb db, CurrentStaff staff, CatalogStore catalog, Suggestions.SuggestionStore suggestions, CancellationToken ct)
    {
        var scope = await staff.ScopeAsync(ct);
        string[] waiting = [MatterStatus.Received.ToWire(), MatterStatus.Returned.ToWire(), MatterStatus.InReview.ToWire()];
        var rows = await scope.Apply(db.Matters.AsNoTracking())
            .Where(m => waiting.Contains(m.Status) || m.ExtensionRequestedUntil != null || (m.LocationUnmatched && m.Status == "received"))
            .OrderBy(m => m.ReceivedAt).Take(500).ToListAsync(ct);
        // 智能分拨 (Features/Suggestions): the model learns the decisions made since the last request first.
        await suggestions.CatchUpAsync(ct);
        // Portal: spam-like repeats grouped for the dispatcher (never dropped).
        var repeats = await Portal.PortalSubmissions.RepeatGroupsAsync(db, rows.Select(m => m.Id).ToList(), ct);
        return Results.Ok(rows.Select(m => new
        {
            matter = Views.Summary(m, catalog.Current),
            status = m.Status,
            why = m.ExtensionRequestedUntil is not null ? "extension_requested"
                : m.Status == "returned" ? "returned"
                : m.Status == "in_review" ? "in_review"
                : m.LocationUnmatched ? "location_unmatched"
                : m.CategoryCode is null ? "no_category"
                : "new",
            suggestedLead = Views.UnitOf(m.LeadUnitCode, catalog.Current),
            extensionRequestedUntil = m.ExtensionRequestedUntil,
            suggestions = Suggestions.SuggestionEndpoints.View(m, suggestions, catalog.Current),
            repeatGroup = repeats.GetValueOrDefault(m.Id),
        }));
    }
}
