using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Features.Matters;
using Concord.Server.Features.Territories;
using Concord.Server.Problems;

namespace Concord.Server.Features.Catalogue;

/// <summary>Read access to the category taxonomy, the units and the dispatch catalogue, and "why would this go there?".</summary>
public static class CatalogueEndpoints
{
    public static IEndpointRouteBuilder MapCatalogue(this IEndpointRouteBuilder root)
    {
        var app = root.MapGroup("").RequireAuthorization(Permissions.CatalogueRead);
        app.MapGet("/api/v1/categories", (CatalogStore catalog) =>
            Results.Ok(catalog.Current.Categories.All.Select(c => new
            {
                c.Code,
                c.Name,
                c.NameEn,
                c.ParentCode,
                c.KeyDomain,
                urgency = c.Urgency.ToString().ToLowerInvariant(),
                acceptWithin = c.AcceptWithin.ToString(),
                replyWithin = c.ReplyWithin.ToString(),
                c.Keywords,
            })))
            .WithTags("Catalogue").WithSummary("The category taxonomy (事项分类): domains, categories, subcategories with default deadlines");

        app.MapGet("/api/v1/units", (CatalogStore catalog, string? territory, string? kind) =>
            Results.Ok(catalog.Current.Units.Values
                .Where(u => territory is null || u.TerritoryCode == territory)
                .Where(u => kind is null || u.Kind == kind)
                .OrderBy(u => u.Code, StringComparer.Ordinal)))
            .WithTags("Catalogue").WithSummary("Handling units (单位), optionally of one territory or kind");

        // The rules of the catalogue version in force now (Versions/): a version published for a later date waits its turn.
        app.MapGet("/api/v1/routing/rules", async (Versions.DispatchCatalogue catalogue, TimeProvider clock, CancellationToken ct) =>
            Results.Ok((await catalogue.GetAsync(ct)).InForceAt(clock.GetUtcNow()).Rules.OrderBy(r => r.Id, StringComparer.Ordinal)))
            .WithTags("Routing").WithSummary("The dispatch catalogue's rules in force now");

        app.MapGet("/api/v1/routing/explain", async (Versions.DispatchCatalogue catalogue, TimeProvider clock, string category, double? lat, double? lon, string? territory, DateTimeOffset? at, CancellationToken ct) =>
        {
            // The catalogue version in force at `at` (default: now) decides, so that a past dispatch is explained by the rules of its day.
            var versions = await catalogue.GetAsync(ct);
            var snapshot = versions.Snapshot;
            var version = versions.InForceAt(at ?? clock.GetUtcNow());
            var router = versions.RouterOf(version);
            var errors = new List<Concord.Domain.Matters.FieldError>();
            if (snapshot.Categories.Find(category) is null)
            {
                errors.Add(new("category", "unknown_category", category));
            }

            var located = lat is { } la && lon is { } lo ? snapshot.Territories.Locate(la, lo)
                : territory is not null ? snapshot.Territories.LocateCode(territory)
                : null;
            if (located is null)
            {
                errors.Add(new("location", "place_required"));
            }
            else if (territory is not null && located.Deepest?.Code != territory)
            {
                errors.Add(new("territory", "unknown_territory", territory));
            }

            if (errors.Count > 0)
            {
                return Problem.BadRequest(errors);
            }

            var decision = router.Route(category, located!.Chain);
            return Results.Ok(new
            {
                catalogueVersion = new { version.Number, version.EffectiveFrom, version.PublishedBy, version.Reason },
                place = LocatedView.From(located),
                basis = Views.BasisName(decision.Basis),
                leadUnit = Views.UnitOf(decision.LeadUnitCode, snapshot),
                assistingUnits = decision.AssistingUnitCodes.Select(c => Views.UnitOf(c, snapshot)),
                rule = decision.Rule,
                fallbackTerritory = decision.FallbackTerritoryCode,
                // Every applicable rule, the deciding one first: shows what a more specific rule overrode.
                candidates = router.Candidates(category, located.Chain),
            });
        }).WithTags("Routing").WithSummary("Which unit a matter of this category at this place goes to, and every rule that applied");

        return root;
    }
}
