using System.Globalization;
using Concord.Domain.Matters;
using Concord.Domain.Mediation;
using Concord.Domain.Privacy;
using Concord.Server.Access;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Mediation;

public sealed record MediationOutcome<T>(T? Value, IResult? Problem)
{
    public static implicit operator MediationOutcome<T>(T value) => new(value, null);
}

public sealed record OpenRequest(string? Specialty, string? CourtName, string? CourtReference, DateOnly? CourtDeadline);
public sealed record AssignRequest(string? Organization, string? Mediator);
public sealed record ConsentRequest(bool? Consented, string? RefusedBy, string? NextStep, string? Note);
public sealed record SessionRequest(DateTimeOffset? ScheduledAt, string? Place, string? PlaceDetail, string? Participants);
public sealed record RecordRequest(string? Notes);
public sealed record ObligationRequest(string? Party, string? Description, DateOnly? DueDate);
public sealed record AgreeRequest(string? Facts, string? Summary, IReadOnlyList<ObligationRequest>? Obligations);
public sealed record FailRequest(string? Referral, string? Reason);
public sealed record WithdrawRequest(string? Reason);
public sealed record JudicialRequest(string? Court, string? Decision);
public sealed record FollowUpRequest(bool? Performed, string? Note, DateOnly? PerformedOn = null);
public sealed record ReferRequest(string? Kind, string? Provider, string? Reason);
public sealed record CompleteReferralRequest(string? Result);
public sealed record PartiesRevealRequest(string? Reason);

/// <summary>
/// How much of a case the caller sees. Full: the mediators of the case's organization and the center's
/// mediators (notes, party data on reveal). Staff: the dispatcher and other mediation staff (parties masked,
/// no notes). Outcome: everyone else in scope, e.g. the handling unit (status and outcome only).
/// </summary>
public enum CaseSight { Outcome, Staff, Full }

/// <summary>
/// 矛盾纠纷多元化解: a dispute's mediation case from triage to agreement, failure or withdrawal, with
/// sessions, consent, the agreement's obligations and their follow-up, judicial confirmation and referrals.
/// Each step checks the state (<see cref="CaseFlow"/>) and the caller's relation to the case, writes the
/// case, a matter event (no names, no notes), an audit entry, in one save that fails on a concurrent change.
/// </summary>
public sealed class MediationCases(ConcordDb db, CurrentStaff staff, CatalogStore catalog, MatterPersonalData personalData, PersonalDataProtector protector, TimeProvider clock, LocalCalendar calendar, Handling.Deadlines deadlines)
{
    public const int MinReasonLength = 4;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private string ActorId => staff.Actor.Id;

    // ----- who the caller is to mediation -------------------------------------------------------------

    private MediatorRow? me;
    private bool meLoaded;

    /// <summary>The caller's mediator record (linked by user name), if any.</summary>
    public async Task<MediatorRow?> MeAsync(CancellationToken ct)
    {
        if (!meLoaded)
        {
            var name = staff.User.Identity?.Name;
            me = name is null || !staff.User.IsInRole(Roles.Mediator) ? null
                : await db.Set<MediatorRow>().AsNoTracking().FirstOrDefaultAsync(m => m.UserName == name, ct);
            meLoaded = true;
        }

        return me;
    }

    /// <summary>A mediator of a center unit (矛调中心) sees every case in its scope as the case's own organization would.</summary>
    private bool IsCenterMediator =>
        staff.User.IsInRole(Roles.Mediator) && staff.UnitCode is { } unit && catalog.Current.Units.TryGetValue(unit, out var u) && u.Kind == "center";

    public async Task<CaseSight> SightAsync(MediationCaseRow c, CancellationToken ct)
    {
        if (staff.User.IsInRole(Roles.Mediator))
        {
            var mine = await MeAsync(ct);
            if (IsCenterMediator || (mine is not null && mine.OrganizationCode == c.OrganizationCode))
            {
                return CaseSight.Full;
            }

            return CaseSight.Staff;
        }

        return staff.User.IsInRole(Roles.Dispatcher) ? CaseSight.Staff : CaseSight.Outcome;
    }

    /// <summary>The case and its matter when the caller may see it: the matter in scope, or a case of the caller's organization.</summary>
    public async Task<MediationOutcome<(MediationCaseRow Case, MatterRow Matter)>> FindAsync(long id, CancellationToken ct, bool tracked = false)
    {
        var cases = tracked ? db.Set<MediationCaseRow>() : db.Set<MediationCaseRow>().AsNoTracking();
        var c = await cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return new(default, Problem.NotFound("mediation.detail.case_not_found", id));
        }

        var matters = tracked ? db.Matters : db.Matters.AsNoTracking();
        var matter = await matters.SingleAsync(m => m.Id == c.MatterId, ct);
        var scope = await staff.ScopeAsync(ct);
        var mine = await MeAsync(ct);
        if (!scope.Covers(matter) && !(mine is not null && mine.OrganizationCode == c.OrganizationCode))
        {
            return new(default, Problem.NotFound("mediation.detail.case_not_found", id));
        }

