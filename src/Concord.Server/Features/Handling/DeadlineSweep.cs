using Concord.Domain.Calendar;
using Concord.Domain.Matters;
using Concord.Server.Audit;
using Concord.Server.Data;
using Concord.Server.Features.Letters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Handling;

/// <summary>
/// The deadline engine. It finds due work through an index (<c>NextCheckAt</c>; letters by their
/// reply deadline), so its cost follows the number of due matters, not the table; on PostgreSQL
/// it claims rows with <c>FOR UPDATE SKIP LOCKED</c>, so that several nodes never act twice, and
/// every letter it issues carries a once-key that a second insert could not repeat.
/// Acts: a reminder letter (提示函) when a deadline turns yellow, a supervision letter (督办函) when
/// red, a caution letter (警示函) when a unit's supervision letters in a month pass the threshold,
/// escalation of unanswered letters to the addressee's superior, and closing replied matters
/// whose verdict window ended.
/// </summary>
public sealed class DeadlineSweep(ConcordDb db, Deadlines deadlines, LetterService letters, TimeProvider clock, IConfiguration configuration, ILogger<DeadlineSweep> logger)
{
    public const int BatchSize = 100;

    public int CautionThreshold => Math.Max(1, configuration.GetValue("Concord:Letters:CautionThreshold", 3));

    public sealed record SweepResult(int Matters, int Letters);

    /// <summary>One pass: every due matter in batches, then unanswered letters, then caution letters.</summary>
    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        int matters = 0, issued = 0;
        while (true)
        {
            var (handled, letterCount) = await SweepMattersAsync(ct);
            matters += handled;
            issued += letterCount;
            if (handled < BatchSize)
            {
                break;
            }
        }

