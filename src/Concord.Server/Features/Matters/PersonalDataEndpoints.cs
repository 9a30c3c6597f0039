using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Matters;

public sealed record RevealRequest(string? Reason);

public sealed record CallerLookupRequest(string? Phone);

/// <summary>
/// Personal data on a need-to-know basis: revealing a matter's parties in clear is an explicit,
/// reasoned, audited action; "other matters from this caller" works through the keyed phone hash
/// and is audited too. Neither exists to follow a person: repeat appeals raise a matter's
/// priority, never a flag on the person.
/// </summary>
public static class PersonalDataEndpoints
{
    public const int MinReasonLength = 4;

    public static IEndpointRouteBuilder MapMatterPersonalData(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/matters").WithTags("Matters");
        group.MapPost("/{code}/personal-data/reveal", RevealAsync)
            .RequireAuthorization(Permissions.PersonalDataReveal)
            .WithSummary("Show a matter's reporter and parties in clear; needs a reason, and is audited");
        group.MapGet("/{code}/same-caller", SameCallerAsync)
            .RequireAuthorization(Permissions.CallerLookup)
            .WithSummary("Other matters in scope from the same phone number (keyed hash; the number itself is never stored in clear); audited");
        group.MapPost("/caller-lookup", CallerLookupAsync)
            .RequireAuthorization(Permissions.CallerLookup)
            .WithSummary("Matters in scope from a phone number the operator has in hand (sent in the body, never in the URL); audited");
        return app;
    }

    private static async Task<IResult> RevealAsync(string code, HttpContext http, ConcordDb db, CurrentStaff staff, MatterPersonalData personalData, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<RevealRequest>(http.Request, ct, 16 * 1024);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var revealed = await RevealPeopleAsync(code, read.Value?.Reason, db, staff, personalData, http.RequestServices.GetRequiredService<Mediation.MediationCases>(), clock, ct);
        return revealed.Problem ?? Results.Ok(revealed.Clear);
    }

    /// <summary>
    /// The reveal use case (the API and the matter page): a reason of a few characters, the matter in
    /// scope, the user's role or unit allowing it; audited whether shown or refused.
    /// </summary>
    public static async Task<(PersonalDataView? Clear, IResult? Problem)> RevealPeopleAsync(
        string code, string? reasonText, ConcordDb db, CurrentStaff staff, MatterPersonalData personalData, Mediation.MediationCases mediationCases, TimeProvider clock, CancellationToken ct)
    {
        var reason = reasonText?.Trim();
        if (reason is null || reason.Length < MinReasonLength)
        {
            return (null, Problem.Validation([new FieldError("reason", "reason_required", MinReasonLength)]));
        }

        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code, ct);
        var scope = await staff.ScopeAsync(ct);
        if (matter is null || !scope.Covers(matter))
        {
            return (null, Problem.NotFound("detail.matter_not_found", code));
        }

        // A handler or unit head sees the people of the matters their unit handles, not every matter of their territory.
        var handlesIt = staff.UnitCode is { } unit && (matter.LeadUnitCode == unit || matter.AssistingUnitCodes.Split(',').Contains(unit));
        var centerRole = staff.User.IsInRole(Roles.Dispatcher) || staff.User.IsInRole(Roles.Mediator);
        // A confidential reporter (只让综治中心看到我的身份) is revealed to the center's dispatchers only.
        var allowed = matter.Confidential ? staff.User.IsInRole(Roles.Dispatcher) : centerRole || handlesIt;
        // Mediation: once a dispute is in mediation its parties are for the mediators of its organization and of the center only.
        if (await Mediation.MediationCases.MayRevealMatterAsync(db, matter, mediationCases, ct) is { } mediation)
        {
            allowed = allowed && mediation;
        }
        if (!allowed)
        {
            AuditLog.Append(db, staff.Actor, "personal-data.reveal-refused", "matter", code, new { reason }, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            return (null, Results.Forbid());
        }

        var clear = personalData.Reveal(matter);
        AuditLog.Append(db, staff.Actor, "personal-data.revealed", "matter", code, new { reason, parties = clear.Parties.Count, reporter = clear.Reporter is not null }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return (clear, null);
    }

    private static async Task<IResult> SameCallerAsync(string code, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, CancellationToken ct)
    {
        var scope = await staff.ScopeAsync(ct);
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code, ct);
        if (matter is null || !scope.Covers(matter))
        {
            return Problem.NotFound("detail.matter_not_found", code);
        }

        var others = matter.ReporterPhoneHash is null ? []
            : await scope.Apply(db.Matters.AsNoTracking())
                .Where(m => m.ReporterPhoneHash == matter.ReporterPhoneHash && m.Id != matter.Id)
                .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(100).ToListAsync(ct);
        AuditLog.Append(db, staff.Actor, "personal-data.caller-lookup", "matter", code, new { found = others.Count }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return Results.Ok(others.Select(m => Views.Summary(m, catalog.Current)));
    }

    private static async Task<IResult> CallerLookupAsync(HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, PersonalDataProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<CallerLookupRequest>(http.Request, ct, 16 * 1024);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var phone = read.Value?.Phone;
        var hash = protector.PhoneHash(phone);
        if (hash is null)
        {
            return Problem.Validation([new FieldError("phone", "bad_phone")]);
        }

        var scope = await staff.ScopeAsync(ct);
        var found = await scope.Apply(db.Matters.AsNoTracking()).Where(m => m.ReporterPhoneHash == hash)
            .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(100).ToListAsync(ct);
        AuditLog.Append(db, staff.Actor, "personal-data.caller-lookup", "phone-hash", hash[..12], new { found = found.Count }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return Results.Ok(found.Select(m => Views.Summary(m, catalog.Current)));
    }
}
