using System.Text.Json;
using Concord.Domain.Categories;
using Concord.Domain.Matters;
using Concord.Domain.Workflow;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Duplicates;
using Concord.Server.Features.Letters;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Handling;

/// <summary>The outcome of a transition: the matter, or why not (status code + problem).</summary>
public sealed record HandlingOutcome(MatterRow? Matter, IResult? Problem)
{
    public static HandlingOutcome Refused(IResult problem) => new(null, problem);
}

/// <summary>One step of a matter's handling, as the caller asked for it.</summary>
public sealed record HandlingStep(MatterAction Action, JsonElement Body);

/// <summary>
/// 事要解决: carries a matter along its workflow. Every step checks who may take it from the
/// current state, applies it, moves deadlines, records an event and an audit entry, counts items
/// for the case-to-item ratio, and saves with the row version so that a stale write never wins.
/// </summary>
public sealed class MatterHandling(ConcordDb db, CatalogStore catalog, CurrentStaff staff, Deadlines deadlines, LetterService letters, TimeProvider clock, Catalogue.Versions.DispatchCatalogue dispatchCatalogue)
{
    /// <summary>The catalogue versions, loaded for the steps that dispatch (Catalogue/Versions).</summary>
    private Catalogue.Versions.CatalogueVersions? catalogueVersions;

    public async Task<HandlingOutcome> ApplyAsync(string code, HandlingStep step, int? expectedVersion, CancellationToken ct)
    {
        var matter = await db.Matters.SingleOrDefaultAsync(m => m.Code == code, ct);
        var scope = await staff.ScopeAsync(ct);
        if (matter is null || !scope.Covers(matter))
        {
            return HandlingOutcome.Refused(Problems.Problem.NotFound("detail.matter_not_found", code));
        }

        return await ApplyToAsync(matter, step, RelationTo(matter), expectedVersion, scope, ct);
    }

    /// <summary>
    /// A step the resident takes through the tracking link (the verdict): the tracking code and
    /// its secret stand for the resident; a wrong secret is answered like an unknown code.
    /// </summary>
    public async Task<HandlingOutcome> ApplyAsResidentAsync(string trackingCode, string? secret, HandlingStep step, CancellationToken ct)
    {
        var matter = await db.Matters.SingleOrDefaultAsync(m => m.TrackingCode == trackingCode, ct);
        if (matter is null || !Portal.Tracking.SecretMatches(secret, matter.TrackingSecretHash))
        {
            return HandlingOutcome.Refused(Problems.Problem.NotFound("detail.matter_not_found", trackingCode));
        }

        // The reporter of a merged matter follows the survivor: their verdict counts there.
        matter = await MatterReporters.SurvivorOfAsync(db, matter, ct);
        return await ApplyToAsync(matter, step, ActorRelation.Resident, null, AccessScope.Nothing, ct);
    }

    private Actor? acting;

    private Actor Acting => acting ?? staff.Actor;