        issued += await EscalateUnansweredAsync(ct);
        issued += await CautionUnitsAsync(ct);
        await ForgetOldIdempotencyKeysAsync(ct);
        return new(matters, issued);
    }

    /// <summary>Retries come within minutes; an Idempotency-Key is remembered for a day (as payment APIs do), then forgotten.</summary>
    private async Task ForgetOldIdempotencyKeysAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime.AddHours(-Math.Max(1, configuration.GetValue("Concord:Idempotency:KeepHours", 24)));
        await db.IdempotencyKeys.Where(k => k.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    private async Task<(int Matters, int Letters)> SweepMattersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        List<MatterRow> due;
        if (db.Provider == DatabaseProvider.Postgres)
        {
            due = await db.Matters.FromSqlInterpolated(
                    $"SELECT * FROM matters WHERE \"NextCheckAt\" <= {nowUtc} ORDER BY \"NextCheckAt\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct);
        }
        else
        {
            // SQLite has one writer at a time: the write transaction itself is the claim.
            due = await db.Matters.Where(m => m.NextCheckAt != null && m.NextCheckAt <= nowUtc).OrderBy(m => m.NextCheckAt).Take(BatchSize).ToListAsync(ct);
        }

        var issued = 0;
        foreach (var matter in due)
        {
            issued += await ActAsync(matter, now, ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (due.Count, issued);
    }

    private async Task<int> ActAsync(MatterRow matter, DateTimeOffset now, CancellationToken ct)
    {
        WireNames.TryParseStatus(matter.Status, out var status);
        var (start, due, stage) = status switch
        {
            MatterStatus.Dispatched => (matter.DispatchedAt, matter.AcceptDueAt, "accept"),
            MatterStatus.Accepted or MatterStatus.InProgress => (matter.DispatchedAt, matter.ReplyDueAt, "reply"),
            _ => (null, null, "none"),
        };

        if (status == MatterStatus.Replied && matter.RepliedAt is not null)
        {
            matter.Status = MatterStatus.Closed.ToWire();
            matter.ClosedAt = now.UtcDateTime;
            matter.NextCheckAt = null;
            matter.Version++;
            matter.UpdatedAt = now.UtcDateTime;
            Event(matter, "closed", now, new { verdict = "none", reason = "verdict window ended" });
            AuditLog.Append(db, Actor.System, "matter.closed_unrated", "matter", matter.Code, null, now.UtcDateTime);
            return 0;
        }

        if (start is null || due is null || matter.LeadUnitCode is null)
        {
            matter.NextCheckAt = null;
            return 0;
        }

        var light = deadlines.LightOf(start.Value, due.Value, now);
        var issued = 0;
        var dueLocal = deadlines.Local(due.Value);
        if (light == TrafficLight.Red && matter.SweepStage != "red")
        {
            await letters.IssueAsync(LetterKind.Supervision, matter.LeadUnitCode, [matter],
                $"关于督促办理{matter.Code}号事项的督办函",
                $"你单位主办的“{matter.Title}”已超过{(stage == "accept" ? "签收" : "办理")}时限（{dueLocal:yyyy年M月d日 HH:mm}），请立即办理并于3个工作日内书面反馈办理情况及超期原因。",
                deadlines.Add(now, new Concord.Domain.Categories.WorkingSpan(3, Concord.Domain.Categories.WorkingSpanUnit.Days)).UtcDateTime,
                $"deadline:{matter.Code}:{stage}:{matter.DispatchedAt:yyyyMMddHHmmssfff}:red", Actor.System.Id, ct);
            matter.SweepStage = "red";
            matter.NextCheckAt = null;
            issued++;
        }
        else if (light == TrafficLight.Yellow && matter.SweepStage == "")
        {
            await letters.IssueAsync(LetterKind.Reminder, matter.LeadUnitCode, [matter],
                $"关于{matter.Code}号事项临近时限的提示函",
                $"你单位主办的“{matter.Title}”{(stage == "accept" ? "签收" : "办理")}时限为{dueLocal:yyyy年M月d日 HH:mm}，已用时80%以上，请抓紧办理。",
                null, $"deadline:{matter.Code}:{stage}:{matter.DispatchedAt:yyyyMMddHHmmssfff}:yellow", Actor.System.Id, ct);
            matter.SweepStage = "yellow";
            matter.NextCheckAt = due;
            issued++;
        }
        else
        {
            matter.NextCheckAt = light == TrafficLight.Green ? deadlines.YellowAt(new DateTimeOffset(start.Value, TimeSpan.Zero), new DateTimeOffset(due.Value, TimeSpan.Zero)).UtcDateTime : due;
            if (matter.NextCheckAt <= now.UtcDateTime)
            {
                matter.NextCheckAt = due > now.UtcDateTime ? due : null;
            }
        }

        return issued;
    }

    /// <summary>A letter whose reply deadline passed unanswered escalates once, to the addressee's superior.</summary>
    private async Task<int> EscalateUnansweredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var overdue = db.Provider == DatabaseProvider.Postgres
            ? await db.Letters.FromSqlInterpolated($"SELECT * FROM letters WHERE \"ReplyDueAt\" <= {nowUtc} AND \"RepliedAt\" IS NULL AND \"EscalatedToId\" IS NULL ORDER BY \"ReplyDueAt\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED").ToListAsync(ct)
            : await db.Letters.Where(l => l.ReplyDueAt != null && l.ReplyDueAt <= nowUtc && l.RepliedAt == null && l.EscalatedToId == null).OrderBy(l => l.ReplyDueAt).Take(BatchSize).ToListAsync(ct);
        var issued = 0;
        foreach (var letter in overdue)
        {
            var superior = letters.SuperiorOf(letter.AddresseeUnitCode);
            if (superior is null)
            {
                letter.EscalatedToId = 0; // nowhere to escalate: mark as handled
                continue;
            }

            var matterIds = await db.LetterMatters.Where(lm => lm.LetterId == letter.Id).Select(lm => lm.MatterId).ToListAsync(ct);
            var matters = await db.Matters.Where(m => matterIds.Contains(m.Id)).ToListAsync(ct);
            var escalation = await letters.IssueAsync(LetterKind.Supervision, superior, matters,
                $"关于{letter.Number}未按期反馈的督办函",
                $"{letter.Number}（{letter.Title}）要求的反馈期限已过，受文单位未予答复，请督促其立即办理并反馈。",
                deadlines.Add(now, new Concord.Domain.Categories.WorkingSpan(3, Concord.Domain.Categories.WorkingSpanUnit.Days)).UtcDateTime,
                $"escalate:{letter.Number}", Actor.System.Id, ct);
            await db.SaveChangesAsync(ct);
            letter.EscalatedToId = escalation.Id;
            issued++;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return issued;
    }

    /// <summary>A caution letter (警示函) to a unit whose supervision letters this month reached the threshold; once per unit and month.</summary>
    private async Task<int> CautionUnitsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var local = deadlines.Local(now.UtcDateTime);
        var monthStart = TimeZoneInfo.ConvertTimeToUtc(new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), deadlines.Calendar.TimeZone);
        var supervision = LetterKind.Supervision.Wire();
        var caution = LetterKind.Caution.Wire();
        var period = $"{local:yyyy-MM}";
        var units = await db.Letters.Where(l => l.Kind == supervision && l.IssuedAt >= monthStart)
            .GroupBy(l => l.AddresseeUnitCode).Select(g => new { Unit = g.Key, Count = g.Count() })
            .Where(x => x.Count >= CautionThreshold).ToListAsync(ct);
        var issued = 0;
        foreach (var unit in units)
        {
            var key = $"caution:{unit.Unit}:{period}";
            if (await db.Letters.AnyAsync(l => l.OnceKey == key, ct))
            {
                continue;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await letters.IssueAsync(LetterKind.Caution, unit.Unit, [], $"关于{period}超期办理问题的警示函",
                $"本月你单位已收到督办函{unit.Count}件，超期办理问题突出。请认真整改，并于5个工作日内书面报送整改情况。",
                deadlines.Add(now, new Concord.Domain.Categories.WorkingSpan(5, Concord.Domain.Categories.WorkingSpanUnit.Days)).UtcDateTime,
                key, Actor.System.Id, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                issued++;
            }
            catch (DbUpdateException e)
            {
                // Another node issued it first (the once-key is unique): exactly once either way.
                logger.LogDebug(e, "Caution letter {Key} already issued", key);
            }

            db.ChangeTracker.Clear();
        }

        return issued;
    }

    private void Event(MatterRow matter, string type, DateTimeOffset at, object data) =>
        Matters.MatterEvents.Record(db, matter, type, at.UtcDateTime, Actor.System.Id, data);
}

/// <summary>Runs the sweep every <c>Concord:Handling:SweepSeconds</c> (30).</summary>
public sealed class DeadlineSweepService(IServiceScopeFactory scopes, IConfiguration configuration, Startup.Readiness readiness, ILogger<DeadlineSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("Concord:Handling:SweepSeconds", 30);
        if (seconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!readiness.IsReady)
            {
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(stoppingToken);
                if (result.Letters > 0)
                {
                    logger.LogInformation("Deadline sweep: {Matters} matters looked at, {Letters} letters issued", result.Matters, result.Letters);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The deadline sweep failed; it runs again at the next interval");
            }
        }
    }
}
