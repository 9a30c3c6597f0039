using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Server.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// The analyst's pages: a group dispute becomes a signal when the engine runs from the signals page; it is
/// dismissed with a reason (refused without one) and stays in the dismissed list; last week's report is
/// drafted, its suggestions edited, and it is issued with a number.
/// </summary>
public sealed class WarningPagesTests(ConcordSite site)
{
    [Fact]
    public async Task The_analyst_runs_the_engine_dismisses_a_signal_with_a_reason_and_issues_the_weekly_report()
    {
        var code = await TakeInGroupDisputeAsync();
        var page = await site.NewPageAsync();
        await page.GotoAsync("/warnings");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync("analyst");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("预警信号");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "预警", Exact = true })).ToHaveAttributeAsync("aria-current", "page");

        await page.GetByRole(AriaRole.Button, new() { Name = "立即运行预警" }).ClickAsync();
        await Expect(page.Locator(".alert-info")).ToContainTextAsync("预警已运行");
        // Other tests' matters raise many signals on the shared site: narrow to group disputes.
        await page.GetByRole(AriaRole.Link, new() { Name = "群体性纠纷", Exact = true }).ClickAsync();
        var row = page.Locator("[data-testid=signal-row]", new() { HasText = "群体性纠纷" }).Filter(new() { HasText = "当事人 5 方" }).First;
        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("explain")).ToContainTextAsync("群体性矛盾纠纷");
        await Expect(page.GetByTestId("observed")).ToHaveTextAsync("5");
        await Expect(page.Locator($"a[href='/matters/{code}']")).ToBeVisibleAsync();
        var url = page.Url;

        // No reason: refused beside the field, nothing decided.
        await page.GetByTestId("form-dismiss").Locator("summary").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "排除", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("form-dismiss").Locator(".field-error")).ToContainTextAsync("排除预警须说明理由");
        await page.GetByLabel("理由").FillAsync("已由属地调解组织介入，双方达成协议");
        await page.GetByRole(AriaRole.Button, new() { Name = "排除", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("done")).ToHaveTextAsync("信号已排除，理由已记录");
        await Expect(page.GetByTestId("reason")).ToHaveTextAsync("已由属地调解组织介入，双方达成协议");
        await Expect(page.GetByTestId("form-dismiss")).ToHaveCountAsync(0);

        await page.GotoAsync("/warnings?status=dismissed");
        var id = url[(url.LastIndexOf('/') + 1)..].Split('?')[0];
        await Expect(page.Locator($"[data-testid=signal-row][data-id='{id}']")).ToContainTextAsync("排除理由：已由属地调解组织介入");

        // Last week's report of the city: drafted, edited, issued.
        await page.GetByRole(AriaRole.Link, new() { Name = "简报", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("周报与专报");
        await page.GetByRole(AriaRole.Button, new() { Name = "起草", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("bulletin-heading")).ToContainTextAsync("社会治理形势周报");
        await Expect(page.GetByTestId("bulletin-status")).ToHaveTextAsync("草稿");
        await Expect(page.GetByTestId("risks")).ToContainTextAsync("红色");
        var chartWidth = await page.Locator("figure img").First.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))");
        Assert.Equal(1200, chartWidth);

        await page.GetByLabel("工作建议").FillAsync("加强重点领域矛盾纠纷排查化解");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("done")).ToHaveTextAsync("已保存");
        await Expect(page.GetByTestId("suggestions")).ToHaveTextAsync("加强重点领域矛盾纠纷排查化解");

        await page.GetByRole(AriaRole.Button, new() { Name = "印发（印发后不能修改）" }).ClickAsync();
        await Expect(page.GetByTestId("bulletin-status")).ToHaveTextAsync("已印发");
        await Expect(page.GetByTestId("bulletin-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^平综治周〔\d{4}〕\d+号$"));
        await Expect(page.GetByTestId("form-edit")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("docx")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/api/v1/bulletins/\d+/docx$"));
    }

    /// <summary>A dispute with five parties, through the API with the demo dispatcher's token; returns its code.</summary>
    private async Task<string> TakeInGroupDisputeAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var parties = new JsonArray();
        for (var i = 1; i <= 5; i++)
        {
            parties.Add(new JsonObject { ["name"] = $"工人{i}", ["role"] = "申请人" });
        }

        var response = await http.PostAsJsonAsync("/api/v1/matters", new JsonObject
        {
            ["kind"] = "dispute", ["channel"] = "walkin", ["title"] = "五名工人讨薪纠纷（浏览器测试）", ["description"] = "五名工人与包工头工资纠纷",
            ["categoryCode"] = "020101", ["territoryCode"] = "620802001", ["parties"] = parties,
        });
        var json = await response.Content.ReadFromJsonAsync<JsonObject>() ?? throw new InvalidOperationException("No answer.");
        Assert.True(response.IsSuccessStatusCode, $"intake answered {(int)response.StatusCode}: {json}");
        return json["code"]!.GetValue<string>();
    }
}
