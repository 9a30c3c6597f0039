using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Startup;

/// <summary>Set when migrations ran and the catalogue (with the territory index) is loaded.</summary>
public sealed class Readiness
{
    public bool IsReady { get; set; }
}

/// <summary>
/// What runs before the server takes requests: migrations, roles, the category taxonomy, the demo
/// on an empty database (unless Concord:Demo is false), and the first catalogue load. It runs in
/// <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted service starts, so
/// Kestrel listens only once the server is ready.
/// </summary>
public sealed class Preparation(IServiceProvider services, IConfiguration configuration, Readiness readiness, ILogger<Preparation> logger) : IHostedLifecycleService
{
    private const long AdvisoryLockKey = 0x436F6E636F7264; // "Concord"

    public bool DemoMode => configuration.GetValue("Concord:Demo", true);

    public Task StartingAsync(CancellationToken cancellationToken) => PrepareAsync(forCommand: false, cancellationToken);

    /// <param name="forCommand">A command-line run (e.g. <c>access disable-demo</c>): migrate and load, but neither seed nor refuse.</param>
    public async Task PrepareAsync(bool forCommand, CancellationToken cancellationToken)
    {
        string? demoToken = null;
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
                await EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
                await SeedCategoriesAsync(db, logger, cancellationToken);
                var catalog = scope.ServiceProvider.GetRequiredService<CatalogStore>();
                await catalog.RefreshAsync(force: true, cancellationToken);
                if (!forCommand)
                {
                    var demo = scope.ServiceProvider.GetRequiredService<DemoAccounts>();
                    if (DemoMode)
                    {
                        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(cancellationToken);
                        await catalog.RefreshAsync(force: false, cancellationToken);
                        // Mediation: the synthetic directory and disputes of the demo.
                        await scope.ServiceProvider.GetRequiredService<Concord.Server.Features.Mediation.MediationDemo>().SeedIfEmptyAsync(cancellationToken);
                        // Risks: a few synthetic risks, a campaign and reports on an empty register.
                        await scope.ServiceProvider.GetRequiredService<Concord.Server.Features.Risks.RiskDemo>().SeedIfEmptyAsync(cancellationToken);
                        demoToken = await demo.EnsureAsync(cancellationToken);
                    }
                    else if (await demo.CountActiveAsync(cancellationToken) is { } active && (active.Users > 0 || active.Tokens > 0))
                    {
                        throw new InvalidOperationException(
                            $"Concord:Demo is false, but {active.Users} demo account(s) with the published password and {active.Tokens} demo token(s) are active. " +
                            "Disable them first: dotnet run --project src/Concord.Server -- access disable-demo");
                    }
                }

                // Queues: a database from before the queue columns gets them once.
                await Features.Handling.QueueColumns.BackfillAsync(db, cancellationToken);

                // search: a database from before search (or restored without its index) gets its index once.
                await Features.Search.SearchIndex.RebuildIfEmptyAsync(db, catalog, logger, cancellationToken);
            }
            finally
            {
                if (db.Provider == DatabaseProvider.Postgres)
                {
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
                }

                await db.Database.CloseConnectionAsync();
            }

            if (demoToken is not null)
            {
                scope.ServiceProvider.GetRequiredService<DemoAccounts>().Announce(demoToken);
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

    private static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
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
