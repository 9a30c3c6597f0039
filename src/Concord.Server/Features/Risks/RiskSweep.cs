using Concord.Domain.Calendar;
using Concord.Domain.Categories;
using Concord.Domain.Risks;
using Concord.Server.Audit;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Letters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Risks;

/// <summary>
/// The deadline engine for risk measures (一案一策), as <see cref="DeadlineSweep"/> is for matters: due
/// measures are found through the <c>NextCheckAt</c> index and claimed with <c>FOR UPDATE SKIP LOCKED</c>
/// on PostgreSQL; a measure that has used 80 % of its working time draws a reminder letter (提示函) and
/// an overdue one a supervision letter (督办函) to the risk's responsible unit, each with a once-key, so
/// each letter exists once whatever the number of nodes. The letters are linked to the risk
/// (<c>letter_risks</c>); unanswered ones escalate through the letters' own sweep.
/// </summary>
public sealed class RiskSweep(ConcordDb db, Deadlines deadlines, LetterService letters, TimeProvider clock)
{
    public const int BatchSize = 100;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var issued = 0;
        while (true)
        {
            var (handled, count) = await SweepAsync(ct);
            issued += count;
            if (handled < BatchSize)
            {
                return issued;
            }
        }
    }

    private async Task<(int Handled, int Letters)> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = db.Provider == DatabaseProvider.Postgres
            ? await db.Set<RiskMeasureRow>().FromSqlInterpolated(
                    $"SELECT * FROM risk_measures WHERE \"NextCheckAt\" <= {nowUtc} ORDER BY \"NextCheckAt\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct)
            // SQLite has one writer at a time: the write transaction itself is the claim.
            : await db.Set<RiskMeasureRow>().Where(m => m.NextCheckAt != null && m.NextCheckAt <= nowUtc).OrderBy(m => m.NextCheckAt).Take(BatchSize).ToListAsync(ct);
        var riskIds = due.Select(m => m.RiskId).Distinct().ToList();
        var risks = await db.Set<RiskRow>().Where(r => riskIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var issued = 0;
        foreach (var measure in due)
        {
            var risk = risks[measure.RiskId];
            if (measure.DoneAt is not null || risk.Status == RiskStatus.Closed.Wire())
            {
                measure.NextCheckAt = null;
                continue;
            }

            var light = deadlines.LightOf(measure.CreatedAt, measure.DueAt, now);
            var dueLocal = deadlines.Local(measure.DueAt);
            if (light == TrafficLight.Red && measure.SweepStage != "red")
            {
                var letter = await letters.IssueAsync(LetterKind.Supervision, risk.ResponsibleUnitCode, [],
                    $"关于督促落实{risk.Code}号风险化解措施的督办函",
                    $"你单位负责的风险“{risk.Title}”（{risk.Code}）的化解措施“{measure.Text}”已超过完成时限（{dueLocal:yyyy年M月d日 HH:mm}），请立即落实，并于3个工作日内书面反馈落实情况及超期原因。",
                    deadlines.Add(now, new WorkingSpan(3, WorkingSpanUnit.Days)).UtcDateTime,
                    $"risk-measure:{measure.Id}:red", Actor.System.Id, ct);
                db.Set<LetterRiskRow>().Add(new LetterRiskRow { Letter = letter, RiskId = risk.Id });
                measure.SweepStage = "red";
                measure.NextCheckAt = null;
                issued++;
            }
            else if (light == TrafficLight.Yellow && measure.SweepStage == "")
            {
                var letter = await letters.IssueAsync(LetterKind.Reminder, risk.ResponsibleUnitCode, [],
                    $"关于{risk.Code}号风险化解措施临近时限的提示函",
                    $"你单位负责的风险“{risk.Title}”（{risk.Code}）的化解措施“{measure.Text}”应于{dueLocal:yyyy年M月d日 HH:mm}前完成，时限已用80%以上，请抓紧落实。",
                    null, $"risk-measure:{measure.Id}:yellow", Actor.System.Id, ct);
                db.Set<LetterRiskRow>().Add(new LetterRiskRow { Letter = letter, RiskId = risk.Id });
                measure.SweepStage = "yellow";
                measure.NextCheckAt = measure.DueAt;
                issued++;
            }
            else
            {
                // Green (or yellow already sent): look again at the next instant that matters.
                var yellowAt = deadlines.YellowAt(new DateTimeOffset(measure.CreatedAt, TimeSpan.Zero), new DateTimeOffset(measure.DueAt, TimeSpan.Zero)).UtcDateTime;
                measure.NextCheckAt = light == TrafficLight.Green && measure.SweepStage == "" && yellowAt > nowUtc ? yellowAt : measure.DueAt;
                if (measure.NextCheckAt <= nowUtc)
                {
                    // Due now but not red by the light (a deadline at the instant): try again a moment later.
                    measure.NextCheckAt = nowUtc.AddMinutes(1);
                }
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (due.Count, issued);
    }
}

/// <summary>Runs the risk sweep on the deadline sweep's interval (<c>Concord:Handling:SweepSeconds</c>, 30; 0 turns it off).</summary>
public sealed class RiskSweepService(IServiceScopeFactory scopes, IConfiguration configuration, Startup.Readiness readiness, ILogger<RiskSweepService> logger) : BackgroundService
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
                var issued = await scope.ServiceProvider.GetRequiredService<RiskSweep>().RunAsync(stoppingToken);
                if (issued > 0)
                {
                    logger.LogInformation("Risk sweep: {Letters} letters about overdue measures issued", issued);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The risk sweep failed; it runs again at the next interval");
            }
        }
    }
}
