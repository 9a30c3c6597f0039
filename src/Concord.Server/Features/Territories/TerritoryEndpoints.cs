using System.Text;
using System.Text.Json;
using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace Concord.Server.Features.Territories;

public static class TerritoryEndpoints
{
    public const long MaxImportBytes = 200L * 1024 * 1024;

    public static IServiceCollection AddTerritories(this IServiceCollection services) =>
        services.AddScoped<TerritoryImporter>();

    public static IEndpointRouteBuilder MapTerritories(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/territories").WithTags("Territories").RequireAuthorization(Permissions.CatalogueRead);

        group.MapGet("/", (CatalogStore catalog, string? parent) =>
        {
            var tree = catalog.Current.Tree;
            var list = parent is null
                ? tree.All.Where(t => tree.Find(t.ParentCode) is null).OrderBy(t => t.Code, StringComparer.Ordinal).ToList()
                : tree.ChildrenOf(parent);
            return Results.Ok(list.Select(t => TerritoryView.From(t, tree)));
        }).WithSummary("Top-level territories, or the children of ?parent=");

        group.MapGet("/{code}", (string code, CatalogStore catalog) =>
        {
            var tree = catalog.Current.Tree;
            return tree.Find(code) is { } t
                ? Results.Ok(new
                {
                    territory = TerritoryView.From(t, tree),
                    chain = tree.ChainOf(code).Select(c => new TerritoryLink(c.Code, c.Name, c.Level.ToWire())),
                    hasGeometry = catalog.Current.Territories.GeometryOf(code) is not null,
                })
                : Problem.NotFound("detail.territory_not_found", code);
        }).WithSummary("One territory with its chain up to the root");

        group.MapGet("/{code}/geometry", async (string code, CatalogStore catalog, ConcordDb db, CancellationToken ct) =>
        {
            var tree = catalog.Current.Tree;
            if (tree.Find(code) is not { } territory)
            {
                return Problem.NotFound("detail.territory_not_found", code);
            }

            var synthetic = await db.Territories.Where(t => t.Code == code).Select(t => t.Synthetic).SingleAsync(ct);
            var collection = new FeatureCollection();
            foreach (var member in new[] { territory }.Concat(tree.ChildrenOf(code)))
            {
                if (catalog.Current.Territories.GeometryOf(member.Code) is { } geometry)
                {
                    collection.Add(new Feature(geometry, new AttributesTable(new Dictionary<string, object?>
                    {
                        ["code"] = member.Code,
                        ["name"] = member.Name,
                        ["level"] = member.Level.ToWire(),
                        ["parent_code"] = member.ParentCode,
                        ["synthetic"] = synthetic,
                    })));
                }
            }

            var options = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory() } };
            return Results.Text(JsonSerializer.Serialize(collection, options), "application/geo+json", Encoding.UTF8);
        }).WithSummary("The territory's polygon and its children's, as a GeoJSON FeatureCollection");

        group.MapGet("/locate", (double lat, double lon, CatalogStore catalog) =>
        {
            var located = catalog.Current.Territories.Locate(lat, lon);
            return Results.Ok(LocatedView.From(located));
        }).WithSummary("Point → grid → community → township → county → city");

        group.MapPost("/import/divisions", async (HttpRequest request, TerritoryImporter importer, CurrentStaff staff, CancellationToken ct) =>
        {
            if (RequestBody.CheckContentType(request, "text/csv") is { } refused)
            {
                return refused;
            }

            var body = await RequestBody.ReadTextAsync(request, MaxImportBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var (items, errors) = DivisionCsvReader.Read(new StringReader(body.Text!));
            return await ImportAsync(importer, items, errors, staff.Actor, ct);
        }).RequireAuthorization(Permissions.TerritoriesImport)
          .WithSummary("Import divisions from CSV (code,name,level,parent_code); refused whole on any fault")
          .Accepts<string>("text/csv");

        group.MapPost("/import/geojson", async (HttpRequest request, TerritoryImporter importer, CurrentStaff staff, CancellationToken ct) =>
        {
            var json = await RequestBody.ReadJsonAsync(request, MaxImportBytes, ct, "application/geo+json");
            if (json.Problem is not null)
            {
                return json.Problem;
            }

            using var document = json.Document!;
            var (items, errors) = GeoJsonTerritoryReader.Read(document.RootElement);
            return await ImportAsync(importer, items, errors, staff.Actor, ct);
        }).RequireAuthorization(Permissions.TerritoriesImport)
          .WithSummary("Import territories with polygons from a GeoJSON FeatureCollection; refused whole on any fault")
          .Accepts<object>("application/geo+json", "application/json");

        return app;
    }

    private static async Task<IResult> ImportAsync(TerritoryImporter importer, List<ImportedTerritory> items, List<Concord.Domain.Matters.FieldError> readErrors, Actor actor, CancellationToken ct)
    {
        var result = await importer.ImportAsync(items, synthetic: false, actor, ct, readErrors);
        return result.Succeeded
            ? Results.Ok(new { added = result.Added, updated = result.Updated })
            : Problem.ImportRejected(result.Errors);
    }
}

public sealed record TerritoryLink(string Code, string Name, string Level);

public sealed record TerritoryView(string Code, string Name, string Level, string? ParentCode, int Children)
{
    public static TerritoryView From(Territory t, TerritoryTree tree) =>
        new(t.Code, t.Name, t.Level.ToWire(), t.ParentCode, tree.ChildrenOf(t.Code).Count);
}

public sealed record LocatedView(IReadOnlyList<TerritoryLink> Chain, string Match, bool Unmatched, double? DistanceKm)
{
    public static LocatedView From(Located located) => new(
        located.Chain.Select(c => new TerritoryLink(c.Code, c.Name, c.Level.ToWire())).ToList(),
        MatchName(located.Match),
        located.Unmatched,
        located.DistanceKm);

    public static string MatchName(LocationMatch match) => match switch
    {
        LocationMatch.Grid => "grid",
        LocationMatch.Division => "division",
        LocationMatch.NearestCounty => "nearest_county",
        LocationMatch.Code => "code",
        LocationMatch.Address => "address",
        _ => "none",
    };
}
