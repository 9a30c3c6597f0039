using Concord.Domain.Duplicates;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Duplicates;

/// <summary>
/// Signs the matters that have no signature (taken in before this feature) or one of an older
/// <see cref="MinHash.Version"/>, in batches. Several nodes may run it at once: a batch that loses
/// a race is dropped and the next one picks up what is still missing.
/// </summary>
public sealed class SignatureBackfill(ConcordDb db, DuplicateSearch search)
{
    public async Task<int> RunAsync(int batchSize, CancellationToken ct)
    {
        var total = 0;
        var failures = 0;
        while (!ct.IsCancellationRequested && failures < 3)
        {
            var signatures = db.Set<MatterSignatureRow>();
            var matters = await db.Matters
                .Where(m => !signatures.Any(s => s.MatterId == m.Id && s.Version == MinHash.Version))
                .OrderBy(m => m.Id).Take(batchSize).ToListAsync(ct);
            if (matters.Count == 0)
            {
                break;
            }

            var ids = matters.Select(m => m.Id).ToList();
            await signatures.Where(s => ids.Contains(s.MatterId)).ExecuteDeleteAsync(ct);
            foreach (var matter in matters)
            {
                search.Sign(matter);
            }

            try
            {
                await db.SaveChangesAsync(ct);
                total += matters.Count;
                failures = 0;
            }
            catch (DbUpdateException)
            {
                failures++;
                // Another node signed some of them first: start over from what is still missing.
            }

            db.ChangeTracker.Clear();
        }

        return total;
    }
}

/// <summary>Runs the backfill once, when the server is ready.</summary>
public sealed class SignatureBackfillService(IServiceScopeFactory scopes, Startup.Readiness readiness, ILogger<SignatureBackfillService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!readiness.IsReady)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var signed = await scope.ServiceProvider.GetRequiredService<SignatureBackfill>().RunAsync(500, stoppingToken);
            if (signed > 0)
            {
                logger.LogInformation("Duplicates: signed {Count} matters that had no signature", signed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Duplicates: the signature backfill failed; it runs again at the next start");
        }
    }
}
