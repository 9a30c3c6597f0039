using System.Globalization;
using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Letters;
using Concord.Server.Features.Matters;
using Concord.Server.Features.Warnings;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Analysis;

public sealed record DecisionRequest(string? Text, string? OwnerUnit, string? DueOn);

public sealed record SessionRequest(string? Kind, string? HeldOn, string? Title, string[]? Participants, string[]? Items, string? Conclusions, DecisionRequest[]? Decisions);

public sealed record DecisionView(long Id, string Text, UnitLink Owner, DateOnly DueOn, string LetterNumber, DateTime CreatedAt);

public sealed record SessionView(long Id, string Kind, DateOnly HeldOn, string Title, IReadOnlyList<string> Participants, IReadOnlyList<string> Items, string Conclusions, string CreatedBy, DateTime CreatedAt, IReadOnlyList<DecisionView> Decisions);

/// <summary>
/// Analysis sessions (研判): the record of a meeting and its decisions. Each decision is an assignment
/// to an owner unit with a due date, issued as an assignment letter (交办函) whose reply deadline is the
/// due date — the deadline sweep escalates it like any unanswered letter.
/// </summary>
public sealed class AnalysisSessions(ConcordDb db, CatalogStore catalog, LetterService letters, LocalCalendar calendar, TimeProvider clock)
{
    public static readonly string[] Kinds = ["instant", "periodic", "special_topic", "emergency"];
    public static readonly string[] ItemTypes = ["signal", "matter", "risk"];

    public sealed record Outcome(SessionView? Session, IReadOnlyList<FieldError> Errors, bool NotFound = false);

