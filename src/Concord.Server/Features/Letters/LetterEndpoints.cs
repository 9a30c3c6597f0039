using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Matters;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Letters;

public sealed record LetterRequest(string? Kind, string? Addressee, string[]? Matters, string? Title, string? Body, int? ReplyInWorkingDays);

public sealed record LetterReplyRequest(string? Text);

/// <summary>Letters: what was sent to my unit (or, for the center, to anyone), acknowledgment and reply, the DOCX, and issuing warning and assignment letters.</summary>
public static class LetterEndpoints
{
    public static IEndpointRouteBuilder MapLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/letters").WithTags("Letters");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.LettersRead).WithSummary("Letters to my unit (the center sees all), newest first");
        group.MapGet("/{number}", GetAsync).RequireAuthorization(Permissions.LettersRead).WithSummary("One letter with the matters it concerns");
        group.MapGet("/{number}/docx", DocxAsync).RequireAuthorization(Permissions.LettersRead).WithSummary("The letter as DOCX in the official document layout (GB/T 9704)");
        group.MapPost("/{number}/acknowledge", AcknowledgeAsync).RequireAuthorization(Permissions.MattersHandle).WithSummary("The addressee acknowledges receipt (签收)");
        group.MapPost("/{number}/reply", ReplyAsync).RequireAuthorization(Permissions.MattersHandle).WithSummary("The addressee replies; an unanswered letter escalates to its superior after the reply deadline");
        group.MapPost("/", IssueAsync).RequireAuthorization(Permissions.LettersIssue).WithSummary("Issue a warning (analysts) or assignment (dispatchers) letter");
        return app;
    }

    private static async Task<bool> VisibleAsync(LetterRow letter, CurrentStaff staff, CancellationToken ct) =>
        letter.AddresseeUnitCode == staff.UnitCode || (await staff.ScopeAsync(ct)).Everything;

    private static async Task<IResult> ListAsync(ConcordDb db, CurrentStaff staff, CatalogStore catalog, CancellationToken ct, string? kind = null, int? limit = null)
    {
        var scope = await staff.ScopeAsync(ct);
        var query = db.Letters.AsNoTracking();
        if (!scope.Everything)
        {
            query = query.Where(l => l.AddresseeUnitCode == staff.UnitCode);
        }

        if (kind is not null)
        {
            query = query.Where(l => l.Kind == kind);
        }

        var rows = await query.OrderByDescending(l => l.IssuedAt).ThenByDescending(l => l.Id).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(ct);
        return Results.Ok(rows.Select(l => Summary(l, catalog.Current)));
    }

    private static object Summary(LetterRow l, CatalogSnapshot catalog) => new
    {
        l.Number, l.Kind, l.Title,
        issuer = Views.UnitOf(l.IssuerUnitCode, catalog),
        addressee = Views.UnitOf(l.AddresseeUnitCode, catalog),
        l.IssuedAt, l.ReplyDueAt, l.AcknowledgedAt, l.RepliedAt,
        escalated = l.EscalatedToId is > 0,
        docx = $"/api/v1/letters/{Uri.EscapeDataString(l.Number)}/docx",
    };

    private static async Task<IResult> GetAsync(string number, ConcordDb db, CurrentStaff staff, CatalogStore catalog, CancellationToken ct)
    {
        var letter = await db.Letters.AsNoTracking().Include(l => l.Matters).SingleOrDefaultAsync(l => l.Number == number, ct);
        if (letter is null || !await VisibleAsync(letter, staff, ct))
        {
            return Problem.NotFound("detail.letter_not_found", number);
        }

        var ids = letter.Matters.Select(m => m.MatterId).ToList();
        var matters = await db.Matters.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(ct);
        return Results.Ok(new { letter = Summary(letter, catalog.Current), body = letter.Body, replyText = letter.ReplyText, matters = matters.Select(m => Views.Summary(m, catalog.Current)) });
    }

    private static async Task<IResult> DocxAsync(string number, ConcordDb db, CurrentStaff staff, CatalogStore catalog, Deadlines deadlines, CancellationToken ct)
    {
        var letter = await db.Letters.AsNoTracking().Include(l => l.Matters).SingleOrDefaultAsync(l => l.Number == number, ct);
        if (letter is null || !await VisibleAsync(letter, staff, ct))
        {
            return Problem.NotFound("detail.letter_not_found", number);
        }

        var ids = letter.Matters.Select(m => m.MatterId).ToList();
        var matters = await db.Matters.AsNoTracking().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(ct);
        var units = catalog.Current.Units;
        var content = new Documents.LetterContent(
            units.TryGetValue(letter.IssuerUnitCode, out var issuer) ? issuer.Name : letter.IssuerUnitCode,
            letter.Number,
            letter.Title,
            units.TryGetValue(letter.AddresseeUnitCode, out var addressee) ? addressee.Name : letter.AddresseeUnitCode,
            letter.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            matters.Select(m => $"{m.Code} {m.Title}").ToList(),
            DateOnly.FromDateTime(deadlines.Local(letter.IssuedAt)),
            letter.ReplyDueAt is { } due ? DateOnly.FromDateTime(deadlines.Local(due)) : null,
            null);
        var bytes = Documents.LetterDocument.Render(content);
        return Results.File(bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", $"{letter.Number}.docx");
    }

    private static async Task<IResult> AcknowledgeAsync(string number, ConcordDb db, CurrentStaff staff, TimeProvider clock, CancellationToken ct) =>
        await AcknowledgeLetterAsync(number, db, staff, clock, ct) ?? Results.NoContent();

    /// <summary>签收 by the addressee (the API and the staff pages); null when done, else the refusal.</summary>
    public static async Task<IResult?> AcknowledgeLetterAsync(string number, ConcordDb db, CurrentStaff staff, TimeProvider clock, CancellationToken ct)
    {
        var letter = await db.Letters.SingleOrDefaultAsync(l => l.Number == number, ct);
        if (letter is null || !await VisibleAsync(letter, staff, ct))
        {
            return Problem.NotFound("detail.letter_not_found", number);
        }

        if (letter.AddresseeUnitCode != staff.UnitCode)
        {
            return Results.Forbid();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        letter.AcknowledgedAt ??= now;
        AuditLog.Append(db, staff.Actor, "letter.acknowledged", "letter", number, null, now);
        await db.SaveChangesAsync(ct);
        return null;
    }

    private static async Task<IResult> ReplyAsync(string number, HttpContext http, ConcordDb db, CurrentStaff staff, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<LetterReplyRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        return await ReplyLetterAsync(number, read.Value?.Text, db, staff, clock, ct) ?? Results.NoContent();
    }

    /// <summary>The addressee's reply (the API and the staff pages); null when done, else the refusal.</summary>
    public static async Task<IResult?> ReplyLetterAsync(string number, string? reply, ConcordDb db, CurrentStaff staff, TimeProvider clock, CancellationToken ct)
    {
        var letter = await db.Letters.SingleOrDefaultAsync(l => l.Number == number, ct);
        if (letter is null || !await VisibleAsync(letter, staff, ct))
        {
            return Problem.NotFound("detail.letter_not_found", number);
        }

        if (letter.AddresseeUnitCode != staff.UnitCode)
        {
            return Results.Forbid();
        }

        var text = reply?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Problem.Validation([new FieldError("text", "required")]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        letter.AcknowledgedAt ??= now;
        letter.RepliedAt ??= now;
        letter.ReplyText = text;
        AuditLog.Append(db, staff.Actor, "letter.replied", "letter", number, null, now);
        await db.SaveChangesAsync(ct);
        return null;
    }

    private static async Task<IResult> IssueAsync(HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, LetterService letters, Deadlines deadlines, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<LetterRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var request = read.Value;
        var errors = new List<FieldError>();
        LetterKinds.TryParse(request?.Kind, out var kind);
        // Warning letters are the analysts' (研判); assignment letters the dispatchers'. The sweep issues the others.
        var allowed = kind switch
        {
            LetterKind.Warning when request?.Kind is not null => staff.User.IsInRole(Roles.Analyst) || staff.User.IsInRole(Roles.Dispatcher),
            LetterKind.Assignment when request?.Kind is not null => staff.User.IsInRole(Roles.Dispatcher),
            _ => false,
        };
        if (!allowed)
        {
            errors.Add(new("kind", "one_of", request?.Kind ?? "", "warning, assignment"));
        }

        if (request?.Addressee is null || !catalog.Current.Units.ContainsKey(request.Addressee)) errors.Add(new("addressee", "unknown_unit", request?.Addressee ?? ""));
        if (string.IsNullOrWhiteSpace(request?.Title)) errors.Add(new("title", "required"));
        if (string.IsNullOrWhiteSpace(request?.Body)) errors.Add(new("body", "required"));
        var days = request?.ReplyInWorkingDays ?? 5;
        if (days is < 1 or > 60) errors.Add(new("replyInWorkingDays", "out_of_range", days, 1, 60));
        var codes = request?.Matters ?? [];
        var scope = await staff.ScopeAsync(ct);
        var matters = await scope.Apply(db.Matters).Where(m => codes.Contains(m.Code)).ToListAsync(ct);
        foreach (var missing in codes.Except(matters.Select(m => m.Code)))
        {
            errors.Add(new("matters", "bad_filter", missing));
        }

        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var letter = await letters.IssueAsync(kind, request!.Addressee!, matters, request.Title!.Trim(), request.Body!.Trim(),
            deadlines.Add(now, new Concord.Domain.Categories.WorkingSpan(days, Concord.Domain.Categories.WorkingSpanUnit.Days)).UtcDateTime, null, staff.Actor.Id, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Results.Created($"/api/v1/letters/{Uri.EscapeDataString(letter.Number)}", Summary(letter, catalog.Current));
    }
}
