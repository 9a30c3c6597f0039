using Concord.Domain.Categories;
using Concord.Domain.Routing;
using Concord.Domain.Territories;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Concord.Server.Catalog;

/// <summary>
/// Holds the current <see cref="CatalogSnapshot"/>. Any change to territories, categories,
/// units or rules bumps the catalogue revision in the database; every node notices the new
/// revision (on its own writes at once, on other nodes' within the refresh interval) and reloads.
/// </summary>
public sealed class CatalogStore(IServiceScopeFactory scopes, ILogger<CatalogStore> logger)
{
    private readonly SemaphoreSlim reloading = new(1, 1);
    private volatile CatalogSnapshot current = CatalogSnapshot.Empty;

    public CatalogSnapshot Current => current;

    public bool IsLoaded => current.Revision >= 0;

    /// <summary>Reloads when the database's revision differs from the one held (or always, when forced).</summary>
    public async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await reloading.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            var revision = await ReadRevisionAsync(db, cancellationToken);
            if (!force && revision == current.Revision)
            {
                return;
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            current = await LoadAsync(db, revision, cancellationToken);
            logger.LogInformation(
                "Catalogue revision {Revision} loaded: {Territories} territories ({Polygons} indexed polygons), {Categories} categories, {Units} units, {Rules} rules in {Elapsed:F0} ms",
                revision, current.Tree.Count, current.Territories.PolygonCount, current.Categories.Count, current.Units.Count, current.Rules.Count,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            reloading.Release();
        }
    }

    /// <summary>Marks the catalogue as changed; call inside the transaction that changed it.</summary>
    public static Task BumpRevisionAsync(ConcordDb db, CancellationToken cancellationToken) =>
        db.Counters.Where(c => c.Name == CounterNames.CatalogRevision)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, c => c.Value + 1), cancellationToken);

    private static async Task<long> ReadRevisionAsync(ConcordDb db, CancellationToken cancellationToken) =>
        await db.Counters.Where(c => c.Name == CounterNames.CatalogRevision).Select(c => c.Value).SingleAsync(cancellationToken);

    private static async Task<CatalogSnapshot> LoadAsync(ConcordDb db, long revision, CancellationToken cancellationToken)
    {
        var territoryRows = await db.Territories.AsNoTracking().ToListAsync(cancellationToken);
        var tree = new TerritoryTree(territoryRows.Select(ToTerritory));
        var reader = new WKBReader(NtsGeometryServices.Instance);
        var geometries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        foreach (var row in territoryRows)
        {
            if (row.Geometry is { } wkb)
            {
                var geometry = reader.Read(wkb);
                geometry.SRID = 4326;
                geometries[row.Code] = geometry;
            }
        }

        var categories = (await db.Categories.AsNoTracking().ToListAsync(cancellationToken)).Select(ToCategory);
        var units = (await db.Units.AsNoTracking().ToListAsync(cancellationToken))
            .Select(u => new Unit(u.Code, u.Name, u.NameEn, u.Kind, u.TerritoryCode)).ToList();
        var rules = (await db.RoutingRules.AsNoTracking().ToListAsync(cancellationToken)).Select(ToRule).ToList();
        return new CatalogSnapshot(revision, new TerritoryIndex(tree, geometries), new CategoryCatalog(categories), units, rules);
    }

    public static Territory ToTerritory(TerritoryRow row) =>
        new(row.Code, row.Name, TerritoryLevels.TryParse(row.Level, out var level) ? level : throw new InvalidDataException($"Territory {row.Code} has level '{row.Level}'."), row.ParentCode);

    public static Category ToCategory(CategoryRow row) => new(
        row.Code,
        row.Name,
        row.NameEn,
        row.KeyDomain,
        Enum.Parse<Urgency>(row.Urgency, ignoreCase: true),
        WorkingSpan.TryParse(row.AcceptWithin, out var accept) ? accept : throw new InvalidDataException($"Category {row.Code} has acceptWithin '{row.AcceptWithin}'."),
        WorkingSpan.TryParse(row.ReplyWithin, out var reply) ? reply : throw new InvalidDataException($"Category {row.Code} has replyWithin '{row.ReplyWithin}'."),
        row.Keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static RoutingRule ToRule(RoutingRuleRow row) => new(
        row.Id,
        row.CategoryCode,
        row.TerritoryCode,
        row.LeadUnitCode,
        row.AssistingUnitCodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        row.AutoDispatch,
        row.Note);
}

/// <summary>Polls the catalogue revision so that imports on one node reach every node.</summary>
public sealed class CatalogRefresher(CatalogStore store, IConfiguration configuration, ILogger<CatalogRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Concord:CatalogRefreshSeconds", 15);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, interval)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.RefreshAsync(force: false, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not refresh the catalogue; keeping revision {Revision}", store.Current.Revision);
            }
        }
    }
}