    public async Task<Outcome> CreateAsync(AccessScope scope, Actor actor, SessionRequest? request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (request?.Kind is not { } kind || !Kinds.Contains(kind))
        {
            errors.Add(new("kind", "one_of", request?.Kind ?? "", string.Join(", ", Kinds)));
        }

        var heldOn = ParseDate(request?.HeldOn, "heldOn", errors, required: false) ?? calendar.LocalDate(clock.GetUtcNow());
        if (string.IsNullOrWhiteSpace(request?.Title)) errors.Add(new("title", "required"));
        else if (request.Title.Length > 200) errors.Add(new("title", "too_long", 200, request.Title.Length));
        var participants = (request?.Participants ?? []).Select(p => p?.Trim() ?? "").Where(p => p.Length > 0).ToList();
        if (participants.Count == 0) errors.Add(new("participants", "required"));
        if ((request?.Conclusions?.Length ?? 0) > 8000) errors.Add(new("conclusions", "too_long", 8000, request!.Conclusions!.Length));
        var items = await CheckItemsAsync(scope, request?.Items ?? [], errors, ct);
        var decisions = CheckDecisions(request?.Decisions ?? [], "decisions", errors);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var session = new AnalysisSessionRow
        {
            Kind = request!.Kind!,
            HeldOn = heldOn,
            Title = request.Title!.Trim(),
            Participants = string.Join('\n', participants),
            Items = string.Join(' ', items),
            Conclusions = request.Conclusions?.Trim() ?? "",
            CreatedBy = actor.Id,
            CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(session);
        await db.SaveChangesAsync(ct);
        foreach (var d in decisions)
        {
            await DecideAsync(session, d, actor, ct);
        }

        AuditLog.Append(db, actor, "analysis.session_recorded", "analysis_session", session.Id.ToString(CultureInfo.InvariantCulture), new { session.Kind, decisions = decisions.Count }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(View(session), []);
    }

    public async Task<Outcome> AddDecisionAsync(Actor actor, long id, DecisionRequest? request, CancellationToken ct)
    {
        var session = await db.Set<AnalysisSessionRow>().Include(s => s.Decisions).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (session is null)
        {
            return new(null, [], NotFound: true);
        }

        var errors = new List<FieldError>();
        var decisions = CheckDecisions(request is null ? [] : [request], "", errors);
        if (errors.Count > 0 || decisions.Count == 0)
        {
            return new(null, errors.Count > 0 ? errors : [new("text", "required")]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await DecideAsync(session, decisions[0], actor, ct);
        AuditLog.Append(db, actor, "analysis.decision_added", "analysis_session", session.Id.ToString(CultureInfo.InvariantCulture), null, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(View(session), []);
    }

    private sealed record CheckedDecision(string Text, string Owner, DateOnly DueOn);

    private List<CheckedDecision> CheckDecisions(IReadOnlyList<DecisionRequest?> requests, string prefix, List<FieldError> errors)
    {
        var today = calendar.LocalDate(clock.GetUtcNow());
        var result = new List<CheckedDecision>();
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var at = prefix.Length == 0 ? "" : $"{prefix}[{i}].";
            var before = errors.Count;
            if (string.IsNullOrWhiteSpace(r?.Text)) errors.Add(new($"{at}text", "required"));
            else if (r.Text.Length > 2000) errors.Add(new($"{at}text", "too_long", 2000, r.Text.Length));
            if (r?.OwnerUnit is null || !catalog.Current.Units.ContainsKey(r.OwnerUnit)) errors.Add(new($"{at}ownerUnit", "unknown_unit", r?.OwnerUnit ?? ""));
            var due = ParseDate(r?.DueOn, $"{at}dueOn", errors, required: true);
            if (due is { } d && d < today) errors.Add(new($"{at}dueOn", "sessions.due_in_past", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            if (errors.Count == before)
            {
                result.Add(new(r!.Text!.Trim(), r.OwnerUnit!, due!.Value));
            }
        }

        return result;
    }

    private async Task<List<string>> CheckItemsAsync(AccessScope scope, IReadOnlyList<string?> items, List<FieldError> errors, CancellationToken ct)
    {
        var result = new List<string>();
        foreach (var raw in items)
        {
            var item = raw?.Trim() ?? "";
            var colon = item.IndexOf(':');
            var type = colon > 0 ? item[..colon] : "";
            var reference = colon > 0 ? item[(colon + 1)..].Trim() : "";
            if (!ItemTypes.Contains(type) || reference.Length == 0 || reference.Length > 64 || reference.Contains(' '))
            {
                errors.Add(new("items", "sessions.bad_item", item));
                continue;
            }

            var known = type switch
            {
                "signal" => long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && await db.Set<SignalRow>().AnyAsync(s => s.Id == id, ct),
                "matter" => await scope.Apply(db.Matters).AnyAsync(m => m.Code == reference, ct),
                _ => true, // risks are plain references until the register is wired in
            };
            if (!known)
            {
                errors.Add(new("items", "sessions.unknown_item", item));
                continue;
            }

            result.Add($"{type}:{reference}");
        }

        return result;
    }

    private static DateOnly? ParseDate(string? text, string field, List<FieldError> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(new(field, "required"));
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new(field, "bad_filter", text));
        return null;
    }

    private async Task DecideAsync(AnalysisSessionRow session, CheckedDecision d, Actor actor, CancellationToken ct)
    {
        // Due at the close of the due date's working day (18:00 local).
        var dueAt = TimeZoneInfo.ConvertTimeToUtc(d.DueOn.ToDateTime(new TimeOnly(18, 0), DateTimeKind.Unspecified), calendar.Zone);
        var letter = await letters.IssueAsync(LetterKind.Assignment, d.Owner, [],
            $"关于落实{session.HeldOn.Year}年{session.HeldOn.Month}月{session.HeldOn.Day}日研判会议决定事项的交办函",
            $"根据“{session.Title}”研判会议决定：{d.Text}\n请你单位明确责任人，按期办理并反馈。",
            dueAt, $"session:{session.Id}:{session.Decisions.Count + 1}", actor.Id, ct);
        session.Decisions.Add(new SessionDecisionRow { Text = d.Text, OwnerUnitCode = d.Owner, DueOn = d.DueOn, LetterNumber = letter.Number, CreatedAt = clock.GetUtcNow().UtcDateTime });
    }

    public async Task<List<AnalysisSessionRow>> ListAsync(int limit, CancellationToken ct) =>
        await db.Set<AnalysisSessionRow>().AsNoTracking().Include(s => s.Decisions)
            .OrderByDescending(s => s.HeldOn).ThenByDescending(s => s.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct);

    public async Task<AnalysisSessionRow?> FindAsync(long id, CancellationToken ct) =>
        await db.Set<AnalysisSessionRow>().AsNoTracking().Include(s => s.Decisions).SingleOrDefaultAsync(s => s.Id == id, ct);

    public SessionView View(AnalysisSessionRow s) => new(
        s.Id, s.Kind, s.HeldOn, s.Title,
        s.Participants.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        s.Items.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        s.Conclusions, s.CreatedBy, s.CreatedAt,
        s.Decisions.OrderBy(d => d.Id).Select(d => new DecisionView(d.Id, d.Text, Views.UnitOf(d.OwnerUnitCode, catalog.Current) ?? new UnitLink(d.OwnerUnitCode, d.OwnerUnitCode), d.DueOn, d.LetterNumber, d.CreatedAt)).ToList());
}
