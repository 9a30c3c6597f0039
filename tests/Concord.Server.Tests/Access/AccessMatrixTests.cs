using System.Net;
using System.Text;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Access;

public sealed class AccessMatrixTestsOnSqlite(SqliteHost host) : AccessMatrixTests<SqliteHost>(host);

public sealed class AccessMatrixTestsOnPostgres(PostgresHost host) : AccessMatrixTests<PostgresHost>(host);

/// <summary>
/// For every role, every endpoint, in scope and out of scope: allowed or denied. Out-of-scope
/// reads answer 404 (existence does not leak); missing permissions 403.
/// </summary>
public abstract class AccessMatrixTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static readonly Dictionary<THost, (string Kongtong, string Jingchuan)> Matters = [];

    /// <summary>A matter in one of the demo grid worker's grids (东关街道, 崆峒区) and one in 泾川县.</summary>
    private async Task<(string Kongtong, string Jingchuan)> MattersAsync()
    {
        await Setup.WaitAsync();
        try
        {
            if (Matters.TryGetValue(host, out var known))
            {
                return known;
            }

            var grid = DemoAccounts.DemoGrids(host.Services.GetRequiredService<CatalogStore>().Current.Tree).First();
            var kongtong = await CreateAsync(host.Client, grid);
            var jingchuan = await CreateAsync(host.Client, "620821100");
            return Matters[host] = (kongtong, jingchuan);
        }
        finally
        {
            Setup.Release();
        }
    }

    private static async Task<string> CreateAsync(HttpClient client, string territory)
    {
        var response = await client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Intake(territory))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    private static object Intake(string territory) => new
    {
        kind = "hazard", channel = "grid", title = "路灯损坏", description = "小区门口路灯损坏，夜间漆黑。", categoryCode = "13", territoryCode = territory,
    };

    public static TheoryData<string, string, int> Matrix()
    {
        // user → expected status per action: read K(崆峒), read J(泾川), intake J, import, audit, users, dispatch queue, letters
        var table = new (string User, int ReadK, int ReadJ, int IntakeJ, int Import, int Audit, int Users, int Queue, int Letters)[]
        {
            ("admin", 200, 200, 201, 422, 403, 200, 200, 200),
            ("dispatcher", 200, 200, 201, 403, 403, 403, 200, 200),
            ("analyst", 200, 200, 403, 403, 403, 403, 403, 200),
            ("auditor", 403, 403, 403, 403, 200, 403, 403, 403),
            ("leader", 200, 200, 403, 403, 403, 403, 403, 200),
            ("mediator", 200, 200, 201, 403, 403, 403, 403, 403),
            ("handler", 200, 404, 403, 403, 403, 403, 403, 200),
            ("unithead", 200, 404, 403, 403, 403, 403, 403, 200),
            ("township", 200, 404, 403, 403, 403, 403, 403, 200),
            ("jingchuan", 404, 200, 201, 403, 403, 403, 403, 200),
            ("gridworker", 200, 404, 403, 403, 403, 403, 403, 403),
        };
        var data = new TheoryData<string, string, int>();
        foreach (var row in table)
        {
            data.Add(row.User, "read-kongtong", row.ReadK);
            data.Add(row.User, "read-jingchuan", row.ReadJ);
            data.Add(row.User, "intake-jingchuan", row.IntakeJ);
            data.Add(row.User, "import", row.Import);
            data.Add(row.User, "audit", row.Audit);
            data.Add(row.User, "users", row.Users);
            data.Add(row.User, "dispatch-queue", row.Queue);
            data.Add(row.User, "letters", row.Letters);
            data.Add(row.User, "categories", 200);
            data.Add(row.User, "me", 200);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_is_allowed_exactly_what_its_role_and_scope_permit(string user, string action, int expected)
    {
        var (kongtong, jingchuan) = await MattersAsync();
        var client = await host.ClientForAsync(user);
        var response = action switch
        {
            "read-kongtong" => await client.GetAsync($"/api/v1/matters/{kongtong}"),
            "read-jingchuan" => await client.GetAsync($"/api/v1/matters/{jingchuan}"),
            "intake-jingchuan" => await client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Intake("620821100")))),
            "import" => await client.PostAsync("/api/v1/territories/import/divisions", new StringContent("code,name,level,parent_code\n", Encoding.UTF8, "text/csv")),
            "audit" => await client.GetAsync("/api/v1/audit/verify"),
            "users" => await client.GetAsync("/api/v1/users"),
            "categories" => await client.GetAsync("/api/v1/categories"),
            "me" => await client.GetAsync("/api/v1/me"),
            "dispatch-queue" => await client.GetAsync("/api/v1/dispatch/queue"),
            "letters" => await client.GetAsync("/api/v1/letters"),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        Assert.True(expected == (int)response.StatusCode, $"{user} {action}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (expected is 403 or 404)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("handler", true, false)]
    [InlineData("township", true, false)]
    [InlineData("jingchuan", false, true)]
    [InlineData("gridworker", true, false)]
    [InlineData("dispatcher", true, true)]
    public async Task Lists_hold_only_the_matters_in_scope(string user, bool seesKongtong, bool seesJingchuan)
    {
        var (kongtong, jingchuan) = await MattersAsync();
        var client = await host.ClientForAsync(user);
        var page = await Json.ReadAsync(await client.GetAsync("/api/v1/matters?kind=hazard&limit=200"));
        var codes = page["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(seesKongtong, codes.Contains(kongtong));
        Assert.Equal(seesJingchuan, codes.Contains(jingchuan));
    }

    [Fact]
    public async Task A_matter_assigned_to_a_unit_is_visible_to_it_outside_its_territory()
    {
        // 群体讨薪 (020104) anywhere in the city goes to the city's 人社局 by a city rule; a matter in 泾川县 then
        // reaches a city-level unit — and a 崆峒区 unit sees a matter assigned to it even outside 崆峒区.
        var rules = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/routing/explain?category=020101&territory=620821100"));
        var lead = rules["leadUnit"]!["code"]!.GetValue<string>();
        Assert.Equal("620800.rsj", lead);

        // The 崆峒区 handler's unit (620802.rsj) is the lead for 崆峒区 wage arrears only; for a 泾川 matter it is not.
        var jingchuanWage = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title = "欠薪", description = "工地欠薪。", categoryCode = "020101", territoryCode = "620821100",
        }))));
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.NotFound, (await handler.GetAsync($"/api/v1/matters/{jingchuanWage["code"]!.GetValue<string>()}")).StatusCode);
    }

    [Fact]
    public async Task A_token_does_only_what_its_scopes_allow_and_a_revoked_token_does_nothing()
    {
        var readOnly = await host.ClientForAsync("dispatcher", TokenScopes.MattersRead);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("/api/v1/matters?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.SendAsync(Json.Post("/api/v1/matters", Json.Body(Intake("620821100"))))).StatusCode);

        // A token cannot be given a scope its owner's roles do not grant.
        var analyst = await host.ClientForAsync("analyst");
        var refused = await analyst.SendAsync(Json.Post("/api/v1/tokens", Json.Body(new { name = "x", scopes = new[] { TokenScopes.MattersIntake } })));
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.NotNull((await Json.ReadAsync(refused))["errors"]!["scopes[0]"]);

        var created = await analyst.SendAsync(Json.Post("/api/v1/tokens", Json.Body(new { name = "研判脚本", scopes = new[] { TokenScopes.MattersRead }, expiresInDays = 7 })));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json.ReadAsync(created);
        var token = body["token"]!.GetValue<string>();
        using var own = host.Anonymous;
        own.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync("/api/v1/matters?limit=1")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await analyst.DeleteAsync($"/api/v1/tokens/{body["id"]!.GetValue<long>()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await own.GetAsync("/api/v1/matters?limit=1")).StatusCode);

        // Someone else's token does not exist for you.
        var other = await host.ClientForAsync("leader");
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/tokens/{body["id"]!.GetValue<long>()}")).StatusCode);

        using var forged = host.Anonymous;
        forged.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cct_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/matters?limit=1")).StatusCode);
    }

    [Fact]
    public async Task The_integration_key_of_a_service_account_can_take_in_but_not_read()
    {
        var admin = await host.ClientForAsync("admin");
        var created = await admin.SendAsync(Json.Post("/api/v1/tokens", Json.Body(new { name = "12345 热线接口", userName = "hotline", scopes = new[] { TokenScopes.MattersIntake }, expiresInDays = 365 })));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json.ReadAsync(created);
        Assert.Equal("integration", body["kind"]!.GetValue<string>());
        using var hotline = host.Anonymous;
        hotline.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", body["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await hotline.SendAsync(Json.Post("/api/v1/matters", Json.Body(Intake("620821100"))))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hotline.GetAsync("/api/v1/matters?limit=1")).StatusCode);

        // Only an admin makes integration keys.
        var dispatcher = await host.ClientForAsync("dispatcher");
        var refused = await dispatcher.SendAsync(Json.Post("/api/v1/tokens", Json.Body(new { name = "x", userName = "hotline", scopes = new[] { TokenScopes.MattersIntake } })));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
