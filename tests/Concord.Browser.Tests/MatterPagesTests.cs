using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concord.Server.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// The workbench (我的待办) and the matter page as the 崆峒区人社局 handler uses them: a wage-arrears
/// matter taken in through the API is dispatched at once to the unit, shows on the workbench with its
/// light, and is accepted and replied to through the page's forms.
/// </summary>
public sealed class MatterPagesTests(ConcordSite site)
{
    private static readonly Regex AnyLight = new("绿灯|黄灯|红灯");

    /// <summary>
    /// The matter's row on the unit's workbench, on whichever page its urgency puts it: the browser
    /// tests share one site, so the unit's queue holds other tests' matters too.
    /// </summary>
    private static async Task<ILocator> OnWorkbenchAsync(IPage page, string code)
    {
        // Queues paged in the database: follow "next" until the matter's urgency page.
        return await QueuePaging.FindRowAsync(page, "queue-row", code);
    }

    [Fact]
    public async Task The_handler_sees_the_matter_on_the_workbench_accepts_it_and_replies()
    {
        var code = await TakeInAsync("工地老板欠薪三个月，二十多名工人讨薪无果");
        var page = await site.NewPageAsync();
        await page.GotoAsync("/workbench");
        await SignInAsync(page, "handler");
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/workbench");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("我的待办");
        await Expect(page.GetByTestId("workbench-unit")).ToContainTextAsync("崆峒区人力资源和社会保障局");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "我的待办" })).ToHaveAttributeAsync("aria-current", "page");
        // A handler is no dispatcher: no dispatch console in the navigation.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "派单台" })).ToHaveCountAsync(0);

        var row = await OnWorkbenchAsync(page, code);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByTestId("light")).ToHaveTextAsync(AnyLight);
        await Expect(row).ToContainTextAsync("已派单");
        await Expect(row).ToContainTextAsync("签收时限");
        Assert.True(int.Parse(await page.GetByTestId("count-total").Locator(".count-n").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/matters/{code}");
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已派单");
        await Expect(page.GetByTestId("matter-light")).ToHaveTextAsync(AnyLight);
        await Expect(page.GetByTestId("place")).ToContainTextAsync("平凉市 → 崆峒区");
        await Expect(page.GetByTestId("lead-unit")).ToHaveTextAsync("崆峒区人力资源和社会保障局");
        await Expect(page.GetByTestId("explanation")).ToContainTextAsync("派单规则 R062");
        // The people are masked, as the API shows them.
        await Expect(page.GetByTestId("people")).ToContainTextAsync("张* · 138****5678");
        Assert.DoesNotContain("13812345678", await page.ContentAsync(), StringComparison.Ordinal);
        // Only the lead unit's steps: accept and return, never dispatch or verdict.
        await Expect(page.GetByTestId("form-accept")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("form-return")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("form-dispatch")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("form-verdict")).ToHaveCountAsync(0);
        var events = page.GetByTestId("event");
        var before = await events.CountAsync();
        Assert.True(before >= 4, $"the timeline has {before} events");
        await Expect(events.First).ToContainTextAsync("受理");

        await page.GetByRole(AriaRole.Button, new() { Name = "签收", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/matters/{code}?done=accept");
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已签收");
        await Expect(page.GetByTestId("done")).ToHaveTextAsync("已完成：签收");
        await Expect(events).ToHaveCountAsync(before + 1);
        await Expect(events.Last).ToContainTextAsync("签收");
        await Expect(events.Last).ToContainTextAsync("崆峒区人社局承办人");

        // An empty reply is refused with the localized field message, beside the field.
        await page.GetByTestId("form-reply").Locator("summary").ClickAsync();
        var result = page.GetByLabel("办理结果");
        await result.FillAsync("   ");
        await result.EvaluateAsync("e => e.removeAttribute('required')");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交办结回复" }).ClickAsync();
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("提交的内容有误");
        await Expect(page.GetByTestId("form-reply").Locator(".field-error")).ToHaveTextAsync("必填");
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已签收");

        await page.GetByLabel("办理结果").FillAsync("已责令用工单位足额支付拖欠工资，工人已领取。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交办结回复" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + $"/matters/{code}?done=reply");
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已答复");
        await Expect(page.GetByTestId("reply")).ToHaveTextAsync("已责令用工单位足额支付拖欠工资，工人已领取。");
        await Expect(events).ToHaveCountAsync(before + 2);
        await Expect(events.Last).ToContainTextAsync("办结回复");
        // Replied: nothing more for the unit to do, and off the workbench.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "可办理的操作" })).ToHaveCountAsync(0);
        await page.GotoAsync("/workbench");
        await Expect(page.Locator($"[data-testid=queue-row][data-code='{code}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_stale_form_shows_the_stale_message_and_changes_nothing()
    {
        var code = await TakeInAsync("两张表单同时签收");
        var first = await site.NewPageAsync();
        await first.GotoAsync($"/matters/{code}");
        await SignInAsync(first, "unithead");
        await Expect(first.GetByTestId("matter-status")).ToHaveTextAsync("已派单");
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync($"/matters/{code}");
        await Expect(second.GetByTestId("matter-status")).ToHaveTextAsync("已派单");

        await first.GetByRole(AriaRole.Button, new() { Name = "签收", Exact = true }).ClickAsync();
        await Expect(first.GetByTestId("matter-status")).ToHaveTextAsync("已签收");

        await second.GetByRole(AriaRole.Button, new() { Name = "签收", Exact = true }).ClickAsync();
        await Expect(second.GetByTestId("problem")).ToContainTextAsync("事项已被他人修改");
        await Expect(second.GetByTestId("problem")).ToContainTextAsync("您看到的不是最新版本（当前版本 1），请刷新后重试");
        // The page now shows the matter as it is, with one acceptance only.
        await Expect(second.GetByTestId("matter-status")).ToHaveTextAsync("已签收");
        await Expect(second.Locator("[data-testid=event][data-type=accepted]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_township_official_gets_the_not_found_page_for_a_matter_of_another_county()
    {
        var code = await TakeInAsync("泾川县的邻里纠纷", territoryCode: "620821100", categoryCode: null, kind: "dispute");
        // A 东关街道 official of their own (the demo's "township" account is also used, with a wrong password, by other tests at the same time).
        var userName = await CreateUserAsync("东关街道办事处干部（测试）", "620802001.gov", Roles.Handler);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, userName);
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/");

        var response = await page.GotoAsync($"/matters/{code}");
        Assert.Equal(404, response?.Status);
        await Expect(page.GetByTestId("not-found")).ToContainTextAsync("您要找的内容不存在，或不在您的管辖范围内。");
        Assert.DoesNotContain("泾川县的邻里纠纷", await page.ContentAsync(), StringComparison.Ordinal);
        // The site's own page, in its layout, under the strict CSP.
        await Expect(page.Locator("header")).ToContainTextAsync("Concord 同心");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "我的待办" })).ToBeVisibleAsync();

        // Exactly as for a code that does not exist.
        var unknown = await page.GotoAsync("/matters/20000101-99999999");
        Assert.Equal(404, unknown?.Status);
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_dispatcher_sees_the_console_and_dispatches_from_the_matter_page()
    {
        var code = await TakeInAsync("未分类的诉求等待派单", territoryCode: "620802001", categoryCode: null);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/dispatch");
        await SignInAsync(page, "dispatcher");
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/dispatch");
        var row = await QueuePaging.FindRowAsync(page, "dispatch-row", code);
        await Expect(row).ToContainTextAsync("未分类");

        await row.Locator("a.row-link").ClickAsync(); // the row's own link: duplicate candidates under it link to other matters
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已受理");
        await page.GetByTestId("form-dispatch").Locator("summary").ClickAsync();
        await page.GetByLabel("主办单位").SelectOptionAsync("620802.rsj");
        await page.GetByLabel("事项分类（可选）").SelectOptionAsync("020101");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交派单" }).ClickAsync();
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已派单");
        await Expect(page.GetByTestId("lead-unit")).ToHaveTextAsync("崆峒区人力资源和社会保障局");

        await page.GotoAsync("/dispatch");
        await Expect(await QueuePaging.FindRowAsync(page, "dispatch-row", code)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_unit_asks_for_an_extension_the_center_approves_it_and_the_verdict_closes_the_matter()
    {
        var code = await TakeInAsync("欠薪涉及人数多需延期核实");
        var handler = await site.NewPageAsync();
        await handler.GotoAsync($"/matters/{code}");
        await SignInAsync(handler, "handler");
        await handler.GetByRole(AriaRole.Button, new() { Name = "签收", Exact = true }).ClickAsync();
        await Expect(handler.GetByTestId("matter-status")).ToHaveTextAsync("已签收");

        await handler.GetByTestId("form-extension").Locator("summary").ClickAsync();
        await handler.GetByLabel("延长工作日数（1–60）").FillAsync("3");
        await handler.GetByTestId("form-extension").GetByLabel("理由").FillAsync("涉及工人二十余名，需逐一核实工时。");
        await handler.GetByRole(AriaRole.Button, new() { Name = "提交申请延期" }).ClickAsync();
        await Expect(handler.GetByTestId("done")).ToHaveTextAsync("已完成：申请延期");
        await Expect(handler.Locator("[data-testid=event][data-type=extension_requested]")).ToContainTextAsync("3 个工作日");
        // A second request while one waits is refused with the localized reason, beside the field.
        await handler.GetByTestId("form-extension").Locator("summary").ClickAsync();
        await handler.GetByLabel("延长工作日数（1–60）").FillAsync("2");
        await handler.GetByTestId("form-extension").GetByLabel("理由").FillAsync("再次申请");
        await handler.GetByRole(AriaRole.Button, new() { Name = "提交申请延期" }).ClickAsync();
        await Expect(handler.GetByTestId("form-extension").Locator(".field-error")).ToHaveTextAsync("已有一项延期申请待审批");

        var center = await site.NewPageAsync();
        await center.GotoAsync("/dispatch");
        await SignInAsync(center, "dispatcher");
        var row = await QueuePaging.FindRowAsync(center, "dispatch-row", code);
        await Expect(row).ToContainTextAsync("延期待审批");
        await row.Locator("a.row-link").ClickAsync(); // the row's own link: duplicate candidates under it link to other matters
        await center.GetByTestId("form-extension-decision").Locator("summary").ClickAsync();
        await center.GetByLabel("审批结果").SelectOptionAsync("true");
        await center.GetByRole(AriaRole.Button, new() { Name = "提交审批延期" }).ClickAsync();
        await Expect(center.GetByTestId("done")).ToHaveTextAsync("已完成：审批延期");
        await Expect(center.Locator("[data-testid=event][data-type=extension_approved]")).ToHaveCountAsync(1);

        await handler.ReloadAsync();
        await handler.GetByTestId("form-reply").Locator("summary").ClickAsync();
        await handler.GetByLabel("办理结果").FillAsync("经核实，已督促企业发放全部工资。");
        await handler.GetByRole(AriaRole.Button, new() { Name = "提交办结回复" }).ClickAsync();
        await Expect(handler.GetByTestId("matter-status")).ToHaveTextAsync("已答复");

        await center.ReloadAsync();
        await center.GetByTestId("form-verdict").Locator("summary").ClickAsync();
        await center.GetByLabel("回访评价").SelectOptionAsync("satisfied");
        await center.GetByRole(AriaRole.Button, new() { Name = "提交录入回访评价" }).ClickAsync();
        await Expect(center.GetByTestId("matter-status")).ToHaveTextAsync("已办结");
        await Expect(center.Locator("[data-testid=event][data-type=closed]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task On_a_390_by_844_phone_the_workbench_and_matter_page_do_not_scroll_sideways()
    {
        await TakeInAsync("农民工工资拖欠，要求尽快支付");
        var code = await TakeInAsync("工地老板欠薪三个月，二十多名工人讨薪无果");
        var letter = await IssueAssignmentLetterAsync(code);
        var page = await site.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync("/workbench");
        await SignInAsync(page, "handler");
        await Expect(await OnWorkbenchAsync(page, code)).ToBeVisibleAsync();
        await page.GotoAsync("/workbench");
        // The letter to the unit, awaiting acknowledgment, with a link to its matter.
        var letterRow = page.GetByTestId("letter-row").Filter(new() { HasText = letter });
        await Expect(letterRow).ToContainTextAsync("交办函");
        await Expect(letterRow).ToContainTextAsync("待签收");
        await Expect(letterRow.GetByRole(AriaRole.Link, new() { Name = code })).ToHaveAttributeAsync("href", $"/matters/{code}");
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-workbench.png"), FullPage = true });

        await page.GotoAsync($"/matters/{code}");
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("已派单");
        await Expect(page.GetByTestId("matter-letter")).ToContainTextAsync(letter);
        await page.GetByTestId("form-return").Locator("summary").ClickAsync();
        await Expect(page.GetByLabel("退单原因")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-matter.png"), FullPage = true });

        // The same page in English.
        await page.GetByRole(AriaRole.Link, new() { Name = "EN", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("matter-status")).ToHaveTextAsync("Dispatched");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timeline" })).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page);
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

    /// <summary>The center assigns the matter to 崆峒区人社局 by letter (交办函) through the API; returns the letter's number.</summary>
    private async Task<string> IssueAssignmentLetterAsync(string code)
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var response = await http.PostAsJsonAsync("/api/v1/letters", new
        {
            kind = "assignment",
            addressee = "620802.rsj",
            matters = new[] { code },
            title = $"关于交办{code}号事项的交办函",
            body = "请你单位依法处理并按期反馈。",
        });
        var json = await response.Content.ReadFromJsonAsync<JsonObject>() ?? throw new InvalidOperationException("No answer.");
        Assert.True(response.IsSuccessStatusCode, $"issuing answered {(int)response.StatusCode}: {json}");
        return (json["number"] ?? json["letter"]?["number"])!.GetValue<string>();
    }

    /// <summary>A new staff account in the unit with the role (the demo password); returns its user name.</summary>
    private async Task<string> CreateUserAsync(string displayName, string unitCode, string role)
    {
        using var scope = site.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser
        {
            UserName = $"test-{Guid.NewGuid():N}"[..20],
            DisplayName = displayName,
            UnitCode = unitCode,
            CreatedAt = DateTime.UtcNow,
        };
        var created = await users.CreateAsync(user, DemoAccounts.Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user.UserName;
    }

    /// <summary>Takes a matter in through the API with the demo dispatcher's token; returns its code.</summary>
    private async Task<string> TakeInAsync(string title, string? territoryCode = null, string? categoryCode = "020101", string kind = "appeal")
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var body = new JsonObject
        {
            ["kind"] = kind,
            ["channel"] = "hotline",
            ["title"] = title,
            ["description"] = $"{title}。（浏览器测试）",
            ["reporter"] = new JsonObject { ["name"] = "张三", ["phone"] = "13812345678" },
        };
        if (categoryCode is not null)
        {
            body["categoryCode"] = categoryCode;
        }

        if (territoryCode is not null)
        {
            body["territoryCode"] = territoryCode;
        }
        else
        {
            body["location"] = new JsonObject { ["lat"] = 35.54, ["lon"] = 106.68 };
        }

        var response = await http.PostAsJsonAsync("/api/v1/matters", body);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>() ?? throw new InvalidOperationException("No answer.");
        Assert.True(response.IsSuccessStatusCode, $"intake answered {(int)response.StatusCode}: {json}");
        return json["code"]!.GetValue<string>();
    }
}
