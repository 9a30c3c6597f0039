using System.Globalization;
using Concord.Domain.Matters;
using Concord.Domain.Risks;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Risks;

public sealed record RiskRequest(
    string? Domain, string? Title, string? Description, string? TerritoryCode,
    int? PeopleInvolved, decimal? AmountYuan, int? HouseholdsAffected,
    string? ResponsibleUnit, string? ResponsibleLeader, string? Level, string? LevelReason,
    MeasureDraft[]? Measures, string[]? Matters)
{
    public RiskDraft ToDraft() => new(Domain, Title, Description, TerritoryCode, PeopleInvolved, AmountYuan, HouseholdsAffected,
        ResponsibleUnit, ResponsibleLeader, Level, LevelReason, Measures, Matters, "manual");
}

public sealed record ReviewRequest(string? Note, string? Level, string? LevelReason, string? Status);

public sealed record StatusRequest(string? Status, string? Note);

public sealed record NoteRequest(string? Note);

public sealed record LinkRequest(string? Matter);

public sealed record CampaignAnswerRequest(bool? NoneFound, string? Note, RiskRequest[]? Risks);

public sealed record FollowUpRequest(string? Question, int? DueInHours);

public sealed record AnswerRequest(string? Answer);

public sealed record ConvertRequest(string? To, string? CategoryCode, string? Domain, string? ResponsibleUnit, string? ResponsibleLeader,
    int? PeopleInvolved, decimal? AmountYuan, int? HouseholdsAffected, string? Level, string? LevelReason, MeasureDraft[]? Measures);

public sealed record AssignRequest(string? Addressee, string? Instructions, int? ReplyInWorkingDays);

/// <summary>The risk register, screening campaigns and information reports over HTTP (/api/v1/risks, /api/v1/screening-campaigns, /api/v1/info-reports).</summary>
public static class RiskEndpoints
{
    public static IServiceCollection AddRisks(this IServiceCollection services)
    {
        services.AddScoped<RiskRegister>();
        services.AddScoped<RiskSweep>();
        services.AddScoped<ScreeningCampaigns>();
        services.AddScoped<InfoReportDesk>();
        services.AddScoped<RiskDemo>();
        services.AddHostedService<RiskSweepService>();
        return services;
    }

