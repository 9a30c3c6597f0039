using System.Net;
using Concord.Server.Access;
using Concord.Server.Data;
using Concord.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Concord.Server.Tests.Access;

/// <summary>Cookie sign-in for people: password policy, lockout, TOTP, audit of every attempt.</summary>
public sealed class SignInTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private static HttpRequestMessage SignIn(string user, string password, string? totp = null) =>
        Json.Post("/api/v1/session", Json.Body(new { userName = user, password, totp }), language: "en");

    private async Task<HttpClient> CreateUserAsync(string userName, string role = Roles.Handler)
    {
        var admin = await host.ClientForAsync("admin");
        var created = await admin.SendAsync(Json.Post("/api/v1/users", Json.Body(new
        {
            userName, displayName = "测试用户", unitCode = "620802.rsj", roles = new[] { role }, password = "Strong-Passw0rd-2026",
        })));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return host.Anonymous;
    }

    [Fact]
    public async Task A_person_signs_in_with_a_cookie_and_signs_out()
    {
        var browser = host.Anonymous;
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
        var response = await browser.SendAsync(SignIn("township", DemoAccounts.Password));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("concord.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var me = await Json.ReadAsync(await browser.GetAsync("/api/v1/me"));
        Assert.Equal("township", me["userName"]!.GetValue<string>());
        Assert.Equal("620802001", me["scope"]!["territory"]!["code"]!.GetValue<string>());
        Assert.Contains("handler", Json.Strings(me["roles"]));

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/api/v1/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_lock_the_account_and_every_attempt_is_audited()
    {
        var browser = await CreateUserAsync("locktest");
        for (var i = 1; i <= 4; i++)
        {
            var wrong = await browser.SendAsync(SignIn("locktest", "wrong-password"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("Sign-in failed", (await Json.ReadAsync(wrong))["title"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.Locked, (await browser.SendAsync(SignIn("locktest", "wrong-password"))).StatusCode);
        // Locked: even the right password is refused until the lockout ends.
        Assert.Equal(HttpStatusCode.Locked, (await browser.SendAsync(SignIn("locktest", "Strong-Passw0rd-2026"))).StatusCode);

        var failures = await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "session.sign-in-failed" && a.TargetId == "locktest"));
        Assert.Equal(6, failures);
        // An unknown user is refused the same way (no hint that the name exists) and audited too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(SignIn("nobody-here", "whatever-1A"))).StatusCode);
        Assert.Equal(1, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "session.sign-in-failed" && a.TargetId == "nobody-here")));
    }

    [Fact]
    public async Task A_weak_password_is_refused_when_an_account_is_created()
    {
        var admin = await host.ClientForAsync("admin");
        var response = await admin.SendAsync(Json.Post("/api/v1/users", Json.Body(new
        {
            userName = "weak", displayName = "弱口令", unitCode = "620802.rsj", roles = new[] { Roles.Handler }, password = "123456",
        })));
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.NotNull((await Json.ReadAsync(response))["errors"]!["password"]);
    }

    [Fact]
    public async Task With_TOTP_enabled_sign_in_needs_the_current_code()
    {
        var browser = await CreateUserAsync("totptest");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(SignIn("totptest", "Strong-Passw0rd-2026"))).StatusCode);
        var setup = await Json.ReadAsync(await browser.PostAsync("/api/v1/me/two-factor", null));
        var totp = new Totp(Base32Encoding.ToBytes(setup["sharedKey"]!.GetValue<string>()));
        Assert.StartsWith("otpauth://totp/Concord:totptest?", setup["otpauthUri"]!.GetValue<string>());

        var wrongConfirm = await browser.SendAsync(Json.Post("/api/v1/me/two-factor/confirm", Json.Body(new { code = "000000" })));
        Assert.Equal((HttpStatusCode)422, wrongConfirm.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(Json.Post("/api/v1/me/two-factor/confirm", Json.Body(new { code = totp.ComputeTotp() })))).StatusCode);
        await browser.DeleteAsync("/api/v1/session");

        var fresh = host.Anonymous;
        var withoutCode = await fresh.SendAsync(SignIn("totptest", "Strong-Passw0rd-2026"));
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.EndsWith("two-factor-required", (await Json.ReadAsync(withoutCode))["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.SendAsync(SignIn("totptest", "Strong-Passw0rd-2026", "123456"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fresh.SendAsync(SignIn("totptest", "Strong-Passw0rd-2026", totp.ComputeTotp()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_role_change_is_audited_and_ends_the_users_sessions()
    {
        var browser = await CreateUserAsync("rolechange");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(SignIn("rolechange", "Strong-Passw0rd-2026"))).StatusCode);
        var admin = await host.ClientForAsync("admin");
        var changed = await admin.PutAsync("/api/v1/users/rolechange/roles", Json.Body(new { roles = new[] { Roles.Analyst } }));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        var entry = await host.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "user.roles-changed" && a.TargetId == "rolechange"));
        Assert.Contains("analyst", entry.Details);
        Assert.Contains("handler", entry.Details);
    }
}

/// <summary>Sign-in is rate limited per client, with a localized 429.</summary>
public sealed class SignInRateLimitTests(StrictRateLimitHost host) : IClassFixture<StrictRateLimitHost>
{
    [Fact]
    public async Task The_fourth_attempt_in_a_minute_is_refused_with_429()
    {
        var client = host.Anonymous;
        for (var i = 0; i < 3; i++)
        {
            var response = await client.SendAsync(Json.Post("/api/v1/session", Json.Body(new { userName = "x", password = "y" })));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var refused = await client.SendAsync(Json.Post("/api/v1/session", Json.Body(new { userName = "x", password = "y" })));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("请求过于频繁", (await Json.ReadAsync(refused))["title"]!.GetValue<string>());
    }
}

/// <summary>Outside demo mode the server refuses to start while a demo password or token is active.</summary>
public sealed class DemoRefusalTests(NoDemoHost host) : IClassFixture<NoDemoHost>
{
    [Fact]
    public async Task A_server_without_demo_mode_refuses_active_demo_accounts_until_they_are_disabled()
    {
        _ = host.Client;
        // Put a demo account in the database as a demo run would have.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
            var user = new StaffUser { UserName = "leftover", DisplayName = "demo", UnitCode = "x", IsDemo = true };
            Assert.True((await users.CreateAsync(user, DemoAccounts.Password)).Succeeded);
        }

        using (var second = Start())
        {
            var failure = Assert.ThrowsAny<Exception>(() => second.CreateClient());
            Assert.Contains("disable-demo", failure.ToString());
        }

        Assert.Equal(0, await Concord.Server.Access.AccessCommand.TryRunAsync(["access", "disable-demo"], host.Services));
        using var third = Start();
        Assert.Equal(HttpStatusCode.OK, (await third.CreateClient().GetAsync("/health")).StatusCode);
    }

    private WebApplicationFactory<Program> Start() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Concord:Database:Provider", "Sqlite");
            web.UseSetting("ConnectionStrings:Concord", host.ConnectionString);
            web.UseSetting("Concord:Demo", "false");
            foreach (var (key, value) in Concord.Server.Tests.PersonalData.TestPersonalDataKeys.Settings)
            {
                web.UseSetting(key, value);
            }
        });
}
