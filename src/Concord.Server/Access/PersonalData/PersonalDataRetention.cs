using Concord.Domain.Matters;
using Concord.Server.Audit;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Access.PersonalData;

/// <summary>
/// The retention rule: the personal data of a matter closed (or rejected) longer ago than
/// <c>Concord:PersonalData:RetentionDays</c> (default 730) is erased; the matter stays for the
/// figures. Each erasure is an event on the matter and an audit entry, in one transaction.
/// </summary>
public sealed class PersonalDataRetention(ConcordDb db, TimeProvider clock, IConfiguration configuration)
{
    public const int BatchSize = 500;

    public int RetentionDays => Math.Max(1, configuration.GetValue("Concord:PersonalData:RetentionDays", 730));

    /// <summary>Erases one batch; returns how many matters were erased (call again until 0).</summary>
    public async Task<int> EraseDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var before = now.AddDays(-RetentionDays);
        var ended = new[] { MatterStatus.Closed.ToWire(), MatterStatus.Rejected.ToWire() };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Matters
            .Where(m => ended.Contains(m.Status) && m.UpdatedAt < before && m.PersonalDataErasedAt == null)
            .OrderBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        foreach (var matter in due)
        {
            var had = new { reporter = matter.ReporterName is not null || matter.ReporterPhone is not null, parties = matter.Parties is not null };
            matter.ReporterName = null;
            matter.ReporterPhone = null;
            matter.ReporterIdNumber = null;
            matter.ReporterPhoneHash = null;
            matter.Parties = null;
            matter.PersonalDataErasedAt = now;
            Features.Matters.MatterEvents.Record(db, matter, "personal-data-erased", now, Actor.System.Id, new { retentionDays = RetentionDays });
            AuditLog.Append(db, Actor.System, "personal-data.erased", "matter", matter.Code, new { had.reporter, had.parties, retentionDays = RetentionDays }, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }
}

/// <summary>Runs the retention rule every few hours.</summary>
public sealed class PersonalDataRetentionService(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<PersonalDataRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Concord:PersonalData:RetentionSweepMinutes", 360))));
        do
        {
            try
            {
                int erased;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    erased = await scope.ServiceProvider.GetRequiredService<PersonalDataRetention>().EraseDueAsync(stoppingToken);
                    if (erased > 0)
                    {
                        logger.LogInformation("Retention: erased the personal data of {Count} closed matters", erased);
                    }
                }
                while (erased == PersonalDataRetention.BatchSize);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The retention sweep failed; it runs again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
