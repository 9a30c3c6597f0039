using System.Globalization;
using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Figures;
using Concord.Server.Features.Letters;
using Concord.Server.Features.Letters.Documents;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Bulletins;

public sealed record WeeklyRequest(string? Territory, string? Week);

public sealed record SpecialRequest(string? Territory, string? Category, string? From, string? To, string? Title);

public sealed record BulletinEdit(string? Title, string? Summary, string? Analysis, string? Suggestions, int? Version);

public sealed record BulletinSummary(long Id, string Kind, string Status, string? Number, string Title, string Territory, string TerritoryName, string? Category, DateOnly From, DateOnly To, DateTime DraftedAt, DateTime? IssuedAt, int Version);

public sealed record BulletinView(BulletinSummary Bulletin, string Summary, string Analysis, string Suggestions, BulletinFigures Figures, IReadOnlyDictionary<string, string> Charts, string Docx);

/// <summary>
/// Bulletins (周报, 专报): drafted from live data, edited in their text sections, issued once (numbered
/// per kind and year from a counter, then immutable). The weekly report of a territory and week exists
/// once, whichever node drafts it first (unique key).
/// </summary>
public sealed class BulletinService(ConcordDb db, CatalogStore catalog, BulletinComposer composer, LetterService letters, LocalCalendar calendar, Handling.Deadlines deadlines, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public static readonly string[] Charts = ["volume", "categories"];

    public sealed record Outcome(BulletinRow? Row, IReadOnlyList<FieldError> Errors, bool NotFound = false, bool Conflict = false, bool Stale = false);

    /// <summary>The Monday that starts the local week holding <paramref name="day"/>.</summary>
    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The last complete week before today.</summary>
    public DateOnly LastWeek() => MondayOf(calendar.LocalDate(clock.GetUtcNow())).AddDays(-7);

    /// <summary>The topmost territory: the one whose parent is not in the catalogue (平凉市 under an absent 甘肃省).</summary>
    public static Territory? Root(TerritoryTree tree) =>
        tree.All.Where(t => t.ParentCode is null || tree.Find(t.ParentCode) is null).OrderBy(t => t.Code.Length).ThenBy(t => t.Code, StringComparer.Ordinal).FirstOrDefault();

    public static string WeeklyKey(string territory, DateOnly monday) => $"weekly|{territory}|{monday:yyyy-MM-dd}";

    public bool InScope(AccessScope scope, BulletinRow row) =>
        scope.Everything || (scope.Territory is { } t && catalog.Current.Tree.IsWithin(row.TerritoryCode, t.Code));

    /// <summary>Drafts the weekly report of a territory and week unless it exists; returns it either way.</summary>
    public async Task<BulletinRow> DraftWeeklyAsync(Territory territory, DateOnly monday, string by, CancellationToken ct)
    {
        var key = WeeklyKey(territory.Code, monday);
        if (await db.Set<BulletinRow>().SingleOrDefaultAsync(b => b.Key == key, ct) is { } existing)
        {
            return existing;
        }

        var figures = await composer.ComputeAsync(territory, null, monday, monday.AddDays(6), ct);
        var row = NewRow(key, "weekly", territory, null, figures, $"{territory.Name}社会治理形势周报（{monday.Month}月{monday.Day}日—{monday.AddDays(6).Month}月{monday.AddDays(6).Day}日）", by);
        try
        {
            db.Add(row);
            AuditLog.Append(db, by == Actor.System.Id ? Actor.System : new Actor(by, "local"), "bulletin.drafted", "bulletin", key, null, row.DraftedAt);
            await db.SaveChangesAsync(ct);
            return row;
        }
        catch (DbUpdateException)
        {
            // Another node drafted it first: theirs stands.
            db.ChangeTracker.Clear();
            return await db.Set<BulletinRow>().SingleAsync(b => b.Key == key, ct);
        }
    }

    public async Task<Outcome> DraftSpecialAsync(Territory territory, string? category, DateOnly from, DateOnly to, string? title, Actor actor, CancellationToken ct)
    {
        var figures = await composer.ComputeAsync(territory, category, from, to, ct);
        var topic = figures.CategoryName is { } name ? $"{territory.Name}{name}" : territory.Name;
        var row = NewRow($"special|{Guid.NewGuid():N}", "special", territory, category, figures,
            string.IsNullOrWhiteSpace(title) ? $"关于{topic}有关情况的专报" : title.Trim(), actor.Id);
        db.Add(row);
        AuditLog.Append(db, actor, "bulletin.drafted", "bulletin", row.Key, new { category }, row.DraftedAt);
        await db.SaveChangesAsync(ct);
        return new(row, []);
    }

    private BulletinRow NewRow(string key, string kind, Territory territory, string? category, BulletinFigures figures, string title, string by) => new()
    {
        Key = key,
        Kind = kind,
        TerritoryCode = territory.Code,
        CategoryCode = category,
        PeriodFrom = figures.From,
        PeriodTo = figures.To,
        Title = title,
        Figures = JsonSerializer.Serialize(figures, Json),
        Summary = SummaryText(figures),
        Analysis = AnalysisText(figures),
        Suggestions = "",
        DraftedAt = clock.GetUtcNow().UtcDateTime,
        DraftedBy = by,
    };

    public static BulletinFigures FiguresOf(BulletinRow row) => JsonSerializer.Deserialize<BulletinFigures>(row.Figures, Json)!;

    public static string Percent(RateView rate) => rate.Value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>总体情况, drafted from the figures; the analyst rewrites it as needed.</summary>
    public static string SummaryText(BulletinFigures f)
    {
        var topic = f.CategoryName is { } c ? $"{f.TerritoryName}{c}类" : f.TerritoryName;
        var trend = f.ChangePercent switch
        {
            null => $"上期 {f.PreviousVolume} 件",
            > 0 => $"较上期（{f.PreviousVolume} 件）上升 {f.ChangePercent.Value.ToString("0.0", CultureInfo.InvariantCulture)}%",
            < 0 => $"较上期（{f.PreviousVolume} 件）下降 {(-f.ChangePercent.Value).ToString("0.0", CultureInfo.InvariantCulture)}%",
            _ => $"与上期（{f.PreviousVolume} 件）持平",
        };
        return $"{f.From.Month}月{f.From.Day}日至{f.To.Month}月{f.To.Day}日，{topic}共受理群众诉求和矛盾纠纷等事项 {f.Volume} 件，{trend}。"
            + $"响应率 {Percent(f.Response)}，解决率 {Percent(f.Resolution)}，满意率 {Percent(f.Satisfaction)}；尚未办结 {f.Open} 件，其中超期 {f.Overdue} 件。";
    }

    private static string AnalysisText(BulletinFigures f)
    {
        var lines = new List<string>();
        if (f.TopCategories.Count > 0)
        {
            lines.Add("从类别看，" + string.Join("，", f.TopCategories.Take(3).Select(c => $"{c.Name} {c.Volume} 件")) + "，位居前列。");
        }

        if (f.Hotspots.Count > 0)
        {
            lines.Add("从区域看，" + string.Join("，", f.Hotspots.Take(3).Select(a => $"{a.Name} {a.Volume} 件")) + "，相对集中。");
        }

        if (f.Signals > 0)
        {
            lines.Add($"本期预警信号 {f.Signals} 个，已确认 {f.SignalsByMethod.Sum(s => s.Confirmed)} 个、排除 {f.SignalsByMethod.Sum(s => s.Dismissed)} 个。");
        }

        return string.Join("\n", lines);
    }

    public async Task<Outcome> EditAsync(AccessScope scope, Actor actor, long id, BulletinEdit? edit, CancellationToken ct)
    {
        var row = await db.Set<BulletinRow>().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (row is null || !InScope(scope, row))
        {
            return new(null, [], NotFound: true);
        }

        if (row.Status != "draft")
        {
            return new(row, [], Conflict: true);
        }

        if (edit?.Version is { } version && version != row.Version)
        {
            return new(row, [], Stale: true);
        }

        var errors = new List<FieldError>();
        if (edit?.Title is { } title && (title.Trim().Length == 0 || title.Length > 200)) errors.Add(new("title", title.Trim().Length == 0 ? "required" : "too_long", 200, title.Length));
        foreach (var (field, value) in new[] { ("summary", edit?.Summary), ("analysis", edit?.Analysis), ("suggestions", edit?.Suggestions) })
        {
            if (value is { Length: > 8000 }) errors.Add(new(field, "too_long", 8000, value.Length));
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        row.Title = edit?.Title?.Trim() ?? row.Title;
        row.Summary = edit?.Summary?.Trim() ?? row.Summary;
        row.Analysis = edit?.Analysis?.Trim() ?? row.Analysis;
        row.Suggestions = edit?.Suggestions?.Trim() ?? row.Suggestions;
        row.EditedAt = clock.GetUtcNow().UtcDateTime;
        row.EditedBy = actor.Id;
        row.Version++;
        AuditLog.Append(db, actor, "bulletin.edited", "bulletin", row.Key, null, row.EditedAt.Value);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(row, [], Stale: true);
        }

        return new(row, []);
    }

    public async Task<Outcome> IssueAsync(AccessScope scope, Actor actor, long id, CancellationToken ct)
    {
        var row = await db.Set<BulletinRow>().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (row is null || !InScope(scope, row))
        {
            return new(null, [], NotFound: true);
        }

        if (row.Status != "draft")
        {
            return new(row, [], Conflict: true);
        }

        var now = clock.GetUtcNow();
        var year = calendar.LocalDate(now).Year;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var kindChar = row.Kind == "weekly" ? "周" : "专";
        var counter = $"bulletin:{letters.IssuerUnitCode}:{row.Kind}:{year}";
        await db.Database.ExecuteSqlRawAsync("INSERT INTO counters (\"Name\", \"Value\") VALUES ({0}, 0) ON CONFLICT (\"Name\") DO NOTHING", [counter], ct);
        var sequence = (await db.Database.SqlQueryRaw<long>("UPDATE counters SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = {0} RETURNING \"Value\" AS \"Value\"", counter).ToListAsync(ct)).Single();
        row.Status = "issued";
        row.Year = year;
        row.Sequence = sequence;
        row.Number = $"{letters.IssuerPrefix}{kindChar}〔{year}〕{sequence}号";
        row.IssuedAt = now.UtcDateTime;
        row.IssuedBy = actor.Id;
        row.Version++;
        AuditLog.Append(db, actor, "bulletin.issued", "bulletin", row.Key, new { row.Number }, now.UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(row, [], Conflict: true);
        }

        await transaction.CommitAsync(ct);
        return new(row, []);
    }

    public async Task<BulletinRow?> FindAsync(AccessScope scope, long id, CancellationToken ct)
    {
        var row = await db.Set<BulletinRow>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        return row is not null && InScope(scope, row) ? row : null;
    }

    public async Task<List<BulletinRow>> ListAsync(AccessScope scope, string? kind, int limit, CancellationToken ct)
    {
        var query = db.Set<BulletinRow>().AsNoTracking();
        if (kind is not null)
        {
            query = query.Where(b => b.Kind == kind);
        }

        var rows = await query.OrderByDescending(b => b.PeriodFrom).ThenByDescending(b => b.Id).Take(500).ToListAsync(ct);
        return rows.Where(r => InScope(scope, r)).Take(Math.Clamp(limit, 1, 500)).ToList();
    }

    public BulletinSummary Summary(BulletinRow b) => new(b.Id, b.Kind, b.Status, b.Number, b.Title, b.TerritoryCode,
        catalog.Current.Tree.Find(b.TerritoryCode)?.Name ?? b.TerritoryCode, b.CategoryCode, b.PeriodFrom, b.PeriodTo, b.DraftedAt, b.IssuedAt, b.Version);

    public BulletinView View(BulletinRow b) => new(Summary(b), b.Summary, b.Analysis, b.Suggestions, FiguresOf(b),
        Charts.ToDictionary(c => c, c => $"/api/v1/bulletins/{b.Id}/charts/{c}.png"), $"/api/v1/bulletins/{b.Id}/docx");

    public static byte[] Chart(BulletinFigures f, string name) => name == "volume" ? BulletinCharts.Volume(f) : BulletinCharts.Categories(f);

    /// <summary>The bulletin in the official layout, its charts as pictures.</summary>
    public byte[] Docx(BulletinRow b)
    {
        var f = FiguresOf(b);
        var units = catalog.Current.Units;
        var issuer = units.TryGetValue(letters.IssuerUnitCode, out var u) ? u.Name : letters.IssuerUnitCode;
        var body = new List<string> { "一、总体情况" };
        body.AddRange(Lines(b.Summary));
        body.Add(BulletinDocument.Marker("volume"));
        body.Add("二、主要类别和热点区域");
        body.AddRange(f.TopCategories.Select((c, i) => $"{i + 1}. {c.Name}（{c.Code}）{c.Volume} 件"));
        if (f.TopCategories.Count > 0)
        {
            body.Add(BulletinDocument.Marker("categories"));
        }

        body.AddRange(f.Hotspots.Select(a => $"热点区域：{a.Name} {a.Volume} 件，未办结 {a.Open} 件，超期 {a.Overdue} 件。"));
        body.Add("三、办理质效");
        body.Add($"受理 {f.Volume} 件（上期 {f.PreviousVolume} 件）；响应率 {Percent(f.Response)}（{f.Response.Numerator}/{f.Response.Denominator}），解决率 {Percent(f.Resolution)}（{f.Resolution.Numerator}/{f.Resolution.Denominator}），满意率 {Percent(f.Satisfaction)}（{f.Satisfaction.Numerator}/{f.Satisfaction.Denominator}）。");
        body.Add($"尚未办结 {f.Open} 件，其中超期 {f.Overdue} 件。本期发出函件 {f.LettersIssued} 件，已回复 {f.LettersAnswered} 件" + (f.Letters.Count > 0 ? "（" + string.Join("，", f.Letters.Select(l => $"{LetterName(l.Kind)} {l.Issued} 件")) + "）" : "") + "。");
        body.Add("四、预警信号");
        body.Add(f.Signals == 0 ? "本期未产生预警信号。" : $"本期产生预警信号 {f.Signals} 个：" + string.Join("，", f.SignalsByMethod.Select(s => $"{s.Method.ToUpperInvariant()} {s.Raised} 个（确认 {s.Confirmed}、排除 {s.Dismissed}）")) + "。");
        body.AddRange(f.TopSignals.Select(s => s.Text));
        body.Add("五、风险隐患");
        body.Add(f.Risks.Wired ? RiskSentence(f.Risks) : "风险隐患清单未接入本期报告，本节暂无数据。");
        if (!string.IsNullOrWhiteSpace(b.Analysis))
        {
            body.Add("六、形势分析");
            body.AddRange(Lines(b.Analysis));
        }

        if (!string.IsNullOrWhiteSpace(b.Suggestions))
        {
            body.Add(string.IsNullOrWhiteSpace(b.Analysis) ? "六、工作建议" : "七、工作建议");
            body.AddRange(Lines(b.Suggestions));
        }

        var content = new LetterContent(issuer, b.Number ?? "（草稿）", b.Title, "各县（区）综治中心，市直有关单位", body, [],
            DateOnly.FromDateTime(deadlines.Local(b.IssuedAt ?? b.DraftedAt)), null, null);
        return BulletinDocument.Render(content, Charts.ToDictionary(c => c, c => Chart(f, c)));
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string LetterName(string kind) => LetterKinds.TryParse(kind, out var k) ? k.ChineseName() : kind;

    /// <summary>在册风险按等级：红色 2 项（本期新增 1 项、销号 0 项）……</summary>
    private static string RiskSentence(RiskSection risks)
    {
        string Name(string level) => level switch { "red" => "红色", "orange" => "橙色", "yellow" => "黄色", _ => "蓝色" };
        var open = risks.ByLevel.Sum(r => r.Listed);
        return $"在册风险隐患 {open} 项：" + string.Join("；", risks.ByLevel.Select(r => $"{Name(r.Level)} {r.Listed} 项（本期新增 {r.New} 项、销号 {r.Resolved} 项）")) + "。";
    }
}

/// <summary>Drafts last week's report for each configured territory (<c>Concord:Bulletins:WeeklyTerritories</c>; by default the root and its children), every <c>Concord:Bulletins:DraftSeconds</c> (3600; 0 turns it off).</summary>
public sealed class WeeklyDraftService(IServiceScopeFactory scopes, IConfiguration configuration, Startup.Readiness readiness, ILogger<WeeklyDraftService> logger)
    : Warnings.PeriodicJob(scopes, configuration, readiness, logger)
{
    protected override string IntervalKey => "Concord:Bulletins:DraftSeconds";

    protected override int DefaultSeconds => 3600;

    protected override Task RunOnceAsync(IServiceProvider services, CancellationToken ct) =>
        DraftAllAsync(services, services.GetRequiredService<IConfiguration>(), ct);

    /// <summary>Makes sure last week's report of each territory exists; returns how many territories it looked at.</summary>
    public static async Task<int> DraftAllAsync(IServiceProvider services, IConfiguration configuration, CancellationToken ct)
    {
        var catalog = services.GetRequiredService<CatalogStore>().Current;
        var bulletins = services.GetRequiredService<BulletinService>();
        var root = BulletinService.Root(catalog.Tree);
        var codes = configuration["Concord:Bulletins:WeeklyTerritories"] is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : root is null ? [] : [root.Code, .. catalog.Tree.ChildrenOf(root.Code).Select(c => c.Code)];
        var monday = bulletins.LastWeek();
        var drafted = 0;
        foreach (var code in codes)
        {
            if (catalog.Tree.Find(code) is { } territory)
            {
                await bulletins.DraftWeeklyAsync(territory, monday, Actor.System.Id, ct);
                drafted++;
            }
        }

        return drafted;
    }

}
