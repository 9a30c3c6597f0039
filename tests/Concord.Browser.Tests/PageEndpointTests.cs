using System.Net;
using Concord.Server.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Browser.Tests;

/// <summary>What the pages promise over plain HTTP: antiforgery, the sign-in rate limit, no caching.</summary>
public sealed class PageEndpointTests(ConcordSite site)
{
    private RouteEndpoint Page(string pattern) =>
        site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Single(e => e.RoutePattern.RawText == pattern);

    [Fact]
    public void The_sign_in_page_shares_the_sign_in_rate_limit_and_checks_antiforgery()
    {
        var signIn = Page("/sign-in");
        Assert.NotNull(signIn.Metadata.GetMetadata<IAllowAnonymous>());
        Assert.Equal(AccessSetup.SignInRateLimit, signIn.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName);
        Assert.True(signIn.Metadata.GetMetadata<IAntiforgeryMetadata>()?.RequiresValidation);

        var home = Page("/");
        Assert.Null(home.Metadata.GetMetadata<IAllowAnonymous>());
        Assert.Equal(Permissions.Self, Assert.Single(home.Metadata.GetOrderedMetadata<IAuthorizeData>()).Policy);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        var page = await http.GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore, "the sign-in page must not be cached");
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var post = await http.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.UserName"] = "township",
            ["Input.Password"] = DemoAccounts.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.DoesNotContain(post.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("concord.auth", StringComparison.Ordinal)));
    }
}
