using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Server.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// 并单 in the dispatch console: two residents report one problem through the hotline; the dispatcher
/// sees the suggested duplicate with its score and reasons under the queued matter, merges it in one
/// step, and the survivor's page lists the merged matter (whose page offers to undo the merge).
/// </summary>
public sealed class DuplicatesTests(ConcordSite site)
{
    [Fact]
    public async Task The_dispatcher_merges_a_suggested_duplicate_from_the_console()
    {
        // Uncategorized, so both wait in the dispatcher's queue; a place no other browser test uses.
        var first = await TakeInAsync("楼道电动车充电", "有人在楼道里给电动车充电，电线拉得到处都是，存在火灾隐患", 35.5150, 106.6600);
        var second = await TakeInAsync("楼道里充电有隐患", "电线拉得到处都是，有人在楼道里给电动车充电，火灾隐患很大", 35.5155, 106.6600);

        var page = await site.NewPageAsync();
        await page.GotoAsync("/dispatch");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync("dispatcher");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/dispatch");

        var row = await QueuePaging.FindRowAsync(page, "dispatch-row", second);
        var suggestion = row.Locator($"[data-testid=duplicate][data-code='{first}']");
        await Expect(suggestion).ToBeVisibleAsync();
        await Expect(suggestion.GetByTestId("duplicate-score")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^相似度 0\.\d\d$"));
        await Expect(suggestion).ToContainTextAsync("距离 56 米");
        await Expect(suggestion).ToContainTextAsync("类别未定");
        await Expect(suggestion).ToContainTextAsync("文字相似度 0.");
        await row.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-dispatch-duplicates.png") });

        await suggestion.GetByRole(AriaRole.Button, new() { Name = "并入此事项" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/dispatch?merged={second}&into={first}");
        await Expect(page.GetByTestId("merged")).ToHaveTextAsync($"已将 {second} 并入 {first}。");
        // The merged matter left the queue; the survivor waits there, with no suggestion of the merged one.
        await page.GotoAsync("/dispatch");
        await Expect(await QueuePaging.FindRowAsync(page, "dispatch-row", second)).ToHaveCountAsync(0);
        await page.GotoAsync("/dispatch");
        var survivorRow = await QueuePaging.FindRowAsync(page, "dispatch-row", first);
        await Expect(survivorRow).ToBeVisibleAsync();
        await Expect(survivorRow.Locator($"[data-testid=duplicate][data-code='{second}']")).ToHaveCountAsync(0);

        // The survivor's page lists the merged matter and records the repeat complaint; the merged one can be split off again.
        await page.GotoAsync($"/matters/{first}");
        await Expect(page.GetByTestId("merged-here")).ToContainTextAsync(second);
        await Expect(page.Locator("[data-testid=event][data-type=repeat_complaint]")).ToContainTextAsync(second);
        await page.GotoAsync($"/matters/{second}");
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已并单");
        await page.GetByTestId("unmerge").GetByRole(AriaRole.Button, new() { Name = "撤销并单" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/matters/{second}?done=unmerge");
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已受理");
        await Expect(page.Locator("[data-testid=event][data-type=unmerged]")).ToHaveCountAsync(1);
    }

    private async Task<string> TakeInAsync(string title, string description, double lat, double lon)
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var response = await http.PostAsJsonAsync("/api/v1/matters", new JsonObject
        {
            ["kind"] = "hazard", ["channel"] = "hotline", ["title"] = title, ["description"] = description,
            ["location"] = new JsonObject { ["lat"] = lat, ["lon"] = lon },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>();
    }
}
