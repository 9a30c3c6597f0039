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
/// empty database (unless Concord:Demo is false), and the first catalogue load.
/// </summary>
public static class Preparation
{
    private const long AdvisoryLockKey = 0x436F6E636F7264; // "Concord"

    public static async Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Concord.Startup");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
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
                if (app.Configuration.GetValue("Concord:Demo", true))
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

        await app.Services.GetRequiredService<CatalogStore>().RefreshAsync(force: false, cancellationToken);
        app.Services.GetRequiredService<Readiness>().IsReady = true;
    }

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
