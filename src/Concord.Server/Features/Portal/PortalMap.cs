using System.Text;
using System.Text.Json;
using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Catalog;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Simplify;

namespace Concord.Server.Features.Portal;

/// <summary>
/// The portal map's base layer: the townships' polygons (simplified), drawn by Leaflet instead of
/// tiles from a tile server, which an offline deployment does not have. Names and codes only.
/// </summary>
public static class PortalMap
{
    /// <summary>About 100 m: the outlines stay recognisable and the answer small.</summary>
    private const double Tolerance = 0.001;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/public/map", (CatalogStore catalog) => Results.Text(Townships(catalog.Current), "application/geo+json", Encoding.UTF8))
            .WithTags("Residents").AllowAnonymous().RequireRateLimiting(AccessSetup.PublicRateLimit)
            .WithSummary("The townships' outlines as GeoJSON, the base layer of the portal's map");

    private sealed record Cached(long Revision, string Json);

    /// <summary>The answer of the current catalogue revision (one reference, replaced whole).</summary>
    private static Cached? cache;

    private static string Townships(CatalogSnapshot snapshot)
    {
        if (cache is { } hit && hit.Revision == snapshot.Revision)
        {
            return hit.Json;
        }

        var collection = new FeatureCollection();
        foreach (var t in snapshot.Tree.All.Where(t => t.Level == TerritoryLevel.Township))
        {
            if (snapshot.Territories.GeometryOf(t.Code) is { } geometry)
            {
                collection.Add(new Feature(TopologyPreservingSimplifier.Simplify(geometry, Tolerance), new AttributesTable(new Dictionary<string, object?>
                {
                    ["code"] = t.Code,
                    ["name"] = t.Name,
                })));
            }
        }

        var json = JsonSerializer.Serialize(collection, new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory() } });
        cache = new Cached(snapshot.Revision, json);
        return json;
    }
}
