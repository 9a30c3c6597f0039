using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Startup;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Health;

public static class HealthEndpoints
{
    /// <summary>200 once migrations ran and the territory index is loaded, and the database answers; 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (Readiness readiness, CatalogStore catalog, ConcordDb db, CancellationToken ct) =>
        {
            var database = readiness.IsReady && await db.Database.CanConnectAsync(ct);
            var body = new
            {
                status = readiness.IsReady && database ? "ready" : "starting",
                database = db.Provider.ToString().ToLowerInvariant(),
                catalogRevision = catalog.Current.Revision,
                territories = catalog.Current.Tree.Count,
                indexedPolygons = catalog.Current.Territories.PolygonCount,
            };
            return Results.Json(body, statusCode: readiness.IsReady && database ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().WithTags("Health").WithSummary("Readiness: migrations applied, territory index loaded, database reachable");
        return app;
    }
}
