using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Server.Access;
using Concord.Server.Features.Mediation;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// The mediator's day in the browser: the queue (我的调解), a dispute assigned to them, both parties'
/// consent, a session held with its notes, an agreement recorded and the 人民调解协议书 downloaded.
/// </summary>
public sealed class MediationTests(ConcordSite site)
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task The_mediator_opens_the_queue_holds_a_session_records_an_agreement_and_downloads_it()
    {
        var id = await AssignedDisputeAsync();
        var page = await site.NewPageAsync();
        await page.GotoAsync("/mediation");
        await SignInAsync(page, "mediator");
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/mediation");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("我的调解");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "调解", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        var row = page.Locator($"[data-testid=mediation-case][data-case='{id}']");
        await Expect(row).ToContainTextAsync("待当事人同意");
        await Expect(row).ToContainTextAsync("院墙排水纠纷");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/mediation/cases/{id}");
        await Expect(page.GetByTestId("case-organization")).ToHaveTextAsync("平凉市矛盾纠纷调解中心人民调解委员会");
        // Parties are masked on the page.
        await Expect(page.GetByTestId("parties")).ToContainTextAsync("王**");
        Assert.DoesNotContain("13912345678", await page.ContentAsync(), StringComparison.Ordinal);

        var consent = page.GetByTestId("form-Consent");
        await consent.Locator("summary").ClickAsync();
        await consent.GetByLabel("双方是否同意调解").SelectOptionAsync("true");
        await consent.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("调解中");

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Beijing).DateTime);
        var schedule = page.GetByTestId("form-Session");
        await schedule.Locator("summary").ClickAsync();
        await schedule.GetByLabel("时间").FillAsync($"{today:yyyy-MM-dd}T15:00");
        await schedule.GetByLabel("地点类型").SelectOptionAsync("center_room");
        await schedule.GetByLabel("具体地点").FillAsync("第一调解室");
        await schedule.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.GetByTestId("session")).ToContainTextAsync("第一调解室");

        var record = page.GetByTestId("form-record");
        await record.Locator("summary").ClickAsync();
        await record.GetByLabel("调解笔录").FillAsync("双方同意由赵小河修建排水沟，王大山配合。");
        await record.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.GetByTestId("session-notes")).ToHaveTextAsync("双方同意由赵小河修建排水沟，王大山配合。");

        var agree = page.GetByTestId("form-Agree");
        await agree.Locator("summary").ClickAsync();
        await agree.GetByLabel("纠纷主要事实").FillAsync("王大山与赵小河系相邻住户，因院墙排水发生争执。");
        await agree.GetByLabel("义务方 1").FillAsync("被申请人赵小河");
        await agree.GetByLabel("义务内容 1").FillAsync("自费修建院墙排水沟");
        var due = today.AddDays(15);
        await agree.GetByLabel("履行期限 1").FillAsync($"{due:yyyy-MM-dd}");
        await agree.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("调解成功");
        await Expect(page.GetByTestId("obligation")).ToContainTextAsync("自费修建院墙排水沟");
        await Expect(page.GetByTestId("agreement-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^平调协〔\d{4}〕\d+号$"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-mediation-case.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-agreement").ClickAsync());
        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Directory.CreateTempSubdirectory("concord-agreement-").FullName, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        using (var zip = ZipFile.OpenRead(path))
        using (var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open()))
        {
            var xml = await reader.ReadToEndAsync();
            Assert.Contains("人民调解协议书", xml, StringComparison.Ordinal);
            Assert.Contains("王大山", xml, StringComparison.Ordinal);
            Assert.Contains("自费修建院墙排水沟", xml, StringComparison.Ordinal);
            Assert.Contains($"{due.Year}年{due.Month}月{due.Day}日前履行完毕", xml, StringComparison.Ordinal);
        }

        // On a phone: the queue and the case fit the width.
        var phone = await site.NewPageAsync(width: 390, height: 844);
        await phone.GotoAsync($"/mediation/cases/{id}");
        await SignInAsync(phone, "mediator");
        await Expect(phone.GetByTestId("case-status")).ToHaveTextAsync("调解成功");
        await AssertNoSidewaysScrollAsync(phone);
        await phone.GotoAsync("/mediation");
        await AssertNoSidewaysScrollAsync(phone);
        await phone.GotoAsync("/mediation/figures");
        await Expect(phone.GetByTestId("figures")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(phone);

        // English.
        await page.GetByRole(AriaRole.Link, new() { Name = "EN", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("agreed");
        await Expect(page.GetByTestId("download-agreement")).ToHaveTextAsync("Download the agreement (DOCX)");
    }

    [Fact]
    public async Task The_handling_unit_sees_the_outcome_and_no_party_data_on_the_case_page()
    {
        var id = await AssignedDisputeAsync();
        var page = await site.NewPageAsync();
        await page.GotoAsync($"/mediation/cases/{id}");
        await SignInAsync(page, "handler");
        await Expect(page.GetByTestId("outcome-only")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("parties")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("form-Consent")).ToHaveCountAsync(0);
        Assert.DoesNotContain("王*", await page.ContentAsync(), StringComparison.Ordinal);
    }

    /// <summary>A dispute in 东关街道 with two parties, opened for mediation and assigned to the demo mediator by the dispatcher (API).</summary>
    private async Task<long> AssignedDisputeAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var created = await http.PostAsJsonAsync("/api/v1/matters", new
        {
            kind = "dispute", channel = "walkin", title = "院墙排水纠纷", description = "两户因院墙排水发生争执。（浏览器测试）", territoryCode = "620802001",
            parties = new[] { new { name = "王大山", phone = "13912345678", role = "申请人" }, new { name = "赵小河", phone = "13887654321", role = "被申请人" } },
        });
        created.EnsureSuccessStatusCode();
        var code = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["code"]!.GetValue<string>();
        var opened = await http.PostAsJsonAsync($"/api/v1/matters/{code}/mediation", new { specialty = "neighbour" });
        opened.EnsureSuccessStatusCode();
        var id = JsonNode.Parse(await opened.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        var assigned = await http.PostAsJsonAsync($"/api/v1/mediation/cases/{id}/assign", new { organization = MediationDemo.CenterOrganization, mediator = MediationDemo.DemoMediatorCode });
        assigned.EnsureSuccessStatusCode();
        return id;
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{page.Url} scrolls sideways: {widths[0]} > {widths[1]}");
    }

    private static async Task SignInAsync(IPage page, string userName)
    {
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }
}
