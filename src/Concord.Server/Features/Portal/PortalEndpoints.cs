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

    public static IServiceCollection AddPortal(this IServiceCollection services) => services.AddScoped<PortalSubmissions>();

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/public/matters").WithTags("Residents")
            .AllowAnonymous().RequireRateLimiting(AccessSetup.PublicRateLimit);
        group.MapPost("/", SubmitAsync).DisableAntiforgery()
            .WithSummary("Submit an appeal, dispute or hazard without an account (JSON, or multipart/form-data with the JSON in 'matter' and up to 6 'photos'); answers a tracking code and a secret");
        group.MapGet("/{trackingCode}", TrackAsync).WithSummary($"Follow a matter with its tracking code and secret (header {SecretHeader} or ?secret=)");
        group.MapGet("/{trackingCode}/photos/{ordinal:int}", (string trackingCode, int ordinal, HttpContext http, ConcordDb db, CancellationToken ct, string? secret) =>
            ResidentPhotoAsync(trackingCode, ordinal, false, http, db, ct, secret)).WithSummary("A photo the resident attached, with the tracking code and secret");
        group.MapGet("/{trackingCode}/photos/{ordinal:int}/thumbnail", (string trackingCode, int ordinal, HttpContext http, ConcordDb db, CancellationToken ct, string? secret) =>
            ResidentPhotoAsync(trackingCode, ordinal, true, http, db, ct, secret)).WithSummary("The photo's thumbnail (JPEG, 320 px)");
        group.MapPost("/{trackingCode}/verdict", VerdictAsync).WithSummary("The resident's verdict on the reply: satisfied, basically_satisfied or dissatisfied");

        app.MapGet("/api/v1/matters/{code}/photos/{ordinal:int}", StaffPhotoAsync).WithTags("Matters")
            .RequireAuthorization(Permissions.MattersRead)
            .WithSummary("A photo attached at the residents' door (cleaned of metadata), for staff who may read the matter");
        PortalFigures.Map(app);
        PortalMap.Map(app);
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, PortalSubmissions submissions, CancellationToken ct)
    {
        JsonElement root;
        var uploads = new List<UploadedPhoto>();
        if (http.Request.HasFormContentType)
        {
            // Photos come as multipart/form-data; the matter itself is the same JSON, in the 'matter' field.
            if (http.Request.ContentLength is { } length && length > submissions.Limits.MaxTotalBytes + MaxBytes)
            {
                return Problem.Create(StatusCodes.Status413PayloadTooLarge, "too-large", "title.too_large", Messages.Text("portal.photos_too_large_total", submissions.Limits.MaxTotalBytes / (1024 * 1024)));
            }

            var form = await http.Request.ReadFormAsync(ct);
            try
            {
                using var parsed = JsonDocument.Parse(form["matter"].ToString());
                root = parsed.RootElement.Clone();
            }
            catch (JsonException e)
            {
                return Problem.MalformedJson(e.LineNumber ?? 0, e.BytePositionInLine ?? 0, e.Message);
            }

            foreach (var file in form.Files.Where(f => f.Name == "photos" && f.Length > 0))
            {
                uploads.Add(new UploadedPhoto(file.FileName, await ReadAllAsync(file, submissions.Limits.MaxBytesPerPhoto + 1, ct)));
            }
        }
        else
        {
            var body = await RequestBody.ReadJsonAsync(http.Request, MaxBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            using var document = body.Document!;
            root = document.RootElement.Clone();
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Problem.Create(StatusCodes.Status400BadRequest, "malformed-json", "title.malformed_json", Messages.Text("detail.not_object"));
        }

        var (draft, errors) = IntakeRequestReader.Read(root);
        // Residents come through the portal; information reports are for member units.
        draft = draft with { Channel = "portal" };
        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        var outcome = await submissions.SubmitAsync(draft, uploads, submissions.ClientHash(http), new Actor("resident", http.Connection.RemoteIpAddress?.ToString() ?? "local"), ct);
        if (outcome.Errors.Count > 0)
        {
            return Problem.Validation(outcome.Errors);
        }

        var matter = outcome.Matter!;
        return Results.Json(new
        {
            trackingCode = matter.TrackingCode,
            secret = outcome.Secret,
            track = $"/api/v1/public/matters/{matter.TrackingCode}?secret={outcome.Secret}",
            page = $"/portal/track?code={matter.TrackingCode}&secret={outcome.Secret}",
            status = matter.Status,
            receivedAt = matter.ReceivedAt,
        }, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Reads at most <paramref name="max"/> bytes: a larger file is refused by its length, not read whole.</summary>
    public static async Task<byte[]> ReadAllAsync(IFormFile file, long max, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length >= max)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    private static async Task<IResult> ResidentPhotoAsync(string trackingCode, int ordinal, bool thumbnail, HttpContext http, ConcordDb db, CancellationToken ct, string? secret)
    {
        secret ??= http.Request.Headers[SecretHeader].ToString();
        var matter = await db.Matters.AsNoTracking().Where(m => m.TrackingCode == trackingCode).Select(m => new { m.Id, m.TrackingSecretHash }).SingleOrDefaultAsync(ct);
        if (matter is null || !Tracking.SecretMatches(secret, matter.TrackingSecretHash))
        {
            return Problem.NotFound("detail.matter_not_found", trackingCode);
        }

        return await PhotoAsync(db, matter.Id, ordinal, thumbnail, trackingCode, ct);
    }

    private static async Task<IResult> StaffPhotoAsync(string code, int ordinal, ConcordDb db, CurrentStaff staff, CancellationToken ct, bool thumbnail = false)
    {
        var scope = await staff.ScopeAsync(ct);
        var matter = await scope.Apply(db.Matters.AsNoTracking()).Where(m => m.Code == code).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct);
        return matter is { } id ? await PhotoAsync(db, id, ordinal, thumbnail, code, ct) : Problem.NotFound("detail.matter_not_found", code);
    }

    private static async Task<IResult> PhotoAsync(ConcordDb db, long matterId, int ordinal, bool thumbnail, string code, CancellationToken ct)
    {
        var photo = await db.Set<PortalAttachmentRow>().AsNoTracking().SingleOrDefaultAsync(p => p.MatterId == matterId && p.Ordinal == ordinal, ct);
        if (photo is null)
        {
            return Problem.NotFound("portal.photo_not_found", code, ordinal);
        }

        return thumbnail ? Results.File(photo.Thumbnail, "image/jpeg") : Results.File(photo.Bytes, photo.ContentType);
    }

    private static async Task<IResult> TrackAsync(string trackingCode, HttpContext http, ConcordDb db, CatalogStore catalog, CancellationToken ct, string? secret = null)
    {
        secret ??= http.Request.Headers[SecretHeader].ToString();
        var view = await PortalTracking.ReadAsync(db, catalog, trackingCode, secret, ct);
        return view is null ? Problem.NotFound("detail.matter_not_found", trackingCode) : Results.Ok(view);
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
