using System.Globalization;
using Concord.Domain.Categories;
using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Letters;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Warnings;

public sealed record SignalExplanation(
    string Method, string? Step, DateTime PeriodStart, double Observed,
    double? Mean, double? StandardDeviation, double? Statistic, double? Threshold,
    DateTime? BaselineFrom, DateTime? BaselineTo, string Because, string Text);

/// <summary>A signal confirmed as a risk: the risk listed in the register (风险隐患清单) from it.</summary>
public sealed record RiskIntent(string Level, string Title, string TerritoryCode, string? CategoryCode, IReadOnlyList<string> Matters, string? RiskCode);

public sealed record SignalView(
    long Id, string Key, string Method, Link Territory, Link? Category, string Status, DateTime RaisedAt,
    SignalExplanation Explain, IReadOnlyList<string> Matters,
    DateTime? DecidedAt, string? DecidedBy, string? Decision, string? Reason, string? LetterNumber, RiskIntent? Risk, int Version);

public sealed record ConfirmRequest(string? As, string? Addressee, string? Title, string? Body, int? ReplyInWorkingDays, string? RiskLevel, string? Note, string? RiskDomain = null);

public sealed record DismissRequest(string? Reason);

/// <summary>The analyst's decisions on signals: confirm as a warning letter, an assignment letter or a risk; or dismiss with a reason.</summary>
public sealed class SignalDesk(ConcordDb db, CatalogStore catalog, LetterService letters, Deadlines deadlines, IServiceProvider services, TimeProvider clock)
{
    public static readonly string[] ConfirmAs = ["warning_letter", "assignment", "risk"];
    public static readonly string[] RiskLevels = ["red", "orange", "yellow", "blue"];
    public const int MinReasonLength = 4;

    public sealed record Outcome(SignalView? Signal, IReadOnlyList<FieldError> Errors, bool NotFound = false, bool Conflict = false);

    /// <summary>Signals in the caller's scope (by the signal's territory), newest first.</summary>
    public async Task<List<SignalRow>> ListAsync(AccessScope scope, string? status, int limit, CancellationToken ct, string? method = null)
    {
        var query = db.Set<SignalRow>().AsNoTracking();
        if (status is not null)
        {
            query = query.Where(s => s.Status == status);
        }

        if (method is not null)
        {
            query = query.Where(s => s.Method == method);
        }

        var rows = await query.OrderByDescending(s => s.RaisedAt).ThenByDescending(s => s.Id).Take(Math.Clamp(limit, 1, 500) * (scope.Everything ? 1 : 4)).ToListAsync(ct);
        return rows.Where(s => InScope(scope, s)).Take(limit).ToList();
    }

    public bool InScope(AccessScope scope, SignalRow signal) =>
        scope.Everything || (scope.Territory is { } t && catalog.Current.Tree.IsWithin(signal.TerritoryCode, t.Code));

    public async Task<SignalRow?> FindAsync(AccessScope scope, long id, CancellationToken ct)
    {
        var row = await db.Set<SignalRow>().SingleOrDefaultAsync(s => s.Id == id, ct);
        return row is not null && InScope(scope, row) ? row : null;
    }

    /// <summary>The territory's own government, else the nearest government up its chain: who a warning about a place goes to.</summary>
    public string? GovernmentFor(string territoryCode)
    {
        var snapshot = catalog.Current;
        foreach (var t in snapshot.Tree.ChainOf(territoryCode).Reverse())
        {
            if (snapshot.GovernmentOf(t.Code) is { } government)
            {
                return government;
            }
        }

        return null;
    }

