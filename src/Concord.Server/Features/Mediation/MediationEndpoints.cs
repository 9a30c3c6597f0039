using System.Globalization;
using Concord.Domain.Matters;
using Concord.Domain.Mediation;
using Concord.Server.Access;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Mediation;

public sealed record OrganizationView(string Code, string Name, string Kind, string TerritoryCode, string? TerritoryName, IReadOnlyList<string> Specialties, int Capacity, int OpenCases, bool Synthetic);
public sealed record MediatorView(string Code, string Name, string OrganizationCode, IReadOnlyList<string> Specialties, IReadOnlyList<string> Languages, int OpenCases);
public sealed record ProviderView(string Code, string Name, string Kind, string TerritoryCode, string? TerritoryName);
public sealed record SuggestionView(string Organization, string Name, int Score, IReadOnlyList<string> Reasons);
public sealed record QueueCase(long Id, string MatterCode, string Title, string Status, bool HighRisk, bool FromCourt, DateTime? DueAt, string? Light, string? Organization, DateTime ReceivedAt);
public sealed record QueueSession(long CaseId, string MatterCode, long SessionId, DateTime ScheduledAt, string Place, string? PlaceDetail);
public sealed record QueueFollowUp(long CaseId, string MatterCode, long ObligationId, string Party, DateTime DueAt);
public sealed record QueueView(IReadOnlyList<QueueCase> Cases, IReadOnlyList<QueueSession> Sessions, IReadOnlyList<QueueFollowUp> FollowUps, IReadOnlyList<QueueCase> HighRisk);

/// <summary>
/// The mediation API under /api/v1/mediation (and opening a case on a dispute matter). Steps take
/// If-Match with the case's ETag where a concurrent change matters (assign, consent, outcomes, judicial).
/// </summary>
public static class MediationEndpoints
{
    public static IServiceCollection AddMediation(this IServiceCollection services)
    {
        services.AddScoped<MediationCases>();
        services.AddScoped<MediationFiguresQuery>();
        services.AddScoped<MediationDemo>();
        return services;
    }

    public static IEndpointRouteBuilder MapMediation(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/matters/{code}/mediation", async (string code, HttpContext http, MediationCases cases, CancellationToken ct) =>
        {
            var read = await RequestBody.ReadObjectAsync<OpenRequest>(http.Request, ct);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            var outcome = await cases.OpenAsync(code, read.Value ?? new OpenRequest(null, null, null, null), ct);
            return outcome.Problem ?? Results.Created($"/api/v1/mediation/cases/{outcome.Value!.Id}", await ViewAsync(cases, outcome.Value.Id, ct));
        }).RequireAuthorization(Permissions.MediationManage).WithTags("Mediation")
          .WithSummary("Open the mediation case of a dispute matter (a court diversion needs courtName and courtReference; deadline 30 days unless courtDeadline)");

        var group = app.MapGroup("/api/v1/mediation").WithTags("Mediation");
        group.MapGet("/directory/organizations", async (string? territory, string? kind, string? specialty, ConcordDb db, MediationCases cases, CatalogStore catalog, CancellationToken ct) =>
        {
            var (loads, _) = await cases.LoadsAsync(ct);
            var query = db.Set<MediationOrganizationRow>().AsNoTracking();
            if (territory is not null)
            {
                query = query.Where(o => o.TerritoryCode == territory || o.TerritoryCode.StartsWith(territory));
            }

            if (kind is not null)
            {
                query = query.Where(o => o.Kind == kind);
            }

            var rows = await query.OrderBy(o => o.TerritoryCode).ThenBy(o => o.Code).Take(2000).ToListAsync(ct);
            return Results.Ok(rows.Where(o => specialty is null || MediationCases.Split(o.Specialties).Contains(specialty))
                .Select(o => Organization(o, loads.GetValueOrDefault(o.Code), catalog)));
        }).RequireAuthorization(Permissions.MediationRead).WithSummary("Mediation organizations with their current open cases (load) and capacity");

        group.MapGet("/directory/mediators", async (string? organization, ConcordDb db, MediationCases cases, CancellationToken ct) =>
        {
            var (_, loads) = await cases.LoadsAsync(ct);
            var query = db.Set<MediatorRow>().AsNoTracking();
            if (organization is not null)
            {
                query = query.Where(m => m.OrganizationCode == organization);
            }

            var rows = await query.OrderBy(m => m.OrganizationCode).ThenBy(m => m.Code).Take(2000).ToListAsync(ct);
            return Results.Ok(rows.Select(m => Mediator(m, loads.GetValueOrDefault(m.Code))));
        }).RequireAuthorization(Permissions.MediationRead).WithSummary("Mediators: specialties, languages and current load (open cases); no profile");

