using System.Text;
using System.Text.Json;
using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Features.Figures;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Simplify;

namespace Concord.Server.Features.Situation;

/// <summary>
/// The grid map's base layer (网格地图): a territory's children as polygons, simplified for the screen,
/// each carrying the situation figures of the period (open and overdue matters) from
/// <see cref="SituationFigures"/>, so the map colours by the same counts as the dashboard.
/// </summary>
public static class GridMapEndpoints
{
    /// <summary>The simplifier's tolerance as a share of the drawn extent: about a pixel on a 1,000-pixel map.</summary>
    public const double ToleranceShare = 1.0 / 1000;

    public static IEndpointRouteBuilder MapGridMap(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/territories/{code}/children.geojson", ChildrenAsync)
            .RequireAuthorization(Permissions.FiguresRead)
            .WithTags("Figures")
            .WithSummary("The children of a territory as simplified polygons (GeoJSON) with each one's figures in the period: volume, open, overdue");
        return app;
    }

    private static async Task<IResult> ChildrenAsync(
        string code, SituationFigures figures, CatalogStore catalog, CurrentStaff staff, LocalCalendar calendar, TimeProvider clock, CancellationToken ct,
        string? from = null, string? to = null)
    {
        var snapshot = catalog.Current;
        if (snapshot.Tree.Find(code) is null)
        {
            return Problem.NotFound("detail.territory_not_found", code);
        }

        var scope = await staff.ScopeAsync(ct);
        var read = FigureEndpoints.ReadPeriod(snapshot, scope, calendar.LocalDate(clock.GetUtcNow()), code, from, to);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var view = await figures.ComputeAsync(read.Period!, scope, ct);
        return Results.Text(Serialize(Build(snapshot, code, view)), "application/geo+json", Encoding.UTF8);
    }

    /// <summary>The children with a polygon, simplified (topology kept, so neighbours still meet), with their figures; zeros where no matter fell.</summary>
    public static FeatureCollection Build(CatalogSnapshot snapshot, string code, SituationView view)
    {
        var tree = snapshot.Tree;
        var byArea = view.ByArea.ToDictionary(a => a.Code, StringComparer.Ordinal);
        var shapes = tree.ChildrenOf(code)
            .Select(child => (Child: child, Geometry: snapshot.Territories.GeometryOf(child.Code)))
            .Where(s => s.Geometry is not null)
            .ToList();
        var extent = new Envelope();
        foreach (var (_, geometry) in shapes)
        {
            extent.ExpandToInclude(geometry!.EnvelopeInternal);
        }

        var tolerance = Math.Max(extent.Width, extent.Height) * ToleranceShare;
        var collection = new FeatureCollection();
        foreach (var (child, geometry) in shapes.OrderBy(s => s.Child.Code, StringComparer.Ordinal))
        {
            var figure = byArea.GetValueOrDefault(child.Code);
            collection.Add(new Feature(tolerance > 0 ? TopologyPreservingSimplifier.Simplify(geometry, tolerance) : geometry, new AttributesTable(new Dictionary<string, object?>
            {
                ["code"] = child.Code,
                ["name"] = child.Name,
                ["level"] = child.Level.ToWire(),
                ["children"] = tree.ChildrenOf(child.Code).Count,
                ["volume"] = figure?.Volume ?? 0,
                ["open"] = figure?.Open ?? 0,
                ["overdue"] = figure?.Overdue ?? 0,
            })));
        }

        return collection;
    }

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    public static string Serialize(FeatureCollection collection) => JsonSerializer.Serialize(collection, GeoJson);
}
