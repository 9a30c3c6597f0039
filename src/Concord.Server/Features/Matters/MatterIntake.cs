using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Routing;
using Concord.Domain.Territories;
using Concord.Server.Access.PersonalData;
using Concord.Server.Catalog;
using Concord.Server.Data;

namespace Concord.Server.Features.Matters;

public sealed record IntakeOutcome(MatterRow? Matter, IReadOnlyList<FieldError> Errors);

/// <summary>
/// 受理: validates a draft, locates it, categorizes and routes it, and writes the matter with its
/// first events in one transaction. With an automatic rule the matter is dispatched at once (直达直办).
/// The reporter and the parties are stored encrypted (see Access/PersonalData); no event holds them.
/// </summary>
public sealed class MatterIntake(ConcordDb db, CatalogStore catalog, TimeProvider clock, LocalCalendar calendar, MatterPersonalData personalData, Handling.Deadlines deadlines, Duplicates.DuplicateSearch duplicates, Catalogue.Versions.DispatchCatalogue dispatchCatalogue, MatterNumberBlocks numbers)
{
    /// <summary>Validates and builds the matter; the caller saves it inside its transaction.</summary>
    public async Task<IntakeOutcome> TakeInAsync(MatterDraft draft, string actor, CancellationToken cancellationToken)
    {
        var snapshot = catalog.Current;
        var now = clock.GetUtcNow();
        var errors = IntakeRules.Validate(draft, snapshot.Categories, snapshot.Tree, now);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        WireNames.TryParseKind(draft.Kind, out var kind);
        WireNames.TryParseChannel(draft.Channel, out var channel);
        var located = Locate(draft, snapshot.Territories);
        var category = snapshot.Categories.Find(draft.CategoryCode);
        // The catalogue version in force now routes, and the routed event records it (Catalogue/Versions).
        var catalogues = await dispatchCatalogue.GetAsync(cancellationToken);
        var catalogueVersion = catalogues.InForceAt(now);
        var decision = catalogues.RouterOf(catalogueVersion).Route(category?.Code, located.Chain);
        var dispatched = decision is { AutoDispatch: true, LeadUnitCode: not null };

        var (number, id) = await numbers.NextAsync(db, cancellationToken);
        var at = now.UtcDateTime;
        var matter = new MatterRow
        {
            Code = MatterCode.Format(calendar.LocalDate(now), number),
            Kind = kind.ToWire(),
            Channel = channel.ToWire(),
            Status = (dispatched ? MatterStatus.Dispatched : MatterStatus.Received).ToWire(),
            Title = draft.Title!,
            Description = draft.Description!,
            CategoryCode = category?.Code,
            Urgency = category?.Urgency.ToString().ToLowerInvariant(),
            Lat = draft.Lat,
            Lon = draft.Lon,
            Address = draft.Address,
            TerritoryCode = located.Deepest?.Code ?? "",
            LocationMatch = Views.MatchName(located.Match),
            LocationUnmatched = located.Unmatched,
            OccurredAt = draft.OccurredAt?.UtcDateTime,
            ReceivedAt = at,
            UpdatedAt = at,
            LeadUnitCode = decision.LeadUnitCode,
            AssistingUnitCodes = string.Join(',', decision.AssistingUnitCodes),
            RoutingBasis = Views.BasisName(decision.Basis),
            RoutingRuleId = decision.Rule?.Id,
            Confidential = draft.Confidential,
        };
        SetChain(matter, located.Chain);
        personalData.Store(matter, new PersonalDataView(
            draft.ReporterName is null && draft.ReporterPhone is null ? null : new PersonData(draft.ReporterName, draft.ReporterPhone),
            draft.Parties.Select(p => new PersonData(p.Name, p.Phone, p.Role)).ToList()));

        AddEvent(matter, "received", at, actor, new { kind = matter.Kind, channel = matter.Channel });
        AddEvent(matter, "located", at, actor, new
        {
            territoryCode = matter.TerritoryCode,
            match = matter.LocationMatch,
            unmatched = located.Unmatched,
            distanceKm = located.DistanceKm,
            lat = draft.Lat,
            lon = draft.Lon,
            address = draft.Address,
        });
        if (category is not null)
        {
            AddEvent(matter, "categorized", at, actor, new { categoryCode = category.Code, urgency = matter.Urgency });
        }

        AddEvent(matter, "routed", at, actor, new
        {
            basis = matter.RoutingBasis,
            leadUnit = decision.LeadUnitCode,
            assistingUnits = decision.AssistingUnitCodes,
            ruleId = decision.Rule?.Id,
            fallbackTerritory = decision.FallbackTerritoryCode,
            catalogueVersion = catalogueVersion.Number,
        });
        if (dispatched)
        {
            // 直达直办: dispatched in this transaction, so its deadlines start now.
            matter.DispatchedAt = at;
            matter.AcceptDueAt = deadlines.Add(now, category!.AcceptWithin).UtcDateTime;
            matter.ReplyDueAt = deadlines.Add(now, category.ReplyWithin).UtcDateTime;
            matter.NextCheckAt = deadlines.YellowAt(now, new DateTimeOffset(matter.AcceptDueAt.Value, TimeSpan.Zero)).UtcDateTime;
            matter.Items = 1;
            AddEvent(matter, "dispatched", at, actor, new { leadUnit = decision.LeadUnitCode, assistingUnits = decision.AssistingUnitCodes, automatic = true, acceptDueAt = matter.AcceptDueAt, replyDueAt = matter.ReplyDueAt, catalogueVersion = catalogueVersion.Number });
        }

        // An id known before the insert (PostgreSQL) lets the matter and its rows go in one batch; set
        // after the events, which ride on the matter's navigation (MatterEvents.Record).
        matter.Id = id ?? 0;
        db.Matters.Add(matter);
        // 并单: the matter's near-duplicate signature, in the same transaction.
        duplicates.Sign(matter);
        return new(matter, []);
    }

    private static Located Locate(MatterDraft draft, TerritoryIndex index)
    {
        // The most precise thing the caller gave decides: a point, then a code, then address text.
        if (draft.Lat is { } lat && draft.Lon is { } lon)
        {
            return index.Locate(lat, lon);
        }

        if (draft.TerritoryCode is { } code)
        {
            return index.LocateCode(code);
        }

        return index.LocateAddress(draft.Address ?? "");
    }

    private static void SetChain(MatterRow matter, IReadOnlyList<Territory> chain)
    {
        foreach (var territory in chain)
        {
            switch (territory.Level)
            {
                case TerritoryLevel.Province: matter.ProvinceCode = territory.Code; break;
                case TerritoryLevel.City: matter.CityCode = territory.Code; break;
                case TerritoryLevel.County: matter.CountyCode = territory.Code; break;
                case TerritoryLevel.Township: matter.TownshipCode = territory.Code; break;
                case TerritoryLevel.Community: matter.CommunityCode = territory.Code; break;
                case TerritoryLevel.Grid: matter.GridCode = territory.Code; break;
            }
        }
    }

    private void AddEvent(MatterRow matter, string type, DateTime at, string actor, object data) =>
        MatterEvents.Record(db, matter, type, at, actor, data);
}

/// <summary>The center's local calendar: the matter code's date is the date in the center's time zone.</summary>
public sealed class LocalCalendar(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