        group.MapGet("/directory/providers", async (string? kind, ConcordDb db, CatalogStore catalog, CancellationToken ct) =>
        {
            var query = db.Set<ReferralProviderRow>().AsNoTracking();
            if (kind is not null)
            {
                query = query.Where(p => p.Kind == kind);
            }

            return Results.Ok((await query.OrderBy(p => p.TerritoryCode).ThenBy(p => p.Code).ToListAsync(ct))
                .Select(p => new ProviderView(p.Code, p.Name, p.Kind, p.TerritoryCode, catalog.Current.Tree.Find(p.TerritoryCode)?.Name)));
        }).RequireAuthorization(Permissions.MediationRead).WithSummary("Referral targets: psychological services, legal aid, public legal service");

        group.MapPost("/directory/import", async (HttpContext http, ConcordDb db, CatalogStore catalog, CurrentStaff staff, TimeProvider clock, CancellationToken ct) =>
        {
            const string xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            var contentType = http.Request.ContentType ?? "";
            List<DirectoryRecord> records;
            List<FieldError> errors;
            if (contentType.StartsWith(xlsx, StringComparison.OrdinalIgnoreCase))
            {
                using var buffer = new MemoryStream();
                await http.Request.Body.CopyToAsync(buffer, ct);
                if (buffer.Length > 8 * 1024 * 1024)
                {
                    return Problem.TooLarge(8 * 1024 * 1024);
                }

                buffer.Position = 0;
                (records, errors) = MediationDirectory.ReadXlsx(buffer);
            }
            else
            {
                if (RequestBody.CheckContentType(http.Request, "text/csv", xlsx) is { } wrong)
                {
                    return wrong;
                }

                var text = await RequestBody.ReadTextAsync(http.Request, 8 * 1024 * 1024, ct);
                if (text.Problem is not null)
                {
                    return text.Problem;
                }

                (records, errors) = MediationDirectory.ReadCsv(new StringReader(text.Text!));
            }

            if (errors.Count > 0)
            {
                return Problem.ImportRejected(errors);
            }

            var result = await MediationDirectory.ImportAsync(db, catalog, records, synthetic: false, staff.Actor, clock.GetUtcNow().UtcDateTime, ct);
            return result.Errors.Count > 0 ? Problem.ImportRejected(result.Errors)
                : Results.Ok(new { organizations = result.Organizations, mediators = result.Mediators, providers = result.Providers });
        }).RequireAuthorization(Permissions.MediationDirectoryImport)
          .WithSummary($"Import organizations, mediators and providers from CSV (text/csv) or XLSX; columns: {MediationDirectory.Header}; the whole file is checked first");

        group.MapGet("/queue", async (MediationCases cases, CancellationToken ct) => Results.Ok(await QueueAsync(cases, ct)))
            .RequireAuthorization(Permissions.MediationRead).WithSummary("The mediator's queue: my disputes, sessions coming, follow-ups due; for the center also group disputes (high-risk) and triage");

        group.MapGet("/cases/{id:long}", async (long id, HttpContext http, MediationCases cases, CancellationToken ct) =>
        {
            var found = await cases.FindAsync(id, ct);
            if (found.Problem is not null)
            {
                return found.Problem;
            }

            http.Response.Headers.ETag = HandlingEndpoints.ETag(found.Value.Case.Version);
            return Results.Ok(await cases.ViewAsync(found.Value.Case, found.Value.Matter, ct));
        }).RequireAuthorization(Permissions.MediationRead).WithSummary("A mediation case; what it shows depends on the caller (sight: full, staff or outcome)");

        group.MapGet("/cases/{id:long}/suggestions", async (long id, MediationCases cases, ConcordDb db, CancellationToken ct) =>
        {
            var found = await cases.FindAsync(id, ct);
            if (found.Problem is not null)
            {
                return found.Problem;
            }

            var suggestions = await cases.SuggestAsync(found.Value.Case, found.Value.Matter, ct);
            var codes = suggestions.Select(s => s.OrganizationCode).ToList();
            var names = await db.Set<MediationOrganizationRow>().AsNoTracking().Where(o => codes.Contains(o.Code)).ToDictionaryAsync(o => o.Code, o => o.Name, ct);
            return Results.Ok(suggestions.Select(s => new SuggestionView(s.OrganizationCode, names[s.OrganizationCode], s.Score, s.Reasons.Select(ReasonText).ToList())));
        }).RequireAuthorization(Permissions.MediationManage).WithSummary("Triage (分流): organizations ranked by specialty, territory and load, each with its reasons");