        return (c, matter);
    }

    // ----- opening and triage ---------------------------------------------------------------------------

    public async Task<MediationOutcome<MediationCaseRow>> OpenAsync(string matterCode, OpenRequest request, CancellationToken ct)
    {
        var matter = await db.Matters.SingleOrDefaultAsync(m => m.Code == matterCode, ct);
        if (matter is null || !(await staff.ScopeAsync(ct)).Covers(matter))
        {
            return new(null, Problem.NotFound("detail.matter_not_found", matterCode));
        }

        var errors = new List<FieldError>();
        if (matter.Kind != MatterKind.Dispute.ToWire())
        {
            errors.Add(new FieldError("matter", "mediation.not_a_dispute"));
        }

        if (request.Specialty is { } s && !MediationWords.Specialties.Contains(s))
        {
            errors.Add(new FieldError("specialty", "one_of", s, string.Join(", ", MediationWords.Specialties)));
        }

        var fromCourt = matter.Channel == Channel.CourtDiversion.ToWire();
        if (fromCourt && string.IsNullOrWhiteSpace(request.CourtName))
        {
            errors.Add(new FieldError("courtName", "required"));
        }

        if (fromCourt && string.IsNullOrWhiteSpace(request.CourtReference))
        {
            errors.Add(new FieldError("courtReference", "required"));
        }

        var today = calendar.LocalDate(clock.GetUtcNow());
        if (fromCourt && request.CourtDeadline is { } d && d < today)
        {
            errors.Add(new FieldError("courtDeadline", "mediation.deadline_past"));
        }

        if (await db.Set<MediationCaseRow>().AnyAsync(c => c.MatterId == matter.Id, ct))
        {
            errors.Add(new FieldError("matter", "mediation.already_open"));
        }

        if (errors.Count > 0)
        {
            return new(null, Problem.Validation(errors));
        }

        var parties = personalData.Reveal(matter).Parties.Count;
        var row = new MediationCaseRow
        {
            MatterId = matter.Id,
            MatterCode = matter.Code,
            Status = CaseStatus.Triage,
            Specialty = request.Specialty,
            TerritoryCode = matter.TerritoryCode,
            CountyCode = matter.CountyCode,
            TownshipCode = matter.TownshipCode,
            PartyCount = parties,
            HighRisk = CaseFlow.IsGroup(parties),
            ReceivedAt = Now,
            FromCourt = fromCourt,
            CourtName = fromCourt ? request.CourtName!.Trim() : null,
            CourtReference = fromCourt ? request.CourtReference!.Trim() : null,
            // 诉前委派调解: the court's date, else 30 days; due at the end of that day in the center's time.
            DueAt = fromCourt ? EndOfLocalDay(request.CourtDeadline ?? today.AddDays(CaseFlow.CourtDiversionDays)) : null,
        };
        db.Set<MediationCaseRow>().Add(row);
        MatterEvents.Record(db, matter, "mediation_opened", Now, ActorId, new { fromCourt, courtReference = row.CourtReference, highRisk = row.HighRisk, parties });
        AuditLog.Append(db, staff.Actor, "mediation.opened", "matter", matter.Code, new { fromCourt, row.HighRisk }, Now);
        await db.SaveChangesAsync(ct);
        return row;
    }

    private DateTime EndOfLocalDay(DateOnly date)
    {
        var local = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), calendar.Zone);
    }

    /// <summary>Open cases per organization and per mediator: the load triage weighs.</summary>
    public async Task<(Dictionary<string, int> Organizations, Dictionary<string, int> Mediators)> LoadsAsync(CancellationToken ct)
    {
        var open = CaseStatus.Open.ToList();
        var rows = await db.Set<MediationCaseRow>().AsNoTracking().Where(c => open.Contains(c.Status) && c.OrganizationCode != null)
            .Select(c => new { c.OrganizationCode, c.MediatorCode }).ToListAsync(ct);
        return (rows.GroupBy(r => r.OrganizationCode!).ToDictionary(g => g.Key, g => g.Count()),
            rows.Where(r => r.MediatorCode != null).GroupBy(r => r.MediatorCode!).ToDictionary(g => g.Key, g => g.Count()));
    }

    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(MediationCaseRow c, MatterRow matter, CancellationToken ct)
    {
        var (loads, _) = await LoadsAsync(ct);
        var chain = matter.TerritoryChain().ToList();
        var organizations = await db.Set<MediationOrganizationRow>().AsNoTracking().Where(o => chain.Contains(o.TerritoryCode)).ToListAsync(ct);
        return Triage.Suggest(c.Specialty, chain, c.PartyCount,
            organizations.Select(o => new OrganizationLoad(o.Code, o.Kind, o.TerritoryCode, Split(o.Specialties), o.Capacity, loads.GetValueOrDefault(o.Code))));
    }

    // ----- the steps --------------------------------------------------------------------------------------

    public Task<MediationOutcome<MediationCaseRow>> AssignAsync(long id, AssignRequest r, int? version, CancellationToken ct) =>
        StepAsync(id, CaseStep.Assign, version, ct, async (c, matter, errors) =>
        {
            var org = r.Organization is null ? null : await db.Set<MediationOrganizationRow>().AsNoTracking().SingleOrDefaultAsync(o => o.Code == r.Organization, ct);
            if (org is null)
            {
                errors.Add(new FieldError("organization", "mediation.unknown_organization", r.Organization ?? ""));
                return null;
            }

            if (r.Mediator is not null && !await db.Set<MediatorRow>().AnyAsync(m => m.Code == r.Mediator && m.OrganizationCode == org.Code, ct))
            {
                errors.Add(new FieldError("mediator", "mediation.unknown_mediator", r.Mediator));
                return null;
            }

            c.OrganizationCode = org.Code;
            c.MediatorCode = r.Mediator;
            c.AssignedAt = Now;
            c.Status = CaseStatus.AwaitingConsent;
            return ("mediation_assigned", new { organization = org.Code, mediator = r.Mediator });
        }, dispatcherMay: true);

    public Task<MediationOutcome<MediationCaseRow>> ConsentAsync(long id, ConsentRequest r, int? version, CancellationToken ct) =>
        StepAsync(id, CaseStep.Consent, version, ct, (c, matter, errors) =>
        {
            if (r.Consented is null)
            {
                errors.Add(new FieldError("consented", "required"));
                return Task.FromResult<(string, object)?>(null);
            }

            if (r.Consented == true)
            {
                c.ConsentedAt = Now;
                c.Status = CaseStatus.InMediation;
                return Task.FromResult<(string, object)?>(("mediation_consented", new { }));
            }

            if (string.IsNullOrWhiteSpace(r.RefusedBy))
            {
                errors.Add(new FieldError("refusedBy", "required"));
            }

            if (r.NextStep is null || !MediationWords.RefusalNextSteps.Contains(r.NextStep))
            {
                errors.Add(new FieldError("nextStep", "one_of", r.NextStep ?? "", string.Join(", ", MediationWords.RefusalNextSteps)));
            }

            if (errors.Count > 0)
            {
                return Task.FromResult<(string, object)?>(null);
            }

            // Mediation is voluntary: a refusal is recorded, then the case returns to the center's triage,
            // or ends with advice on litigation (诉讼指引).
            c.RefusedAt = Now;
            c.RefusedBy = r.RefusedBy!.Trim();
            c.RefusalNextStep = r.NextStep;
            if (r.NextStep == "back_to_center")
            {
                c.Status = CaseStatus.Triage;
                c.OrganizationCode = null;
                c.MediatorCode = null;
            }
            else
            {
                c.Status = CaseStatus.Refused;
                c.EndedAt = Now;
                c.OutcomeSummary = "refused: litigation advice given";
            }

            return Task.FromResult<(string, object)?>(("mediation_refused", new { refusedBy = c.RefusedBy, nextStep = r.NextStep }));
        });

    public async Task<MediationOutcome<MediationSessionRow>> ScheduleAsync(long id, SessionRequest r, CancellationToken ct)
    {
        MediationSessionRow? session = null;
        var result = await StepAsync(id, CaseStep.Session, null, ct, (c, matter, errors) =>
        {
            if (r.ScheduledAt is null)
            {
                errors.Add(new FieldError("scheduledAt", "required"));
            }

            if (r.Place is null || !MediationWords.Places.Contains(r.Place))
            {
                errors.Add(new FieldError("place", "one_of", r.Place ?? "", string.Join(", ", MediationWords.Places)));
            }

            Check(errors, "placeDetail", r.PlaceDetail, 200, required: false);
            Check(errors, "participants", r.Participants, 2000, required: false);
            if (errors.Count > 0)
            {
                return Task.FromResult<(string, object)?>(null);
            }

            session = new MediationSessionRow
            {
                CaseId = c.Id,
                ScheduledAt = r.ScheduledAt!.Value.UtcDateTime,
                Place = r.Place!,
                PlaceDetail = r.PlaceDetail?.Trim(),
                Participants = protector.Protect(string.IsNullOrWhiteSpace(r.Participants) ? null : r.Participants.Trim()),
                RecordedBy = ActorId,
            };
            db.Set<MediationSessionRow>().Add(session);
            return Task.FromResult<(string, object)?>(("mediation_session_scheduled", new { place = r.Place, scheduledAt = session.ScheduledAt }));
        });
        return result.Problem is not null ? new MediationOutcome<MediationSessionRow>(null, result.Problem) : session!;
    }

    /// <summary>Holds a scheduled session: its notes, encrypted, for the organization and the center's mediators only.</summary>
    public async Task<MediationOutcome<MediationSessionRow>> RecordAsync(long id, long sessionId, RecordRequest r, CancellationToken ct)
    {
        MediationSessionRow? session = null;
        var result = await StepAsync(id, CaseStep.Session, null, ct, async (c, matter, errors) =>
        {
            session = await db.Set<MediationSessionRow>().SingleOrDefaultAsync(s => s.Id == sessionId && s.CaseId == c.Id, ct);
            if (session is null)
            {
                errors.Add(new FieldError("session", "mediation.unknown_session", sessionId));
                return null;
            }

            Check(errors, "notes", r.Notes, 8000, required: true);
            if (errors.Count > 0)
            {
                return null;
            }

            session.Notes = protector.Protect(r.Notes!.Trim());
            session.HeldAt = Now;
            return ("mediation_session_held", new { session = session.Id });
        });
        return result.Problem is not null ? new MediationOutcome<MediationSessionRow>(null, result.Problem) : session!;
    }

    public Task<MediationOutcome<MediationCaseRow>> AgreeAsync(long id, AgreeRequest r, int? version, CancellationToken ct) =>
        StepAsync(id, CaseStep.Agree, version, ct, (c, matter, errors) =>
        {
            Check(errors, "facts", r.Facts, 8000, required: true);
            Check(errors, "summary", r.Summary, 500, required: false);
            var obligations = r.Obligations ?? [];
            if (obligations.Count == 0)
            {
                errors.Add(new FieldError("obligations", "mediation.obligations_required"));
            }

            var today = calendar.LocalDate(clock.GetUtcNow());
            for (var i = 0; i < obligations.Count; i++)
            {
                var o = obligations[i];
                Check(errors, $"obligations[{i}].party", o.Party, 50, required: true);
                Check(errors, $"obligations[{i}].description", o.Description, 2000, required: true);
                if (o.DueDate is null)
                {
                    errors.Add(new FieldError($"obligations[{i}].dueDate", "required"));
                }
                else if (o.DueDate < today)
                {
                    errors.Add(new FieldError($"obligations[{i}].dueDate", "mediation.deadline_past"));
                }
            }

            if (errors.Count > 0)
            {
                return Task.FromResult<(string, object)?>(null);
            }

            c.Status = CaseStatus.Agreed;
            c.AgreedAt = Now;
            c.EndedAt = Now;
            c.AgreementFacts = protector.Protect(r.Facts!.Trim());
            c.OutcomeSummary = string.IsNullOrWhiteSpace(r.Summary) ? "agreement reached" : r.Summary.Trim();
            c.AgreementNumber = $"平调协〔{today.Year}〕{c.Id}号";
            c.JudicialDueAt = EndOfLocalDay(today.AddDays(CaseFlow.JudicialConfirmationDays));
            foreach (var o in obligations)
            {
                db.Set<MediationObligationRow>().Add(new MediationObligationRow
                {
                    CaseId = c.Id,
                    Party = o.Party!.Trim(),
                    Description = protector.Protect(o.Description!.Trim())!,
                    DueAt = EndOfLocalDay(o.DueDate!.Value),
                });
            }

            return Task.FromResult<(string, object)?>(("mediation_agreed", new { agreement = c.AgreementNumber, obligations = obligations.Count }));
        });

    public Task<MediationOutcome<MediationCaseRow>> FailAsync(long id, FailRequest r, int? version, CancellationToken ct) =>
        StepAsync(id, CaseStep.Fail, version, ct, (c, matter, errors) =>
        {
            if (r.Referral is null || !MediationWords.FailureReferrals.Contains(r.Referral))
            {
                errors.Add(new FieldError("referral", "one_of", r.Referral ?? "", string.Join(", ", MediationWords.FailureReferrals)));
            }

            Check(errors, "reason", r.Reason, 2000, required: true);
            if (errors.Count > 0)
            {
                return Task.FromResult<(string, object)?>(null);
            }

            c.Status = CaseStatus.Failed;
            c.EndedAt = Now;
            c.FailureReferral = r.Referral;
            c.FailureReason = r.Reason!.Trim();
            c.OutcomeSummary = $"not reached: referred to {r.Referral}";
            return Task.FromResult<(string, object)?>(("mediation_failed", new { referral = r.Referral }));
        });

    public Task<MediationOutcome<MediationCaseRow>> WithdrawAsync(long id, WithdrawRequest r, int? version, CancellationToken ct) =>
        StepAsync(id, CaseStep.Withdraw, version, ct, (c, matter, errors) =>
        {
            Check(errors, "reason", r.Reason, 2000, required: true);
            if (errors.Count > 0)
            {
                return Task.FromResult<(string, object)?>(null);
            }

            c.Status = CaseStatus.Withdrawn;
            c.EndedAt = Now;
            c.OutcomeSummary = "withdrawn";
            return Task.FromResult<(string, object)?>(("mediation_withdrawn", new { }));
        }, dispatcherMay: true);

    public Task<MediationOutcome<MediationCaseRow>> ApplyJudicialAsync(long id, JudicialRequest r, int? version, CancellationToken ct) =>
        StepAsync(id, CaseStep.ApplyJudicial, version, ct, (c, matter, errors) =>
        {
            Check(errors, "court", r.Court, 200, required: true);
            if (c.JudicialState is not null)
            {
                errors.Add(new FieldError("judicial", "mediation.judicial_already", c.JudicialState));
            }
            else if (c.JudicialDueAt is { } due && Now > due)
            {
                errors.Add(new FieldError("judicial", "mediation.judicial_too_late", CaseFlow.JudicialConfirmationDays));
            }

            if (errors.Count > 0)
            {
                return Task.FromResult<(string, object)?>(null);
            }

            c.JudicialState = "applied";
            c.JudicialAppliedAt = Now;
            c.JudicialCourt = r.Court!.Trim();
            return Task.FromResult<(string, object)?>(("mediation_judicial_applied", new { court = c.JudicialCourt }));
        });

    public Task<MediationOutcome<MediationCaseRow>> DecideJudicialAsync(long id, JudicialRequest r, int? version, CancellationToken ct) =>
        StepAsync(id, CaseStep.DecideJudicial, version, ct, (c, matter, errors) =>
        {
            if (c.JudicialState != "applied")
            {
                errors.Add(new FieldError("judicial", "mediation.judicial_not_applied"));
            }

            if (r.Decision is null || !MediationWords.JudicialDecisions.Contains(r.Decision))
            {
                errors.Add(new FieldError("decision", "one_of", r.Decision ?? "", string.Join(", ", MediationWords.JudicialDecisions)));
            }

            if (errors.Count > 0)
            {
                return Task.FromResult<(string, object)?>(null);
            }

            c.JudicialState = r.Decision;
            c.JudicialDecidedAt = Now;
            return Task.FromResult<(string, object)?>(("mediation_judicial_decided", new { decision = r.Decision }));
        });

    /// <summary>履行回访: whether an obligation was performed, recorded once its deadline has come.</summary>
    public Task<MediationOutcome<MediationCaseRow>> FollowUpAsync(long id, long obligationId, FollowUpRequest r, CancellationToken ct) =>
        StepAsync(id, CaseStep.FollowUp, null, ct, async (c, matter, errors) =>
        {
            var o = await db.Set<MediationObligationRow>().SingleOrDefaultAsync(x => x.Id == obligationId && x.CaseId == c.Id, ct);
            if (o is null)
            {
                errors.Add(new FieldError("obligation", "mediation.unknown_obligation", obligationId));
                return null;
            }

            if (r.Performed is null)
            {
                errors.Add(new FieldError("performed", "required"));
            }

            Check(errors, "note", r.Note, 2000, required: false);
            if (r.PerformedOn is { } on && on > calendar.LocalDate(clock.GetUtcNow()))
            {
                errors.Add(new FieldError("performedOn", "in_future"));
            }

            if (errors.Count > 0)
            {
                return null;
            }

            // The day the party performed (as the follow-up learns it), else today: on time when by the deadline.
            o.FollowedUpAt = Now;
            o.Performed = r.Performed;
            o.PerformedAt = r.Performed != true ? null
                : r.PerformedOn is { } day ? new DateTime(Math.Min(Now.Ticks, EndOfLocalDay(day).AddSeconds(-1).Ticks), DateTimeKind.Utc)
                : Now;
            o.FollowUpNote = r.Note?.Trim();
            return ("mediation_followed_up", new { obligation = o.Id, performed = r.Performed, onTime = r.Performed == true && Now <= o.DueAt });
        });

    public async Task<MediationOutcome<MediationReferralRow>> ReferAsync(long id, ReferRequest r, CancellationToken ct)
    {
        MediationReferralRow? referral = null;
        var result = await StepAsync(id, CaseStep.Refer, null, ct, async (c, matter, errors) =>
        {
            if (r.Kind is null || !MediationWords.ProviderKinds.Contains(r.Kind))
            {
                errors.Add(new FieldError("kind", "one_of", r.Kind ?? "", string.Join(", ", MediationWords.ProviderKinds)));
            }
            else if (r.Provider is null || !await db.Set<ReferralProviderRow>().AnyAsync(p => p.Code == r.Provider && p.Kind == r.Kind, ct))
            {
                errors.Add(new FieldError("provider", "mediation.unknown_provider", r.Provider ?? ""));
            }

            Check(errors, "reason", r.Reason, 2000, required: true);
            if (errors.Count > 0)
            {
                return null;
            }

            referral = new MediationReferralRow { CaseId = c.Id, Kind = r.Kind!, ProviderCode = r.Provider!, Reason = r.Reason!.Trim(), CreatedAt = Now };
            db.Set<MediationReferralRow>().Add(referral);
            return ("mediation_referred", new { kind = r.Kind, provider = r.Provider });
        }, dispatcherMay: true);
        return result.Problem is not null ? new MediationOutcome<MediationReferralRow>(null, result.Problem) : referral!;
    }

    public async Task<MediationOutcome<MediationReferralRow>> CompleteReferralAsync(long id, long referralId, CompleteReferralRequest r, CancellationToken ct)
    {
        MediationReferralRow? referral = null;
        var result = await StepAsync(id, CaseStep.Refer, null, ct, async (c, matter, errors) =>
        {
            referral = await db.Set<MediationReferralRow>().SingleOrDefaultAsync(x => x.Id == referralId && x.CaseId == c.Id, ct);
            if (referral is null)
            {
                errors.Add(new FieldError("referral", "mediation.unknown_referral", referralId));
                return null;
            }

            if (referral.CompletedAt is not null)
            {
                errors.Add(new FieldError("referral", "mediation.referral_done"));
            }

            Check(errors, "result", r.Result, 2000, required: true);
            if (errors.Count > 0)
            {
                return null;
            }

            referral.CompletedAt = Now;
            referral.Result = r.Result!.Trim();
            return ("mediation_referral_completed", new { referral = referral.Id });
        }, dispatcherMay: true);
        return result.Problem is not null ? new MediationOutcome<MediationReferralRow>(null, result.Problem) : referral!;
    }

    /// <summary>
    /// The frame of every step: the case (404 out of sight), the permission to act on it (403), the state
    /// (409), the version (412), the step's own checks (422), then the event, the audit entry and one save.
    /// Only the case's own mediators and the center's mediators act on a case; the dispatcher may assign,
    /// withdraw and refer.
    /// </summary>
    private async Task<MediationOutcome<MediationCaseRow>> StepAsync(
        long id, CaseStep step, int? version, CancellationToken ct,
        Func<MediationCaseRow, MatterRow, List<FieldError>, Task<(string Type, object Data)?>> apply, bool dispatcherMay = false)
    {
        var found = await FindAsync(id, ct, tracked: true);
        if (found.Problem is not null)
        {
            return new(null, found.Problem);
        }

        var (c, matter) = found.Value;
        var sight = await SightAsync(c, ct);
        var allowed = sight == CaseSight.Full || (dispatcherMay && staff.User.IsInRole(Roles.Dispatcher));
        if (!allowed)
        {
            AuditLog.Append(db, staff.Actor, "mediation.refused", "mediation-case", c.Id.ToString(CultureInfo.InvariantCulture), new { step = step.ToString() }, Now);
            await db.SaveChangesAsync(ct);
            return new(null, Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "title.forbidden", Messages.Text("mediation.detail.not_yours")));
        }

        if (!CaseFlow.Allows(c.Status, step))
        {
            return new(null, Problem.Create(StatusCodes.Status409Conflict, "illegal-transition", "title.illegal_transition",
                Messages.Text("mediation.detail.illegal", Messages.Text($"ui.mediation.step.{step}"), Messages.Text($"ui.mediation.status.{c.Status}"))));
        }

        if (version is { } v && v != c.Version)
        {
            return new(null, Problem.Create(StatusCodes.Status412PreconditionFailed, "stale", "title.stale", Messages.Text("detail.stale", c.Version)));
        }

        var errors = new List<FieldError>();
        var done = await apply(c, matter, errors);
        if (errors.Count > 0 || done is null)
        {
            db.ChangeTracker.Clear();
            return new(null, Problem.Validation(errors));
        }

        c.Version++;
        MatterEvents.Record(db, matter, done.Value.Type, Now, ActorId, done.Value.Data);
        AuditLog.Append(db, staff.Actor, done.Value.Type.Replace('_', '.'), "mediation-case", c.Id.ToString(CultureInfo.InvariantCulture), done.Value.Data, Now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new(null, Problem.Create(StatusCodes.Status412PreconditionFailed, "stale", "title.stale", Messages.Text("detail.stale", c.Version)));
        }

        return c;
    }

    private static void Check(List<FieldError> errors, string field, string? value, int max, bool required)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(new FieldError(field, "required"));
            }
        }
        else if (text.Length > max)
        {
            errors.Add(new FieldError(field, "too_long", max, text.Length));
        }
    }

    // ----- privacy -------------------------------------------------------------------------------------

    /// <summary>The parties in clear, for the case's own and the center's mediators only; audited either way.</summary>
    public async Task<MediationOutcome<PersonalDataView>> RevealPartiesAsync(long id, PartiesRevealRequest r, CancellationToken ct)
    {
        var reason = r.Reason?.Trim();
        if (reason is null || reason.Length < MinReasonLength)
        {
            return new(null, Problem.Validation([new FieldError("reason", "reason_required", MinReasonLength)]));
        }

        var found = await FindAsync(id, ct);
        if (found.Problem is not null)
        {
            return new(null, found.Problem);
        }

        var (c, matter) = found.Value;
        var target = c.Id.ToString(CultureInfo.InvariantCulture);
        if (await SightAsync(c, ct) != CaseSight.Full)
        {
            AuditLog.Append(db, staff.Actor, "personal-data.reveal-refused", "mediation-case", target, new { reason, matter = matter.Code }, Now);
            await db.SaveChangesAsync(ct);
            return new(null, Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "title.forbidden", Messages.Text("mediation.detail.not_yours")));
        }

        var clear = personalData.Reveal(matter);
        AuditLog.Append(db, staff.Actor, "personal-data.revealed", "mediation-case", target, new { reason, matter = matter.Code, parties = clear.Parties.Count }, Now);
        await db.SaveChangesAsync(ct);
        return clear;
    }

    /// <summary>Whether a matter's personal data is governed by mediation (a case exists), and whether the caller may see it.</summary>
    public static async Task<bool?> MayRevealMatterAsync(ConcordDb db, MatterRow matter, MediationCases cases, CancellationToken ct)
    {
        var c = await db.Set<MediationCaseRow>().AsNoTracking().SingleOrDefaultAsync(x => x.MatterId == matter.Id, ct);
        return c is null ? null : await cases.SightAsync(c, ct) == CaseSight.Full;
    }

    public ConcordDb Db => db;

    public DateTime UtcNow => Now;

    public Task<AccessScope> ScopeAsync(CancellationToken ct) => staff.ScopeAsync(ct);

    /// <summary>The center's queue (triage, group disputes) is for its dispatchers and its mediators.</summary>
    public bool SeesCenterQueue => staff.User.IsInRole(Roles.Dispatcher) || IsCenterMediator;

    public sealed record AgreementFile(byte[] Bytes, string FileName);

    /// <summary>The agreement as DOCX: it prints the parties in clear, so it is for Full sight only, and audited as a reveal.</summary>
    public async Task<MediationOutcome<AgreementFile>> AgreementAsync(long id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found.Problem is not null)
        {
            return new(null, found.Problem);
        }

        var (c, matter) = found.Value;
        var target = c.Id.ToString(CultureInfo.InvariantCulture);
        if (await SightAsync(c, ct) != CaseSight.Full)
        {
            AuditLog.Append(db, staff.Actor, "personal-data.reveal-refused", "mediation-case", target, new { purpose = "agreement", matter = matter.Code }, Now);
            await db.SaveChangesAsync(ct);
            return new(null, Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "title.forbidden", Messages.Text("mediation.detail.not_yours")));
        }

        if (c.Status != CaseStatus.Agreed || c.AgreementNumber is null)
        {
            return new(null, Problem.NotFound("mediation.detail.no_agreement", id));
        }

        var org = await db.Set<MediationOrganizationRow>().AsNoTracking().SingleAsync(o => o.Code == c.OrganizationCode, ct);
        var mediator = c.MediatorCode is null ? null : await db.Set<MediatorRow>().AsNoTracking().SingleOrDefaultAsync(m => m.Code == c.MediatorCode, ct);
        var obligations = await db.Set<MediationObligationRow>().AsNoTracking().Where(o => o.CaseId == c.Id).OrderBy(o => o.DueAt).ThenBy(o => o.Id).ToListAsync(ct);
        var parties = personalData.Reveal(matter).Parties;
        var local = (DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), calendar.Zone));
        var bytes = AgreementDocument.Render(org.Name, c.AgreementNumber, mediator?.Name ?? "", parties, protector.Unprotect(c.AgreementFacts) ?? "",
            obligations.Select(o => new AgreementObligation(o.Party, protector.Unprotect(o.Description) ?? "", local(o.DueAt.AddSeconds(-1)))).ToList(),
            local(c.AgreedAt ?? Now));
        AuditLog.Append(db, staff.Actor, "personal-data.revealed", "mediation-case", target, new { purpose = "agreement", matter = matter.Code, parties = parties.Count }, Now);
        await db.SaveChangesAsync(ct);
        return new AgreementFile(bytes, $"mediation-agreement-{c.MatterCode}.docx");
    }

    // ----- reading -------------------------------------------------------------------------------------

    public async Task<CaseView> ViewAsync(MediationCaseRow c, MatterRow matter, CancellationToken ct)
    {
        var sight = await SightAsync(c, ct);
        var now = Now;
        var org = c.OrganizationCode is null ? null : await db.Set<MediationOrganizationRow>().AsNoTracking().SingleOrDefaultAsync(o => o.Code == c.OrganizationCode, ct);
        var mediator = c.MediatorCode is null ? null : await db.Set<MediatorRow>().AsNoTracking().SingleOrDefaultAsync(m => m.Code == c.MediatorCode, ct);
        var court = c.FromCourt ? new CourtView(c.CourtName, c.CourtReference, c.DueAt, Light(c, now)) : null;
        var outcome = new OutcomeView(c.OutcomeSummary, c.EndedAt, c.AgreementNumber, c.AgreedAt, c.FailureReferral, c.RefusalNextStep,
            new JudicialView(c.JudicialState, c.JudicialCourt, c.JudicialAppliedAt, c.JudicialDueAt, c.JudicialDecidedAt));
        var view = new CaseView(c.Id, c.MatterCode, matter.Title, c.Status, c.Specialty, c.TerritoryCode, catalog.Current.Tree.Find(c.TerritoryCode)?.Name,
            c.PartyCount, c.HighRisk, c.ReceivedAt, court, org is null ? null : new NamedRef(org.Code, org.Name), mediator is null ? null : new NamedRef(mediator.Code, mediator.Name),
            outcome, sight.ToString().ToLowerInvariant(), c.Version, null, null, null, null, null, null);
        if (sight == CaseSight.Outcome)
        {
            return view;
        }

        var parties = personalData.Reveal(matter).Parties.Select(p => new PartyView(Masking.MaskName(p.Name), Masking.MaskPhone(p.Phone), p.Role)).ToList();
        var sessions = await db.Set<MediationSessionRow>().AsNoTracking().Where(s => s.CaseId == c.Id).OrderBy(s => s.ScheduledAt).ThenBy(s => s.Id).ToListAsync(ct);
        var obligations = await db.Set<MediationObligationRow>().AsNoTracking().Where(o => o.CaseId == c.Id).OrderBy(o => o.DueAt).ThenBy(o => o.Id).ToListAsync(ct);
        var referrals = await db.Set<MediationReferralRow>().AsNoTracking().Where(x => x.CaseId == c.Id).OrderBy(x => x.Id).ToListAsync(ct);
        var providers = await db.Set<ReferralProviderRow>().AsNoTracking().Where(p => referrals.Select(x => x.ProviderCode).Contains(p.Code)).ToDictionaryAsync(p => p.Code, p => p.Name, ct);
        var full = sight == CaseSight.Full;
        return view with
        {
            Parties = parties,
            Sessions = sessions.Select(s => new SessionView(s.Id, s.ScheduledAt, s.Place, s.PlaceDetail, s.HeldAt,
                full ? protector.Unprotect(s.Participants) : null, full ? protector.Unprotect(s.Notes) : null)).ToList(),
            Obligations = obligations.Select(o => new ObligationView(o.Id, o.Party, full ? protector.Unprotect(o.Description) : null, o.DueAt,
                o.FollowedUpAt is null && o.DueAt <= now, o.FollowedUpAt, o.Performed, o.PerformedAt is { } p && p <= o.DueAt, full ? o.FollowUpNote : null)).ToList(),
            Referrals = referrals.Select(x => new ReferralView(x.Id, x.Kind, x.ProviderCode, providers.GetValueOrDefault(x.ProviderCode), full ? x.Reason : null, x.CreatedAt, x.CompletedAt, full ? x.Result : null)).ToList(),
            Facts = full ? protector.Unprotect(c.AgreementFacts) : null,
            FailureReason = full ? c.FailureReason : null,
        };
    }

    /// <summary>The court period's light on the working calendar (green, yellow at 80 %, red when due), while the case is open.</summary>
    public string? Light(MediationCaseRow c, DateTime now) =>
        c.DueAt is { } due && CaseStatus.IsOpen(c.Status)
            ? Handling.Deadlines.LightName(deadlines.LightOf(c.ReceivedAt, due, new DateTimeOffset(now, TimeSpan.Zero)))
            : null;

    public static IReadOnlyList<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed record NamedRef(string Code, string Name);
