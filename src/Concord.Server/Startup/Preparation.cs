using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Demo;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Startup;

/// <summary>Set when migrations ran and the catalogue (with the territory index) is loaded.</summary>
public sealed class Readiness
{
    public bool IsReady { get; set; }
}

/// <summary>
/// What runs before the server takes requests: migrations, the category taxonomy, the demo on an
/// empty database (unless Concord:Demo is false), and the first catalogue load. It runs in
/// <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted service starts, so
/// Kestrel listens only once the server is ready.
/// </summary>
public sealed class Preparation(IServiceProvider services, IConfiguration configuration, Readiness readiness, ILogger<Preparation> logger) : IHostedLifecycleService
{
    private const long AdvisoryLockKey = 0x436F6E636F7264; // "Concord"

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                await DatabaseSetup.PrepareSqliteFileAsync(db, cancellationToken);
            }

            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                // Several nodes may start at once against one PostgreSQL: one prepares, the others wait for it.
                if (db.Provider == DatabaseProvider.Postgres)
                {
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
                }

                await db.Database.MigrateAsync(cancellationToken);
                await SeedCategoriesAsync(db, logger, cancellationToken);
                var catalog = scope.ServiceProvider.GetRequiredService<CatalogStore>();
                await catalog.RefreshAsync(force: true, cancellationToken);
                if (configuration.GetValue("Concord:Demo", true))
                {
                    await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(cancellationToken);
                }
            }
            finally
            {
                if (db.Provider == DatabaseProvider.Postgres)
                {
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
                }

                await db.Database.CloseConnectionAsync();
            }
        }

        await services.GetRequiredService<CatalogStore>().RefreshAsync(force: false, cancellationToken);
        readiness.IsReady = true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The taxonomy is product reference data: loaded into an empty table on every kind of start, demo or not.</summary>
    private static async Task SeedCategoriesAsync(ConcordDb db, ILogger logger, CancellationToken cancellationToken)
    {
        if (await db.Categories.AnyAsync(cancellationToken))
        {
            return;
        }

        var rows = ReferenceData.ReadCategories(ReferenceData.PathOf("categories.json"));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Categories.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        await CatalogStore.BumpRevisionAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        logger.LogInformation("Category taxonomy loaded: {Count} categories", rows.Count);
    }
}