        MapStep<AssignRequest>(group, "assign", (c, id, r, v, ct) => c.AssignAsync(id, r, v, ct));
        MapStep<ConsentRequest>(group, "consent", (c, id, r, v, ct) => c.ConsentAsync(id, r, v, ct));
        MapStep<AgreeRequest>(group, "agree", (c, id, r, v, ct) => c.AgreeAsync(id, r, v, ct));
        MapStep<FailRequest>(group, "fail", (c, id, r, v, ct) => c.FailAsync(id, r, v, ct));
        MapStep<WithdrawRequest>(group, "withdraw", (c, id, r, v, ct) => c.WithdrawAsync(id, r, v, ct));
        MapStep<JudicialRequest>(group, "judicial/apply", (c, id, r, v, ct) => c.ApplyJudicialAsync(id, r, v, ct));
        MapStep<JudicialRequest>(group, "judicial/decide", (c, id, r, v, ct) => c.DecideJudicialAsync(id, r, v, ct));

        group.MapPost("/cases/{id:long}/sessions", async (long id, HttpContext http, MediationCases cases, CancellationToken ct) =>
            await Body<SessionRequest>(http, ct, async r => Done(await cases.ScheduleAsync(id, r, ct), s => Results.Created($"/api/v1/mediation/cases/{id}", new { id = s.Id }))))
            .RequireAuthorization(Permissions.MediationManage).WithSummary("Schedule a session: scheduledAt, place (center_room, on_site, online), placeDetail, participants");
        group.MapPost("/cases/{id:long}/sessions/{sessionId:long}/record", async (long id, long sessionId, HttpContext http, MediationCases cases, CancellationToken ct) =>
            await Body<RecordRequest>(http, ct, async r => Done(await cases.RecordAsync(id, sessionId, r, ct), s => Results.Ok(new { id = s.Id, heldAt = s.HeldAt }))))
            .RequireAuthorization(Permissions.MediationManage).WithSummary("Hold a session: its notes (encrypted; the organization and the center's mediators only)");
        group.MapPost("/cases/{id:long}/obligations/{obligationId:long}/follow-up", async (long id, long obligationId, HttpContext http, MediationCases cases, CancellationToken ct) =>
            await Body<FollowUpRequest>(http, ct, async r => Done(await cases.FollowUpAsync(id, obligationId, r, ct), c => Results.Ok(new { version = c.Version }))))
            .RequireAuthorization(Permissions.MediationManage).WithSummary("履行回访: performed (true/false) and a note");
        group.MapPost("/cases/{id:long}/referrals", async (long id, HttpContext http, MediationCases cases, CancellationToken ct) =>
            await Body<ReferRequest>(http, ct, async r => Done(await cases.ReferAsync(id, r, ct), x => Results.Created($"/api/v1/mediation/cases/{id}", new { id = x.Id }))))
            .RequireAuthorization(Permissions.MediationManage).WithSummary("Refer to psychological counselling or legal aid (kind, provider, reason)");
        group.MapPost("/cases/{id:long}/referrals/{referralId:long}/complete", async (long id, long referralId, HttpContext http, MediationCases cases, CancellationToken ct) =>
            await Body<CompleteReferralRequest>(http, ct, async r => Done(await cases.CompleteReferralAsync(id, referralId, r, ct), x => Results.Ok(new { id = x.Id, completedAt = x.CompletedAt }))))
            .RequireAuthorization(Permissions.MediationManage).WithSummary("A referral completed, with its result");
        group.MapPost("/cases/{id:long}/parties/reveal", async (long id, HttpContext http, MediationCases cases, CancellationToken ct) =>
            await Body<PartiesRevealRequest>(http, ct, async r => Done(await cases.RevealPartiesAsync(id, r, ct), Results.Ok)))
            .RequireAuthorization(Permissions.PersonalDataReveal).WithSummary("The parties in clear: the case's own and the center's mediators only; needs a reason; audited (refusals too)");

