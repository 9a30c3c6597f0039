using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Server.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>The staff search page (/matters): the dispatcher searches 欠薪 on a phone, sees marked snippets, filters, opens a matter, exports.</summary>
public sealed class SearchPageTests(ConcordSite site)
{
    [Fact]
    public async Task The_dispatcher_searches_wage_arrears_on_a_phone_and_finds_them_marked()
    {
        var inside = await TakeInAsync("锦鲤巷工地拖欠薪资", "锦鲤巷某工地拖欠薪资三个月，<script>alert(1)</script>工人多次讨要无果。");
        var whole = await TakeInAsync("锦鲤巷餐馆欠薪问题", "锦鲤巷一家餐馆欠薪问题，涉及五名服务员。");

        var page = await site.NewPageAsync(width: 390, height: 844);
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await page.GotoAsync("/matters");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync("dispatcher");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("事项查询");
        await Expect(page.GetByTestId("nav-search")).ToHaveAttributeAsync("aria-current", "page");

        await page.GetByLabel("关键词").FillAsync("欠薪 锦鲤");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "按相关度排序" })).ToBeVisibleAsync();
        var rows = page.GetByTestId("search-row");
        await Expect(rows).ToHaveCountAsync(2);
        var insideRow = page.Locator($"[data-testid=search-row][data-code='{inside}']");
        await Expect(insideRow.Locator("mark").First).ToBeVisibleAsync();
        await Expect(insideRow.GetByTestId("snippet")).ToContainTextAsync("拖欠薪资");
        // The resident's markup is text, never markup: shown as written, not run.
        await Expect(insideRow.GetByTestId("snippet")).ToContainTextAsync("<script>");
        Assert.Equal(0, dialogs);
        await Expect(page.Locator($"[data-testid=search-row][data-code='{whole}'] mark").Filter(new() { HasTextString = "欠薪" }).First).ToBeVisibleAsync();

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"/matters scrolls sideways: {widths[0]} > {widths[1]}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-search.png"), FullPage = true });

        // A territory elsewhere leaves nothing; the export link carries the same filters.
        await page.GetByLabel("区划").SelectOptionAsync("620821");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.GetByTestId("search-empty")).ToBeVisibleAsync();
        var export = await page.GetByTestId("export-link").GetAttributeAsync("href");
        Assert.StartsWith("/api/v1/matters/export.xlsx?q=", export);
        Assert.Contains("territory=620821", export);

        // Punctuation alone is refused with the localized reason.
        await page.GetByLabel("关键词").FillAsync("！？");
        await page.GetByLabel("区划").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.GetByTestId("search-errors")).ToContainTextAsync("两字以上");

        await page.GotoAsync("/matters?q=" + Uri.EscapeDataString("欠薪 锦鲤"));
        await page.Locator($"[data-testid=search-row][data-code='{inside}'] a").ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/matters/{inside}");

        // In English.
        await page.GotoAsync("/matters?q=" + Uri.EscapeDataString("欠薪 锦鲤"));
        await page.GetByRole(AriaRole.Link, new() { Name = "EN", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Find matters");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Most relevant first" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("search-row")).ToHaveCountAsync(2);
    }

    private async Task<string> TakeInAsync(string title, string description)
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var response = await http.PostAsJsonAsync("/api/v1/matters", new
        {
            kind = "appeal", channel = "hotline", title, description, categoryCode = "020101",
            location = new { lat = 35.54, lon = 106.68 },
        });
        var json = await response.Content.ReadFromJsonAsync<JsonObject>() ?? throw new InvalidOperationException("No answer.");
        Assert.True(response.IsSuccessStatusCode, $"intake answered {(int)response.StatusCode}: {json}");
        return json["code"]!.GetValue<string>();
    }
}
