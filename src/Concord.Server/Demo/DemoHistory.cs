using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Routing;
using Concord.Domain.Suggestions;
using Concord.Domain.Territories;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Demo;

/// <summary>
/// SYNTHETIC dispatch history for the demo, so that the suggestions (智能分拨) have decisions to
/// learn from: closed matters generated from the category taxonomy and dispatched by the demo's
/// routing rules (Concord.Domain.Suggestions.SyntheticDispatches, fixed seed), and a few new
/// matters waiting in the dispatch queue. Every one is labelled: its title starts with 〔合成示例〕,
/// its events are by "demo-history" and carry synthetic: true.
/// </summary>
public static class DemoHistory
{
    public const string Label = "〔合成示例〕";
    public const string ActorId = "demo-history";
    public const int DefaultSize = 1500;
    public const int Waiting = 12;

    public static async Task<int> SeedAsync(
        ConcordDb db, IReadOnlyList<Territory> territories, IReadOnlyList<UnitRow> units, IReadOnlyList<RoutingRuleRow> rules,
        int size, int seed, DateTimeOffset now, LocalCalendar calendar, CancellationToken ct)
    {
        var tree = new TerritoryTree(territories);
        var governments = units.Where(u => u.Kind == Unit.GovernmentKind).GroupBy(u => u.TerritoryCode)
            .ToDictionary(g => g.Key, g => g.OrderBy(u => u.Code, StringComparer.Ordinal).First().Code);
        var router = new Router(rules.Select(CatalogStore.ToRule), code => governments.GetValueOrDefault(code));
        var places = territories.Where(t => t.Level == TerritoryLevel.Township && t.ParentCode is not null)
            .OrderBy(t => t.Code, StringComparer.Ordinal)
            .Select(t => new SyntheticPlace(t.ParentCode!, t.Code, t.Name)).ToList();
        var categories = (await db.Categories.AsNoTracking().ToListAsync(ct)).Select(CatalogStore.ToCategory).ToList();
        string? LeadOf(string category, SyntheticPlace place) => router.Route(category, tree.ChainOf(place.TownshipCode)).LeadUnitCode;

        var history = SyntheticDispatches.Generate(categories, places, LeadOf, size, seed);
        var waiting = SyntheticDispatches.Generate(categories, places, LeadOf, Waiting, seed + 1);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var span = TimeSpan.FromDays(180);
        for (var i = 0; i < history.Count; i++)
        {
            var received = now - span + span * i / Math.Max(1, history.Count);
            var matter = await NewMatterAsync(db, history[i], tree, received, calendar, ct);
            var dispatchedAt = received.AddMinutes(20).UtcDateTime;
            matter.Status = MatterStatus.Closed.ToWire();
            matter.CategoryCode = history[i].CategoryCode;
            matter.LeadUnitCode = history[i].LeadUnitCode;
            matter.RoutingBasis = "manual";
            matter.DispatchedAt = dispatchedAt;
            matter.ClosedAt = received.AddDays(3).UtcDateTime;
            matter.Items = 1;
            Record(db, matter, "dispatched", dispatchedAt, new { leadUnit = matter.LeadUnitCode, categoryCode = matter.CategoryCode, catalogueVersion = 1, synthetic = true });
            Record(db, matter, "closed", matter.ClosedAt.Value, new { synthetic = true });
        }

        foreach (var (item, i) in waiting.Select((w, i) => (w, i)))
        {
            await NewMatterAsync(db, item, tree, now.AddMinutes(-30 * (Waiting - i)), calendar, ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return history.Count + waiting.Count;
    }

    private static async Task<MatterRow> NewMatterAsync(ConcordDb db, SyntheticDispatch item, TerritoryTree tree, DateTimeOffset received, LocalCalendar calendar, CancellationToken ct)
    {
        var number = await MatterNumbers.NextAsync(db, ct);
        var at = received.UtcDateTime;
        var matter = new MatterRow
        {
            Code = MatterCode.Format(calendar.LocalDate(received), number),
            Kind = MatterKind.Appeal.ToWire(),
            Channel = Channel.Hotline.ToWire(),
            Status = MatterStatus.Received.ToWire(),
            Title = Label + item.Title,
            Description = item.Description,
            TerritoryCode = item.Place.TownshipCode,
            LocationMatch = "code",
            ReceivedAt = at,
            UpdatedAt = at,
            RoutingBasis = "undecided",
        };
        foreach (var territory in tree.ChainOf(item.Place.TownshipCode))
        {
            switch (territory.Level)
            {
                case TerritoryLevel.Province: matter.ProvinceCode = territory.Code; break;
                case TerritoryLevel.City: matter.CityCode = territory.Code; break;
                case TerritoryLevel.County: matter.CountyCode = territory.Code; break;
                case TerritoryLevel.Township: matter.TownshipCode = territory.Code; break;
            }
        }

        Record(db, matter, "received", at, new { kind = matter.Kind, channel = matter.Channel, synthetic = true });
        db.Matters.Add(matter);
        return matter;
    }

    private static void Record(ConcordDb db, MatterRow matter, string type, DateTime at, object data) =>
        matter.Events.Add(new MatterEventRow { Type = type, At = at, Actor = ActorId, Data = JsonSerializer.Serialize(data, MatterEvents.Json) });
}
