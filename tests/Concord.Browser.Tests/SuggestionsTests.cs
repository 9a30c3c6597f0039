using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Server.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// 智能分拨 in the dispatch console: after the center has dispatched square-dance noise to urban
/// management again and again (through the API), a new such matter shows that suggestion with its
/// driving words, and one click dispatches it as suggested; a text like nothing learned shows "no suggestion".
/// </summary>
public sealed class SuggestionsTests(ConcordSite site)
{
    private const string Dongguan = "620802001";

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        return http;
    }

    private static async Task<string> TakeInAsync(HttpClient http, string title, string description)
    {
        var response = await http.PostAsJsonAsync("/api/v1/matters", new { kind = "appeal", channel = "hotline", title, description, territoryCode = Dongguan });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_console_shows_the_learned_suggestion_and_dispatches_with_it_in_one_step()
    {
        using var http = Api();
        // A history for the model: 260 decisions of the center (a younger model is not sure of anything).
        for (var i = 0; i < 200; i++)
        {
            var code = await TakeInAsync(http, $"广场舞音响太吵{i}", $"东关街道小区广场舞音响声音太大，跳舞到很晚（浏览器测试 {i}）");
            var dispatched = await http.PostAsJsonAsync($"/api/v1/matters/{code}/dispatch", new { categoryCode = "160201", leadUnit = "620802.cgj" });
            Assert.True(dispatched.IsSuccessStatusCode, await dispatched.Content.ReadAsStringAsync());
        }

        // And another kind of decision, so that words tell the two apart (with one label nothing "drives" it).
        for (var i = 0; i < 60; i++)
        {
            var code = await TakeInAsync(http, $"工地欠薪{i}", $"工地包工头拖欠农民工工资（浏览器测试 {i}）");
            var dispatched = await http.PostAsJsonAsync($"/api/v1/matters/{code}/dispatch", new { categoryCode = "020101", leadUnit = "620802.rsj" });
            Assert.True(dispatched.IsSuccessStatusCode, await dispatched.Content.ReadAsStringAsync());
        }

        var probe = await TakeInAsync(http, "广场舞扰民", "晚上广场舞音响太吵，跳舞音乐很大声");
        var unknown = await TakeInAsync(http, "qqzx", "zzkv wqpj");

        var page = await site.NewPageAsync();
        await page.GotoAsync("/dispatch");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync("dispatcher");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/dispatch");

        var none = await QueuePaging.FindRowAsync(page, "dispatch-row", unknown);
        await Expect(none.GetByTestId("suggested-unit")).ToContainTextAsync("主办单位：无建议");
        await page.GotoAsync("/dispatch");
        var row = await QueuePaging.FindRowAsync(page, "dispatch-row", probe);
        await Expect(row.GetByTestId("suggested-unit")).ToHaveAttributeAsync("data-suggested", "620802.cgj");
        await Expect(row.GetByTestId("suggested-unit")).ToContainTextAsync("建议主办：崆峒区城市管理综合执法局");
        await Expect(row.GetByTestId("suggested-unit")).ToContainTextAsync("依据：");

        await row.Locator("a.row-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/matters/{probe}");
        await Expect(page.GetByTestId("suggested-category")).ToHaveAttributeAsync("data-suggested", "160201");
        await page.GetByTestId("suggested-dispatch").GetByRole(AriaRole.Button, new() { Name = "按建议派单" }).ClickAsync();
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已派单");
        await Expect(page.GetByTestId("lead-unit")).ToHaveTextAsync("崆峒区城市管理综合执法局");
        // Dispatched, it waits no more: the suggestions are gone from its page.
        await Expect(page.GetByTestId("suggestions")).ToHaveCountAsync(0);
    }
}
