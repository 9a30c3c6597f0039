using System.Globalization;
using Concord.Domain.Warnings;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Warnings;

/// <summary>What the engine reads from <c>Concord:Warnings</c>.</summary>
public sealed record WarningSettings(string Step, IReadOnlyList<string> Levels, int Catchup, EarsOptions Ears, RuleOptions Rules, int RuleLookbackHours)
{
    public static WarningSettings From(IConfiguration configuration)
    {
        var c = configuration.GetSection("Concord:Warnings");
        var step = c["Step"] is "hour" ? "hour" : "day";
        var levels = (c["Levels"] ?? "county,township,community,grid").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ears = new EarsOptions(
            c.GetValue("C1Threshold", 3.0), c.GetValue("C2Threshold", 3.0), c.GetValue("C3Threshold", 2.0), c.GetValue("C3Offset", 1.0),
            c.GetValue("MinStandardDeviation", 0.5), c.GetValue("MinObserved", 3));
        var rules = new RuleOptions(c.GetValue("GroupParties", 5), c.GetValue("RepeatWithinDays", 30), c.GetValue("BurstMatters", 5), c.GetValue("BurstMetres", 300.0), c.GetValue("BurstHours", 6.0));
        return new WarningSettings(step, levels, Math.Clamp(c.GetValue("Catchup", 3), 1, 48), ears, rules, Math.Clamp(c.GetValue("RuleLookbackHours", 24), 1, 24 * 7));
    }
}

/// <summary>
/// The early-warning engine (预警). Counts matters per period (day or hour) for every territory of the
/// configured levels (county, township, community, grid), all categories together and per top-level
/// category (domain), and applies EARS C1, C2 and C3 to the last complete periods; then the rules
/// (group disputes, repeat complaints, a burst at one place) to the recent matters. Each alarm becomes a
/// signal with a unique key, so a run repeated — on this node or another — raises nothing twice.
/// </summary>
public sealed class WarningEngine(ConcordDb db, CatalogStore catalog, LocalCalendar calendar, TimeProvider clock, MatterPersonalData personalData, IConfiguration configuration, ILogger<WarningEngine> logger)
{
    public const int MaxMattersKept = 200;

    public WarningSettings Settings { get; } = WarningSettings.From(configuration);

    public sealed record RunResult(int Series, int Raised);

    public async Task<RunResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (series, candidates) = await StatisticsAsync(now, ct);
        candidates.AddRange(await RulesAsync(now, ct));
        var raised = await StoreAsync(candidates, now.UtcDateTime, ct);
        if (raised > 0)
        {
            logger.LogInformation("Early warning: {Series} series looked at, {Raised} signals raised", series, raised);
        }