    private async Task<HandlingOutcome> ApplyToAsync(MatterRow matter, HandlingStep step, ActorRelation relation, int? expectedVersion, AccessScope scope, CancellationToken ct)
    {
        acting = relation == ActorRelation.Resident ? new Actor("resident", staff.Actor.Source) : staff.Actor;
        if (expectedVersion is { } version && version != matter.Version)
        {
            return HandlingOutcome.Refused(Problems.Problem.Create(StatusCodes.Status412PreconditionFailed, "stale", "title.stale", Problems.Messages.Text("detail.stale", matter.Version)));
        }

        WireNames.TryParseStatus(matter.Status, out var from);
        if (MatterWorkflow.Check(step.Action, from, relation) is { } refusal)
        {
            return HandlingOutcome.Refused(Problems.Problem.Create(StatusCodes.Status409Conflict, "illegal-transition", "title.illegal_transition", Problems.Messages.Text(refusal.MessageKey, refusal.Args)));
        }

        var now = clock.GetUtcNow();
        var errors = new List<FieldError>();
        if (step.Action is MatterAction.Dispatch or MatterAction.Redispatch or MatterAction.DetermineOnSite)
        {
            catalogueVersions = await dispatchCatalogue.GetAsync(ct);
        }

        var result = step.Action switch
        {
            MatterAction.Dispatch => Dispatch(matter, step.Body, now, errors, redispatch: false),
            MatterAction.Redispatch => Dispatch(matter, step.Body, now, errors, redispatch: true),
            MatterAction.DetermineOnSite => DetermineOnSite(matter, step.Body, now, errors),
            MatterAction.Accept => Accept(matter, now),
            MatterAction.Progress => Progress(matter, step.Body, now, errors),
            MatterAction.Return => Return(matter, step.Body, now, errors),
            MatterAction.RequestExtension => RequestExtension(matter, step.Body, now, errors),
            MatterAction.DecideExtension => DecideExtension(matter, step.Body, now, errors),
            MatterAction.Reply => Reply(matter, step.Body, now, errors),
            MatterAction.Verdict => GiveVerdict(matter, step.Body, now, errors),
            MatterAction.Reopen => Reopen(matter, step.Body, now, errors),
            MatterAction.Reject => Reject(matter, step.Body, now, errors),
            MatterAction.Merge => await MergeAsync(matter, step.Body, now, errors, scope, ct),
            MatterAction.Unmerge => await UnmergeAsync(matter, now, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        if (errors.Count > 0)
        {
            return HandlingOutcome.Refused(Problems.Problem.Validation(errors));
        }

        if (result is { } letter)
        {
            await letter(ct);
        }

        matter.Version++;
        matter.UpdatedAt = now.UtcDateTime;
        AuditLog.Append(db, Acting, $"matter.{Verb(step.Action)}", "matter", matter.Code, new { from = from.ToWire(), to = matter.Status, matter.LeadUnitCode }, now.UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return HandlingOutcome.Refused(Problems.Problem.Create(StatusCodes.Status412PreconditionFailed, "stale", "title.stale", Problems.Messages.Text("detail.stale", "?")));
        }

        return new(matter, null);
    }

    /// <summary>The actions the current user may take on this matter now: what a page offers, and only that.</summary>
    public IReadOnlyList<MatterAction> AvailableTo(MatterRow matter) =>
        WireNames.TryParseStatus(matter.Status, out var status) && staff.User.Identity?.IsAuthenticated == true
            ? MatterWorkflow.Available(status, RelationTo(matter))
            : [];

    public ActorRelation RelationTo(MatterRow matter)
    {
        var user = staff.User;
        if (user.IsInRole(Roles.Dispatcher) || user.IsInRole(Roles.Admin))
        {
            return ActorRelation.Center;
        }

        if ((user.IsInRole(Roles.Handler) || user.IsInRole(Roles.UnitHead)) && staff.UnitCode is { } unit && matter.LeadUnitCode == unit)
        {
            return ActorRelation.LeadUnit;
        }

        return ActorRelation.Other;
    }

    public static string Verb(MatterAction action) => action switch
    {
        MatterAction.Dispatch => "dispatched",
        MatterAction.Redispatch => "redispatched",
        MatterAction.DetermineOnSite => "determined_on_site",
        MatterAction.Accept => "accepted",
        MatterAction.Progress => "progress",
        MatterAction.Return => "returned",
        MatterAction.RequestExtension => "extension_requested",
        MatterAction.DecideExtension => "extension_decided",
        MatterAction.Reply => "replied",
        MatterAction.Verdict => "verdict",
        MatterAction.CloseUnrated => "closed_unrated",
        MatterAction.Reopen => "reopened",
        MatterAction.Merge => "merged",
        MatterAction.Reject => "rejected",
        MatterAction.Unmerge => "unmerged",
        _ => action.ToString().ToLowerInvariant(),
    };

    private delegate Task LetterStep(CancellationToken ct);

    private LetterStep? Dispatch(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors, bool redispatch)
    {
        var snapshot = catalog.Current;
        var categoryCode = Text(body, "categoryCode") ?? matter.CategoryCode;
        var category = snapshot.Categories.Find(categoryCode);
        if (category is null)
        {
            errors.Add(new("categoryCode", categoryCode is null ? "required" : "unknown_category", categoryCode ?? ""));
        }

        var lead = Text(body, "leadUnit") ?? (redispatch ? null : matter.LeadUnitCode);
        if (lead is null || !snapshot.Units.ContainsKey(lead))
        {
            errors.Add(new("leadUnit", lead is null ? "required" : "unknown_unit", lead ?? ""));
        }
        else if (redispatch && lead == matter.LeadUnitCode)
        {
            errors.Add(new("leadUnit", "same_unit", lead));
        }

        var assisting = Strings(body, "assistingUnits") ?? (Text(body, "leadUnit") is null ? matter.AssistingUnitCodes.Split(',', StringSplitOptions.RemoveEmptyEntries) : []);
        foreach (var (unit, i) in assisting.Select((u, i) => (u, i)))
        {
            if (!snapshot.Units.ContainsKey(unit) || unit == lead)
            {
                errors.Add(new($"assistingUnits[{i}]", "unknown_unit", unit));
            }
        }

        var reason = Text(body, "reason");
        if (redispatch && string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new("reason", "required"));
        }

        // 部门事项不下沉 (Catalogue/Versions): a department's matter goes down to a township or community
        // unit only on the center's explicit override, with its reason; the event records both.
        var catalogueVersion = catalogueVersions?.InForceAt(now).Number;
        string? overrideReason = null;
        if (errors.Count == 0 && catalogueVersions is { } versions)
        {
            var (forbidden, byCatalogue, _) = versions.CheckPushDown(category!.Code, matter.TerritoryCode, lead!, now);
            if (forbidden)
            {
                overrideReason = Text(body, "overrideReason");
                if (Bool(body, "override") != true)
                {
                    errors.Add(new("leadUnit", "catalogue.department_push_down", byCatalogue.Rule!.Id, Matters.Views.UnitOf(byCatalogue.LeadUnitCode, snapshot)!.Name));
                }
                else if (string.IsNullOrWhiteSpace(overrideReason))
                {
                    errors.Add(new("overrideReason", "catalogue.override_reason_required"));
                }
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var previous = matter.LeadUnitCode;
        matter.CategoryCode = category!.Code;
        matter.Urgency = category.Urgency.ToString().ToLowerInvariant();
        matter.LeadUnitCode = lead;
        matter.AssistingUnitCodes = string.Join(',', assisting);
        matter.Status = MatterStatus.Dispatched.ToWire();
        if (Text(body, "leadUnit") is not null)
        {
            matter.RoutingBasis = "manual";
            matter.RoutingRuleId = null;
        }

        StartDeadlines(matter, category, now);
        matter.Items++;
        AddEvent(matter, redispatch ? "redispatched" : "dispatched", now, new { leadUnit = lead, assistingUnits = assisting, previous, reason, categoryCode = category.Code, acceptDueAt = matter.AcceptDueAt, replyDueAt = matter.ReplyDueAt, catalogueVersion, overrideReason });

        // 点对点交办: the center assigns it with an assignment letter.
        if (Bool(body, "pointToPoint") == true)
        {
            return ct => letters.IssueAsync(LetterKind.Assignment, lead!, [matter], $"关于交办{matter.Code}号事项的交办函",
                $"现将“{matter.Title}”交由你单位主办，请于{deadlines.Local(matter.ReplyDueAt!.Value):yyyy年M月d日}前办结并反馈。", matter.ReplyDueAt, null, staff.Actor.Id, ct);
        }

        return null;
    }

    private LetterStep? DetermineOnSite(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var note = Text(body, "note");
        if (string.IsNullOrWhiteSpace(note))
        {
            errors.Add(new("note", "required"));
        }

        var result = Dispatch(matter, body, now, errors, redispatch: false);
        if (errors.Count > 0)
        {
            return null;
        }

        // 现场认定 is binding: the unit owns the matter from here, as if it had accepted it.
        matter.Status = MatterStatus.Accepted.ToWire();
        matter.AcceptedAt = now.UtcDateTime;
        matter.SweepStage = "";
        SetReplyWatch(matter);
        AddEvent(matter, "determined_on_site", now, new { note, leadUnit = matter.LeadUnitCode });
        return result;
    }

    private LetterStep? Accept(MatterRow matter, DateTimeOffset now)
    {
        matter.Status = MatterStatus.Accepted.ToWire();
        matter.AcceptedAt = now.UtcDateTime;
        // From here the sweep watches the reply deadline, from its start.
        matter.SweepStage = "";
        SetReplyWatch(matter);
        AddEvent(matter, "accepted", now, new { unit = staff.UnitCode, late = matter.AcceptDueAt < now.UtcDateTime });
        return null;
    }

    private LetterStep? Progress(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var note = RequiredText(body, "note", 4000, errors);
        if (note is null)
        {
            return null;
        }

        matter.Status = MatterStatus.InProgress.ToWire();
        AddEvent(matter, "progress", now, new { note });
        return null;
    }

    private LetterStep? Return(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var reasonText = Text(body, "reason");
        if (!TryParseReturnReason(reasonText, out var reason))
        {
            errors.Add(new("reason", "one_of", reasonText ?? "", string.Join(", ", Enum.GetValues<ReturnReason>().Select(ReturnReasonName))));
        }

        var text = RequiredText(body, "text", 2000, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        var unit = matter.LeadUnitCode;
        matter.Status = MatterStatus.Returned.ToWire();
        matter.NextCheckAt = null;
        matter.SweepStage = "";
        matter.Items++;
        AddEvent(matter, "returned", now, new { unit, reason = ReturnReasonName(reason), text });
        return null;
    }

    private LetterStep? RequestExtension(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var reason = RequiredText(body, "reason", 2000, errors);
        var days = Int(body, "extraWorkingDays");
        if (days is null or < 1 or > 60)
        {
            errors.Add(new("extraWorkingDays", "out_of_range", days?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", 1, 60));
        }

        if (matter.ExtensionRequestedUntil is not null)
        {
            errors.Add(new("extraWorkingDays", "extension_pending"));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var until = deadlines.Add(new DateTimeOffset(matter.ReplyDueAt!.Value, TimeSpan.Zero), new WorkingSpan(days!.Value, WorkingSpanUnit.Days));
        matter.ExtensionRequestedUntil = until.UtcDateTime;
        AddEvent(matter, "extension_requested", now, new { reason, extraWorkingDays = days, until = matter.ExtensionRequestedUntil });
        return null;
    }

    private LetterStep? DecideExtension(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var approve = Bool(body, "approve");
        if (approve is null)
        {
            errors.Add(new("approve", "required"));
        }

        if (matter.ExtensionRequestedUntil is null)
        {
            errors.Add(new("approve", "no_extension_pending"));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var until = matter.ExtensionRequestedUntil;
        if (approve == true)
        {
            matter.ReplyDueAt = until;
            matter.SweepStage = "";
            SetReplyWatch(matter);
        }

        matter.ExtensionRequestedUntil = null;
        AddEvent(matter, approve == true ? "extension_approved" : "extension_refused", now, new { until, note = Text(body, "note") });
        return null;
    }

    private LetterStep? Reply(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var result = RequiredText(body, "result", 4000, errors);
        if (result is null)
        {
            return null;
        }

        matter.Status = MatterStatus.Replied.ToWire();
        matter.RepliedAt = now.UtcDateTime;
        matter.ReplyText = result;
        matter.ExtensionRequestedUntil = null;
        matter.SweepStage = "";
        // The resident has a window to give the verdict; the sweep closes the matter unrated after it.
        matter.NextCheckAt = deadlines.VerdictWindowEnd(now).UtcDateTime;
        AddEvent(matter, "replied", now, new { result, late = matter.ReplyDueAt < now.UtcDateTime });
        return null;
    }

    private LetterStep? GiveVerdict(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var verdictText = Text(body, "verdict");
        Verdict? verdict = verdictText switch
        {
            "satisfied" => Verdict.Satisfied,
            "basically_satisfied" => Verdict.BasicallySatisfied,
            "dissatisfied" => Verdict.Dissatisfied,
            _ => null,
        };
        if (verdict is null)
        {
            errors.Add(new("verdict", "one_of", verdictText ?? "", "satisfied, basically_satisfied, dissatisfied"));
            return null;
        }

        var comment = Text(body, "comment");
        var next = MatterWorkflow.AfterVerdict(verdict.Value, matter.Dissatisfactions);
        matter.Verdict = verdictText;
        matter.Status = next.ToWire();
        AddEvent(matter, "verdict", now, new { verdict = verdictText, comment, recordedBy = Acting.Id == "resident" ? "resident" : "operator" });
        if (verdict == Verdict.Dissatisfied)
        {
            matter.Dissatisfactions++;
            if (next == MatterStatus.InProgress)
            {
                ReopenToLead(matter, now, "dissatisfied");
            }
            else
            {
                matter.NextCheckAt = null;
                AddEvent(matter, "to_review", now, new { dissatisfactions = matter.Dissatisfactions });
            }
        }
        else
        {
            matter.ClosedAt = now.UtcDateTime;
            matter.NextCheckAt = null;
            AddEvent(matter, "closed", now, new { verdict = verdictText });
        }

        return null;
    }

    private LetterStep? Reopen(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var reason = RequiredText(body, "reason", 2000, errors);
        if (reason is null)
        {
            return null;
        }

        matter.Status = MatterStatus.InProgress.ToWire();
        ReopenToLead(matter, now, reason);
        return null;
    }

    private void ReopenToLead(MatterRow matter, DateTimeOffset now, string reason)
    {
        var category = catalog.Current.Categories.Find(matter.CategoryCode);
        matter.ClosedAt = null;
        matter.ReplyDueAt = category is null ? now.UtcDateTime : deadlines.Add(now, category.ReplyWithin).UtcDateTime;
        matter.DispatchedAt = now.UtcDateTime;
        matter.SweepStage = "";
        SetReplyWatch(matter);
        matter.Items++;
        AddEvent(matter, "reopened", now, new { reason, leadUnit = matter.LeadUnitCode, replyDueAt = matter.ReplyDueAt });
    }

    private LetterStep? Reject(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors)
    {
        var basis = RequiredText(body, "basis", 2000, errors);
        if (basis is null)
        {
            return null;
        }

        matter.Status = MatterStatus.Rejected.ToWire();
        matter.ClosedAt = now.UtcDateTime;
        matter.NextCheckAt = null;
        AddEvent(matter, "rejected", now, new { basis });
        return null;
    }

    private async Task<LetterStep?> MergeAsync(MatterRow matter, JsonElement body, DateTimeOffset now, List<FieldError> errors, AccessScope scope, CancellationToken ct)
    {
        var intoCode = Text(body, "into");
        var into = intoCode is null ? null : await db.Matters.SingleOrDefaultAsync(m => m.Code == intoCode, ct);
        if (into is null || !scope.Covers(into) || into.Id == matter.Id || !WireNames.TryParseStatus(into.Status, out var intoStatus) || MatterWorkflow.IsFinal(intoStatus))
        {
            errors.Add(new("into", "bad_merge_target", intoCode ?? ""));
            return null;
        }

        // Kept with the link, so that an unmerge restores the matter as it was.
        var (priorStatus, priorNextCheckAt, priorClosedAt) = (matter.Status, matter.NextCheckAt, matter.ClosedAt);
        matter.Status = MatterStatus.Merged.ToWire();
        matter.MergedIntoId = into.Id;
        matter.NextCheckAt = null;
        matter.ClosedAt = now.UtcDateTime;
        AddEvent(matter, "merged", now, new { into = into.Code });
        // The surviving matter carries the repeat complaint as an item (one case, n items); every reporter
        // of this matter (and of those merged into it before) now follows the survivor.
        into.Items++;
        into.Version++;
        into.UpdatedAt = now.UtcDateTime;
        AddEvent(into, "repeat_complaint", now, new { from = matter.Code, channel = matter.Channel });
        await MatterReporters.RecordMergeAsync(db, matter, into, priorStatus, priorNextCheckAt, priorClosedAt, Acting.Id, now.UtcDateTime, ct);
        return null;
    }

    /// <summary>撤销并单: the merged matter gets back its state from before the merge; the survivor loses the item.</summary>
    private async Task<LetterStep?> UnmergeAsync(MatterRow matter, DateTimeOffset now, CancellationToken ct)
    {
        var into = matter.MergedIntoId is { } id ? await db.Matters.SingleOrDefaultAsync(m => m.Id == id, ct) : null;
        matter.MergedIntoId = null;
        var link = await MatterReporters.UndoMergeAsync(db, matter, into?.Id ?? 0, ct);
        // A merge from before the link table kept no prior state: the matter goes back to the dispatcher's queue.
        matter.Status = link?.PriorStatus ?? MatterStatus.Received.ToWire();
        matter.NextCheckAt = link?.PriorNextCheckAt;
        matter.ClosedAt = link?.PriorClosedAt;
        AddEvent(matter, "unmerged", now, new { from = into?.Code, status = matter.Status });
        if (into is not null)
        {
            into.Items = Math.Max(0, into.Items - 1);
            into.Version++;
            into.UpdatedAt = now.UtcDateTime;
            AddEvent(into, "merge_undone", now, new { matter = matter.Code });
        }

        return null;
    }

    private void StartDeadlines(MatterRow matter, Category category, DateTimeOffset now)
    {
        matter.DispatchedAt = now.UtcDateTime;
        matter.AcceptedAt = null;
        matter.AcceptDueAt = deadlines.Add(now, category.AcceptWithin).UtcDateTime;
        matter.ReplyDueAt = deadlines.Add(now, category.ReplyWithin).UtcDateTime;
        matter.ExtensionRequestedUntil = null;
        matter.SweepStage = "";
        matter.NextCheckAt = deadlines.YellowAt(now, new DateTimeOffset(matter.AcceptDueAt.Value, TimeSpan.Zero)).UtcDateTime;
    }

    /// <summary>After acceptance the sweep watches the reply deadline.</summary>
    private void SetReplyWatch(MatterRow matter)
    {
        if (matter.ReplyDueAt is { } due && matter.DispatchedAt is { } start)
        {
            matter.NextCheckAt = matter.SweepStage switch
            {
                "" => deadlines.YellowAt(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(due, TimeSpan.Zero)).UtcDateTime,
                "yellow" => due,
                _ => null,
            };
        }
    }

    private void AddEvent(MatterRow matter, string type, DateTimeOffset at, object data) =>
        MatterEvents.Record(db, matter, type, at.UtcDateTime, Acting.Id, data);

    public static string ReturnReasonName(ReturnReason reason) => reason switch
    {
        ReturnReason.NotOurDuty => "not_our_duty",
        ReturnReason.WrongPlace => "wrong_place",
        ReturnReason.InsufficientInformation => "insufficient_information",
        ReturnReason.Duplicate => "duplicate",
        _ => "other",
    };

    private static bool TryParseReturnReason(string? text, out ReturnReason reason)
    {
        foreach (var value in Enum.GetValues<ReturnReason>())
        {
            if (ReturnReasonName(value) == text)
            {
                reason = value;
                return true;
            }
        }

        reason = default;
        return false;
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;

    private static string? RequiredText(JsonElement body, string name, int max, List<FieldError> errors)
    {
        var text = Text(body, name);
        if (text is null)
        {
            errors.Add(new(name, "required"));
        }
        else if (text.Length > max)
        {
            errors.Add(new(name, "too_long", max, text.Length));
            return null;
        }

        return text;
    }

    private static bool? Bool(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static int? Int(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static string[]? Strings(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : null;
}
