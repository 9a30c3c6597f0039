using Concord.Server.Access;
using Concord.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Access;

/// <summary>Deny unless allowed: every endpoint names a permission or is explicitly anonymous.</summary>
public sealed class EndpointPolicyTests(NoDemoHost host) : IClassFixture<NoDemoHost>
{
    /// <summary>The endpoints that anyone may call, by route pattern.</summary>
    private static readonly HashSet<string> Anonymous =
    [
        "/health", "/openapi/{documentName}.json", "/api/v1/session/",
        "/api/v1/public/matters/", "/api/v1/public/matters/{trackingCode}", "/api/v1/public/matters/{trackingCode}/verdict",
        "/scalar/{documentName?}", "/scalar/{documentName}/{**rest}", "/scalar/scalar.js", "/scalar/scalar.aspnetcore.js", "/scalar/favicon.svg",
        // The staff pages: signing in, the language switch, Blazor's redirect after a form post, and the
        // files of wwwroot (static assets; when running from a build, also those added after it).
        "/sign-in", "/culture", "/_framework/opaque-redirect", "/{**path:file}",
        // Portal (residents' door) and Open311: no account; photos need the tracking secret; POST requests needs an api_key.
        "/api/v1/public/matters/{trackingCode}/photos/{ordinal:int}", "/api/v1/public/matters/{trackingCode}/photos/{ordinal:int}/thumbnail",
        "/api/v1/public/figures", "/api/v1/public/map", "/portal", "/portal/submit", "/portal/track", "/portal/figures",
        "/open311/v2/discovery.{format}", "/open311/v2/services.{format}", "/open311/v2/services/{service_code}.{format}",
        "/open311/v2/requests.{format}", "/open311/v2/tokens/{token_id}.{format}", "/open311/v2/requests/{service_request_id}.{format}",
    ];

    [Fact]
    public void Every_endpoint_names_a_permission_or_is_explicitly_anonymous()
    {
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 20, "the endpoint list looks incomplete");
        var faults = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "?";
            var methods = string.Join(",", endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
            if (anonymous)
            {
                // Files of wwwroot and of the framework (MapStaticAssets) are public by design; their routes carry content hashes.
                var staticFile = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null;
                if (!staticFile && !Anonymous.Contains(pattern) && !pattern.StartsWith("/scalar", StringComparison.Ordinal))
                {
                    faults.Add($"{methods} {pattern} is anonymous but not on the reviewed list");
                }

                continue;
            }

            if (policies.Count == 0)
            {
                faults.Add($"{methods} {pattern} names no permission");
            }

            foreach (var policy in policies.Where(p => !Permissions.Table.ContainsKey(p)))
            {
                faults.Add($"{methods} {pattern} names an unknown policy {policy}");
            }
        }

        Assert.True(faults.Count == 0, string.Join(Environment.NewLine, faults));
    }

    [Fact]
    public async Task Without_credentials_the_API_answers_401_as_a_localized_problem()
    {
        var response = await host.Anonymous.GetAsync("/api/v1/categories");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("请先登录", problem["title"]!.GetValue<string>());

        var health = await host.Anonymous.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("nosniff", health.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", health.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", health.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", health.Headers.GetValues("Content-Security-Policy").Single());
    }
}
