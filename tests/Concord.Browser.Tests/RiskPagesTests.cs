using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Server.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// The risk register and the information reports as the center's analyst uses them: the register
/// filtered by domain, a risk's review recorded through its form, and a report converted into a risk.
/// </summary>
public sealed class RiskPagesTests(ConcordSite site)
{
    [Fact]
    public async Task The_analyst_filters_the_register_records_a_review_and_converts_a_report_into_a_risk()
    {
        var riskCode = await PostAsync("/api/v1/risks", new
        {
            domain = "real_estate", title = "浏览器测试：某小区逾期交房", description = "逾期交房，涉及业主120户。", territoryCode = "620802001",
            householdsAffected = 120, responsibleUnit = "620802.zjj", responsibleLeader = "区政府分管副区长",
        }, "risk");
        var reportCode = await PostAsync("/api/v1/info-reports", new
        {
            title = "浏览器测试：某企业员工聚集讨薪", description = "约60名员工在厂区门口聚集。", territoryCode = "620802001", domain = "labour_relations",
            scale = "约60人", peopleInvolved = 60, trend = "rising", urgency = "urgent",
        }, null);

        var page = await site.NewPageAsync(width: 390, height: 844); // a phone
        await page.GotoAsync("/risks");
        await SignInAsync(page, "analyst");
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/risks");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("风险隐患清单");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "风险清单" })).ToHaveAttributeAsync("aria-current", "page");

        // Filter by domain: the real-estate risk stays, with its level in words.
        await page.GetByLabel("重点领域").SelectOptionAsync("real_estate");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("domain=real_estate"));
        var row = page.Locator($"[data-testid=risk-row][data-code='{riskCode}']");
        await Expect(row.GetByTestId("risk-level")).ToHaveTextAsync("橙色"); // 120 households ≥ 100
        await page.GetByLabel("重点领域").SelectOptionAsync("labour_relations");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.Locator($"[data-testid=risk-row][data-code='{riskCode}']")).ToHaveCountAsync(0);

        // The risk page: the rule in words; a review that starts resolving it.
        await page.GotoAsync($"/risks/{riskCode}");
        await Expect(page.GetByTestId("risk-rule")).ToHaveTextAsync("涉及户数 ≥ 100");
        await Expect(page.GetByTestId("risk-status")).ToHaveTextAsync("已列管");
        await page.GetByTestId("form-review").Locator("summary").ClickAsync();
        await page.GetByLabel("研判意见").FillAsync("开发商已提交复工计划，专班每周调度");
        await page.GetByTestId("form-review").GetByLabel("新状态").SelectOptionAsync("resolving");
        await page.GetByTestId("form-review").GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/risks/{riskCode}?done=1");
        await Expect(page.GetByTestId("done")).ToHaveTextAsync("已保存。");
        await Expect(page.GetByTestId("risk-status")).ToHaveTextAsync("化解中");
        await Expect(page.GetByTestId("review")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("review")).ToContainTextAsync("开发商已提交复工计划");

        // A level above the rule without a reason is refused beside the form, and nothing changes.
        await page.GetByTestId("form-review").Locator("summary").ClickAsync();
        await page.GetByLabel("研判意见").FillAsync("业主聚集");
        await page.GetByTestId("form-review").GetByLabel("风险等级").SelectOptionAsync("red");
        await page.GetByTestId("form-review").GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("须说明理由");
        await Expect(page.GetByTestId("risk-level")).ToHaveTextAsync("橙色");

        // The report: converted into a risk from its page; the new risk names its source.
        await page.GotoAsync("/reports");
        await page.Locator($"[data-testid=report-row][data-code='{reportCode}']").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("report-code")).ToHaveTextAsync(reportCode);
        await Expect(page.GetByTestId("report-status")).ToHaveTextAsync("待签收");
        await page.GetByTestId("form-to-risk").Locator("summary").ClickAsync();
        await page.GetByTestId("form-to-risk").GetByLabel("责任单位").SelectOptionAsync("620802.rsj");
        await page.GetByTestId("form-to-risk").GetByLabel("责任领导（职务）").FillAsync("区人社局局长");
        await page.GetByTestId("form-to-risk").GetByRole(AriaRole.Button, new() { Name = "转为风险" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/risks/FX\d{4}-\d{4}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("浏览器测试：某企业员工聚集讨薪");
        await Expect(page.GetByTestId("risk-level")).ToHaveTextAsync("橙色"); // 60 people ≥ 50
        await Expect(page.Locator(".facts")).ToContainTextAsync("信息报送转化");
        await Expect(page.Locator(".facts")).ToContainTextAsync(reportCode);

        await page.GotoAsync($"/reports/{reportCode}");
        await Expect(page.GetByTestId("report-status")).ToHaveTextAsync("已转化");
        await Expect(page.GetByTestId("became-risk")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("form-to-risk")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_register_and_the_reports_read_in_English_and_a_grid_worker_has_no_register_link()
    {
        var page = await site.NewPageAsync(locale: "en");
        await page.GotoAsync("/reports/figures");
        await SignInAsync(page, "dispatcher");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Reporting figures");
        await page.GotoAsync("/risks/campaigns");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Screening campaigns");

        var grid = await site.NewPageAsync();
        await grid.GotoAsync("/");
        await SignInAsync(grid, "gridworker");
        await Expect(grid.GetByRole(AriaRole.Link, new() { Name = "风险清单" })).ToHaveCountAsync(0);
        // A page the role may not see sends the user to sign in as someone else.
        await grid.GotoAsync("/risks");
        await Expect(grid).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
    }

    private async Task<string> PostAsync(string path, object body, string? wrapper)
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var response = await http.PostAsJsonAsync(path, body);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return (wrapper is null ? json : json[wrapper]!)["code"]!.GetValue<string>();
    }

    private static async Task SignInAsync(IPage page, string userName)
    {
        if (!page.Url.Contains("/sign-in", StringComparison.Ordinal))
        {
            return;
        }

        await page.GetByLabel(new System.Text.RegularExpressions.Regex("^(用户名|User name)$")).FillAsync(userName);
        await page.GetByLabel(new System.Text.RegularExpressions.Regex("^(密码|Password)$")).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^(登录|Sign in)$") }).ClickAsync();
    }
}
