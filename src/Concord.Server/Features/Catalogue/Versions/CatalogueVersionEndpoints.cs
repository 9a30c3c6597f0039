using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Routing;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Catalogue.Versions;

/// <summary>
/// 派单目录: list and publish versions of the dispatch catalogue, and explain a matter's dispatch
/// by the version of its day (<c>GET /api/v1/matters/{code}/routing</c>).
/// </summary>
public static class CatalogueVersionEndpoints
{
    public sealed record PublishRequest(DateTimeOffset? EffectiveFrom, string? Reason, List<DispatchCatalogue.RuleJson>? Rules);

    public static IServiceCollection AddDispatchCatalogue(this IServiceCollection services)
    {
        services.AddSingleton<DispatchCatalogue>();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalogueVersions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/routing/catalogue/versions", ListAsync).WithTags("Routing")
            .RequireAuthorization(Permissions.CatalogueRead)
            .WithSummary("The versions of the dispatch catalogue (派单目录), newest first, with the one in force now");
        app.MapGet("/api/v1/routing/catalogue/versions/{number:int}", GetAsync).WithTags("Routing")
            .RequireAuthorization(Permissions.CatalogueRead)
            .WithSummary("One version of the dispatch catalogue with its rules");
        app.MapPost("/api/v1/routing/catalogue/versions", PublishAsync).WithTags("Routing")
            .RequireAuthorization(Permissions.CataloguePublish)
            .WithSummary("Publish a new version of the dispatch catalogue: the complete rules, effective from a date (now or later), with a reason");
        app.MapGet("/api/v1/matters/{code}/routing", MatterRoutingAsync).WithTags("Routing")
            .RequireAuthorization(Permissions.MattersRead)
            .WithSummary("Explain a matter's dispatch by the catalogue version of its day, and what the version in force now would decide");
        return app;
    }

    private static object Summary(CatalogueVersion v, CatalogueVersion inForce) => new
    {
        number = v.Number,
        effectiveFrom = v.EffectiveFrom,
        publishedAt = v.PublishedAt,
        publishedBy = v.PublishedBy,
        reason = v.Reason,
        rules = v.Rules.Count,
        inForce = v.Number == inForce.Number,
    };

    private static async Task<IResult> ListAsync(DispatchCatalogue catalogue, TimeProvider clock, CancellationToken ct)
    {
        var versions = await catalogue.GetAsync(ct);
        var inForce = versions.InForceAt(clock.GetUtcNow());
        return Results.Ok(versions.History.Versions.OrderByDescending(v => v.Number).Select(v => Summary(v, inForce)));
    }

    private static async Task<IResult> GetAsync(int number, DispatchCatalogue catalogue, TimeProvider clock, CancellationToken ct)
    {
        var versions = await catalogue.GetAsync(ct);
        if (versions.History.Find(number) is not { } version)
        {
            return Problem.NotFound("detail.catalogue_version_not_found", number);
        }

        return Results.Ok(new { version = Summary(version, versions.InForceAt(clock.GetUtcNow())), rules = version.Rules.Select(DispatchCatalogue.RuleJson.From) });
    }

    private static async Task<IResult> PublishAsync(HttpRequest request, ConcordDb db, CatalogStore catalog, DispatchCatalogue catalogue, CurrentStaff staff, TimeProvider clock, CancellationToken ct)
    {
        var body = await RequestBody.ReadObjectAsync<PublishRequest>(request, ct, maxBytes: 1024 * 1024);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var publish = body.Value!;
        var now = clock.GetUtcNow();
        var effectiveFrom = publish.EffectiveFrom ?? now;
        var rules = (publish.Rules ?? []).Select(r => r?.ToRule() ?? new RoutingRule("", null, "", "", [], false)).ToList();
        var snapshot = catalog.Current;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var versions = await DispatchCatalogue.LoadAsync(db, snapshot, ct);
        var errors = versions.History.Validate(effectiveFrom, now, publish.Reason, rules,
            code => snapshot.Categories.Find(code) is not null,
            code => snapshot.Tree.Find(code) is not null,
            code => snapshot.Units.ContainsKey(code));
        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        if (versions.ImplicitFirst)
        {
            // The rules as loaded become version 1 on the record, so that what was dispatched by them stays explainable.
            db.Add(DispatchCatalogue.ToRow(versions.History.Versions[0]));
        }

        var version = new CatalogueVersion(versions.History.Latest!.Number + 1, effectiveFrom, now, staff.Actor.Id, publish.Reason!.Trim(), rules);
        db.Add(DispatchCatalogue.ToRow(version));
        if (effectiveFrom <= now)
        {
            // In force at once: the rules table (what /api/v1/routing/rules showed before versions) follows.
            await db.RoutingRules.ExecuteDeleteAsync(ct);
            db.RoutingRules.AddRange(rules.Select(r => new RoutingRuleRow
            {
                Id = r.Id,
                CategoryCode = r.CategoryCode,
                TerritoryCode = r.TerritoryCode,
                LeadUnitCode = r.LeadUnitCode,
                AssistingUnitCodes = string.Join(',', r.AssistingUnitCodes),
                AutoDispatch = r.AutoDispatch,
                Note = r.Note,
            }));
        }

        AuditLog.Append(db, staff.Actor, "catalogue.published", "catalogue_version", version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { effectiveFrom, reason = version.Reason, rules = rules.Count }, now.UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two publications at once took the same number: the later one must look again.
            return Problem.Create(StatusCodes.Status409Conflict, "conflict", "title.conflict", Messages.Text("detail.catalogue_concurrent"));
        }

        await CatalogStore.BumpRevisionAsync(db, ct);
        await transaction.CommitAsync(ct);
        await catalog.RefreshAsync(force: false, ct);
        var published = await catalogue.GetAsync(ct);
        return Results.Created($"/api/v1/routing/catalogue/versions/{version.Number}", Summary(version, published.InForceAt(clock.GetUtcNow())));
    }

