using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concord.Server.Access;
using Microsoft.Playwright;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>The staff sign-in page and home page, as a person uses them in Chromium.</summary>
public sealed class SignInPageTests(ConcordSite site)
{
    private static async Task SignInAsync(IPage page, string userName, string password = DemoAccounts.Password)
    {
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }

    [Fact]
    public async Task The_township_official_signs_in_and_sees_their_unit_roles_and_area()
    {
        var page = await site.NewPageAsync(width: 390, height: 844);
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                refused.Add(message.Text);
            }
        };

        await page.GotoAsync("/sign-in");
        await Expect(page).ToHaveTitleAsync(new Regex("工作人员登录"));
        await Expect(page.Locator("header")).ToContainTextAsync("Concord 同心");
        await Expect(page.Locator("header")).ToContainTextAsync("平凉市综治中心");
        await SignInAsync(page, "township");

        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("您好，东关街道办事处干部");
        await Expect(page.GetByTestId("scope")).ToContainTextAsync("东关街道");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync("承办人");
        await Expect(page.GetByTestId("unit")).ToContainTextAsync("东关街道");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "接口文档（API）" })).ToHaveAttributeAsync("href", "/scalar");
        // The stylesheet loaded under the strict CSP (the header is navy), and nothing was refused.
        var header = await page.Locator("header").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal("rgb(18, 58, 107)", header);
        Assert.Empty(refused);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-home.png"), FullPage = true });
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_and_stays_on_the_sign_in_page()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, "handler", "Wrong-Password-2026");

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码不正确");
        Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
        // The user name stays; the password is never written back into the page.
        await Expect(page.GetByLabel("用户名", new() { Exact = true })).ToHaveValueAsync("handler");
        await Expect(page.GetByLabel("密码", new() { Exact = true })).ToHaveValueAsync("");
        Assert.DoesNotContain("Wrong-Password-2026", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visiting_home_signed_out_leads_to_the_sign_in_page_and_back()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/sign-in?ReturnUrl=%2F");
        await SignInAsync(page, "dispatcher");

        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/");
        await Expect(page.GetByTestId("scope")).ToContainTextAsync("平凉市（全域）");
    }

    [Fact]
    public async Task A_return_address_on_another_site_is_refused()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/sign-in?ReturnUrl=" + Uri.EscapeDataString("//127.0.0.2:9/elsewhere"));
        await SignInAsync(page, "analyst");

        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/");
    }

    [Fact]
    public async Task The_English_switch_shows_English_and_is_remembered()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/sign-in?ReturnUrl=%2F");
        await page.GetByRole(AriaRole.Link, new() { Name = "EN", Exact = true }).ClickAsync();

        // Back on the same page, with its query, in English.
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/sign-in?ReturnUrl=%2F");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Staff sign-in");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.GetByLabel("User name").FillAsync("township");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is wrong");

        await page.GetByLabel("Password").FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Hello, 东关街道办事处干部");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync("Handler");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // And back to Chinese.
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("您好，东关街道办事处干部");
    }

    [Fact]
    public async Task On_a_390_by_844_phone_the_form_fits_and_the_button_is_in_view()
    {
        var page = await site.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync("/sign-in");

        var submit = page.GetByRole(AriaRole.Button, new() { Name = "登录" });
        await Expect(submit).ToBeInViewportAsync();
        var box = await submit.BoundingBoxAsync() ?? throw new InvalidOperationException("The button has no box.");
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the button spans {box.X}..{box.X + box.Width}");
        Assert.True(box.Y + box.Height <= 844, $"the button ends at {box.Y + box.Height}");
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scrollWidth, clientWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= clientWidth, $"the page scrolls sideways: {scrollWidth} > {clientWidth}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-sign-in.png"), FullPage = true });

        await SignInAsync(page, "gridworker");
        await Expect(page.GetByTestId("scope")).ToContainTextAsync("网格：");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, "mediator");
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/");

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("您已安全退出。");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "concord.auth");

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/sign-in?ReturnUrl=%2F");
    }

    [Fact]
    public async Task An_account_with_two_factor_asks_for_the_code_and_refuses_a_wrong_one()
    {
        // Turn two-factor on for the demo's 泾川县 handler through the API, as the person would with their app.
        var totp = await EnableTwoFactorAsync("jingchuan");
        var page = await site.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, "jingchuan");

        var code = page.GetByLabel("动态验证码");
        await Expect(code).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("6 位动态码");
        await Expect(page.GetByLabel("用户名", new() { Exact = true })).ToHaveValueAsync("jingchuan");
        Assert.DoesNotContain(DemoAccounts.Password, await page.ContentAsync(), StringComparison.Ordinal);

        var right = totp.ComputeTotp();
        await code.FillAsync(right == "123456" ? "654321" : "123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("动态验证码不正确");

        await page.GetByLabel("动态验证码").FillAsync(totp.ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.BaseUrl + "/");
        await Expect(page.GetByTestId("scope")).ToContainTextAsync("泾川县");
    }

    private async Task<Totp> EnableTwoFactorAsync(string userName)
    {
        using var handler = new HttpClientHandler { UseCookies = true };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(site.BaseUrl) };
        var signIn = await http.PostAsJsonAsync("/api/v1/session", new { userName, password = DemoAccounts.Password });
        Assert.True(signIn.IsSuccessStatusCode, $"sign-in answered {signIn.StatusCode}");
        var setup = await (await http.PostAsync("/api/v1/me/two-factor", null)).Content.ReadFromJsonAsync<JsonObject>()
            ?? throw new InvalidOperationException("No two-factor set-up.");
        var totp = new Totp(Base32Encoding.ToBytes(setup["sharedKey"]!.GetValue<string>()));
        var confirm = await http.PostAsJsonAsync("/api/v1/me/two-factor/confirm", new { code = totp.ComputeTotp() });
        Assert.True(confirm.IsSuccessStatusCode, $"confirm answered {confirm.StatusCode}");
        return totp;
    }
}
