using Concord.Domain.Territories;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Territories;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Demo;

/// <summary>
/// Fills an empty database with the Pingliang demo: the real divisions, synthetic polygons and
/// grids over them (labelled synthetic), demo units and routing rules.
/// </summary>
public sealed class DemoSeeder(ConcordDb db, TerritoryImporter importer, ILogger<DemoSeeder> logger, IConfiguration configuration, TimeProvider clock, Features.Matters.LocalCalendar calendar)
{
    public const int GridTarget = 5000;
    public const int Seed = 620800;

    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await db.Territories.AnyAsync(cancellationToken))
        {
            return false;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (divisions, readErrors) = DivisionCsvReader.Read(File.OpenText(ReferenceData.PathOf("pingliang-divisions.csv")));
        if (readErrors.Count > 0)
        {
            throw new InvalidDataException($"The demo divisions file is broken: {readErrors[0]}");
        }

        var territories = divisions.Select(d => d.Territory).ToList();
        var generated = SyntheticGeometry.Generate(
            territories,
            new SyntheticGeometry.Options(SyntheticGeometry.PingliangCountySeats, SyntheticGeometry.PingliangBounds, GridTarget, Seed));
        var items = territories.Concat(generated.Grids)
            .Select(t => new ImportedTerritory($"demo {t.Code}", t, generated.Geometries.GetValueOrDefault(t.Code)))
            .ToList();
        var result = await importer.ImportAsync(items, synthetic: true, Actor.System, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidDataException($"The demo territories failed validation: {string.Join("; ", result.Errors.Take(5))}");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var units = ReferenceData.ReadUnits(ReferenceData.PathOf("demo-units.json"));
        var known = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var territory in territories.Where(t => t.Level is TerritoryLevel.City or TerritoryLevel.County or TerritoryLevel.Township))
        {
            var code = $"{territory.Code}.gov";
            if (known.Add(code))
            {
                units.Add(new UnitRow { Code = code, Name = GovernmentName(territory), NameEn = $"{GovernmentName(territory)} (government of {territory.Code})", Kind = Unit.GovernmentKind, TerritoryCode = territory.Code });
            }
        }

        db.Units.AddRange(units);
        var rules = ReferenceData.ReadRules(ReferenceData.PathOf("demo-routing-rules.json"));
        db.RoutingRules.AddRange(rules);
        await db.SaveChangesAsync(cancellationToken);
        await CatalogStore.BumpRevisionAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // Suggestions (智能分拨): a synthetic dispatch history to learn from (Concord:Demo:History matters; 0 for none).
        var historySize = configuration.GetValue("Concord:Demo:History", DemoHistory.DefaultSize);
        if (historySize > 0)
        {
            var seeded = await DemoHistory.SeedAsync(db, territories, units, rules, historySize, Seed, clock.GetUtcNow(), calendar, cancellationToken);
            logger.LogInformation("Demo dispatch history: {Count} synthetic matters (labelled {Label})", seeded, DemoHistory.Label);
        }

        logger.LogInformation(
            "Pingliang demo loaded: {Territories} territories incl. {Grids} synthetic grids, {Units} units in {Elapsed:F1} s",
            items.Count, generated.Grids.Count, units.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        return true;
    }

    /// <summary>东关街道 → 东关街道办事处; 崆峒镇 → 崆峒镇人民政府; 崆峒区 → 崆峒区人民政府; a 管理委员会 keeps its name.</summary>
    public static string GovernmentName(Territory territory) =>
        territory.Name.EndsWith("街道", StringComparison.Ordinal) ? territory.Name + "办事处"
        : territory.Name.EndsWith("委员会", StringComparison.Ordinal) || territory.Name.EndsWith("管委会", StringComparison.Ordinal) ? territory.Name
        : territory.Name + "人民政府";
}