    private static async Task<IResult> MatterRoutingAsync(string code, ConcordDb db, CurrentStaff staff, DispatchCatalogue catalogue, TimeProvider clock, CancellationToken ct)
    {
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code, ct);
        var scope = await staff.ScopeAsync(ct);
        if (matter is null || !scope.Covers(matter))
        {
            return Problem.NotFound("detail.matter_not_found", code);
        }

        // The decision to explain: the latest dispatch, else the routing at intake.
        string[] types = ["routed", "dispatched", "redispatched"];
        var events = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId == matter.Id && types.Contains(e.Type)).OrderBy(e => e.Id).ToListAsync(ct);
        var decisive = events.LastOrDefault(e => e.Type != "routed") ?? events.LastOrDefault();
        var versions = await catalogue.GetAsync(ct);
        var snapshot = versions.Snapshot;
        var decidedAt = decisive is null ? new DateTimeOffset(matter.ReceivedAt, TimeSpan.Zero) : new DateTimeOffset(decisive.At, TimeSpan.Zero);
        using var data = JsonDocument.Parse(decisive?.Data ?? "{}");
        var recorded = data.RootElement.TryGetProperty("catalogueVersion", out var v) && v.TryGetInt32(out var n) ? versions.History.Find(n) : null;
        var version = recorded ?? versions.InForceAt(decidedAt);
        var chain = snapshot.Tree.ChainOf(matter.TerritoryCode);
        var category = data.RootElement.TryGetProperty("categoryCode", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : matter.CategoryCode;
        var then = versions.RouterOf(version).Route(category, chain);
        var nowVersion = versions.InForceAt(clock.GetUtcNow());
        var now = versions.RouterOf(nowVersion).Route(category, chain);
        var lead = data.RootElement.TryGetProperty("leadUnit", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : matter.LeadUnitCode;
        return Results.Ok(new
        {
            matter = matter.Code,
            decision = decisive?.Type,
            decidedAt,
            categoryCode = category,
            leadUnit = Views.UnitOf(lead, snapshot),
            catalogueVersion = new { version.Number, version.EffectiveFrom, version.PublishedBy, version.Reason, recorded = recorded is not null },
            byCatalogue = Decision(then, version, category, chain, versions),
            followedCatalogue = then.LeadUnitCode == lead,
            pushDownOverride = data.RootElement.TryGetProperty("overrideReason", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null,
            inForceNow = new { version = nowVersion.Number, decision = Decision(now, nowVersion, category, chain, versions) },
        });
    }

    private static object Decision(RoutingDecision decision, CatalogueVersion version, string? category, IReadOnlyList<Concord.Domain.Territories.Territory> chain, CatalogueVersions versions) => new
    {
        basis = Views.BasisName(decision.Basis),
        leadUnit = Views.UnitOf(decision.LeadUnitCode, versions.Snapshot),
        assistingUnits = decision.AssistingUnitCodes.Select(u => Views.UnitOf(u, versions.Snapshot)),
        rule = decision.Rule is null ? null : DispatchCatalogue.RuleJson.From(decision.Rule),
        fallbackTerritory = decision.FallbackTerritoryCode,
        candidates = category is null ? [] : versions.RouterOf(version).Candidates(category, chain).Select(DispatchCatalogue.RuleJson.From).ToList(),
    };
}
