using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Data;
using Concord.Server.Features.Search;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Search;

public sealed class SearchTestsOnSqlite(SqliteHost host) : SearchTests<SqliteHost>(host);

public sealed class SearchTestsOnPostgres(PostgresHost host) : SearchTests<PostgresHost>(host);

/// <summary>
/// Search on the matter list (q), through the real API on each real store. Each test marks its
/// matters with a word the Pingliang demo never uses (琵琶, 麒麟, 骆驼, 蝴蝶, 鹦鹉), so that the
/// demo's matters neither hide nor pad the results.
/// </summary>
public abstract class SearchTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const double KongtongLat = 35.54, KongtongLon = 106.68;

    private async Task<JsonNode> TakeInAsync(string title, string description, string? territoryCode = null, string categoryCode = "020101", string? address = null)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal",
            channel = "hotline",
            title,
            description,
            categoryCode,
            location = territoryCode is null ? new { lat = KongtongLat, lon = KongtongLon } : null,
            territoryCode,
            address,
        })));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    private static async Task<JsonNode> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/matters?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    private static string[] Codes(JsonNode page) => page["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).ToArray();

    private static string Q(string q) => "q=" + Uri.EscapeDataString(q);

    [Fact]
    public async Task A_two_character_query_finds_its_matters_also_inside_longer_words_with_a_marked_snippet()
    {
        var inside = (await TakeInAsync("琵琶巷工地拖欠薪资", "琵琶巷某工地拖欠薪资三个月，工人多次讨要无果。"))["code"]!.GetValue<string>();
        var whole = (await TakeInAsync("琵琶巷反映欠薪问题", "琵琶巷一家餐馆欠薪问题，涉及五名服务员。"))["code"]!.GetValue<string>();
        var other = (await TakeInAsync("琵琶巷路灯不亮", "琵琶巷路灯坏了一周。", categoryCode: "0701"))["code"]!.GetValue<string>();

        var page = await ListAsync(host.Client, Q("欠薪 琵琶"));
        Assert.Equal([inside, whole], Codes(page).Order().ToArray());
        Assert.DoesNotContain(other, Codes(page));
        foreach (var item in page["items"]!.AsArray())
        {
            var snippet = item!["snippet"]!.GetValue<string>();
            Assert.Contains("<mark>", snippet);
            Assert.Contains("欠薪", snippet.Replace("<mark>", "").Replace("</mark>", ""));
        }

        // The two-character word alone finds both among every matter that mentions it.
        var found = new List<string>();
        string? cursor = null;
        do
        {
            var next = await ListAsync(host.Client, Q("欠薪") + "&limit=200" + (cursor is null ? "" : "&cursor=" + cursor));
            found.AddRange(Codes(next));
            cursor = next["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Contains(inside, found);
        Assert.Contains(whole, found);
        Assert.DoesNotContain(other, found);
        Assert.Equal(found.Count, found.Distinct().Count());
    }

    [Fact]
    public async Task The_better_match_comes_first_and_ranked_pages_neither_repeat_nor_skip()
    {
        // The better match says 噪音 often in a short text; the weaker once in a long one (both rankers weigh frequency against length).
        var weak = (await TakeInAsync("麒麟小区反映情况", "麒麟小区物业管理混乱，停车位不足，绿化带被占，垃圾清运不及时，楼下偶尔有些噪音，希望有关部门尽快协调解决。"))["code"]!.GetValue<string>();
        var strong = (await TakeInAsync("麒麟小区噪音扰民", "麒麟小区噪音：夜间噪音，噪音扰民。"))["code"]!.GetValue<string>();
        var third = (await TakeInAsync("麒麟小区停车难", "麒麟小区停车难，晚上偶有噪音。"))["code"]!.GetValue<string>();

        var page = await ListAsync(host.Client, Q("麒麟 噪音"));
        var codes = Codes(page);
        Assert.Equal(3, codes.Length);
        Assert.Equal(strong, codes[0]);
        Assert.Equal(weak, codes[^1]);

        // One matter a page: the cursor carries the rank, so the three come exactly once, in the same order.
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var next = await ListAsync(host.Client, Q("麒麟 噪音") + "&limit=1" + (cursor is null ? "" : "&cursor=" + cursor));
            paged.AddRange(Codes(next));
            cursor = next["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(codes, paged.ToArray());
        Assert.Contains(third, paged);
    }

    [Fact]
    public async Task Q_combines_with_territory_and_status_and_the_scope_hides_other_areas_and_their_text()
    {
        var dongguan = await TakeInAsync("骆驼巷占道经营", "东关街道骆驼巷有商贩占道经营。", territoryCode: "620802001", categoryCode: "0701");
        var jingchuan = await TakeInAsync("骆驼湾占道经营", "泾川县骆驼湾占道经营，另有机密细节：鹦鹉暗号。", territoryCode: "620821", categoryCode: "0701");
        var (dongguanCode, jingchuanCode) = (dongguan["code"]!.GetValue<string>(), jingchuan["code"]!.GetValue<string>());

        Assert.Equal([dongguanCode, jingchuanCode], Codes(await ListAsync(host.Client, Q("骆驼 占道"))).Order().ToArray());
        Assert.Equal([jingchuanCode], Codes(await ListAsync(host.Client, Q("骆驼") + "&territory=620821")));
        Assert.Equal([dongguanCode], Codes(await ListAsync(host.Client, Q("骆驼") + "&territory=620802")));
        var status = jingchuan["status"]!.GetValue<string>();
        var byStatus = await ListAsync(host.Client, Q("骆驼") + "&status=" + status);
        Assert.Contains(jingchuanCode, Codes(byStatus));
        Assert.All(byStatus["items"]!.AsArray(), i => Assert.Equal(status, i!["status"]!.GetValue<string>()));

        // The township official of 东关 finds the 东关 matter only; the 泾川 text does not reach them, not even in a snippet.
        var township = await host.ClientForAsync("township");
        var response = await township.GetAsync("/api/v1/matters?" + Q("骆驼"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([dongguanCode], Codes(JsonNode.Parse(body)!));
        Assert.DoesNotContain("鹦鹉", body);
        Assert.DoesNotContain("泾川", body);
        Assert.Empty(Codes(await ListAsync(township, Q("鹦鹉"))));

        var jingchuanUser = await host.ClientForAsync("jingchuan");
        Assert.Equal([jingchuanCode], Codes(await ListAsync(jingchuanUser, Q("骆驼"))));
    }

    [Fact]
    public async Task A_reply_becomes_searchable_when_it_is_given()
    {
        var created = await TakeInAsync("工地老板欠薪", "某工地老板欠薪两个月。");
        var code = created["code"]!.GetValue<string>();
        Assert.Empty(Codes(await ListAsync(host.Client, Q("蝴蝶"))));

        var handler = await host.ClientForAsync("handler");
        var read = await handler.GetAsync($"/api/v1/matters/{code}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var accept = Json.Post($"/api/v1/matters/{code}/accept", Json.Body(new { }));
        accept.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await handler.SendAsync(accept)).StatusCode);
        var reply = await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/reply", Json.Body(new { result = "已约谈蝴蝶建筑公司负责人，工资已足额支付。" })));
        Assert.True(reply.StatusCode == HttpStatusCode.OK, await reply.Content.ReadAsStringAsync());

        var page = await ListAsync(host.Client, Q("蝴蝶"));
        Assert.Equal([code], Codes(page));
        Assert.Contains("<mark>蝴蝶</mark>建筑公司", page["items"]![0]!["snippet"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reindex_rebuilds_an_emptied_index()
    {
        var code = (await TakeInAsync("鹈鹕路积水", "鹈鹕路下雨后积水很深。", categoryCode: "0701"))["code"]!.GetValue<string>();
        Assert.Equal([code], Codes(await ListAsync(host.Client, Q("鹈鹕"))));

        await host.QueryAsync(db => db.Set<MatterSearchRow>().ExecuteDeleteAsync());
        Assert.Empty(Codes(await ListAsync(host.Client, Q("鹈鹕"))));

        var output = new StringWriter();
        var exit = await SearchCommand.TryRunAsync(["search", "reindex"], host.Services, output, output, CancellationToken.None);
        Assert.Equal(0, exit);
        var matters = await host.QueryAsync(db => db.Matters.CountAsync());
        Assert.Contains($"rebuilt for {matters} matters", output.ToString());
        Assert.Equal(matters, await host.QueryAsync(db => db.Set<MatterSearchRow>().CountAsync()));
        Assert.Equal([code], Codes(await ListAsync(host.Client, Q("鹈鹕"))));
    }

    [Fact]
    public async Task The_export_is_the_same_list_as_a_workbook_and_is_audited()
    {
        var code = (await TakeInAsync("鸳鸯路占道经营", "鸳鸯路早市占道经营。", territoryCode: "620802001", categoryCode: "0701"))["code"]!.GetValue<string>();
        var response = await host.Client.GetAsync("/api/v1/matters/export.xlsx?" + Q("鸳鸯") + "&territory=620802");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal(code, row["编号"]);
        Assert.Equal("鸳鸯路早市占道经营。", row["匹配内容"]);
        Assert.True(await host.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "matters.exported")));

        var refused = await host.Client.GetAsync("/api/v1/matters/export.xlsx?" + Q("。"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await Json.ReadAsync(refused))["errors"]!["q"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("，。！？")]
    [InlineData("水")]
    public async Task An_unsearchable_q_is_a_localized_problem_naming_q(string q)
    {
        foreach (var (language, word) in new[] { ("zh-CN", "两字"), ("en", "two or more") })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/matters?" + Q(q));
            request.Headers.AcceptLanguage.ParseAdd(language);
            var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await Json.ReadAsync(response))["errors"]!["q"]!.AsArray();
            if (!string.IsNullOrWhiteSpace(q))
            {
                Assert.Contains(word, errors[0]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task A_q_over_the_limit_is_refused_and_a_plain_cursor_is_not_a_ranked_one()
    {
        var tooLong = await host.Client.GetAsync("/api/v1/matters?" + Q(string.Concat(Enumerable.Repeat("欠薪", 51))));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.NotNull((await Json.ReadAsync(tooLong))["errors"]!["q"]);

        var plain = await ListAsync(host.Client, "limit=1");
        var cursor = plain["nextCursor"]!.GetValue<string>();
        var mixed = await host.Client.GetAsync("/api/v1/matters?" + Q("欠薪") + "&cursor=" + cursor);
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.NotNull((await Json.ReadAsync(mixed))["errors"]!["cursor"]);
    }
}
