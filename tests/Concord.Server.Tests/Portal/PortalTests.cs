using System.Net;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Portal;

public sealed class PortalTestsOnSqlite(SqliteHost host) : PortalTests<SqliteHost>(host);

public sealed class PortalTestsOnPostgres(PostgresHost host) : PortalTests<PostgresHost>(host);

/// <summary>A resident without an account: submit, follow with code and secret, give the verdict.</summary>
public abstract class PortalTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private async Task<(string Tracking, string Secret)> SubmitAsync(bool confidential = false)
    {
        var response = await host.Anonymous.SendAsync(Json.Post("/api/v1/public/matters", Json.Body(new
        {
            kind = "appeal", title = "工地老板欠薪", description = "我在工地干了三个月没拿到工资。", categoryCode = "020101",
            location = new { lat = 35.54, lon = 106.68 }, reporter = new { name = "欧阳锋", phone = "13512349876" }, confidential,
        })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadAsync(response);
        var tracking = body["trackingCode"]!.GetValue<string>();
        Assert.Matches("^[2-9A-HJ-NP-Z]{10}$", tracking);
        return (tracking, body["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resident_submits_follows_the_matter_and_gives_the_verdict()
    {
        var (tracking, secret) = await SubmitAsync();
        var resident = host.Anonymous;

        // The code alone shows nothing; a wrong secret neither.
        Assert.Equal(HttpStatusCode.NotFound, (await resident.GetAsync($"/api/v1/public/matters/{tracking}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await resident.GetAsync($"/api/v1/public/matters/{tracking}?secret=WRONGSECRET12345")).StatusCode);

        var seen = await Json.ReadAsync(await resident.GetAsync($"/api/v1/public/matters/{tracking}?secret={secret}"));
        Assert.Equal("dispatched", seen["status"]!.GetValue<string>());
        Assert.Equal("崆峒区人力资源和社会保障局", seen["leadUnit"]!.GetValue<string>());
        var text = seen.ToJsonString();
        Assert.DoesNotContain("欧阳", text);
        Assert.DoesNotContain("13512349876", text);
        Assert.DoesNotContain("handler", text);

        // The unit handles it (its staff see the matter by its internal code).
        var code = (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/matters?limit=1")))["items"]![0]!["code"]!.GetValue<string>();
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.OK, (await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/accept", Json.Body(new { })))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/reply", Json.Body(new { result = "已责令支付工资" })))).StatusCode);

        seen = await Json.ReadAsync(await resident.GetAsync($"/api/v1/public/matters/{tracking}?secret={secret}"));
        Assert.Equal("已责令支付工资", seen["reply"]!.GetValue<string>());
        Assert.True(seen["canGiveVerdict"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NotFound, (await resident.SendAsync(Json.Post($"/api/v1/public/matters/{tracking}/verdict", Json.Body(new { secret = "nope", verdict = "satisfied" })))).StatusCode);
        var verdict = await resident.SendAsync(Json.Post($"/api/v1/public/matters/{tracking}/verdict", Json.Body(new { secret, verdict = "satisfied", comment = "谢谢" })));
        Assert.Equal(HttpStatusCode.OK, verdict.StatusCode);
        Assert.Equal("closed", (await Json.ReadAsync(verdict))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await resident.SendAsync(Json.Post($"/api/v1/public/matters/{tracking}/verdict", Json.Body(new { secret, verdict = "dissatisfied" })))).StatusCode);
    }

    [Fact]
    public async Task A_confidential_reporter_is_revealed_to_the_centers_dispatchers_only()
    {
        await SubmitAsync(confidential: true);
        var code = (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/matters?limit=1")))["items"]![0]!["code"]!.GetValue<string>();
        var handler = await host.ClientForAsync("handler"); // its unit leads the matter, yet may not see who reported it
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/personal-data/reveal", Json.Body(new { reason = "核实情况需要联系" })))).StatusCode);
        var revealed = await host.Client.SendAsync(Json.Post($"/api/v1/matters/{code}/personal-data/reveal", Json.Body(new { reason = "中心核实身份" })));
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Equal("欧阳锋", (await Json.ReadAsync(revealed))["reporter"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Residents_cannot_file_information_reports_and_bad_input_is_refused()
    {
        var response = await host.Anonymous.SendAsync(Json.Post("/api/v1/public/matters", Json.Body(new { kind = "report", title = "x", description = "y", territoryCode = "620802" })));
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.NotNull((await Json.ReadAsync(response))["errors"]!["kind"]);
    }
}
