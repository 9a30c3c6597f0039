using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concord.Server.Access;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// The staff app across roles, in both languages: the dispatcher dispatches a new matter, the handler
/// (on a phone) accepts and replies, the center records the resident's verdict, and the situation
/// dashboard counts it; the grid map draws its polygons and drills down; the XLSX exports; axe-core finds
/// no critical or serious violation on the main pages; and the screenshots of the README.
/// </summary>
public sealed partial class StaffPagesTests(ConcordSite site)
{
    /// <summary>The texts the scenario clicks, per language (the catalogue's own words).</summary>
    private sealed record Words(
        string UserName, string Password, string SignIn, string Dispatch, string SubmitDispatch, string LeadUnit, string Accept,
        string Result, string SubmitReply, string Verdict, string SubmitVerdict, string Dispatched, string Accepted, string Replied, string Closed);

    private static readonly Words Zh = new("用户名", "密码", "登录", "派单", "提交派单", "主办单位", "签收",
        "办理结果", "提交办结回复", "回访评价", "提交录入回访评价", "已派单", "已签收", "已答复", "已办结");

    private static readonly Words En = new("User name", "Password", "Sign in", "Dispatch", "Submit: Dispatch", "Lead unit", "Accept",
        "Result", "Submit: Reply", "Verdict", "Submit: Record the verdict", "Dispatched", "Accepted", "Replied", "Closed");

    [Theory]
    [InlineData("zh-CN", "620826100")]
    [InlineData("en", "620826101")]
    public async Task A_dispatcher_dispatches_the_handler_replies_on_a_phone_the_verdict_is_recorded_and_the_dashboard_counts_it(string locale, string township)
    {
        var words = locale == "en" ? En : Zh;
        var center = await site.NewPageAsync(locale);
        await center.GotoAsync($"/situation?territory={township}");
        await SignInAsync(center, words, "dispatcher");
        await Expect(center.GetByTestId("rates")).ToBeVisibleAsync();
        var volumeBefore = await NumberAsync(center.GetByTestId("figure-volume"));
        var satisfiedBefore = await BasisAsync(center.GetByTestId("rate-satisfaction"));

        // A matter without a category waits for the center.
        var code = await TakeInAsync(site, $"{township} 小区供暖不热，多次反映无果", township, categoryCode: null);
        await center.GotoAsync("/dispatch");
        var row = await QueuePaging.FindRowAsync(center, "dispatch-row", code);
        await row.Locator("a.row-link").ClickAsync(); // the row's own link: duplicate candidates under it link to other matters
        await Expect(center).ToHaveURLAsync(site.BaseUrl + $"/matters/{code}");
        await center.GetByTestId("form-dispatch").Locator("summary").ClickAsync();
        await center.GetByTestId("form-dispatch").GetByLabel(words.LeadUnit).SelectOptionAsync("620802.rsj");
        await center.GetByTestId("form-dispatch").Locator("select[name='Step.Category']").SelectOptionAsync("020101");
        await center.GetByRole(AriaRole.Button, new() { Name = words.SubmitDispatch }).ClickAsync();
        await Expect(center.GetByTestId("matter-status")).ToHaveTextAsync(words.Dispatched);

        // The handler, on a phone: the workbench, accept, reply.
        var phone = await site.NewPageAsync(locale, 390, 844);
        await phone.GotoAsync("/workbench");
        await SignInAsync(phone, words, "handler");
        // Red first: a fresh green matter may sit on a later page.
        var item = await QueuePaging.FindRowAsync(phone, "queue-row", code);

        await item.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(phone).ToHaveURLAsync(site.BaseUrl + $"/matters/{code}");
        await phone.GetByRole(AriaRole.Button, new() { Name = words.Accept, Exact = true }).ClickAsync();
        await Expect(phone.GetByTestId("matter-status")).ToHaveTextAsync(words.Accepted);
        await phone.GetByTestId("form-reply").Locator("summary").ClickAsync();
        await phone.GetByLabel(words.Result).FillAsync("已协调供热公司排查管网，室温恢复至 20℃。");
        await phone.GetByRole(AriaRole.Button, new() { Name = words.SubmitReply }).ClickAsync();
        await Expect(phone.GetByTestId("matter-status")).ToHaveTextAsync(words.Replied);
        await AssertNoSidewaysScrollAsync(phone);

        // The center records the resident's verdict from the return call (回访).
        await center.GotoAsync($"/matters/{code}");
        await center.GetByTestId("form-verdict").Locator("summary").ClickAsync();
        await center.GetByLabel(words.Verdict, new() { Exact = true }).SelectOptionAsync("satisfied");
        await center.GetByRole(AriaRole.Button, new() { Name = words.SubmitVerdict }).ClickAsync();
        await Expect(center.GetByTestId("matter-status")).ToHaveTextAsync(words.Closed);

        // The dashboard counts it: one more received, one more satisfied verdict of one more.
        await center.GotoAsync($"/situation?territory={township}");
        Assert.Equal(volumeBefore + 1, await NumberAsync(center.GetByTestId("figure-volume")));
        var satisfiedAfter = await BasisAsync(center.GetByTestId("rate-satisfaction"));
        Assert.Equal((satisfiedBefore.Numerator + 1, satisfiedBefore.Denominator + 1), satisfiedAfter);
        await Expect(center.GetByTestId("board-by-day").Locator("[data-testid=chart]")).ToHaveAttributeAsync("data-state", "ready");
    }

