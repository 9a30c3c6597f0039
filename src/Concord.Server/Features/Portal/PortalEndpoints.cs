using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Workflow;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Matters;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Portal;

/// <summary>
/// The residents' door (平安键), as an API: no account, rate limited per client. A resident
/// submits a matter and gets a tracking code and a secret; with both they follow it (status,
/// the public timeline: unit names, no staff names, no internal notes, no personal data) and
/// give the verdict. A merged matter shows the surviving one, which every reporter follows.
/// </summary>
public static class PortalEndpoints
{
    public const long MaxBytes = 64 * 1024;
    public const string SecretHeader = "X-Tracking-Secret";

    /// <summary>Events a resident sees, and only these.</summary>
    private static readonly HashSet<string> PublicEvents =
        ["received", "dispatched", "redispatched", "accepted", "progress", "replied", "verdict", "reopened", "closed", "rejected", "merged", "repeat_complaint", "unmerged", "merge_undone"];

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/public/matters").WithTags("Residents")
            .AllowAnonymous().RequireRateLimiting(AccessSetup.PublicRateLimit);
        group.MapPost("/", SubmitAsync).WithSummary("Submit an appeal, dispute or hazard without an account; answers a tracking code and a secret");
        group.MapGet("/{trackingCode}", TrackAsync).WithSummary($"Follow a matter with its tracking code and secret (header {SecretHeader} or ?secret=)");
        group.MapPost("/{trackingCode}/verdict", VerdictAsync).WithSummary("The resident's verdict on the reply: satisfied, basically_satisfied or dissatisfied");
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, ConcordDb db, MatterIntake intake, CatalogStore catalog, TimeProvider clock, CancellationToken ct)
    {
        var body = await RequestBody.ReadJsonAsync(http.Request, MaxBytes, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        using var document = body.Document!;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Problem.Create(StatusCodes.Status400BadRequest, "malformed-json", "title.malformed_json", Messages.Text("detail.not_object"));
        }

        var (draft, errors) = IntakeRequestReader.Read(document.RootElement);
        // Residents come through the portal; information reports are for member units.
        draft = draft with { Channel = "portal" };
        if (draft.Kind == "report")
        {
            errors.Add(new("kind", "one_of", "report", "appeal, dispute, hazard"));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await intake.TakeInAsync(draft, actor: "resident", ct);
        errors.AddRange(outcome.Errors);
        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        var matter = outcome.Matter!;
        var secret = Tracking.NewSecret();
        matter.TrackingCode = Tracking.NewCode();
        matter.TrackingSecretHash = Tracking.Hash(secret);
        AuditLog.Append(db, new Actor("resident", http.Connection.RemoteIpAddress?.ToString() ?? "local"), "matter.created", "matter", matter.Code,
            new { matter.Kind, matter.Channel, matter.TerritoryCode, matter.CategoryCode, matter.LeadUnitCode, matter.Confidential }, matter.ReceivedAt);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Results.Json(new
        {
            trackingCode = matter.TrackingCode,
            secret,
            track = $"/api/v1/public/matters/{matter.TrackingCode}?secret={secret}",
            status = matter.Status,
            receivedAt = matter.ReceivedAt,
        }, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> TrackAsync(string trackingCode, HttpContext http, ConcordDb db, CatalogStore catalog, CancellationToken ct, string? secret = null)
    {
        secret ??= http.Request.Headers[SecretHeader].ToString();
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.TrackingCode == trackingCode, ct);
        // A wrong secret is answered exactly like an unknown code.
        if (matter is null || !Tracking.SecretMatches(secret, matter.TrackingSecretHash))
        {
            return Problem.NotFound("detail.matter_not_found", trackingCode);
        }

        // A merged matter's reporter follows the survivor: its status, reply and verdict request.
        var followed = await Duplicates.MatterReporters.SurvivorOfAsync(db, matter, ct);

        var snapshot = catalog.Current;
        var events = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId == followed.Id && PublicEvents.Contains(e.Type)).OrderBy(e => e.Id).ToListAsync(ct);
        return Results.Ok(new
        {
            trackingCode,
            mergedIntoAnother = followed.Id != matter.Id,
            status = followed.Status,
            kind = followed.Kind,
            title = matter.Title,
            category = Views.Category(followed.CategoryCode, snapshot)?.Name,
            place = snapshot.Tree.AncestorAt(followed.TerritoryCode, Concord.Domain.Territories.TerritoryLevel.Township)?.Name
                ?? snapshot.Tree.Find(followed.TerritoryCode)?.Name,
            leadUnit = Views.UnitOf(followed.LeadUnitCode, snapshot)?.Name,
            receivedAt = matter.ReceivedAt,
            replyDueAt = followed.ReplyDueAt,
            repliedAt = followed.RepliedAt,
            reply = followed.ReplyText,
            canGiveVerdict = followed.Status == MatterStatus.Replied.ToWire(),
            timeline = events.Select(e => new { type = e.Type, at = e.At, unit = UnitOfEvent(e, snapshot) }),
        });
    }

    /// <summary>The unit an event names (for dispatches), never the staff member who acted.</summary>
    private static string? UnitOfEvent(MatterEventRow e, CatalogSnapshot snapshot)
    {
        if (e.Type is not ("dispatched" or "redispatched" or "reopened"))
        {
            return null;
        }

        using var data = JsonDocument.Parse(e.Data);
        return data.RootElement.TryGetProperty("leadUnit", out var unit) && unit.ValueKind == JsonValueKind.String
            ? Views.UnitOf(unit.GetString(), snapshot)?.Name
            : null;
    }

    private static async Task<IResult> VerdictAsync(string trackingCode, HttpContext http, MatterHandling handling, CancellationToken ct)
    {
        var read = await RequestBody.ReadJsonAsync(http.Request, 16 * 1024, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var document = read.Document!;
        var root = document.RootElement;
        var secret = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : http.Request.Headers[SecretHeader].ToString();
        var outcome = await handling.ApplyAsResidentAsync(trackingCode, secret, new HandlingStep(MatterAction.Verdict, root.Clone()), ct);
        return outcome.Problem ?? Results.Ok(new { status = outcome.Matter!.Status });
    }
}
