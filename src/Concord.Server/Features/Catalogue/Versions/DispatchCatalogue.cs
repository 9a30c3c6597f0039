using System.Collections.Concurrent;
using System.Text.Json;
using Concord.Domain.Routing;
using Concord.Domain.Territories;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Catalogue.Versions;

/// <summary>The catalogue's versions as loaded with one catalogue snapshot, with a router per version.</summary>
public sealed class CatalogueVersions(CatalogSnapshot snapshot, CatalogueHistory history, bool implicitFirst)
{
    private readonly ConcurrentDictionary<int, Router> routers = new();

    public CatalogSnapshot Snapshot => snapshot;

    public CatalogueHistory History => history;

    /// <summary>True while no version was ever published: version 1 is the rules as loaded (imported or seeded).</summary>
    public bool ImplicitFirst => implicitFirst;

    public CatalogueVersion InForceAt(DateTimeOffset at) => history.InForceAt(at) ?? history.Versions[0];

    public Router RouterOf(CatalogueVersion version) => routers.GetOrAdd(version.Number, _ => new Router(version.Rules, snapshot.GovernmentOf));

    public Router RouterAt(DateTimeOffset at) => RouterOf(InForceAt(at));

    /// <summary>The level of a unit's territory, and the unit's kind, for the push-down protection.</summary>
    public (string? Kind, TerritoryLevel? Level) UnitPlace(string? unitCode) =>
        unitCode is not null && snapshot.Units.TryGetValue(unitCode, out var unit)
            ? (unit.Kind, snapshot.Tree.Find(unit.TerritoryCode)?.Level)
            : (null, null);

    /// <summary>
    /// Would giving this matter to <paramref name="newLead"/> push a department matter down? The rule
    /// that decides is the one of the version in force at <paramref name="at"/>.
    /// </summary>
    public (bool Forbidden, RoutingDecision ByCatalogue, CatalogueVersion Version) CheckPushDown(string categoryCode, string territoryCode, string newLead, DateTimeOffset at)
    {
        var version = InForceAt(at);
        var decision = RouterOf(version).Route(categoryCode, snapshot.Tree.ChainOf(territoryCode));
        var (ruleKind, ruleLevel) = decision.Basis == RoutingBasis.Rule ? UnitPlace(decision.LeadUnitCode) : (null, null);
        var (_, newLevel) = UnitPlace(newLead);
        return (PushDownProtection.Forbids(ruleKind, ruleLevel, newLevel), decision, version);
    }
}

/// <summary>
/// 派单目录: the versions of the routing rules with their effective dates. Loaded again whenever the
/// catalogue revision changes (a publication bumps it), so every node routes by the same versions.
/// </summary>
public sealed class DispatchCatalogue(IServiceScopeFactory scopes, CatalogStore catalog)
{
    /// <summary>The date of the implicit first version: before any matter.</summary>
    public static readonly DateTimeOffset Beginning = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile CatalogueVersions? current;

    public async Task<CatalogueVersions> GetAsync(CancellationToken ct)
    {
        var snapshot = catalog.Current;
        if (current is { } held && ReferenceEquals(held.Snapshot, snapshot))
        {
            return held;
        }

        await loading.WaitAsync(ct);
        try
        {
            snapshot = catalog.Current;
            if (current is { } again && ReferenceEquals(again.Snapshot, snapshot))
            {
                return again;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            var loaded = await LoadAsync(db, snapshot, ct);
            current = loaded;
            return loaded;
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>Reads the versions in the caller's unit of work (publication reads them inside its transaction).</summary>
    public static async Task<CatalogueVersions> LoadAsync(ConcordDb db, CatalogSnapshot snapshot, CancellationToken ct)
    {
        var rows = await db.Set<CatalogueVersionRow>().AsNoTracking().ToListAsync(ct);
        if (rows.Count == 0)
        {
            var first = new CatalogueVersion(1, Beginning, Beginning, "system", "initial", snapshot.Rules);
            return new CatalogueVersions(snapshot, new CatalogueHistory([first]), implicitFirst: true);
        }

        return new CatalogueVersions(snapshot, new CatalogueHistory(rows.Select(ToVersion)), implicitFirst: false);
    }

    public static CatalogueVersion ToVersion(CatalogueVersionRow row) => new(
        row.Number,
        new DateTimeOffset(row.EffectiveFrom, TimeSpan.Zero),
        new DateTimeOffset(row.PublishedAt, TimeSpan.Zero),
        row.PublishedBy,
        row.Reason,
        (JsonSerializer.Deserialize<List<RuleJson>>(row.Rules, Json) ?? []).Select(r => r.ToRule()).ToList());

    public static CatalogueVersionRow ToRow(CatalogueVersion version) => new()
    {
        Number = version.Number,
        EffectiveFrom = version.EffectiveFrom.UtcDateTime,
        PublishedAt = version.PublishedAt.UtcDateTime,
        PublishedBy = version.PublishedBy,
        Reason = version.Reason,
        Rules = JsonSerializer.Serialize(version.Rules.Select(RuleJson.From), Json),
    };

    /// <summary>A rule as the API and the version row write it.</summary>
    public sealed record RuleJson(string Id, string? CategoryCode, string TerritoryCode, string LeadUnit, List<string>? AssistingUnits, bool AutoDispatch, string? Note)
    {
        public RoutingRule ToRule() => new(Id, string.IsNullOrWhiteSpace(CategoryCode) ? null : CategoryCode, TerritoryCode, LeadUnit, AssistingUnits ?? [], AutoDispatch, Note);

        public static RuleJson From(RoutingRule r) => new(r.Id, r.CategoryCode, r.TerritoryCode, r.LeadUnitCode, [.. r.AssistingUnitCodes], r.AutoDispatch, r.Note);
    }
}
