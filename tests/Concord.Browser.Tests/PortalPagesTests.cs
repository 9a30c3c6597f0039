using System.Net.Http.Headers;
using System.Net.Http.Json;
using Concord.Server.Access;
using Concord.Server.Data;
using Concord.Server.Features.Portal;
using Concord.Server.Tests.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Concord.Browser.Tests;

/// <summary>
/// The residents' door on a phone (390×844): a resident reports wage arrears with a photo carrying
/// GPS in its EXIF and a map pick, keeps the tracking code and secret, follows the matter, and
/// rates the reply. The photo stored has no EXIF.
/// </summary>
public sealed class PortalPagesTests(ConcordSite site)
{
    [Fact]
    public async Task A_resident_submits_with_a_photo_and_a_map_pick_then_tracks_and_rates()
    {
        var page = await site.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync("/portal");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("平安键 · 群众诉求");
        await page.GetByRole(AriaRole.Link, new() { Name = "我要反映诉求" }).ClickAsync();

        // The category search works on the server (no script needed): "欠薪" finds wage arrears.
        await page.GetByLabel("这是哪类事？输入关键词查找").FillAsync("欠薪");
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=%E6%AC%A0%E8%96%AA|q=欠薪"));
        var category = page.Locator("input[name=category][value='020101']");
        await category.CheckAsync();
        await page.GetByLabel("一句话说明").FillAsync("工地老板欠薪三个月");
        await page.GetByLabel("详细情况").FillAsync("我们十几个人在工地干了三个月没拿到工资，找老板也找不到。");

        // The map pick: tap a township of 崆峒区 on the outlines (no tile server).
        await Expect(page.Locator("#portal-map")).ToHaveAttributeAsync("data-ready", "true");
        await page.Locator("#portal-map path[data-code^='620802']").First.ClickAsync();
        await Expect(page.Locator("#position-status")).ToContainTextAsync("已选定位置");
        Assert.NotEmpty(await page.Locator("#lat").InputValueAsync());
        Assert.NotEmpty(await page.Locator("#lon").InputValueAsync());

        await page.Locator("#photos").SetInputFilesAsync(new FilePayload { Name = "IMG_20261126.jpg", MimeType = "image/jpeg", Buffer = ExifSamples.JpegWithGps() });
        await page.Locator("#portal-map").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-portal-submit.png") });
        await page.GetByLabel("电话").FillAsync("13600001234");
        await page.GetByLabel("只让综治中心看到我的身份").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "已收到，谢谢您！" })).ToBeVisibleAsync();
        var tracking = await page.Locator("#tracking-code").InnerTextAsync();
        var secret = await page.Locator("#tracking-secret").InnerTextAsync();
        Assert.Matches("^[2-9A-HJ-NP-Z]{10}$", tracking);
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConcordSite.ImagesFolder, "ui-portal.png"), FullPage = true });

        // The stored photo has no EXIF (parsed from the bytes in the store), and the map pick located the matter in 崆峒区.
        string code;
        using (var scope = site.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            var matter = await db.Matters.SingleAsync(m => m.TrackingCode == tracking);
            code = matter.Code;
            Assert.Equal("620802", matter.CountyCode);
            Assert.NotNull(matter.Lat);
            var photo = await db.Set<PortalAttachmentRow>().SingleAsync(p => p.MatterId == matter.Id);
            Assert.False(ExifSamples.HasExif(photo.Bytes));
            Assert.False(ExifSamples.HasGps(photo.Bytes));
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "查看办理进度" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("办理进度");
        await Expect(page.Locator("#matter-status")).ToHaveTextAsync("已派单");
        var thumbnail = page.GetByRole(AriaRole.Img, new() { Name = "照片 1" });
        await Expect(thumbnail).ToBeVisibleAsync();
        // The image loads after the page: wait for it, then check it decoded.
        await Expect(thumbnail).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await thumbnail.EvaluateAsync<int>("img => img.naturalWidth") > 0);

        // The unit replies (through the API, as its staff would from the staff app).
        await ReplyAsHandlerAsync(code, "已责令施工单位本周内支付全部工资");
        await page.ReloadAsync();
        await Expect(page.Locator("#reply-text")).ToHaveTextAsync("已责令施工单位本周内支付全部工资");
        await page.GetByLabel("满意", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("意见（可不填）").FillAsync("谢谢，工资已经拿到了");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("谢谢您的评价。");
        await Expect(page.Locator("#matter-status")).ToHaveTextAsync("已办结");
        await Expect(page.Locator("#verdict-given")).ToContainTextAsync("满意");
        await AssertNoSidewaysScrollAsync(page);
        Assert.DoesNotContain("13600001234", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains(secret, page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_file_as_a_photo_is_refused_on_the_page_in_english()
    {
        var page = await site.NewPageAsync(locale: "en", width: 390, height: 844);
        await page.GotoAsync("/portal/submit?kind=hazard");
        await page.GetByLabel("In one line").FillAsync("Missing manhole cover");
        await page.GetByLabel("What happened").FillAsync("The cover at the gate is gone.");
        await page.Locator("#territory").SelectOptionAsync("620802001");
        await page.Locator("#photos").SetInputFilesAsync(new FilePayload { Name = "notes.jpg", MimeType = "image/jpeg", Buffer = "not an image"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'notes.jpg' is not a JPEG, PNG or WebP image");
        // What the resident typed is kept.
        await Expect(page.GetByLabel("In one line")).ToHaveValueAsync("Missing manhole cover");
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{page.Url} scrolls sideways: {widths[0]} > {widths[1]}");
    }

    private async Task ReplyAsHandlerAsync(string code, string result)
    {
        string token;
        using (var scope = site.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var handler = await users.FindByNameAsync("handler") ?? throw new InvalidOperationException("No demo handler.");
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            (_, token) = await ApiTokens.CreateAsync(db, handler, ApiTokens.PersonalKind, "portal browser test", [TokenScopes.MattersRead, TokenScopes.MattersWrite], DateTime.UtcNow, DateTime.UtcNow.AddHours(1));
        }

        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.True((await http.PostAsJsonAsync($"/api/v1/matters/{code}/accept", new { })).IsSuccessStatusCode);
        Assert.True((await http.PostAsJsonAsync($"/api/v1/matters/{code}/reply", new { result })).IsSuccessStatusCode);
    }
}
