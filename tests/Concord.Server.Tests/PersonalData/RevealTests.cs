using System.Net;
using Concord.Server.Access.PersonalData;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.PersonalData;

public sealed class RevealTestsOnSqlite(SqliteHost host) : RevealTests<SqliteHost>(host);

public sealed class RevealTestsOnPostgres(PostgresHost host) : RevealTests<PostgresHost>(host);

/// <summary>Seeing personal data in clear: reasoned, limited to those who must contact the person, audited.</summary>
public abstract class RevealTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private async Task<string> WageArrearsInKongtongAsync(string phone)
    {
        // 020101 in 崆峒区 is led by 620802.rsj (the demo handler's unit).
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title = "工地欠薪", description = "工地欠薪两个月。", categoryCode = "020101",
            location = new { lat = 35.54, lon = 106.68 }, reporter = new { name = "司马相如", phone },
        })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_reveal_needs_a_reason_shows_the_clear_data_and_is_audited()
    {
        var code = await WageArrearsInKongtongAsync("13700001234");
        var handler = await host.ClientForAsync("handler");
        var noReason = await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/personal-data/reveal", Json.Body(new { reason = "" })));
        Assert.Equal((HttpStatusCode)422, noReason.StatusCode);

        var revealed = await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/personal-data/reveal", Json.Body(new { reason = "电话联系申请人核实欠薪金额" })));
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        var body = await Json.ReadAsync(revealed);
        Assert.Equal("司马相如", body["reporter"]!["name"]!.GetValue<string>());
        Assert.Equal("13700001234", body["reporter"]!["phone"]!.GetValue<string>());

        var entry = await host.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "personal-data.revealed" && a.TargetId == code));
        Assert.Contains("电话联系申请人核实欠薪金额", entry.Details);
        Assert.DoesNotContain("13700001234", entry.Details);
    }

    [Theory]
    [InlineData("analyst", HttpStatusCode.Forbidden)] // no permission: analysts work on masked data
    [InlineData("leader", HttpStatusCode.Forbidden)]
    [InlineData("auditor", HttpStatusCode.Forbidden)]
    [InlineData("township", HttpStatusCode.Forbidden)] // in scope, but its unit does not handle the matter
    [InlineData("jingchuan", HttpStatusCode.NotFound)] // out of scope: the matter does not exist for it
    [InlineData("dispatcher", HttpStatusCode.OK)]
    [InlineData("unithead", HttpStatusCode.OK)]
    public async Task Only_those_who_must_contact_the_person_may_reveal(string user, HttpStatusCode expected)
    {
        var code = await WageArrearsInKongtongAsync("13700005678");
        var client = await host.ClientForAsync(user);
        var response = await client.SendAsync(Json.Post($"/api/v1/matters/{code}/personal-data/reveal", Json.Body(new { reason = "核实情况需要联系" })));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Other_matters_from_the_same_caller_are_found_without_the_number_in_clear()
    {
        var first = await WageArrearsInKongtongAsync("139 0000 4321");
        var second = await WageArrearsInKongtongAsync("+86 13900004321");
        var other = await WageArrearsInKongtongAsync("13900009999");

        var same = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{first}/same-caller"));
        var codes = same.AsArray().Select(m => m!["code"]!.GetValue<string>()).ToList();
        Assert.Contains(second, codes);
        Assert.DoesNotContain(other, codes);
        Assert.DoesNotContain(first, codes);

        var lookup = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters/caller-lookup", Json.Body(new { phone = "13900004321" }))));
        Assert.Equal([second, first], lookup.AsArray().Select(m => m!["code"]!.GetValue<string>()).Where(c => c == first || c == second).ToArray());

        // Only the center's dispatchers look callers up.
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.GetAsync($"/api/v1/matters/{first}/same-caller")).StatusCode);
        Assert.True(await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "personal-data.caller-lookup")) >= 2);
    }

    [Fact]
    public async Task The_retention_rule_erases_the_personal_data_of_long_closed_matters_only()
    {
        var old = await WageArrearsInKongtongAsync("13600000001");
        var recent = await WageArrearsInKongtongAsync("13600000002");
        var open = await WageArrearsInKongtongAsync("13600000003");
        var now = host.Clock.GetUtcNow().UtcDateTime;
        await host.QueryAsync(async db =>
        {
            await db.Matters.Where(m => m.Code == old).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, "closed").SetProperty(m => m.UpdatedAt, now.AddDays(-800)));
            await db.Matters.Where(m => m.Code == recent).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, "closed").SetProperty(m => m.UpdatedAt, now.AddDays(-10)));
            await db.Matters.Where(m => m.Code == open).ExecuteUpdateAsync(s => s.SetProperty(m => m.UpdatedAt, now.AddDays(-800)));
            return 0;
        });

        await using (var scope = host.Services.CreateAsyncScope())
        {
            while (await scope.ServiceProvider.GetRequiredService<PersonalDataRetention>().EraseDueAsync(CancellationToken.None) > 0)
            {
            }
        }

        var rows = await host.QueryAsync(db => db.Matters.AsNoTracking().Where(m => m.Code == old || m.Code == recent || m.Code == open).ToDictionaryAsync(m => m.Code));
        Assert.Null(rows[old].ReporterName);
        Assert.Null(rows[old].ReporterPhone);
        Assert.Null(rows[old].ReporterPhoneHash);
        Assert.NotNull(rows[old].PersonalDataErasedAt);
        Assert.NotNull(rows[recent].ReporterName);
        Assert.NotNull(rows[open].ReporterName);

        var matter = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{old}"));
        Assert.Null(matter["reporter"]);
        Assert.Contains(matter["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "personal-data-erased");
        Assert.Equal(1, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "personal-data.erased" && a.TargetId == old)));
    }
}
