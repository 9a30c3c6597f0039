using Concord.Domain.Matters;
using Concord.Domain.Risks;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Risks;

public sealed record MeasureDraft(string? Text, DateTimeOffset? DueAt);

/// <summary>What a new risk needs. <c>Level</c> with <c>LevelReason</c> overrides the grading rule.</summary>
public sealed record RiskDraft(
    string? Domain, string? Title, string? Description, string? TerritoryCode,
    int? PeopleInvolved, decimal? AmountYuan, int? HouseholdsAffected,
    string? ResponsibleUnit, string? ResponsibleLeader,
    string? Level = null, string? LevelReason = null,
    IReadOnlyList<MeasureDraft>? Measures = null, IReadOnlyList<string>? Matters = null,
    string? Source = null, string? SourceRef = null);

/// <summary>How to narrow the register. Every filter is optional; <c>Territory</c> includes its subtree.</summary>
public sealed record RiskFilter(
    string? Territory = null, string? Domain = null, string? Level = null, string? Status = null, string? Unit = null,
    DateTime? ListedFrom = null, DateTime? ListedTo = null, bool OverdueOnly = false, bool OpenOnly = false, int Limit = 200);

public sealed record RiskOutcome(RiskRow? Risk, IReadOnlyList<FieldError> Errors, IResult? Problem = null)
{
    public bool Succeeded => Risk is not null && Errors.Count == 0 && Problem is null;
}

/// <summary>
/// The risk register (风险隐患清单) as a use case: list in a scope, create (from a form, a report, a
/// campaign answer or an early-warning signal), review, move along the state machine, add and finish
/// measures, link matters. The API, the pages and other features (early warning) call it directly.
/// </summary>
public sealed class RiskRegister(ConcordDb db, CatalogStore catalog, TimeProvider clock, LocalCalendar calendar, Handling.Deadlines deadlines, IConfiguration configuration)
{
    public const int MaxMeasures = 30;

    public static readonly string[] Sources = ["manual", "report", "signal", "campaign", "session"];

    /// <summary>The review cadence by level in days, from <c>Concord:Risks:ReviewDays:{Red,Orange,Yellow,Blue}</c> (7, 14, 30, 90).</summary>
    public ReviewCadence Cadence => new(
        Days("Red", ReviewCadence.Default.RedDays), Days("Orange", ReviewCadence.Default.OrangeDays),
        Days("Yellow", ReviewCadence.Default.YellowDays), Days("Blue", ReviewCadence.Default.BlueDays));

    private int Days(string level, int fallback) => Math.Max(1, configuration.GetValue($"Concord:Risks:ReviewDays:{level}", fallback));

    /// <summary>The center's time zone: dates in filters are local dates.</summary>
    public TimeZoneInfo Zone => calendar.Zone;

    /// <summary>The whole register, for the system and the center.</summary>
    public static readonly AccessScope Everything = new(true, null, null, []);

    /// <summary>Risks a scope sees: the territory's subtree, plus the risks its unit is responsible for anywhere.</summary>
    public static IQueryable<RiskRow> Apply(AccessScope scope, IQueryable<RiskRow> risks)
    {
        if (scope.Everything)
        {
            return risks;
        }

        var path = scope.Territory is { } t ? $",{t.Code}," : "\u0000";
        var unit = scope.UnitCode ?? "\u0000";
        return risks.Where(r => r.TerritoryPath.Contains(path) || r.ResponsibleUnitCode == unit);
    }

    public static bool Covers(AccessScope scope, RiskRow risk) =>
        scope.Everything
        || (scope.Territory is { } t && risk.TerritoryPath.Contains($",{t.Code},", StringComparison.Ordinal))
        || (scope.UnitCode is { } u && risk.ResponsibleUnitCode == u);

    /// <summary>Whether a place lies in a scope (for writes: a unit lists risks in its own territory only).</summary>
    public bool CoversPlace(AccessScope scope, string territoryCode) =>
        scope.Everything || (scope.Territory is { } t && catalog.Current.Tree.IsWithin(territoryCode, t.Code));