    public static IEndpointRouteBuilder MapRisks(this IEndpointRouteBuilder app)
    {
        var risks = app.MapGroup("/api/v1/risks").WithTags("Risks");
        risks.MapGet("/", ListAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("The risk register in my scope: filter by territory (subtree), domain, level, status, unit, listing period, overdue");
        risks.MapGet("/domains", DomainsAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("The 12 key domains, the grading thresholds and the review cadence");
        risks.MapPost("/", CreateAsync).RequireAuthorization(Permissions.RisksManage).WithSummary("List a risk (the level follows the grading rule unless overridden with a reason)");
        risks.MapGet("/{code}", GetAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("One risk with its measures, reviews, matters and letters");
        risks.MapPost("/{code}/reviews", ReviewAsync).RequireAuthorization(Permissions.RisksManage).WithSummary("Record a periodic review (optionally a new level and status)");
        risks.MapPost("/{code}/status", StatusAsync).RequireAuthorization(Permissions.RisksManage).WithSummary("Move the risk along listed → resolving → resolved → under control / closed");
        risks.MapPost("/{code}/measures", AddMeasureAsync).RequireAuthorization(Permissions.RisksManage).WithSummary("Add a measure with a deadline (一案一策)");
        risks.MapPost("/{code}/measures/{id:long}/done", FinishMeasureAsync).RequireAuthorization(Permissions.RisksManage).WithSummary("Mark a measure done");
        risks.MapPost("/{code}/matters", LinkAsync).RequireAuthorization(Permissions.RisksManage).WithSummary("Link a matter to the risk");

        var campaigns = app.MapGroup("/api/v1/screening-campaigns").WithTags("Risks");
        campaigns.MapGet("/", CampaignsAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("Screening campaigns (专项排查): the center's, or those my unit must answer");
        campaigns.MapPost("/", OpenCampaignAsync).RequireAuthorization(Permissions.ReportsTriage).WithSummary("Open a campaign: domain, period, target units");
        campaigns.MapGet("/{id:long}", CampaignAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("A campaign with every target's answer, awaiting or missing");
        campaigns.MapPost("/{id:long}/answer", AnswerCampaignAsync).RequireAuthorization(Permissions.RisksManage).WithSummary("My unit's answer: the risks found, or none found");

        var reports = app.MapGroup("/api/v1/info-reports").WithTags("Risks");
        reports.MapGet("/", ReportsAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("Information reports (信息报送): all for the center, my unit's otherwise");
        reports.MapPost("/", FileAsync).RequireAuthorization(Permissions.ReportsFile).WithSummary("File a report for my unit: what, where, scale, trend, urgency");
        reports.MapGet("/figures", FiguresAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("Each unit's reporting in a period: count, timeliness, confirmed");
        reports.MapGet("/{code}", ReportAsync).RequireAuthorization(Permissions.RisksRead).WithSummary("One report with its follow-ups and what it became");
        reports.MapPost("/{code}/acknowledge", AcknowledgeAsync).RequireAuthorization(Permissions.ReportsTriage).WithSummary("The center acknowledges the report");
        reports.MapPost("/{code}/follow-ups", AskAsync).RequireAuthorization(Permissions.ReportsTriage).WithSummary("Ask the unit for a follow-up (续报) by a deadline");
        reports.MapPost("/{code}/follow-ups/{id:long}/answer", AnswerAsync).RequireAuthorization(Permissions.ReportsFile).WithSummary("The filing unit answers a follow-up");
        reports.MapPost("/{code}/convert", ConvertAsync).RequireAuthorization(Permissions.ReportsTriage).WithSummary("Convert the report into a risk or a matter");
        reports.MapPost("/{code}/assign", AssignAsync).RequireAuthorization(Permissions.ReportsTriage).WithSummary("Assign the report point to point with an assignment letter (交办函)");
        return app;
    }

    // ---- Risks -------------------------------------------------------------------------------

    private static async Task<IResult> ListAsync(HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, CancellationToken ct,
        string? territory = null, string? domain = null, string? level = null, string? status = null, string? unit = null,
        string? listedFrom = null, string? listedTo = null, bool? overdue = null, int? limit = null)
    {
        var errors = new List<FieldError>();
        if (territory is not null && catalog.Current.Tree.Find(territory) is null) errors.Add(new("territory", "unknown_territory", territory));
        if (domain is not null && KeyDomains.Find(domain) is null) errors.Add(new("domain", "one_of", domain, KeyDomains.WireList));
        if (level is not null && !RiskLevels.TryParse(level, out _)) errors.Add(new("level", "one_of", level, RiskLevels.WireList));
        if (status is not null && !RiskWorkflow.TryParse(status, out _)) errors.Add(new("status", "one_of", status, RiskWorkflow.WireList));
        var from = Date(errors, "listedFrom", listedFrom, register);
        var to = Date(errors, "listedTo", listedTo, register);
        if (limit is < 1 or > 1000) errors.Add(new("limit", "limit_range", 1000));
        if (errors.Count > 0)
        {
            return Problem.BadRequest(errors);
        }

        var rows = await register.ListAsync(new RiskFilter(territory, domain, level, status, unit, from, to?.AddDays(1), overdue == true, false, limit ?? 200), await staff.ScopeAsync(ct), ct);
        var overdueMeasures = await register.WithOverdueMeasuresAsync(rows.Select(r => r.Id).ToList(), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return Results.Ok(rows.Select(r => Summary(r, catalog.Current, now, overdueMeasures.Contains(r.Id))));
    }

    private static DateTime? Date(List<FieldError> errors, string field, string? text, RiskRegister register)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new(field, "bad_filter", text));
            return null;
        }

        return TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), register.Zone);
    }

    public static object Summary(RiskRow r, CatalogSnapshot catalog, DateTime now, bool overdueMeasure) => new
    {
        r.Code,
        domain = DomainView(r.Domain),
        r.Title,
        territory = TerritoryView(r.TerritoryCode, catalog),
        r.Level,
        levelRule = r.LevelRule,
        r.Status,
        responsibleUnit = Views.UnitOf(r.ResponsibleUnitCode, catalog),
        r.ResponsibleLeader,
        r.PeopleInvolved, r.AmountYuan, r.HouseholdsAffected,
        r.ListedAt, r.LastReviewAt, r.NextReviewDueAt,
        reviewOverdue = ReviewCadence.IsOverdue(r.NextReviewDueAt, now),
        measureOverdue = overdueMeasure,
        r.Source, r.SourceRef,
    };

    private static object DomainView(string wire) => KeyDomains.Find(wire) is { } d ? new { code = d.Wire, name = Messages.IsZh ? d.Name : d.NameEn } : new { code = wire, name = wire };

    private static object? TerritoryView(string code, CatalogSnapshot catalog) =>
        catalog.Tree.Find(code) is { } t ? new { t.Code, t.Name, chain = catalog.Tree.ChainOf(code).Select(c => c.Name) } : new { Code = code, Name = code, chain = Enumerable.Empty<string>() };

    private static IResult DomainsAsync(RiskRegister register) => Results.Ok(new
    {
        domains = KeyDomains.All.Select(d => new { code = d.Wire, d.CategoryCode, d.Name, d.NameEn }),
        grading = new
        {
            people = RiskGrading.PeopleThresholds,
            amountYuan = RiskGrading.AmountThresholds,
            households = RiskGrading.HouseholdThresholds,
            financeAmountFactor = RiskGrading.FinanceAmountFactor,
            lifeSafetyDomains = RiskGrading.LifeSafetyDomains.Order(StringComparer.Ordinal),
            order = "red, orange, yellow",
        },
        reviewDays = new { red = register.Cadence.RedDays, orange = register.Cadence.OrangeDays, yellow = register.Cadence.YellowDays, blue = register.Cadence.BlueDays },
    });

    private static async Task<IResult> CreateAsync(HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<RiskRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var outcome = await register.CreateAsync((read.Value ?? new RiskRequest(null, null, null, null, null, null, null, null, null, null, null, null, null)).ToDraft(), staff.Actor.Id, await staff.ScopeAsync(ct), ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem ?? Problem.Validation(outcome.Errors);
        }

        return Results.Created($"/api/v1/risks/{outcome.Risk!.Code}", await DetailAsync(outcome.Risk, db, staff, catalog, clock, ct));
    }

    private static async Task<IResult> GetAsync(string code, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock, CancellationToken ct)
    {
        var risk = await register.FindAsync(code, await staff.ScopeAsync(ct), ct);
        return risk is null ? Problem.NotFound("risk.not_found", code) : Results.Ok(await DetailAsync(risk, db, staff, catalog, clock, ct));
    }

    public sealed record RiskDetail(object Risk, string Description, string? LevelOverrideReason, string ComputedLevel, IReadOnlyList<string> NextStatuses,
        IReadOnlyList<object> Measures, IReadOnlyList<object> Reviews, IReadOnlyList<MatterSummary> Matters, IReadOnlyList<object> Letters);

    public static async Task<RiskDetail> DetailAsync(RiskRow risk, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var measures = await db.Set<RiskMeasureRow>().AsNoTracking().Where(m => m.RiskId == risk.Id).OrderBy(m => m.DueAt).ThenBy(m => m.Id).ToListAsync(ct);
        var reviews = await db.Set<RiskReviewRow>().AsNoTracking().Where(r => r.RiskId == risk.Id).OrderByDescending(r => r.At).ThenByDescending(r => r.Id).ToListAsync(ct);
        var matterIds = db.Set<RiskMatterRow>().Where(x => x.RiskId == risk.Id).Select(x => x.MatterId);
        var scope = await staff.ScopeAsync(ct);
        var matters = await scope.Apply(db.Matters.AsNoTracking()).Where(m => matterIds.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(ct);
        var unit = staff.UnitCode;
        var letters = Permissions.Allows(staff.User, Permissions.LettersRead)
            ? await db.Set<LetterRiskRow>().AsNoTracking().Where(x => x.RiskId == risk.Id).Select(x => x.Letter!)
                .Where(l => scope.Everything || l.AddresseeUnitCode == unit).OrderBy(l => l.IssuedAt).ThenBy(l => l.Id).ToListAsync(ct)
            : [];
        RiskWorkflow.TryParse(risk.Status, out var status);
        return new RiskDetail(
            Summary(risk, catalog.Current, now, measures.Any(m => m.DoneAt is null && m.DueAt < now)),
            risk.Description, risk.LevelOverrideReason, risk.ComputedLevel,
            RiskWorkflow.NextOf(status).Select(s => s.Wire()).ToList(),
            measures.Select(m => (object)new { m.Id, m.Text, m.CreatedAt, m.DueAt, m.DoneAt, m.DoneNote, overdue = m.DoneAt is null && m.DueAt < now, letters = m.SweepStage }).ToList(),
            reviews.Select(r => (object)new { r.Id, r.At, r.By, r.Note, r.LevelAfter, r.StatusAfter, r.Late }).ToList(),
            matters.Select(m => Views.Summary(m, catalog.Current)).ToList(),
            letters.Select(l => (object)new
            {
                l.Number, l.Kind, l.Title, addressee = Views.UnitOf(l.AddresseeUnitCode, catalog.Current), l.IssuedAt, l.ReplyDueAt, l.RepliedAt,
                docx = $"/api/v1/letters/{Uri.EscapeDataString(l.Number)}/docx",
            }).ToList());
    }

    /// <summary>Finds the risk in scope and applies a change; 404 out of scope, the change's own problem otherwise.</summary>
    private static async Task<IResult> ChangeAsync<T>(string code, HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock,
        Func<RiskRow, T, Task<RiskOutcome>> change, CancellationToken ct) where T : class
    {
        var risk = await register.FindAsync(code, await staff.ScopeAsync(ct), ct);
        if (risk is null)
        {
            return Problem.NotFound("risk.not_found", code);
        }

        var read = await RequestBody.ReadObjectAsync<T>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        if (read.Value is null)
        {
            return Problem.Create(StatusCodes.Status400BadRequest, "malformed-json", "title.malformed_json", Messages.Text("detail.not_object"));
        }

        var outcome = await change(risk, read.Value);
        if (!outcome.Succeeded)
        {
            return outcome.Problem ?? Problem.Validation(outcome.Errors);
        }

        return Results.Ok(await DetailAsync(outcome.Risk!, db, staff, catalog, clock, ct));
    }

    private static Task<IResult> ReviewAsync(string code, HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync<ReviewRequest>(code, http, register, staff, catalog, db, clock, (risk, r) => register.ReviewAsync(risk, r.Note, r.Level, r.LevelReason, r.Status, staff.Actor.Id, ct), ct);

    private static Task<IResult> StatusAsync(string code, HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync<StatusRequest>(code, http, register, staff, catalog, db, clock, (risk, r) => register.ChangeStatusAsync(risk, r.Status, r.Note, staff.Actor.Id, ct), ct);

    private static Task<IResult> AddMeasureAsync(string code, HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync<MeasureDraft>(code, http, register, staff, catalog, db, clock, (risk, m) => register.AddMeasureAsync(risk, m, staff.Actor.Id, ct), ct);

    private static Task<IResult> FinishMeasureAsync(string code, long id, HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync<NoteRequest>(code, http, register, staff, catalog, db, clock, (risk, n) => register.FinishMeasureAsync(risk, id, n.Note, staff.Actor.Id, ct), ct);

    private static async Task<IResult> LinkAsync(string code, HttpContext http, RiskRegister register, CurrentStaff staff, CatalogStore catalog, ConcordDb db, TimeProvider clock, CancellationToken ct)
    {
        var scope = await staff.ScopeAsync(ct);
        return await ChangeAsync<LinkRequest>(code, http, register, staff, catalog, db, clock, (risk, l) => register.LinkMatterAsync(risk, l.Matter, scope, staff.Actor.Id, ct), ct);
    }

    // ---- Campaigns ---------------------------------------------------------------------------

    private static async Task<IResult> CampaignsAsync(ScreeningCampaigns campaigns, CurrentStaff staff, TimeProvider clock, CancellationToken ct)
    {
        var rows = await campaigns.ListAsync(await staff.ScopeAsync(ct), staff.UnitCode, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return Results.Ok(rows.Select(c => new
        {
            c.Id, c.Title, domain = DomainView(c.Domain), c.PeriodStart, c.PeriodEnd, c.AnswerDueAt,
            targets = c.Targets.Count,
            answered = c.Targets.Count(t => t.AnsweredAt is not null),
            missing = now >= c.AnswerDueAt ? c.Targets.Count(t => t.AnsweredAt is null) : 0,
        }));
    }

    private static async Task<IResult> OpenCampaignAsync(HttpContext http, ScreeningCampaigns campaigns, CurrentStaff staff, CatalogStore catalog, CancellationToken ct)
    {
        if (!(await staff.ScopeAsync(ct)).Everything)
        {
            return Results.Forbid();
        }

        var read = await RequestBody.ReadObjectAsync<CampaignDraft>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var (campaign, errors) = await campaigns.OpenAsync(read.Value ?? new CampaignDraft(null, null, null, null, null, null), staff.Actor.Id, ct);
        return campaign is null ? Problem.Validation(errors) : Results.Created($"/api/v1/screening-campaigns/{campaign.Id}", new { campaign.Id, campaign.Title });
    }

    private static async Task<IResult> CampaignAsync(long id, ScreeningCampaigns campaigns, CurrentStaff staff, CatalogStore catalog, CancellationToken ct)
    {
        var campaign = await campaigns.FindAsync(id, await staff.ScopeAsync(ct), staff.UnitCode, ct);
        if (campaign is null)
        {
            return Problem.NotFound("campaign.not_found", id);
        }

        var targets = await campaigns.TargetsAsync(campaign, ct);
        return Results.Ok(new
        {
            campaign.Id, campaign.Title, domain = DomainView(campaign.Domain), campaign.PeriodStart, campaign.PeriodEnd, campaign.AnswerDueAt,
            targets = targets.Select(t => new { unit = Views.UnitOf(t.UnitCode, catalog.Current), t.State, t.AnsweredAt, t.NoneFound, t.Note, t.Risks }),
            missing = targets.Where(t => t.State == "missing").Select(t => t.UnitCode),
        });
    }

    private static async Task<IResult> AnswerCampaignAsync(long id, HttpContext http, ScreeningCampaigns campaigns, CurrentStaff staff, CancellationToken ct)
    {
        var scope = await staff.ScopeAsync(ct);
        if (await campaigns.FindAsync(id, scope, staff.UnitCode, ct) is null)
        {
            return Problem.NotFound("campaign.not_found", id);
        }

        var read = await RequestBody.ReadObjectAsync<CampaignAnswerRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var answer = read.Value ?? new CampaignAnswerRequest(null, null, null);
        var (answered, errors, problem) = await campaigns.AnswerAsync(id, staff.UnitCode,
            new CampaignAnswer(answer.NoneFound, answer.Note, answer.Risks?.Select(r => r.ToDraft()).ToList()), staff.Actor.Id, scope, ct);
        return answered ? Results.NoContent() : problem ?? Problem.Validation(errors);
    }

    // ---- Information reports -----------------------------------------------------------------

    public static object ReportView(InfoReportRow r, CatalogSnapshot catalog) => new
    {
        r.Code, unit = Views.UnitOf(r.UnitCode, catalog), r.Title, territory = TerritoryView(r.TerritoryCode, catalog),
        domain = r.Domain is null ? null : DomainView(r.Domain), r.Scale, r.PeopleInvolved, r.Trend, r.Urgency,
        r.KnownAt, r.FiledAt, r.FiledOnTime, r.Status, r.AcknowledgedAt, r.ConvertedAt,
    };

    private static async Task<IResult> ReportsAsync(ConcordDb db, CurrentStaff staff, CatalogStore catalog, CancellationToken ct, string? status = null, string? unit = null, int? limit = null)
    {
        var query = InfoReportDesk.Apply(await staff.ScopeAsync(ct), db.Set<InfoReportRow>().AsNoTracking());
        if (status is not null) query = query.Where(r => r.Status == status);
        if (unit is not null) query = query.Where(r => r.UnitCode == unit);
        var rows = await query.OrderByDescending(r => r.FiledAt).ThenByDescending(r => r.Id).Take(Math.Clamp(limit ?? 200, 1, 1000)).ToListAsync(ct);
        return Results.Ok(rows.Select(r => ReportView(r, catalog.Current)));
    }

    private static async Task<IResult> FileAsync(HttpContext http, InfoReportDesk desk, CurrentStaff staff, CatalogStore catalog, CancellationToken ct)
    {
        if (staff.UnitCode is not { } unit || !catalog.Current.Units.ContainsKey(unit))
        {
            return Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "title.forbidden", Messages.Text("report.no_unit"));
        }

        var read = await RequestBody.ReadObjectAsync<ReportDraft>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var outcome = await desk.FileAsync(read.Value ?? new ReportDraft(null, null, null, null, null, null, null, null, null), unit, staff.Actor.Id, ct);
        return outcome.Succeeded
            ? Results.Created($"/api/v1/info-reports/{outcome.Report!.Code}", ReportView(outcome.Report, catalog.Current))
            : Problem.Validation(outcome.Errors);
    }

    public sealed record ReportDetail(object Report, string Description, IReadOnlyList<object> FollowUps, string? Risk, string? Matter, string? Letter);

    public static async Task<ReportDetail> ReportDetailAsync(InfoReportRow report, ConcordDb db, CatalogStore catalog, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var followUps = await db.Set<InfoReportFollowUpRow>().AsNoTracking().Where(f => f.ReportId == report.Id).OrderBy(f => f.Id).ToListAsync(ct);
        var risk = report.RiskId is { } rid ? await db.Set<RiskRow>().Where(r => r.Id == rid).Select(r => r.Code).SingleOrDefaultAsync(ct) : null;
        var matter = report.MatterId is { } mid ? await db.Matters.Where(m => m.Id == mid).Select(m => m.Code).SingleOrDefaultAsync(ct) : null;
        var letter = report.AssignmentLetterId is { } lid ? await db.Letters.Where(l => l.Id == lid).Select(l => l.Number).SingleOrDefaultAsync(ct) : null;
        return new ReportDetail(ReportView(report, catalog.Current), report.Description,
            followUps.Select(f => (object)new { f.Id, f.Question, f.AskedAt, f.DueAt, f.Answer, f.AnsweredAt, onTime = InformationReports.AnsweredOnTime(f.DueAt, f.AnsweredAt, now) }).ToList(),
            risk, matter, letter);
    }

    private static async Task<IResult> ReportAsync(string code, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, CancellationToken ct)
    {
        var report = await InfoReportDesk.Apply(await staff.ScopeAsync(ct), db.Set<InfoReportRow>().AsNoTracking()).SingleOrDefaultAsync(r => r.Code == code, ct);
        return report is null ? Problem.NotFound("report.not_found", code) : Results.Ok(await ReportDetailAsync(report, db, catalog, clock, ct));
    }

    /// <summary>The report in the caller's scope, the body, the step; 404, the body's problem or the step's problem otherwise.</summary>
    private static async Task<IResult> StepAsync<T>(string code, HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock,
        Func<InfoReportRow, T, Task<(ReportOutcome Outcome, object? Made)>> step, CancellationToken ct, bool bodyOptional = false) where T : class
    {
        var report = await InfoReportDesk.Apply(await staff.ScopeAsync(ct), db.Set<InfoReportRow>()).SingleOrDefaultAsync(r => r.Code == code, ct);
        if (report is null)
        {
            return Problem.NotFound("report.not_found", code);
        }

        T? body = null;
        if (!bodyOptional || http.Request.ContentLength is > 0 || http.Request.Headers.ContentType.Count > 0)
        {
            var read = await RequestBody.ReadObjectAsync<T>(http.Request, ct);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            body = read.Value;
        }

        if (body is null && !bodyOptional)
        {
            return Problem.Create(StatusCodes.Status400BadRequest, "malformed-json", "title.malformed_json", Messages.Text("detail.not_object"));
        }

        var (outcome, made) = await step(report, body!);
        if (!outcome.Succeeded)
        {
            return outcome.Problem ?? Problem.Validation(outcome.Errors);
        }

        var detail = await ReportDetailAsync(outcome.Report!, db, catalog, clock, ct);
        return made is null ? Results.Ok(detail) : Results.Ok(new { report = detail, made });
    }

    private static Task<IResult> AcknowledgeAsync(string code, HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, InfoReportDesk desk, CancellationToken ct) =>
        StepAsync<NoteRequest>(code, http, db, staff, catalog, clock, async (report, _) => (await desk.AcknowledgeAsync(report, staff.Actor.Id, ct), null), ct, bodyOptional: true);

    private static Task<IResult> AskAsync(string code, HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, InfoReportDesk desk, CancellationToken ct) =>
        StepAsync<FollowUpRequest>(code, http, db, staff, catalog, clock, async (report, f) => (await desk.AskFollowUpAsync(report, f.Question, f.DueInHours, staff.Actor.Id, ct), null), ct);

    private static Task<IResult> AnswerAsync(string code, long id, HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, InfoReportDesk desk, CancellationToken ct) =>
        StepAsync<AnswerRequest>(code, http, db, staff, catalog, clock, async (report, a) => (await desk.AnswerFollowUpAsync(report, id, a.Answer, staff.UnitCode, staff.Actor.Id, ct), null), ct);

    private static Task<IResult> ConvertAsync(string code, HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, InfoReportDesk desk, CancellationToken ct) =>
        StepAsync<ConvertRequest>(code, http, db, staff, catalog, clock, async (report, c) =>
        {
            switch (c.To)
            {
                case "risk":
                    var (outcome, risk) = await desk.ConvertToRiskAsync(report, new RiskDraft(c.Domain, null, null, null, c.PeopleInvolved, c.AmountYuan, c.HouseholdsAffected,
                        c.ResponsibleUnit, c.ResponsibleLeader, c.Level, c.LevelReason, c.Measures), staff.Actor.Id, ct);
                    return (outcome, risk is null ? null : new { kind = "risk", code = risk.Code, level = risk.Level });
                case "matter":
                    var (matterOutcome, matter) = await desk.ConvertToMatterAsync(report, c.CategoryCode, staff.Actor.Id, ct);
                    return (matterOutcome, matter is null ? null : new { kind = "matter", code = matter.Code, level = (string?)null });
                default:
                    return (ReportOutcome.Invalid(new FieldError("to", "one_of", c.To ?? "", "risk, matter")), null);
            }
        }, ct);

    private static Task<IResult> AssignAsync(string code, HttpContext http, ConcordDb db, CurrentStaff staff, CatalogStore catalog, TimeProvider clock, InfoReportDesk desk, CancellationToken ct) =>
        StepAsync<AssignRequest>(code, http, db, staff, catalog, clock, async (report, a) =>
        {
            var (outcome, letter) = await desk.AssignAsync(report, a.Addressee, a.Instructions, a.ReplyInWorkingDays, staff.Actor.Id, ct);
            return (outcome, letter is null ? null : new { kind = "letter", code = letter.Number });
        }, ct);

    private static async Task<IResult> FiguresAsync(InfoReportDesk desk, CatalogStore catalog, RiskRegister register, CancellationToken ct, string? from = null, string? to = null)
    {
        var errors = new List<FieldError>();
        var start = Date(errors, "from", from, register) ?? DateTime.UnixEpoch;
        var end = Date(errors, "to", to, register)?.AddDays(1) ?? DateTime.MaxValue.AddDays(-1);
        if (errors.Count > 0)
        {
            return Problem.BadRequest(errors);
        }

        var figures = await desk.FiguresAsync(start, end, ct);
        return Results.Ok(figures.Select(f => new
        {
            unit = Views.UnitOf(f.UnitCode, catalog.Current), f.Group,
            f.Figures.Reports, f.Figures.OnTime, f.Figures.FollowUps, f.Figures.FollowUpsAnsweredOnTime, f.Figures.Confirmed,
            timeliness = f.Figures.Timeliness, confirmedRate = f.Figures.ConfirmedRate,
        }));
    }
}
