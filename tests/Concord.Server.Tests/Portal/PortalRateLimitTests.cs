using System.Net;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Portal;

/// <summary>A SQLite host without the demo whose public endpoints allow three requests a minute per client.</summary>
public sealed class StrictPublicLimitHost : SqliteHost
{
    protected override bool LoadDemo => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concord:RateLimits:PublicPerMinute"] = "3" };
}

/// <summary>The public limit: a page in the resident's language on the portal pages, a problem on the API.</summary>
public sealed class PortalRateLimitTests(StrictPublicLimitHost host) : IClassFixture<StrictPublicLimitHost>
{
    [Fact]
    public async Task A_resident_over_the_limit_gets_a_clear_page_and_a_program_a_problem()
    {
        var client = host.Anonymous;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/portal/figures")).StatusCode);
        }

        var page = await client.GetAsync("/portal/submit");
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("请稍后再试", html);
        Assert.Contains("您的内容没有丢失", html);
        Assert.NotNull(page.Headers.RetryAfter);

        var api = await client.SendAsync(Json.Post("/api/v1/public/matters", Json.Body(new { kind = "appeal" }), language: "en"));
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
    }
}