    public async Task<List<RiskRow>> ListAsync(RiskFilter filter, AccessScope scope, CancellationToken ct)
    {
        var query = Apply(scope, db.Set<RiskRow>().AsNoTracking());
        if (filter.Territory is { Length: > 0 } territory)
        {
            var path = $",{territory},";
            query = query.Where(r => r.TerritoryPath.Contains(path));
        }

        if (filter.Domain is { Length: > 0 } domain) query = query.Where(r => r.Domain == domain);
        if (filter.Level is { Length: > 0 } level) query = query.Where(r => r.Level == level);
        if (filter.Status is { Length: > 0 } status) query = query.Where(r => r.Status == status);
        if (filter.Unit is { Length: > 0 } unit) query = query.Where(r => r.ResponsibleUnitCode == unit);
        if (filter.ListedFrom is { } from) query = query.Where(r => r.ListedAt >= from);
        if (filter.ListedTo is { } to) query = query.Where(r => r.ListedAt < to);
        var closed = RiskStatus.Closed.Wire();
        if (filter.OpenOnly) query = query.Where(r => r.Status != closed);
        if (filter.OverdueOnly)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var overdueMeasures = db.Set<RiskMeasureRow>().Where(m => m.DoneAt == null && m.DueAt < now).Select(m => m.RiskId);
            query = query.Where(r => r.Status != closed && ((r.NextReviewDueAt != null && r.NextReviewDueAt < now) || overdueMeasures.Contains(r.Id)));
        }