    [Fact]
    public async Task The_matter_page_redispatches_merges_reveals_the_people_and_answers_letters()
    {
        // Re-dispatch: the center moves a matter to another unit, with a reason.
        var moved = await TakeInAsync(site, "工地欠薪，实为住建领域工程款纠纷", null, categoryCode: "020101");
        var center = await site.NewPageAsync();
        await center.GotoAsync($"/matters/{moved}");
        await SignInAsync(center, Zh, "dispatcher");
        await center.GetByTestId("form-redispatch").Locator("summary").ClickAsync();
        await center.GetByLabel("改派至").SelectOptionAsync("620802.zjj");
        await center.GetByTestId("form-redispatch").GetByLabel("理由").FillAsync("系工程款纠纷，由住建部门牵头");
        await center.GetByRole(AriaRole.Button, new() { Name = "提交改派" }).ClickAsync();
        await Expect(center).ToHaveURLAsync(site.BaseUrl + $"/matters/{moved}?done=redispatch");
        await Expect(center.GetByTestId("lead-unit")).ToHaveTextAsync("崆峒区住房和城乡建设局");

        // The audited reveal: a reason, then the people in clear, this once.
        Assert.DoesNotContain("13700001234", await center.ContentAsync(), StringComparison.Ordinal);
        await center.GetByTestId("form-reveal").Locator("summary").ClickAsync();
        await center.GetByLabel("查看理由").FillAsync("回访前核实来电人身份");
        await center.GetByRole(AriaRole.Button, new() { Name = "查看", Exact = true }).ClickAsync();
        await Expect(center.GetByTestId("revealed")).ToContainTextAsync("王五 · 13700001234");
        await center.GotoAsync($"/matters/{moved}");
        Assert.DoesNotContain("13700001234", await center.ContentAsync(), StringComparison.Ordinal);

        // Merge: a second report of the same matter goes into the first.
        var survivor = await TakeInAsync(site, "路口井盖缺失", null, categoryCode: null);
        var repeat = await TakeInAsync(site, "路口井盖丢了，有人差点掉下去", null, categoryCode: null);
        await center.GotoAsync($"/matters/{repeat}");
        await center.GetByTestId("form-merge").Locator("summary").ClickAsync();
        await center.GetByLabel("并入事项编号").FillAsync(survivor);
        await center.GetByRole(AriaRole.Button, new() { Name = "提交并单" }).ClickAsync();
        await Expect(center.GetByTestId("matter-status")).ToHaveTextAsync("已并单");

        // A letter to the handler's unit: the DOCX, then acknowledge and reply on the matter page.
        var lettered = await TakeInAsync(site, "欠薪事项交办", null, categoryCode: "020101");
        using (var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
            var issued = await http.PostAsJsonAsync("/api/v1/letters", new { kind = "assignment", addressee = "620802.rsj", matters = new[] { lettered }, title = $"关于交办{lettered}号事项的交办函", body = "请依法处理并按期反馈。" });
            Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        }

        var handler = await site.NewPageAsync(width: 390, height: 844);
        await handler.GotoAsync($"/matters/{lettered}");
        await SignInAsync(handler, Zh, "handler");
        var letter = handler.GetByTestId("matter-letter");
        var docx = await handler.APIRequest.GetAsync((await letter.GetByTestId("letter-docx").GetAttributeAsync("href"))!);
        Assert.Equal(200, docx.Status);
        Assert.Contains("wordprocessingml", docx.Headers["content-type"], StringComparison.Ordinal);
        await letter.GetByRole(AriaRole.Button, new() { Name = "签收来函" }).ClickAsync();
        await Expect(letter).ToContainTextAsync("待回复");
        await letter.GetByTestId("letter-reply").Locator("summary").ClickAsync();
        await letter.GetByLabel("回复内容").FillAsync("已签收并部署核查，将按期反馈。");
        await letter.GetByRole(AriaRole.Button, new() { Name = "提交回复" }).ClickAsync();
        await Expect(handler.GetByTestId("matter-letter")).ToContainTextAsync("已回复");
        await Expect(handler.GetByTestId("letter-reply")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_grid_map_draws_the_areas_as_polygons_and_a_click_drills_down()
    {
        await TakeInAsync(site, "东关街道路灯不亮", null, categoryCode: null);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/map");
        await SignInAsync(page, Zh, "dispatcher");
        var map = page.GetByTestId("grid-map");
        await Expect(map).ToHaveAttributeAsync("data-state", "ready");
        var areas = map.Locator("path.leaflet-interactive[data-code]");
        Assert.True(await areas.CountAsync() >= 2, $"{await areas.CountAsync()} polygons drawn");
        Assert.Equal(await page.GetByTestId("map-row").CountAsync(), await areas.CountAsync());
        Assert.Matches(PathData(), await areas.First.GetAttributeAsync("d") ?? "");

        // 崆峒区: its figures in a popup, then one level down (its townships).
        await map.Locator("path[data-code='620802']").ClickAsync();
        var popup = page.GetByTestId("map-popup");
        await Expect(popup).ToContainTextAsync("崆峒区");
        await Expect(popup).ToContainTextAsync("在办");
        // The link's own click (dispatched on it: the popup may still be panning into view).
        await popup.GetByTestId("map-drill").DispatchEventAsync("click");
        await Expect(page).ToHaveURLAsync(new Regex("territory=620802$"));
        await Expect(page.GetByTestId("map-chain")).ToContainTextAsync("崆峒区");
        await Expect(map).ToHaveAttributeAsync("data-state", "ready");
        await Expect(map.Locator("path[data-code='620802001']")).ToHaveCountAsync(1);
        // The table gives the same areas to those who do not use the map.
        await Expect(page.Locator("[data-testid=map-row][data-code='620802001']")).ToHaveCountAsync(1);
        Assert.True(await NumberAsync(page.Locator("[data-testid=map-row][data-code='620802001'] td").Nth(1)) >= 1);
    }

    [Fact]
    public async Task The_dashboard_and_the_queues_export_to_xlsx_in_the_users_language()
    {
        var code = await TakeInAsync(site, "导出测试：农民工讨薪", null, categoryCode: "020101");
        var page = await site.NewPageAsync("en");
        await page.GotoAsync("/situation?territory=620802");
        await SignInAsync(page, En, "dispatcher");
        var href = await page.GetByTestId("situation-export").GetAttributeAsync("href");
        var book = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, book.Status);
        using (var stream = new MemoryStream(await book.BodyAsync()))
        {
            Assert.Equal(["Rates", "By day", "Categories", "Areas", "Units", "Heat"], MiniExcel.GetSheetNames(stream));
            var rates = stream.Query(useHeaderRow: true, sheetName: "Rates").Cast<IDictionary<string, object>>().ToList();
            Assert.Equal("Response rate", rates[0]["Figure"]);
            var categories = stream.Query(useHeaderRow: true, sheetName: "Categories").Cast<IDictionary<string, object>>().ToList();
            Assert.Contains(categories, c => (string)c["Code"] == "020101" && Convert.ToInt32(c["Received"], CultureInfo.InvariantCulture) >= 1);
        }

        var handler = await site.NewPageAsync();
        await handler.GotoAsync("/workbench");
        await SignInAsync(handler, Zh, "handler");
        var queue = await handler.APIRequest.GetAsync((await handler.GetByTestId("workbench-export").GetAttributeAsync("href"))!);
        Assert.Equal(200, queue.Status);
        using var sheet = new MemoryStream(await queue.BodyAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(rows, r => (string)r["编号"] == code && (string)r["状态"] == "已派单");
        // The export answers only who may see it: the handler has no dashboard (the page's answer: the access-denied redirect).
        var refused = await handler.APIRequest.GetAsync(href!, new() { MaxRedirects = 0 });
        Assert.NotEqual(200, refused.Status);
        Assert.DoesNotContain("spreadsheetml", refused.Headers.GetValueOrDefault("content-type") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Axe_finds_no_critical_or_serious_violation_on_the_main_pages()
    {
        var script = AxeScript();
        var code = await TakeInAsync(site, "无障碍检查用事项", null, categoryCode: null);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/");
        await CheckAsync(page, script, "sign-in");
        await SignInAsync(page, Zh, "dispatcher");
        var pages = new[] { "/", "/workbench", "/dispatch", $"/matters/{code}", "/map", "/situation", "/situation/screen" };
        foreach (var path in pages)
        {
            await page.GotoAsync(path);
            if (path == "/map")
            {
                await Expect(page.GetByTestId("grid-map")).ToHaveAttributeAsync("data-state", "ready");
            }

            await CheckAsync(page, script, path);
        }
    }

    [Fact]
    public async Task Screenshots_of_the_main_pages_in_chinese()
    {
        var folder = ScreenshotsFolder();
        await TakeInAsync(site, "小区门口占道经营，影响通行", null, categoryCode: null);
        var code = await TakeInAsync(site, "工地拖欠农民工工资两个月", null, categoryCode: "020101");
        var page = await site.NewPageAsync();
        await page.GotoAsync("/");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "sign-in.png"), FullPage = true });
        await SignInAsync(page, Zh, "dispatcher");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "home.png"), FullPage = true });
        await page.GotoAsync("/dispatch");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "dispatch.png"), FullPage = true });
        await page.GotoAsync($"/matters/{code}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "matter.png"), FullPage = true });
        await page.GotoAsync("/map");
        await Expect(page.GetByTestId("grid-map")).ToHaveAttributeAsync("data-state", "ready");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "map.png"), FullPage = true });
        await page.GotoAsync("/situation");
        await Expect(page.GetByTestId("chart").First).ToHaveAttributeAsync("data-state", "ready");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "situation.png"), FullPage = true });
        var wall = await site.NewPageAsync(width: 1920, height: 1080);
        await wall.GotoAsync("/situation/screen");
        await SignInAsync(wall, Zh, "dispatcher");
        await Expect(wall.GetByTestId("chart").First).ToHaveAttributeAsync("data-state", "ready");
        await Expect(wall.Locator("[data-refresh='300']")).ToHaveCountAsync(1);
        await wall.ScreenshotAsync(new() { Path = Path.Combine(folder, "situation-screen.png") });
        var phone = await site.NewPageAsync(width: 390, height: 844);
        await phone.GotoAsync("/workbench");
        await SignInAsync(phone, Zh, "handler");
        await Expect(phone.GetByTestId("queue-row").First).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(folder, "workbench-phone.png"), FullPage = true });
        Assert.True(File.Exists(Path.Combine(folder, "workbench-phone.png")));
    }

    /// <summary>
    /// Runs axe-core in the page. The file is served to the page as if from the site (a route of this
    /// browser context only), so the page's strict CSP stays on: an inline copy would be refused.
    /// </summary>
    private async Task CheckAsync(IPage page, string script, string name)
    {
        await page.Context.RouteAsync(site.BaseUrl + AxePath, route => route.FulfillAsync(new() { Path = script, ContentType = "text/javascript" }));
        await page.AddScriptTagAsync(new() { Url = AxePath });
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }))");
        var bad = json.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "critical" or "serious")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("nodes")}")
            .ToList();
        Assert.True(bad.Count == 0, $"{name}: {string.Join(Environment.NewLine, bad)}");
    }

    private const string AxePath = "/__tests/axe.min.js";

    /// <summary>axe.min.js from the npm package (package.json here; npm ci installs it, as .ci/run does).</summary>
    private static string AxeScript()
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "Concord.Browser.Tests", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path))
        {
            var message = $"{path} is missing: run npm ci --prefix tests/Concord.Browser.Tests";
            if (Environment.GetEnvironmentVariable(ConcordSite.RequireVariable) == "1")
            {
                throw new InvalidOperationException(message);
            }

            Assert.Skip(message);
        }

        return path;
    }

    private static string ScreenshotsFolder()
    {
        if (Environment.GetEnvironmentVariable("CONCORD_SCREENSHOTS") != "1")
        {
            return Directory.CreateTempSubdirectory("concord-screenshots-").FullName;
        }

        var folder = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Concord.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Concord.slnx not found above the test folder.");
    }

    private static async Task<int> NumberAsync(ILocator locator) =>
        int.Parse((await locator.InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);

    /// <summary>A rate's basis as shown ("3 / 4" or "3 of 4").</summary>
    private static async Task<(int Numerator, int Denominator)> BasisAsync(ILocator rate)
    {
        var match = Basis().Match(await rate.Locator(".rate-basis").InnerTextAsync());
        Assert.True(match.Success);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{page.Url} scrolls sideways: {widths[0]} > {widths[1]}");
    }

    private static async Task SignInAsync(IPage page, Words words, string userName)
    {
        await page.GetByLabel(words.UserName, new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel(words.Password, new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = words.SignIn }).ClickAsync();
        await Expect(page.GetByLabel(words.Password, new() { Exact = true })).ToHaveCountAsync(0);
    }

    /// <summary>Takes a matter in through the API with the demo dispatcher's token; returns its code.</summary>
    internal static async Task<string> TakeInAsync(ConcordSite site, string title, string? territoryCode, string? categoryCode)
    {
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConcordSite.DispatcherToken);
        var body = new JsonObject
        {
            ["kind"] = "appeal",
            ["channel"] = "hotline",
            ["title"] = title,
            ["description"] = $"{title}。（浏览器测试）",
            ["reporter"] = new JsonObject { ["name"] = "王五", ["phone"] = "13700001234" },
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

    [GeneratedRegex(@"(\d+)\s*(?:/|of)\s*(\d+)")]
    private static partial Regex Basis();

    [GeneratedRegex(@"^M[-\d.]+ [-\d.]+")]
    private static partial Regex PathData();
}