        group.MapGet("/cases/{id:long}/agreement.docx", async (long id, MediationCases cases, CancellationToken ct) =>
        {
            var document = await cases.AgreementAsync(id, ct);
            return document.Problem ?? Results.File(document.Value!.Bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", document.Value.FileName);
        }).RequireAuthorization(Permissions.MediationManage).WithSummary("人民调解协议书 as DOCX (names in clear: the case's own and the center's mediators only; audited)");

        group.MapGet("/figures", async (string? by, string? from, string? to, string? territory, MediationFiguresQuery figures, CancellationToken ct) =>
        {
            var (answer, errors) = await figures.RunAsync(by, from, to, territory, ct);
            return answer is null ? Problem.BadRequest(errors) : Results.Ok(answer);
        }).RequireAuthorization(Permissions.MediationFigures).WithSummary("Figures per organization, mediator, county or township (by) over local dates from..to: received, diversion rate, success rate, median days, performed on time, judicial confirmations");
        group.MapGet("/figures.csv", async (string? by, string? from, string? to, string? territory, MediationFiguresQuery figures, CancellationToken ct) =>
        {
            var (answer, errors) = await figures.RunAsync(by, from, to, territory, ct);
            return answer is null ? Problem.BadRequest(errors)
                : Results.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(MediationFiguresQuery.Csv(answer))).ToArray(), "text/csv; charset=utf-8", $"mediation-figures-{answer.By}.csv");
        }).RequireAuthorization(Permissions.MediationFigures).WithSummary("The figures as CSV (UTF-8 with BOM, for spreadsheet programs)");
        group.MapGet("/figures.xlsx", async (string? by, string? from, string? to, string? territory, MediationFiguresQuery figures, CancellationToken ct) =>
        {
            var (answer, errors) = await figures.RunAsync(by, from, to, territory, ct);
            return answer is null ? Problem.BadRequest(errors)
                : Results.File(MediationFiguresQuery.Xlsx(answer), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"mediation-figures-{answer.By}.xlsx");
        }).RequireAuthorization(Permissions.MediationFigures).WithSummary("The figures as XLSX");
        return app;
    }

    private static void MapStep<T>(RouteGroupBuilder group, string path, Func<MediationCases, long, T, int?, CancellationToken, Task<MediationOutcome<MediationCaseRow>>> step)
        where T : class
    {
        group.MapPost($"/cases/{{id:long}}/{path}", async (long id, HttpContext http, MediationCases cases, CancellationToken ct) =>
        {
            int? version = null;
            var ifMatch = http.Request.Headers.IfMatch.ToString();
            if (ifMatch.Length > 0)
            {
                if (!HandlingEndpoints.TryParseETag(ifMatch, out var v))
                {
                    return Problem.BadRequest([new FieldError("If-Match", "bad_filter", ifMatch)]);
                }

                version = v;
            }

            return await Body<T>(http, ct, async r =>
            {
                var outcome = await step(cases, id, r, version, ct);
                if (outcome.Problem is not null)
                {
                    return outcome.Problem;
                }

                http.Response.Headers.ETag = HandlingEndpoints.ETag(outcome.Value!.Version);
                return Results.Ok(await ViewAsync(cases, id, ct));
            });
        }).RequireAuthorization(Permissions.MediationManage).WithSummary($"Mediation step: {path}; If-Match with the case's ETag (412 when stale, 409 when not possible now)");
    }

    private static async Task<IResult> Body<T>(HttpContext http, CancellationToken ct, Func<T, Task<IResult>> then)
        where T : class
    {
        var read = await RequestBody.ReadObjectAsync<T>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        return read.Value is null ? Problem.Validation([new FieldError("$", "required")]) : await then(read.Value);
    }

    private static IResult Done<T>(MediationOutcome<T> outcome, Func<T, IResult> ok) => outcome.Problem ?? ok(outcome.Value!);

    private static async Task<CaseView> ViewAsync(MediationCases cases, long id, CancellationToken ct)
    {
        var found = await cases.FindAsync(id, ct);
        return await cases.ViewAsync(found.Value.Case, found.Value.Matter, ct);
    }

    public static OrganizationView Organization(MediationOrganizationRow o, int open, CatalogStore catalog) =>
        new(o.Code, o.Name, o.Kind, o.TerritoryCode, catalog.Current.Tree.Find(o.TerritoryCode)?.Name, MediationCases.Split(o.Specialties), o.Capacity, open, o.Synthetic);

    public static MediatorView Mediator(MediatorRow m, int open) =>
        new(m.Code, m.Name, m.OrganizationCode, MediationCases.Split(m.Specialties), MediationCases.Split(m.Languages), open);

    public static string ReasonText(Reason r) => Messages.Text(r.Key, r.Args.Select(a => a is string s && Messages.Has($"ui.mediation.specialty.{s}") ? Messages.Text($"ui.mediation.specialty.{s}") : a).ToArray());

    /// <summary>
    /// The caller's queue: the cases of their mediator record (or, unassigned, of their organization), and for
    /// the center's mediators and dispatchers the cases waiting for triage and every open group dispute.
    /// </summary>
    public static async Task<QueueView> QueueAsync(MediationCases cases, CancellationToken ct)
    {
        var db = cases.Db;
        var me = await cases.MeAsync(ct);
        var center = cases.SeesCenterQueue;
        var open = CaseStatus.Open.ToList();
        var now = cases.UtcNow;
        var query = db.Set<MediationCaseRow>().AsNoTracking().Where(c => open.Contains(c.Status));
        var mine = me is null ? [] : await query
            .Where(c => c.MediatorCode == me.Code || (c.OrganizationCode == me.OrganizationCode && c.MediatorCode == null))
            .OrderBy(c => c.DueAt == null).ThenBy(c => c.DueAt).ThenBy(c => c.ReceivedAt).Take(200).ToListAsync(ct);
        var waiting = center ? await query.Where(c => c.Status == CaseStatus.Triage || c.HighRisk).OrderBy(c => c.ReceivedAt).Take(200).ToListAsync(ct) : [];
        var scope = await cases.ScopeAsync(ct);
        var matterIds = waiting.Select(c => c.MatterId).ToList();
        var visible = (await scope.Apply(db.Matters.AsNoTracking()).Where(m => matterIds.Contains(m.Id)).Select(m => m.Id).ToListAsync(ct)).ToHashSet();
        waiting = waiting.Where(c => visible.Contains(c.MatterId)).ToList();
        var ids = mine.Select(c => c.Id).ToList();
        var all = mine.Concat(waiting).DistinctBy(c => c.Id).ToList();
        var titles = await db.Matters.AsNoTracking().Where(m => all.Select(c => c.MatterId).Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Title, ct);
        var orgIds = all.Select(c => c.OrganizationCode).OfType<string>().Distinct().ToList();
        var orgs = await db.Set<MediationOrganizationRow>().AsNoTracking().Where(o => orgIds.Contains(o.Code)).ToDictionaryAsync(o => o.Code, o => o.Name, ct);
        QueueCase Row(MediationCaseRow c) => new(c.Id, c.MatterCode, titles.GetValueOrDefault(c.MatterId, ""), c.Status, c.HighRisk, c.FromCourt, c.DueAt, cases.Light(c, now),
            c.OrganizationCode is null ? null : orgs.GetValueOrDefault(c.OrganizationCode), c.ReceivedAt);

        var codes = mine.ToDictionary(c => c.Id, c => c.MatterCode);
        var sessions = await db.Set<MediationSessionRow>().AsNoTracking().Where(s => ids.Contains(s.CaseId) && s.HeldAt == null)
            .OrderBy(s => s.ScheduledAt).Take(100).ToListAsync(ct);
        // Follow-ups: agreements are no longer open, so they are found through the mediator's agreed cases.
        var agreed = me is null ? [] : await db.Set<MediationCaseRow>().AsNoTracking()
            .Where(c => c.Status == CaseStatus.Agreed && (c.MediatorCode == me.Code || (c.OrganizationCode == me.OrganizationCode && c.MediatorCode == null)))
            .Select(c => new { c.Id, c.MatterCode }).ToListAsync(ct);
        var agreedIds = agreed.Select(a => a.Id).ToList();
        var agreedCodes = agreed.ToDictionary(a => a.Id, a => a.MatterCode);
        var due = await db.Set<MediationObligationRow>().AsNoTracking()
            .Where(o => agreedIds.Contains(o.CaseId) && o.FollowedUpAt == null && o.DueAt <= now)
            .OrderBy(o => o.DueAt).Take(100).ToListAsync(ct);
        return new QueueView(
            mine.Select(Row).ToList(),
            sessions.Select(s => new QueueSession(s.CaseId, codes[s.CaseId], s.Id, s.ScheduledAt, s.Place, s.PlaceDetail)).ToList(),
            due.Select(o => new QueueFollowUp(o.CaseId, agreedCodes[o.CaseId], o.Id, o.Party, o.DueAt)).ToList(),
            waiting.Select(Row).ToList());
    }
}