        // Most severe first (red < orange < yellow < blue as text is not the order: map it), then newest.
        var rows = await query.OrderByDescending(r => r.ListedAt).ThenByDescending(r => r.Id).Take(Math.Clamp(filter.Limit, 1, 1000)).ToListAsync(ct);
        return rows.OrderBy(r => RiskLevels.TryParse(r.Level, out var l) ? (int)l : 9).ThenByDescending(r => r.ListedAt).ThenByDescending(r => r.Id).ToList();
    }

    /// <summary>Ids of the given risks with a measure past its deadline and not done.</summary>
    public async Task<HashSet<long>> WithOverdueMeasuresAsync(IReadOnlyCollection<long> riskIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = riskIds.ToList();
        return (await db.Set<RiskMeasureRow>().AsNoTracking().Where(m => ids.Contains(m.RiskId) && m.DoneAt == null && m.DueAt < now).Select(m => m.RiskId).Distinct().ToListAsync(ct)).ToHashSet();
    }

    public Task<RiskRow?> FindAsync(string code, AccessScope scope, CancellationToken ct) =>
        Apply(scope, db.Set<RiskRow>()).SingleOrDefaultAsync(r => r.Code == code, ct);

    /// <summary>
    /// Validates and lists a risk with its measures and linked matters, in the caller's transaction if
    /// there is one (else its own), with an audit entry. Nothing is written when anything is wrong.
    /// </summary>
    public async Task<RiskOutcome> CreateAsync(RiskDraft draft, string actor, AccessScope scope, CancellationToken ct, long? campaignId = null)
    {
        var errors = Validate(draft);
        var snapshot = catalog.Current;
        var territory = snapshot.Tree.Find(draft.TerritoryCode);
        var matterCodes = draft.Matters ?? [];
        var matters = matterCodes.Count == 0 ? [] : await scope.Apply(db.Matters).Where(m => matterCodes.Contains(m.Code)).ToListAsync(ct);
        foreach (var missing in matterCodes.Except(matters.Select(m => m.Code)))
        {
            errors.Add(new("matters", "bad_filter", missing));
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        if (!CoversPlace(scope, territory!.Code))
        {
            return new(null, [], Problems.Problem.Create(StatusCodes.Status403Forbidden, "out-of-scope", "title.out_of_scope", Problems.Messages.Text("risk.place_out_of_scope", territory.Code)));
        }

        var computed = RiskGrading.Grade(draft.Domain!, new RiskScale(draft.PeopleInvolved, draft.AmountYuan, draft.HouseholdsAffected));
        RiskLevel? chosen = RiskLevels.TryParse(draft.Level, out var l) ? l : null;
        var grade = RiskGrading.Decide(computed, chosen, draft.LevelReason);
        var now = clock.GetUtcNow();
        var at = now.UtcDateTime;

        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var year = calendar.LocalDate(now).Year;
            var sequence = await NextAsync(db, $"risk:{year}", ct);
            var risk = new RiskRow
            {
                Code = $"FX{year}-{sequence:0000}",
                Domain = draft.Domain!,
                Title = draft.Title!.Trim(),
                Description = draft.Description!.Trim(),
                TerritoryCode = territory.Code,
                TerritoryPath = PathOf(territory.Code),
                Level = grade.Level.Wire(),
                ComputedLevel = computed.Level.Wire(),
                LevelRule = grade.Rule,
                LevelOverrideReason = grade.OverrideReason,
                PeopleInvolved = draft.PeopleInvolved,
                AmountYuan = draft.AmountYuan,
                HouseholdsAffected = draft.HouseholdsAffected,
                ResponsibleUnitCode = draft.ResponsibleUnit!,
                ResponsibleLeader = draft.ResponsibleLeader!.Trim(),
                Status = RiskStatus.Listed.Wire(),
                Source = draft.Source ?? "manual",
                SourceRef = draft.SourceRef,
                CampaignId = campaignId,
                ListedAt = at,
                UpdatedAt = at,
                NextReviewDueAt = Cadence.NextDue(grade.Level, RiskStatus.Listed, at),
                CreatedBy = actor,
            };
            db.Set<RiskRow>().Add(risk);
            await db.SaveChangesAsync(ct);
            foreach (var measure in draft.Measures ?? [])
            {
                AddMeasure(risk, measure.Text!.Trim(), measure.DueAt!.Value.UtcDateTime, now);
            }

            foreach (var matter in matters)
            {
                db.Set<RiskMatterRow>().Add(new RiskMatterRow { RiskId = risk.Id, MatterId = matter.Id });
            }

            AuditLog.Append(db, new Actor(actor, "local"), "risk.listed", "risk", risk.Code,
                new { risk.Domain, risk.Level, rule = risk.LevelRule, overridden = grade.Overridden, risk.Source, risk.SourceRef }, at);
            await db.SaveChangesAsync(ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }

            return new(risk, []);
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>",620000,620800,620802," for a territory: its chain, root first.</summary>
    public string PathOf(string territoryCode) => "," + string.Join(",", catalog.Current.Tree.ChainOf(territoryCode).Select(t => t.Code)) + ",";

    public List<FieldError> Validate(RiskDraft draft)
    {
        var snapshot = catalog.Current;
        var errors = new List<FieldError>();
        if (KeyDomains.Find(draft.Domain) is null) errors.Add(new("domain", "one_of", draft.Domain ?? "", KeyDomains.WireList));
        Text(errors, "title", draft.Title, 100);
        Text(errors, "description", draft.Description, 4000);
        if (string.IsNullOrWhiteSpace(draft.TerritoryCode)) errors.Add(new("territoryCode", "required"));
        else if (snapshot.Tree.Find(draft.TerritoryCode) is null) errors.Add(new("territoryCode", "unknown_territory", draft.TerritoryCode));
        if (draft.PeopleInvolved is < 0 or > 10_000_000) errors.Add(new("peopleInvolved", "out_of_range", draft.PeopleInvolved, 0, 10_000_000));
        if (draft.HouseholdsAffected is < 0 or > 10_000_000) errors.Add(new("householdsAffected", "out_of_range", draft.HouseholdsAffected, 0, 10_000_000));
        if (draft.AmountYuan is < 0 or > 1_000_000_000_000m) errors.Add(new("amountYuan", "out_of_range", draft.AmountYuan, 0, 1_000_000_000_000m));
        if (string.IsNullOrWhiteSpace(draft.ResponsibleUnit)) errors.Add(new("responsibleUnit", "required"));
        else if (!snapshot.Units.ContainsKey(draft.ResponsibleUnit)) errors.Add(new("responsibleUnit", "unknown_unit", draft.ResponsibleUnit));
        Text(errors, "responsibleLeader", draft.ResponsibleLeader, 50);
        if (draft.Source is not null && !Sources.Contains(draft.Source)) errors.Add(new("source", "one_of", draft.Source, string.Join(", ", Sources)));
        if (draft.Level is not null && !RiskLevels.TryParse(draft.Level, out _)) errors.Add(new("level", "one_of", draft.Level, RiskLevels.WireList));
        else if (draft.Level is not null && KeyDomains.Find(draft.Domain) is not null)
        {
            RiskLevels.TryParse(draft.Level, out var chosen);
            var computed = RiskGrading.Grade(draft.Domain!, new RiskScale(draft.PeopleInvolved, draft.AmountYuan, draft.HouseholdsAffected));
            if (RiskGrading.NeedsReason(computed, chosen, draft.LevelReason))
            {
                errors.Add(new("levelReason", "risk.override_reason", computed.Level.Wire(), RiskGrading.MinOverrideReason));
            }
        }

        var measures = draft.Measures ?? [];
        if (measures.Count > MaxMeasures) errors.Add(new("measures", "too_many", MaxMeasures));
        var now = clock.GetUtcNow();
        for (var i = 0; i < measures.Count; i++)
        {
            ValidateMeasure(errors, $"measures[{i}].", measures[i], now);
        }

        return errors;
    }

    public static void ValidateMeasure(List<FieldError> errors, string prefix, MeasureDraft measure, DateTimeOffset now)
    {
        Text(errors, prefix + "text", measure.Text, 500);
        if (measure.DueAt is not { } due) errors.Add(new(prefix + "dueAt", "required"));
        else if (due <= now) errors.Add(new(prefix + "dueAt", "risk.due_in_past"));
    }

    /// <summary>A required text of at most <paramref name="max"/> characters (trimmed).</summary>
    public static void Text(List<FieldError> errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(field, "required"));
        else if (value.Trim().Length > max) errors.Add(new(field, "too_long", max, value.Trim().Length));
    }

    public RiskMeasureRow AddMeasure(RiskRow risk, string text, DateTime dueAt, DateTimeOffset now)
    {
        var measure = new RiskMeasureRow
        {
            RiskId = risk.Id,
            Text = text,
            CreatedAt = now.UtcDateTime,
            DueAt = dueAt,
            // Look first when 80 % of the working time to the deadline is used (the reminder), as for matters.
            NextCheckAt = dueAt <= now.UtcDateTime ? dueAt : deadlines.YellowAt(now, new DateTimeOffset(dueAt, TimeSpan.Zero)).UtcDateTime,
        };
        db.Set<RiskMeasureRow>().Add(measure);
        return measure;
    }

    /// <summary>Records a review: the note, optionally a new level (overriding the rule needs a reason) and a new status; the next review follows the cadence.</summary>
    public async Task<RiskOutcome> ReviewAsync(RiskRow risk, string? note, string? level, string? levelReason, string? status, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        Text(errors, "note", note, 4000);
        RiskWorkflow.TryParse(risk.Status, out var current);
        if (!RiskWorkflow.IsOpen(current))
        {
            return new(null, [], Illegal(risk.Status, "review"));
        }

        RiskLevel? newLevel = null;
        if (level is { Length: > 0 })
        {
            if (!RiskLevels.TryParse(level, out var parsed)) errors.Add(new("level", "one_of", level, RiskLevels.WireList));
            else
            {
                newLevel = parsed;
                RiskLevels.TryParse(risk.ComputedLevel, out var computed);
                if (parsed != computed && (levelReason?.Trim().Length ?? 0) < RiskGrading.MinOverrideReason)
                {
                    errors.Add(new("levelReason", "risk.override_reason", risk.ComputedLevel, RiskGrading.MinOverrideReason));
                }
            }
        }

        RiskStatus? newStatus = null;
        if (status is { Length: > 0 } && status != risk.Status)
        {
            if (!RiskWorkflow.TryParse(status, out var parsed)) errors.Add(new("status", "one_of", status, RiskWorkflow.WireList));
            else if (!RiskWorkflow.CanMove(current, parsed)) return new(null, [], Illegal(risk.Status, status));
            else newStatus = parsed;
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Set<RiskReviewRow>().Add(new RiskReviewRow
        {
            RiskId = risk.Id,
            At = now,
            By = actor,
            Note = note!.Trim(),
            LevelAfter = (newLevel ?? Parse(risk.Level)).Wire(),
            StatusAfter = (newStatus ?? current).Wire(),
            Late = ReviewCadence.IsOverdue(risk.NextReviewDueAt, now),
        });
        if (newLevel is { } lv && lv.Wire() != risk.Level)
        {
            risk.Level = lv.Wire();
            var isComputed = lv.Wire() == risk.ComputedLevel;
            risk.LevelRule = isComputed ? RiskGrading.Grade(risk.Domain, new RiskScale(risk.PeopleInvolved, risk.AmountYuan, risk.HouseholdsAffected)).Rule : RiskGrading.Override;
            risk.LevelOverrideReason = isComputed ? null : levelReason!.Trim();
        }

        risk.LastReviewAt = now;
        Move(risk, newStatus ?? current, now);
        AuditLog.Append(db, new Actor(actor, "local"), "risk.reviewed", "risk", risk.Code, new { level = risk.Level, status = risk.Status }, now);
        await db.SaveChangesAsync(ct);
        return new(risk, []);
    }

    /// <summary>Moves the risk to another status (state machine), with a note kept as a review entry.</summary>
    public async Task<RiskOutcome> ChangeStatusAsync(RiskRow risk, string? status, string? note, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (!RiskWorkflow.TryParse(status, out var to)) errors.Add(new("status", "one_of", status ?? "", RiskWorkflow.WireList));
        Text(errors, "note", note, 4000);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        RiskWorkflow.TryParse(risk.Status, out var from);
        if (!RiskWorkflow.CanMove(from, to))
        {
            return new(null, [], Illegal(risk.Status, status!));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Set<RiskReviewRow>().Add(new RiskReviewRow { RiskId = risk.Id, At = now, By = actor, Note = note!.Trim(), LevelAfter = risk.Level, StatusAfter = to.Wire(), Late = false });
        Move(risk, to, now);
        AuditLog.Append(db, new Actor(actor, "local"), "risk.status", "risk", risk.Code, new { from = from.Wire(), to = to.Wire() }, now);
        await db.SaveChangesAsync(ct);
        return new(risk, []);
    }

    private void Move(RiskRow risk, RiskStatus to, DateTime now)
    {
        risk.Status = to.Wire();
        risk.UpdatedAt = now;
        risk.ClosedAt = to == RiskStatus.Closed ? now : null;
        risk.NextReviewDueAt = Cadence.NextDue(Parse(risk.Level), to, risk.LastReviewAt ?? risk.ListedAt);
        risk.Version++;
    }

    private static RiskLevel Parse(string level) => RiskLevels.TryParse(level, out var l) ? l : RiskLevel.Blue;

    public static IResult Illegal(string from, string to) =>
        Problems.Problem.Create(StatusCodes.Status409Conflict, "illegal-transition", "title.illegal_transition", Problems.Messages.Text("risk.illegal_status", from, to));

    /// <summary>Closing a risk stops its measures' letters too.</summary>
    public async Task<RiskOutcome> AddMeasureAsync(RiskRow risk, MeasureDraft draft, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var now = clock.GetUtcNow();
        ValidateMeasure(errors, "", draft, now);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        if (risk.Status == RiskStatus.Closed.Wire())
        {
            return new(null, [], Illegal(risk.Status, "measure"));
        }

        AddMeasure(risk, draft.Text!.Trim(), draft.DueAt!.Value.UtcDateTime, now);
        risk.UpdatedAt = now.UtcDateTime;
        risk.Version++;
        AuditLog.Append(db, new Actor(actor, "local"), "risk.measure_added", "risk", risk.Code, new { dueAt = draft.DueAt }, now.UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new(risk, []);
    }

    public async Task<RiskOutcome> FinishMeasureAsync(RiskRow risk, long measureId, string? note, string actor, CancellationToken ct)
    {
        var measure = await db.Set<RiskMeasureRow>().SingleOrDefaultAsync(m => m.Id == measureId && m.RiskId == risk.Id, ct);
        if (measure is null)
        {
            return new(null, [], Problems.Problem.NotFound("risk.measure_not_found", measureId));
        }

        var errors = new List<FieldError>();
        Text(errors, "note", note, 2000);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        measure.DoneAt ??= now;
        measure.DoneNote = note!.Trim();
        measure.NextCheckAt = null;
        risk.UpdatedAt = now;
        risk.Version++;
        AuditLog.Append(db, new Actor(actor, "local"), "risk.measure_done", "risk", risk.Code, new { measure = measureId }, now);
        await db.SaveChangesAsync(ct);
        return new(risk, []);
    }

    public async Task<RiskOutcome> LinkMatterAsync(RiskRow risk, string? matterCode, AccessScope scope, string actor, CancellationToken ct)
    {
        var matter = matterCode is null ? null : await scope.Apply(db.Matters).SingleOrDefaultAsync(m => m.Code == matterCode, ct);
        if (matter is null)
        {
            return new(null, [new("matter", "bad_filter", matterCode ?? "")]);
        }

        if (!await db.Set<RiskMatterRow>().AnyAsync(x => x.RiskId == risk.Id && x.MatterId == matter.Id, ct))
        {
            db.Set<RiskMatterRow>().Add(new RiskMatterRow { RiskId = risk.Id, MatterId = matter.Id });
            AuditLog.Append(db, new Actor(actor, "local"), "risk.matter_linked", "risk", risk.Code, new { matter = matter.Code }, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
        }

        return new(risk, []);
    }

    /// <summary>A named counter in the caller's transaction (both stores accept ON CONFLICT and RETURNING).</summary>
    public static async Task<long> NextAsync(ConcordDb db, string name, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("INSERT INTO counters (\"Name\", \"Value\") VALUES ({0}, 0) ON CONFLICT (\"Name\") DO NOTHING", [name], ct);
        var values = await db.Database.SqlQueryRaw<long>("UPDATE counters SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = {0} RETURNING \"Value\" AS \"Value\"", name).ToListAsync(ct);
        return values.Single();
    }
}