public sealed record CourtView(string? Court, string? Reference, DateTime? DueAt, string? Light);
public sealed record JudicialView(string? State, string? Court, DateTime? AppliedAt, DateTime? DueAt, DateTime? DecidedAt);
public sealed record OutcomeView(string? Summary, DateTime? EndedAt, string? AgreementNumber, DateTime? AgreedAt, string? Referral, string? RefusalNextStep, JudicialView Judicial);
public sealed record PartyView(string? Name, string? Phone, string? Role);
public sealed record SessionView(long Id, DateTime ScheduledAt, string Place, string? PlaceDetail, DateTime? HeldAt, string? Participants, string? Notes);
public sealed record ObligationView(long Id, string Party, string? Description, DateTime DueAt, bool FollowUpDue, DateTime? FollowedUpAt, bool? Performed, bool PerformedOnTime, string? Note);
public sealed record ReferralView(long Id, string Kind, string Provider, string? ProviderName, string? Reason, DateTime CreatedAt, DateTime? CompletedAt, string? Result);

public sealed record CaseView(
    long Id, string MatterCode, string Title, string Status, string? Specialty, string TerritoryCode, string? TerritoryName,
    int PartyCount, bool HighRisk, DateTime ReceivedAt, CourtView? Court, NamedRef? Organization, NamedRef? Mediator,
    OutcomeView Outcome, string Sight, int Version,
    IReadOnlyList<PartyView>? Parties, IReadOnlyList<SessionView>? Sessions, IReadOnlyList<ObligationView>? Obligations,
    IReadOnlyList<ReferralView>? Referrals, string? Facts, string? FailureReason);