        return new RunResult(series, raised);
    }

    /// <summary>The period starts (UTC) of the last <paramref name="count"/> complete periods before <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<DateTime> PeriodStarts(DateTimeOffset now, int count)
    {
        var starts = new DateTime[count];
        if (Settings.Step == "hour")
        {
            var hour = new DateTime(now.UtcDateTime.Ticks - now.UtcDateTime.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
            for (var i = 0; i < count; i++)
            {
                starts[i] = hour.AddHours(i - count);
            }
        }
        else
        {
            var today = calendar.LocalDate(now);
            for (var i = 0; i < count; i++)
            {
                starts[i] = LocalDayStart(today.AddDays(i - count));
            }
        }

        return starts;
    }

    public DateTime LocalDayStart(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), calendar.Zone);

    private sealed record Candidate(SignalRow Row, IReadOnlyList<string> Codes);

    private async Task<(int Series, List<Candidate> Candidates)> StatisticsAsync(DateTimeOffset now, CancellationToken ct)
    {
        var history = Ears.History(EarsMethod.C3);
        var count = history + Settings.Catchup;
        var starts = PeriodStarts(now, count);
        var end = Settings.Step == "hour" ? starts[^1].AddHours(1) : LocalDayStart(calendar.LocalDate(now));
        var from = starts[0];
        var rows = await db.Matters.AsNoTracking()
            .Where(m => m.ReceivedAt >= from && m.ReceivedAt < end && m.Status != "rejected")
            .Select(m => new { m.Code, m.ReceivedAt, m.CountyCode, m.TownshipCode, m.CommunityCode, m.GridCode, m.CategoryCode })
            .ToListAsync(ct);

        var counts = new Dictionary<(string Level, string Territory, string? Category), double[]>();
        var codes = new Dictionary<(string, string, string?, int), List<string>>();
        foreach (var m in rows)
        {
            var index = IndexOf(starts, m.ReceivedAt);
            if (index < 0)
            {
                continue;
            }

            var top = m.CategoryCode is { Length: >= 2 } c ? c[..2] : null;
            foreach (var level in Settings.Levels)
            {
                var territory = level switch
                {
                    "county" => m.CountyCode,
                    "township" => m.TownshipCode,
                    "community" => m.CommunityCode,
                    "grid" => m.GridCode,
                    _ => null,
                };
                if (territory is null)
                {
                    continue;
                }

                foreach (var category in top is null ? new string?[] { null } : [null, top])
                {
                    var key = (level, territory, category);
                    if (!counts.TryGetValue(key, out var series))
                    {
                        counts[key] = series = new double[count];
                    }

                    series[index]++;
                    if (index >= history)
                    {
                        var codeKey = (level, territory, category, index);
                        if (!codes.TryGetValue(codeKey, out var list))
                        {
                            codes[codeKey] = list = [];
                        }

                        list.Add(m.Code);
                    }
                }
            }
        }

        var candidates = new List<Candidate>();
        var raisedAt = now.UtcDateTime;
        foreach (var ((level, territory, category), series) in counts)
        {
            for (var t = history; t < count; t++)
            {
                foreach (var method in Enum.GetValues<EarsMethod>())
                {
                    var r = Ears.Evaluate(method, series, t, Settings.Ears);
                    if (r is null || !r.Alarm)
                    {
                        continue;
                    }

                    var matterCodes = codes.GetValueOrDefault((level, territory, category, t)) ?? [];
                    var row = new SignalRow
                    {
                        Key = $"{Wire(method)}|{Settings.Step}|{territory}|{category ?? "*"}|{starts[t]:yyyyMMddHH}",
                        Method = Wire(method),
                        Step = Settings.Step,
                        TerritoryCode = territory,
                        TerritoryLevel = level,
                        CategoryCode = category,
                        PeriodStart = starts[t],
                        Observed = r.Observed,
                        Mean = Math.Round(r.Mean, 4),
                        StandardDeviation = Math.Round(r.StandardDeviation, 4),
                        Statistic = Math.Round(r.Statistic, 4),
                        Threshold = r.Threshold,
                        BaselineFrom = starts[r.BaselineFrom],
                        BaselineTo = starts[r.BaselineTo + 1],
                        Because = string.Create(CultureInfo.InvariantCulture, $"sdFloor={Settings.Ears.MinStandardDeviation},minObserved={Settings.Ears.MinObserved}")
                            + (method == EarsMethod.C3 ? string.Create(CultureInfo.InvariantCulture, $",c3Offset={Settings.Ears.C3Offset}") : ""),
                        MatterCodes = string.Join(' ', matterCodes.Order(StringComparer.Ordinal).Take(MaxMattersKept)),
                        RaisedAt = raisedAt,
                    };
                    candidates.Add(new Candidate(row, matterCodes));
                }
            }
        }

        return (counts.Count, candidates);
    }

    private static int IndexOf(IReadOnlyList<DateTime> starts, DateTime at)
    {
        for (var i = starts.Count - 1; i >= 0; i--)
        {
            if (at >= starts[i])
            {
                return i;
            }
        }

        return -1;
    }

    public static string Wire(EarsMethod method) => method.ToString().ToLowerInvariant();

    public static string Wire(RuleKind rule) => rule switch
    {
        RuleKind.GroupDispute => "group_dispute",
        RuleKind.RepeatComplaint => "repeat_complaint",
        _ => "burst",
    };

    private async Task<List<Candidate>> RulesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var nowUtc = now.UtcDateTime;
        var recentFrom = nowUtc.AddHours(-Settings.RuleLookbackHours);
        var historyFrom = recentFrom.AddDays(-Settings.Rules.RepeatWithinDays);
        var rows = await db.Matters.AsNoTracking()
            .Where(m => m.ReceivedAt >= historyFrom && m.ReceivedAt <= nowUtc && m.Status != "rejected" && m.Status != "merged")
            .Select(m => new { m.Id, m.Code, m.Kind, m.CategoryCode, m.TerritoryCode, m.Lat, m.Lon, m.ReceivedAt, m.Status, m.Verdict, m.Dissatisfactions, m.Title })
            .ToListAsync(ct);

        // Parties are counted, never read: the engine decrypts only the recent disputes' party lists, and keeps the number.
        var disputeIds = rows.Where(r => r.Kind == "dispute" && r.ReceivedAt >= recentFrom).Select(r => r.Id).ToList();
        var parties = new Dictionary<long, int>();
        foreach (var dispute in await db.Matters.AsNoTracking().Where(m => disputeIds.Contains(m.Id)).ToListAsync(ct))
        {
            parties[dispute.Id] = dispute.Parties is null ? 0 : personalData.Reveal(dispute).Parties.Count;
        }

        var facts = rows.Select(r => new MatterFact(r.Id, r.Code, r.Kind, r.CategoryCode, r.TerritoryCode, r.Lat, r.Lon, r.ReceivedAt,
                r.Status != "closed", r.Verdict == "dissatisfied" || r.Dissatisfactions > 0, parties.GetValueOrDefault(r.Id),
                r.Kind == "dispute" && r.Title.Contains("群体", StringComparison.Ordinal)))
            .ToList();
        var recent = facts.Where(f => f.ReceivedAt >= recentFrom).ToList();

        // A burst goes on: matters already in a burst signal of the last day do not start another.
        var burstFrom = nowUtc.AddHours(-Settings.Rules.BurstHours * 4);
        var burstCodes = (await db.Set<SignalRow>().AsNoTracking().Where(s => s.Method == "burst" && s.RaisedAt >= burstFrom).Select(s => s.MatterCodes).ToListAsync(ct))
            .SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        var alreadyFound = facts.Where(f => burstCodes.Contains(f.Code)).Select(f => f.Id);

        var findings = WarningRules.GroupDisputes(recent, Settings.Rules)
            .Concat(WarningRules.RepeatComplaints(recent, facts, Settings.Rules))
            .Concat(WarningRules.Bursts(recent, facts, Settings.Rules, alreadyFound));
        var snapshot = catalog.Current;
        return findings.Select(f => new Candidate(new SignalRow
        {
            Key = $"{Wire(f.Rule)}|{f.Trigger.Code}",
            Method = Wire(f.Rule),
            TerritoryCode = f.Trigger.TerritoryCode,
            TerritoryLevel = snapshot.Tree.Find(f.Trigger.TerritoryCode)?.Level.ToString().ToLowerInvariant() ?? "unknown",
            CategoryCode = f.Trigger.CategoryCode is { Length: >= 2 } c ? c[..2] : null,
            PeriodStart = f.Trigger.ReceivedAt,
            Observed = f.Rule == RuleKind.GroupDispute ? f.Trigger.Parties : f.Matters.Count,
            Because = f.Because,
            MatterCodes = string.Join(' ', f.Matters.Select(m => m.Code).Take(MaxMattersKept)),
            RaisedAt = nowUtc,
        }, f.Matters.Select(m => m.Code).ToList())).ToList();
    }

    /// <summary>Inserts the signals whose key is new. Another node racing on the same key loses to the unique index, and this pass retries without it.</summary>
    private async Task<int> StoreAsync(List<Candidate> candidates, DateTime now, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var keys = candidates.Select(c => c.Row.Key).Distinct().ToList();
            var existing = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in keys.Chunk(500))
            {
                existing.UnionWith(await db.Set<SignalRow>().AsNoTracking().Where(s => chunk.Contains(s.Key)).Select(s => s.Key).ToListAsync(ct));
            }

            var fresh = candidates.Where(c => !existing.Contains(c.Row.Key)).DistinctBy(c => c.Row.Key).ToList();
            if (fresh.Count == 0)
            {
                return 0;
            }

            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                foreach (var c in fresh)
                {
                    db.Add(c.Row);
                    AuditLog.Append(db, Actor.System, "warning.raised", "signal", c.Row.Key, new { c.Row.Method, c.Row.Observed, c.Row.Statistic }, now);
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return fresh.Count;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                db.ChangeTracker.Clear();
                foreach (var c in fresh)
                {
                    c.Row.Id = 0;
                }
            }
        }
    }
}

/// <summary>Runs the engine every <c>Concord:Warnings:RunSeconds</c> (900; 0 turns it off).</summary>
public sealed class WarningEngineService(IServiceScopeFactory scopes, IConfiguration configuration, Startup.Readiness readiness, ILogger<WarningEngineService> logger)
    : PeriodicJob(scopes, configuration, readiness, logger)
{
    protected override string IntervalKey => "Concord:Warnings:RunSeconds";

    protected override int DefaultSeconds => 900;

    protected override Task RunOnceAsync(IServiceProvider services, CancellationToken ct) => services.GetRequiredService<WarningEngine>().RunAsync(ct);
}
