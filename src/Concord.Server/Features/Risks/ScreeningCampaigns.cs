using Concord.Domain.Matters;
using Concord.Domain.Risks;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Risks;

public sealed record CampaignDraft(string? Title, string? Domain, DateOnly? PeriodStart, DateOnly? PeriodEnd, DateOnly? AnswerBy, IReadOnlyList<string>? Units);

public sealed record CampaignAnswer(bool? NoneFound, string? Note, IReadOnlyList<RiskDraft>? Risks);

/// <summary>A target's state: answered (with its risks, or "none found"), awaiting (before the deadline) or missing (after it).</summary>
public sealed record CampaignTargetView(string UnitCode, string State, DateTime? AnsweredAt, bool NoneFound, string? Note, IReadOnlyList<string> Risks);

/// <summary>
/// Screening campaigns (专项排查): the center names a domain, a period and the units that must screen;
/// each unit answers with the risks it found (listed in the register, linked to the campaign) or with
/// "none found". A unit that has not answered by the deadline is missing, for all to see.
/// </summary>
public sealed class ScreeningCampaigns(ConcordDb db, CatalogStore catalog, TimeProvider clock, LocalCalendar calendar, RiskRegister register)
{
    public async Task<(ScreeningCampaignRow? Campaign, IReadOnlyList<FieldError> Errors)> OpenAsync(CampaignDraft draft, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(draft.Title)) errors.Add(new("title", "required"));
        else if (draft.Title.Trim().Length > 100) errors.Add(new("title", "too_long", 100, draft.Title.Trim().Length));
        if (KeyDomains.Find(draft.Domain) is null) errors.Add(new("domain", "one_of", draft.Domain ?? "", KeyDomains.WireList));
        if (draft.PeriodStart is null) errors.Add(new("periodStart", "required"));
        if (draft.PeriodEnd is null) errors.Add(new("periodEnd", "required"));
        else if (draft.PeriodStart is { } s && draft.PeriodEnd < s) errors.Add(new("periodEnd", "risk.period_order"));
        var units = (draft.Units ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (units.Count == 0) errors.Add(new("units", "required"));
        foreach (var unit in units.Where(u => !catalog.Current.Units.ContainsKey(u)))
        {
            errors.Add(new("units", "unknown_unit", unit));
        }

        var answerBy = draft.AnswerBy ?? draft.PeriodEnd;
        if (answerBy is { } a && draft.PeriodStart is { } start && a < start) errors.Add(new("answerBy", "risk.period_order"));
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var zone = calendar.Zone;
        DateTime Utc(DateOnly d) => TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(TimeOnly.MinValue), zone);
        var now = clock.GetUtcNow().UtcDateTime;
        var campaign = new ScreeningCampaignRow
        {
            Title = draft.Title!.Trim(),
            Domain = draft.Domain!,
            PeriodStart = Utc(draft.PeriodStart!.Value),
            // The period and the answer deadline include their last day: up to the next local midnight.
            PeriodEnd = Utc(draft.PeriodEnd!.Value.AddDays(1)),
            AnswerDueAt = Utc(answerBy!.Value.AddDays(1)),
            CreatedBy = actor,
            CreatedAt = now,
            Targets = units.Select(u => new CampaignTargetRow { UnitCode = u }).ToList(),
        };
        db.Set<ScreeningCampaignRow>().Add(campaign);
        AuditLog.Append(db, new Actor(actor, "local"), "campaign.opened", "campaign", campaign.Title, new { campaign.Domain, units }, now);
        await db.SaveChangesAsync(ct);
        return (campaign, []);
    }

    public async Task<(bool Answered, IReadOnlyList<FieldError> Errors, IResult? Problem)> AnswerAsync(long campaignId, string? unitCode, CampaignAnswer answer, string actor, AccessScope scope, CancellationToken ct)
    {
        var target = unitCode is null ? null : await db.Set<CampaignTargetRow>().SingleOrDefaultAsync(t => t.CampaignId == campaignId && t.UnitCode == unitCode, ct);
        if (target is null)
        {
            return (false, [], Problem.Create(StatusCodes.Status403Forbidden, "forbidden", "title.forbidden", Messages.Text("campaign.not_a_target")));
        }

        if (target.AnsweredAt is not null)
        {
            return (false, [], Problem.Create(StatusCodes.Status409Conflict, "conflict", "title.conflict", Messages.Text("campaign.already_answered")));
        }

        var campaign = await db.Set<ScreeningCampaignRow>().AsNoTracking().SingleAsync(c => c.Id == campaignId, ct);
        var risks = answer.Risks ?? [];
        var errors = new List<FieldError>();
        if (answer.NoneFound == true && risks.Count > 0) errors.Add(new("noneFound", "campaign.none_with_risks"));
        if (answer.NoneFound != true && risks.Count == 0) errors.Add(new("risks", "campaign.answer_required"));
        if (answer.Note?.Trim().Length > 2000) errors.Add(new("note", "too_long", 2000, answer.Note.Trim().Length));
        // A campaign's risks are of its domain, and the answering unit is responsible unless it names another.
        var drafts = risks.Select(r => r with { Domain = r.Domain ?? campaign.Domain, ResponsibleUnit = r.ResponsibleUnit ?? unitCode, Source = "campaign", SourceRef = $"{campaign.Id}/{unitCode}" }).ToList();
        for (var i = 0; i < drafts.Count; i++)
        {
            errors.AddRange(register.Validate(drafts[i]).Select(e => e with { Field = $"risks[{i}].{e.Field}" }));
        }

        if (errors.Count > 0)
        {
            return (false, errors, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var draft in drafts)
        {
            var created = await register.CreateAsync(draft, actor, scope, ct, campaignId);
            if (!created.Succeeded)
            {
                return (false, created.Errors, created.Problem);
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        target.AnsweredAt = now;
        target.AnsweredBy = actor;
        target.NoneFound = answer.NoneFound == true;
        target.Note = answer.Note?.Trim();
        AuditLog.Append(db, new Actor(actor, "local"), "campaign.answered", "campaign", campaign.Title, new { unit = unitCode, risks = drafts.Count, noneFound = target.NoneFound }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (true, [], null);
    }

    /// <summary>Campaigns the caller takes part in (as a target), or all for the center.</summary>
    public async Task<List<ScreeningCampaignRow>> ListAsync(AccessScope scope, string? unitCode, CancellationToken ct)
    {
        var query = db.Set<ScreeningCampaignRow>().AsNoTracking().Include(c => c.Targets).AsQueryable();
        if (!scope.Everything)
        {
            var unit = unitCode ?? "\u0000";
            query = query.Where(c => c.Targets.Any(t => t.UnitCode == unit));
        }

        return await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(200).ToListAsync(ct);
    }

    public async Task<ScreeningCampaignRow?> FindAsync(long id, AccessScope scope, string? unitCode, CancellationToken ct)
    {
        var campaign = await db.Set<ScreeningCampaignRow>().AsNoTracking().Include(c => c.Targets).SingleOrDefaultAsync(c => c.Id == id, ct);
        return campaign is not null && (scope.Everything || campaign.Targets.Any(t => t.UnitCode == unitCode)) ? campaign : null;
    }

    public async Task<List<CampaignTargetView>> TargetsAsync(ScreeningCampaignRow campaign, CancellationToken ct)
    {
        var id = campaign.Id;
        var risks = await db.Set<RiskRow>().AsNoTracking().Where(r => r.CampaignId == id).Select(r => new { r.Code, r.SourceRef }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return campaign.Targets.OrderBy(t => t.UnitCode, StringComparer.Ordinal).Select(t => new CampaignTargetView(
            t.UnitCode,
            t.AnsweredAt is not null ? "answered" : now >= campaign.AnswerDueAt ? "missing" : "awaiting",
            t.AnsweredAt, t.NoneFound, t.Note,
            risks.Where(r => r.SourceRef == $"{id}/{t.UnitCode}").Select(r => r.Code).Order(StringComparer.Ordinal).ToList())).ToList();
    }
}
