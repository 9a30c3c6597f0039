using System.Globalization;
using System.Text;
using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Server.Data;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Audit;

public static class AuditEndpoints
{
    /// <summary>The authorization policy of every audit route (auditor role); defined with authentication.</summary>
    public const string Policy = "audit";

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The sealer and verifier (scoped, over the request's <see cref="ConcordDb"/>) and the background sealing.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddScoped<AuditSealer>();
        services.AddScoped<AuditVerifier>();
        services.AddHostedService<AuditSealingService>();
        return services;
    }

    /// <param name="app">The routes.</param>
    /// <param name="policy">The authorization policy every audit route requires (<see cref="Policy"/> unless named otherwise).</param>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app, string policy = Policy)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(policy);

        group.MapGet("/verify", async (AuditSealer sealer, AuditVerifier verifier, CancellationToken ct) =>
        {
            await sealer.SealPendingAsync(ct);
            return Results.Ok(await verifier.VerifyAsync(ct));
        })
            .WithSummary("Seal pending entries, then check the whole hash chain; 200 with the report whether intact or not")
            .Produces<AuditReport>();

        group.MapGet("/", ListAsync)
            .WithSummary("Audit entries, newest first, with keyset pagination; filters by target, actor and action")
            .Produces<AuditPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    private static async Task<IResult> ListAsync(
        ConcordDb db, CancellationToken ct,
        string? targetType = null, string? targetId = null, string? actor = null, string? action = null,
        string? cursor = null, int? limit = null)
    {
        var errors = new List<FieldError>();
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(targetType))
        {
            query = query.Where(e => e.TargetType == targetType);
        }

        if (!string.IsNullOrEmpty(targetId))
        {
            query = query.Where(e => e.TargetId == targetId);
        }

        if (!string.IsNullOrEmpty(actor))
        {
            query = query.Where(e => e.Actor == actor);
        }

        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(e => e.Action == action);
        }

        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            errors.Add(new("limit", "limit_range", MaxPageSize));
        }

        if (cursor is not null)
        {
            if (AuditCursor.TryDecode(cursor, out var beforeId))
            {
                query = query.Where(e => e.Id < beforeId);
            }
            else
            {
                errors.Add(new("cursor", "bad_filter", cursor));
            }
        }

        if (errors.Count > 0)
        {
            return Problem.BadRequest(errors);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(size + 1).ToListAsync(ct);
        var page = rows.Take(size).ToList();
        var next = rows.Count > size ? AuditCursor.Encode(page[^1].Id) : null;
        return Results.Ok(new AuditPage(page.Select(AuditEntryView.From).ToList(), next));
    }
}

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, string? NextCursor);

/// <summary>One audit entry as served; <c>details</c> is the stored JSON object (a string if it is not valid JSON).</summary>
public sealed record AuditEntryView(
    long Id, DateTime At, string Actor, string Action, string? TargetType, string? TargetId, string? Source,
    JsonElement Details, long? ChainSeq, string? PreviousHash, string? Hash)
{
    public static AuditEntryView From(AuditEntryRow row) =>
        new(row.Id, row.At, row.Actor, row.Action, row.TargetType, row.TargetId, row.Source, ParseDetails(row.Details), row.ChainSeq, row.PreviousHash, row.Hash);

    private static JsonElement ParseDetails(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(details);
        }
    }
}

/// <summary>An opaque keyset cursor over audit entries: the last Id served.</summary>
public static class AuditCursor
{
    public static string Encode(long id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"a{id.ToString(CultureInfo.InvariantCulture)}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out long id)
    {
        id = 0;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var plain = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            return plain.StartsWith('a') && long.TryParse(plain.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