    public async Task<Outcome> ConfirmAsync(AccessScope scope, Actor actor, long id, ConfirmRequest? request, CancellationToken ct)
    {
        var signal = await FindAsync(scope, id, ct);
        if (signal is null)
        {
            return new(null, [], NotFound: true);
        }

        if (signal.Status != "open")
        {
            return new(View(signal), [], Conflict: true);
        }

        var errors = new List<FieldError>();
        var kind = request?.As;
        if (kind is null || !ConfirmAs.Contains(kind))
        {
            errors.Add(new("as", "one_of", kind ?? "", string.Join(", ", ConfirmAs)));
        }

        var snapshot = catalog.Current;
        var addressee = string.IsNullOrWhiteSpace(request?.Addressee) ? GovernmentFor(signal.TerritoryCode) : request.Addressee.Trim();
        if (kind is "warning_letter" or "assignment" && (addressee is null || !snapshot.Units.ContainsKey(addressee)))
        {
            errors.Add(new("addressee", "unknown_unit", addressee ?? ""));
        }

        var days = request?.ReplyInWorkingDays ?? 5;
        if (days is < 1 or > 60)
        {
            errors.Add(new("replyInWorkingDays", "out_of_range", days, 1, 60));
        }

        if (kind == "risk" && (request?.RiskLevel is not { } level || !RiskLevels.Contains(level)))
        {
            errors.Add(new("riskLevel", "one_of", request?.RiskLevel ?? "", string.Join(", ", RiskLevels)));
        }

        // The risk's key domain: the one asked for, else the one of the signal's category.
        var riskDomain = request?.RiskDomain is { Length: > 0 } asked ? Concord.Domain.Risks.KeyDomains.Find(asked)
            : Concord.Domain.Risks.KeyDomains.All.FirstOrDefault(d => signal.CategoryCode is { } c && c.StartsWith(d.CategoryCode, StringComparison.Ordinal));
        if (kind == "risk" && riskDomain is null)
        {
            errors.Add(new("riskDomain", "one_of", request?.RiskDomain ?? "", Concord.Domain.Risks.KeyDomains.WireList));
        }

        if (kind == "risk" && (addressee is null || !snapshot.Units.ContainsKey(addressee)))
        {
            errors.Add(new("addressee", "unknown_unit", addressee ?? ""));
        }

        if (request?.Title is { Length: > 200 } || request?.Note is { Length: > 2000 } || request?.Body is { Length: > 8000 })
        {
            errors.Add(new(request.Title is { Length: > 200 } ? "title" : request.Note is { Length: > 2000 } ? "note" : "body", "too_long", request.Title is { Length: > 200 } ? 200 : request.Note is { Length: > 2000 } ? 2000 : 8000, 0));
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var now = clock.GetUtcNow();
        var title = string.IsNullOrWhiteSpace(request!.Title) ? DefaultTitle(signal, kind!) : request.Title.Trim();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (kind is "warning_letter" or "assignment")
        {
            var codes = signal.MatterCodes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var matters = await db.Matters.Where(m => codes.Contains(m.Code)).OrderBy(m => m.Id).ToListAsync(ct);
            var body = string.IsNullOrWhiteSpace(request.Body) ? DefaultBody(signal, kind!) : request.Body.Trim();
            var letter = await letters.IssueAsync(kind == "warning_letter" ? LetterKind.Warning : LetterKind.Assignment, addressee!, matters, title, body,
                deadlines.Add(now, new WorkingSpan(days, WorkingSpanUnit.Days)).UtcDateTime, $"signal:{signal.Id}", actor.Id, ct);
            signal.LetterNumber = letter.Number;
        }
        else
        {
            // "As risk": listed in the register in this transaction, the signal's explanation as its
            // description and as the reason for its level (the register grades by people and money,
            // which a signal does not know), the addressee as the responsible unit.
            var register = services.GetRequiredService<Risks.RiskRegister>();
            var explanation = ExplainText(signal, zh: true);
            var listed = await register.CreateAsync(
                new Risks.RiskDraft(
                    riskDomain!.Wire, title.Length > 100 ? title[..100] : title, explanation, signal.TerritoryCode,
                    null, null, null, addressee, "属地分管负责同志",
                    Level: request.RiskLevel, LevelReason: $"预警信号确认（{signal.Key}）：{explanation}",
                    Matters: signal.MatterCodes.Split(' ', StringSplitOptions.RemoveEmptyEntries), Source: "signal", SourceRef: signal.Key),
                actor.Id, Risks.RiskRegister.Everything, ct);
            if (listed.Errors.Count > 0 || listed.Risk is null)
            {
                return new(null, listed.Errors.Count > 0 ? listed.Errors : [new FieldError("as", "bad_filter", "risk")]);
            }

            signal.RiskLevel = request.RiskLevel;
            signal.RiskTitle = title;
            signal.RiskCode = listed.Risk.Code;
        }

        signal.Status = "confirmed";
        signal.Decision = kind;
        signal.Reason = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        signal.DecidedAt = now.UtcDateTime;
        signal.DecidedBy = actor.Id;
        signal.Version++;
        AuditLog.Append(db, actor, "warning.confirmed", "signal", signal.Key, new { kind, signal.LetterNumber, signal.RiskLevel, signal.RiskCode }, now.UtcDateTime);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(View(signal), []);
    }

    public async Task<Outcome> DismissAsync(AccessScope scope, Actor actor, long id, DismissRequest? request, CancellationToken ct)
    {
        var signal = await FindAsync(scope, id, ct);
        if (signal is null)
        {
            return new(null, [], NotFound: true);
        }

        if (signal.Status != "open")
        {
            return new(View(signal), [], Conflict: true);
        }

        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length < MinReasonLength)
        {
            return new(null, [new FieldError("reason", "warnings.reason_required", MinReasonLength)]);
        }

        if (reason.Length > 2000)
        {
            return new(null, [new FieldError("reason", "too_long", 2000, reason.Length)]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        signal.Status = "dismissed";
        signal.Reason = reason;
        signal.DecidedAt = now;
        signal.DecidedBy = actor.Id;
        signal.Version++;
        AuditLog.Append(db, actor, "warning.dismissed", "signal", signal.Key, new { reason }, now);
        await db.SaveChangesAsync(ct);
        return new(View(signal), []);
    }

    private string TerritoryName(string code) => catalog.Current.Tree.Find(code)?.Name ?? code;

    private string CategoryName(string? code) =>
        code is not null && catalog.Current.Categories.Find(code) is { } c ? c.Name : "各类";

    private string DefaultTitle(SignalRow s, string kind) => kind switch
    {
        "warning_letter" => $"关于{TerritoryName(s.TerritoryCode)}{CategoryName(s.CategoryCode)}事项异常情况的风险预警函",
        "assignment" => $"关于处置{TerritoryName(s.TerritoryCode)}{CategoryName(s.CategoryCode)}事项异常情况的交办函",
        _ => $"{TerritoryName(s.TerritoryCode)}{CategoryName(s.CategoryCode)}事项异常",
    };

    private string DefaultBody(SignalRow s, string kind) =>
        ExplainText(s, zh: true) + "\n" + (kind == "warning_letter"
            ? "请你单位高度重视，及时研判风险，落实化解稳控措施，防止矛盾激化升级。"
            : "现交由你单位牵头处置，请明确责任人和时限，及时反馈处置情况。");

    /// <summary>The signal in one sentence: what was seen against what was expected, and by which rule.</summary>
    public string ExplainText(SignalRow s, bool zh)
    {
        var place = TerritoryName(s.TerritoryCode);
        var category = s.CategoryCode is null ? (zh ? "各类" : "all categories") : CategoryName(s.CategoryCode);
        string F(double? v) => v?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—";
        var unit = s.Step == "hour" ? (zh ? "小时" : "hour") : (zh ? "日" : "day");
        return s.Method switch
        {
            "c1" or "c2" or "c3" => zh
                ? $"经 EARS {s.Method.ToUpperInvariant()} 方法监测，{place}{category}事项在本{unit}（{Local(s.PeriodStart)}起）受理 {F(s.Observed)} 件，基线均值 {F(s.Mean)} 件、标准差 {F(s.StandardDeviation)}，统计量 {F(s.Statistic)}，超过阈值 {F(s.Threshold)}。"
                : $"EARS {s.Method.ToUpperInvariant()}: {F(s.Observed)} matters ({category}) in {place} in the {unit} from {Local(s.PeriodStart)}, against a baseline mean of {F(s.Mean)} (sd {F(s.StandardDeviation)}); statistic {F(s.Statistic)} above the threshold {F(s.Threshold)}.",
            "group_dispute" => zh
                ? $"{place}发生群体性矛盾纠纷（当事人 {F(s.Observed)} 方，规则：{s.Because}）。"
                : $"A group dispute in {place} ({F(s.Observed)} parties; rule: {s.Because}).",
            "repeat_complaint" => zh
                ? $"{place}同一地点同类问题重复反映 {F(s.Observed)} 次，前次事项未办结或不满意（规则：{s.Because}）。"
                : $"The same problem at one place in {place} reported {F(s.Observed)} times while an earlier matter is open or left dissatisfied (rule: {s.Because}).",
            _ => zh
                ? $"{place}同一地点短时间内集中反映 {F(s.Observed)} 件事项（规则：{s.Because}）。"
                : $"{F(s.Observed)} matters at one place in {place} within a short time (rule: {s.Because}).",
        };
    }

    private string Local(DateTime utc) => deadlines.Local(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public SignalView View(SignalRow s)
    {
        var snapshot = catalog.Current;
        var territory = snapshot.Tree.Find(s.TerritoryCode);
        var category = s.CategoryCode is null ? null : snapshot.Categories.Find(s.CategoryCode);
        var matters = s.MatterCodes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new SignalView(
            s.Id, s.Key, s.Method,
            new Link(s.TerritoryCode, territory?.Name ?? s.TerritoryCode, s.TerritoryLevel),
            category is null ? null : new Link(category.Code, Messages.IsZh ? category.Name : category.NameEn, "domain"),
            s.Status, s.RaisedAt,
            new SignalExplanation(s.Method, s.Step, s.PeriodStart, s.Observed, s.Mean, s.StandardDeviation, s.Statistic, s.Threshold, s.BaselineFrom, s.BaselineTo, s.Because, ExplainText(s, Messages.IsZh)),
            matters, s.DecidedAt, s.DecidedBy, s.Decision, s.Reason, s.LetterNumber,
            s.Decision == "risk" ? new RiskIntent(s.RiskLevel ?? "", s.RiskTitle ?? "", s.TerritoryCode, s.CategoryCode, matters, s.RiskCode) : null,
            s.Version);
    }
}
