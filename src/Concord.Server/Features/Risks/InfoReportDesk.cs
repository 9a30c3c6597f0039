using Concord.Domain.Categories;
using Concord.Domain.Matters;
using Concord.Domain.Risks;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Letters;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Risks;

public sealed record ReportDraft(string? Title, string? Description, string? TerritoryCode, string? Domain, string? Scale, int? PeopleInvolved, string? Trend, string? Urgency, DateTimeOffset? KnownAt);

public sealed record ReportOutcome(InfoReportRow? Report, IReadOnlyList<FieldError> Errors, IResult? Problem = null)
{
    public bool Succeeded => Report is not null && Errors.Count == 0 && Problem is null;

    public static ReportOutcome Invalid(params FieldError[] errors) => new(null, errors);

    public static ReportOutcome Refused(IResult problem) => new(null, [], problem);
}

/// <summary>One unit's reporting figures (7+5+N): which group it belongs to and its counts.</summary>
public sealed record UnitReportingFigures(string UnitCode, string Group, ReportingFigures Figures);

/// <summary>
/// Information reports (信息报送, the 7+5+N network): units file; the center acknowledges, asks for
/// follow-up (which the unit answers), converts a report into a risk (<see cref="RiskRegister"/>) or a
/// matter (<see cref="MatterIntake"/>), or assigns it point to point with an assignment letter (交办函).
/// Statuses: filed → acknowledged → converted / assigned.
/// </summary>
public sealed class InfoReportDesk(ConcordDb db, CatalogStore catalog, TimeProvider clock, LocalCalendar calendar, RiskRegister register,
    MatterIntake intake, LetterService letters, Handling.Deadlines deadlines, IConfiguration configuration)
{
    public const string Filed = "filed";
    public const string Acknowledged = "acknowledged";
    public const string Converted = "converted";
    public const string Assigned = "assigned";

    /// <summary>The five professional departments of the network (public security, state security, cyberspace, petitions, emergency management).</summary>
    public IReadOnlyList<string> ProfessionalUnits =>
        (configuration["Concord:Reports:ProfessionalUnits"] ?? "620800.gaj,620800.aqj,620800.wxb,620800.xfj,620800.yjglj")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"county" (one of the county-level divisions' units), "professional" (the five), or "other" (N).</summary>
    public string GroupOf(string unitCode)
    {
        if (ProfessionalUnits.Contains(unitCode))
        {
            return "professional";
        }

        var snapshot = catalog.Current;
        return snapshot.Units.TryGetValue(unitCode, out var unit) && snapshot.Tree.Find(unit.TerritoryCode)?.Level == Concord.Domain.Territories.TerritoryLevel.County
            ? "county" : "other";
    }

    /// <summary>The center sees every report; a unit its own and those whose place lies in its territory.</summary>
    public static IQueryable<InfoReportRow> Apply(AccessScope scope, IQueryable<InfoReportRow> reports)
    {
        if (scope.Everything)
        {
            return reports;
        }

        var unit = scope.UnitCode ?? "\u0000";
        var path = scope.Territory is { } t ? $",{t.Code}," : "\u0000";
        return reports.Where(r => r.UnitCode == unit || r.TerritoryPath.Contains(path));
    }

    public async Task<ReportOutcome> FileAsync(ReportDraft draft, string unitCode, string actor, CancellationToken ct)
    {
        var snapshot = catalog.Current;
        var errors = new List<FieldError>();
        Text(errors, "title", draft.Title, 100);
        Text(errors, "description", draft.Description, 4000);
        Text(errors, "scale", draft.Scale, 200);
        if (string.IsNullOrWhiteSpace(draft.TerritoryCode)) errors.Add(new("territoryCode", "required"));
        else if (snapshot.Tree.Find(draft.TerritoryCode) is null) errors.Add(new("territoryCode", "unknown_territory", draft.TerritoryCode));
        if (draft.Domain is not null && KeyDomains.Find(draft.Domain) is null) errors.Add(new("domain", "one_of", draft.Domain, KeyDomains.WireList));
        if (draft.PeopleInvolved is < 0 or > 10_000_000) errors.Add(new("peopleInvolved", "out_of_range", draft.PeopleInvolved, 0, 10_000_000));
        if (!InformationReports.TryParseTrend(draft.Trend, out var trend)) errors.Add(new("trend", "one_of", draft.Trend ?? "", "rising, stable, easing, unclear"));
        if (!InformationReports.TryParseUrgency(draft.Urgency, out var urgency)) errors.Add(new("urgency", "one_of", draft.Urgency ?? "", "immediate, urgent, routine"));
        var now = clock.GetUtcNow();
        if (draft.KnownAt is { } known && known > now) errors.Add(new("knownAt", "in_future"));
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var knownAt = (draft.KnownAt ?? now).UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var year = calendar.LocalDate(now).Year;
        var sequence = await RiskRegister.NextAsync(db, $"report:{year}", ct);
        var report = new InfoReportRow
        {
            Code = $"XB{year}-{sequence:0000}",
            UnitCode = unitCode,
            Title = draft.Title!.Trim(),
            Description = draft.Description!.Trim(),
            TerritoryCode = draft.TerritoryCode!,
            TerritoryPath = register.PathOf(draft.TerritoryCode!),
            Domain = draft.Domain,
            Scale = draft.Scale!.Trim(),
            PeopleInvolved = draft.PeopleInvolved,
            Trend = trend.Wire(),
            Urgency = urgency.Wire(),
            KnownAt = knownAt,
            FiledAt = now.UtcDateTime,
            FiledOnTime = InformationReports.FiledOnTime(urgency, knownAt, now.UtcDateTime),
            FiledBy = actor,
            Status = Filed,
        };
        db.Set<InfoReportRow>().Add(report);
        AuditLog.Append(db, new Actor(actor, "local"), "report.filed", "report", report.Code, new { unit = unitCode, report.Urgency }, now.UtcDateTime);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(report, []);
    }

    public async Task<ReportOutcome> AcknowledgeAsync(InfoReportRow report, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        report.AcknowledgedAt ??= now;
        if (report.Status == Filed)
        {
            report.Status = Acknowledged;
        }

        report.Version++;
        AuditLog.Append(db, new Actor(actor, "local"), "report.acknowledged", "report", report.Code, null, now);
        await db.SaveChangesAsync(ct);
        return new(report, []);
    }

    public async Task<ReportOutcome> AskFollowUpAsync(InfoReportRow report, string? question, int? dueInHours, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        Text(errors, "question", question, 2000);
        var hours = dueInHours ?? 24;
        if (hours is < 1 or > 720) errors.Add(new("dueInHours", "out_of_range", hours, 1, 720));
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        if (report.Status is Converted or Assigned)
        {
            return ReportOutcome.Refused(Done(report));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Set<InfoReportFollowUpRow>().Add(new InfoReportFollowUpRow { ReportId = report.Id, Question = question!.Trim(), AskedAt = now, AskedBy = actor, DueAt = now.AddHours(hours) });
        report.AcknowledgedAt ??= now;
        report.Status = Acknowledged;
        report.Version++;
        AuditLog.Append(db, new Actor(actor, "local"), "report.follow_up_asked", "report", report.Code, new { hours }, now);
        await db.SaveChangesAsync(ct);
        return new(report, []);
    }

    public async Task<ReportOutcome> AnswerFollowUpAsync(InfoReportRow report, long followUpId, string? answer, string? unitCode, string actor, CancellationToken ct)
    {
        var followUp = await db.Set<InfoReportFollowUpRow>().SingleOrDefaultAsync(f => f.Id == followUpId && f.ReportId == report.Id, ct);
        if (followUp is null)
        {
            return ReportOutcome.Refused(Problem.NotFound("report.follow_up_not_found", followUpId));
        }

        // Only the unit that filed answers for it.
        if (unitCode != report.UnitCode)
        {
            return ReportOutcome.Refused(Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "title.forbidden", Messages.Text("report.not_your_report")));
        }

        var errors = new List<FieldError>();
        Text(errors, "answer", answer, 4000);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        if (followUp.AnsweredAt is not null)
        {
            return ReportOutcome.Refused(Problem.Create(StatusCodes.Status409Conflict, "conflict", "title.conflict", Messages.Text("report.follow_up_answered")));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        followUp.Answer = answer!.Trim();
        followUp.AnsweredAt = now;
        followUp.AnsweredBy = actor;
        report.Version++;
        AuditLog.Append(db, new Actor(actor, "local"), "report.follow_up_answered", "report", report.Code, new { followUp = followUpId }, now);
        await db.SaveChangesAsync(ct);
        return new(report, []);
    }

    /// <summary>Converts the report into a risk of the register: the report's what and where, the center's grading input.</summary>
    public async Task<(ReportOutcome Outcome, RiskRow? Risk)> ConvertToRiskAsync(InfoReportRow report, RiskDraft extra, string actor, CancellationToken ct)
    {
        if (report.Status is Converted or Assigned)
        {
            return (ReportOutcome.Refused(Done(report)), null);
        }

        var draft = extra with
        {
            Title = extra.Title ?? report.Title,
            Description = extra.Description ?? report.Description,
            TerritoryCode = extra.TerritoryCode ?? report.TerritoryCode,
            Domain = extra.Domain ?? report.Domain,
            PeopleInvolved = extra.PeopleInvolved ?? report.PeopleInvolved,
            Source = "report",
            SourceRef = report.Code,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await register.CreateAsync(draft, actor, RiskRegister.Everything, ct);
        if (!outcome.Succeeded)
        {
            return (new(null, outcome.Errors, outcome.Problem), null);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        report.RiskId = outcome.Risk!.Id;
        Close(report, now);
        AuditLog.Append(db, new Actor(actor, "local"), "report.converted", "report", report.Code, new { risk = outcome.Risk.Code }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (new(report, []), outcome.Risk);
    }

    /// <summary>Converts the report into a matter through intake (kind report, channel member unit), routed like any matter.</summary>
    public async Task<(ReportOutcome Outcome, MatterRow? Matter)> ConvertToMatterAsync(InfoReportRow report, string? categoryCode, string actor, CancellationToken ct)
    {
        if (report.Status is Converted or Assigned)
        {
            return (ReportOutcome.Refused(Done(report)), null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var draft = new MatterDraft
        {
            Kind = MatterKind.Report.ToWire(),
            Channel = Channel.MemberUnit.ToWire(),
            Title = report.Title,
            Description = $"{report.Description}\n（信息报送 {report.Code}；规模：{report.Scale}）",
            TerritoryCode = report.TerritoryCode,
            CategoryCode = string.IsNullOrWhiteSpace(categoryCode) ? null : categoryCode,
            OccurredAt = new DateTimeOffset(report.KnownAt, TimeSpan.Zero),
        };
        var outcome = await intake.TakeInAsync(draft, actor, ct);
        if (outcome.Errors.Count > 0)
        {
            return (new(null, outcome.Errors), null);
        }

        await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        report.MatterId = outcome.Matter!.Id;
        Close(report, now);
        AuditLog.Append(db, new Actor(actor, "local"), "report.converted", "report", report.Code, new { matter = outcome.Matter.Code }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (new(report, []), outcome.Matter);
    }

    /// <summary>Assigns the report point to point (点对点交办): an assignment letter (交办函) to the unit, with a reply deadline.</summary>
    public async Task<(ReportOutcome Outcome, LetterRow? Letter)> AssignAsync(InfoReportRow report, string? addressee, string? instructions, int? replyInWorkingDays, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(addressee)) errors.Add(new("addressee", "required"));
        else if (!catalog.Current.Units.ContainsKey(addressee)) errors.Add(new("addressee", "unknown_unit", addressee));
        Text(errors, "instructions", instructions, 2000);
        var days = replyInWorkingDays ?? 5;
        if (days is < 1 or > 60) errors.Add(new("replyInWorkingDays", "out_of_range", days, 1, 60));
        if (errors.Count > 0)
        {
            return (new(null, errors), null);
        }

        if (report.Status is Converted or Assigned)
        {
            return (ReportOutcome.Refused(Done(report)), null);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var letter = await letters.IssueAsync(LetterKind.Assignment, addressee!, [],
            $"关于{report.Title}的交办函",
            $"{report.Description}\n（信息报送 {report.Code}，{Views.UnitOf(report.UnitCode, catalog.Current)?.Name}报送；规模：{report.Scale}）\n{instructions!.Trim()}",
            deadlines.Add(now, new WorkingSpan(days, WorkingSpanUnit.Days)).UtcDateTime, $"report-assign:{report.Code}", actor, ct);
        await db.SaveChangesAsync(ct);
        report.AssignmentLetterId = letter.Id;
        Close(report, now.UtcDateTime, Assigned);
        AuditLog.Append(db, new Actor(actor, "local"), "report.assigned", "report", report.Code, new { letter = letter.Number, addressee }, now.UtcDateTime);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (new(report, []), letter);
    }

    private static void Close(InfoReportRow report, DateTime now, string status = Converted)
    {
        report.AcknowledgedAt ??= now;
        report.ConvertedAt = now;
        report.Status = status;
        report.Version++;
    }

    private static IResult Done(InfoReportRow report) =>
        Problem.Create(StatusCodes.Status409Conflict, "illegal-transition", "title.illegal_transition", Messages.Text("report.already_done", report.Code, report.Status));

    /// <summary>
    /// Each unit's reporting in a period (by filing time): reports, filed on time, follow-ups answered on
    /// time (of those answered or overdue), and reports later confirmed (converted into a risk or a matter, or assigned).
    /// </summary>
    public async Task<List<UnitReportingFigures>> FiguresAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var reports = await db.Set<InfoReportRow>().AsNoTracking().Where(r => r.FiledAt >= from && r.FiledAt < to)
            .Select(r => new { r.Id, r.UnitCode, r.FiledOnTime, Confirmed = r.RiskId != null || r.MatterId != null || r.AssignmentLetterId != null })
            .ToListAsync(ct);
        var ids = reports.Select(r => r.Id).ToList();
        var followUps = await db.Set<InfoReportFollowUpRow>().AsNoTracking().Where(f => ids.Contains(f.ReportId))
            .Select(f => new { f.ReportId, f.DueAt, f.AnsweredAt }).ToListAsync(ct);
        var unitOf = reports.ToDictionary(r => r.Id, r => r.UnitCode);
        return reports.GroupBy(r => r.UnitCode)
            .Select(g => new UnitReportingFigures(g.Key, GroupOf(g.Key), InformationReports.Figures(
                g.Select(r => (r.FiledOnTime, r.Confirmed)),
                followUps.Where(f => unitOf[f.ReportId] == g.Key).Select(f => InformationReports.AnsweredOnTime(f.DueAt, f.AnsweredAt, now)))))
            .OrderBy(f => f.Group switch { "county" => 0, "professional" => 1, _ => 2 }).ThenByDescending(f => f.Figures.Reports).ThenBy(f => f.UnitCode, StringComparer.Ordinal)
            .ToList();
    }

    private static void Text(List<FieldError> errors, string field, string? value, int max) => RiskRegister.Text(errors, field, value, max);
}
