using System.Net;
using System.Text.Json.Nodes;
using Concord.Domain.Figures;
using Concord.Server.Features.Bulletins;
using Concord.Server.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Warnings;

public sealed class AnalysisAndBulletinTestsOnSqlite(WarningSqliteHost host) : AnalysisAndBulletinTests<WarningSqliteHost>(host);

public sealed class AnalysisAndBulletinTestsOnPostgres(WarningPostgresHost host) : AnalysisAndBulletinTests<WarningPostgresHost>(host);

/// <summary>Analysis sessions whose decisions become assignment letters, and the weekly report against an independent reading of the rows.</summary>
public abstract class AnalysisAndBulletinTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static async Task StepAsync(HttpClient client, string code, string step, object? body = null)
    {
        var response = await client.SendAsync(Json.Post($"/api/v1/matters/{code}/{step}", Json.Body(body ?? new { })));
        Assert.True(response.IsSuccessStatusCode, $"{step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<string> IntakeAsync(string title, string category, double lat, double lon)
    {
        var created = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title, description = title + "，请尽快处理。", categoryCode = category, location = new { lat, lon },
        }))));
        return created["code"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_session_decision_becomes_an_assignment_letter_due_on_its_date_and_bad_input_writes_nothing()
    {
        var analyst = await host.ClientForAsync("analyst");
        var matter = await IntakeAsync("某小区物业与业主纠纷", "020101", 35.54, 106.68);
        var before = await host.QueryAsync(db => db.Set<Concord.Server.Features.Analysis.AnalysisSessionRow>().CountAsync());

        var bad = await analyst.SendAsync(Json.Post("/api/v1/analysis/sessions", Json.Body(new
        {
            kind = "periodic", title = "周例会", participants = new[] { "市综治中心", "崆峒区人社局" }, items = new[] { "matter:20990101-00000001", "rumour:1" },
            decisions = new[] { new { text = "限期化解", ownerUnit = "620802.rsj", dueOn = "2026-11-01" } },
        })));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await Json.ReadAsync(bad))["errors"]!;
        Assert.NotNull(errors["items"]);
        Assert.NotNull(errors["decisions[0].dueOn"]);
        Assert.Equal(before, await host.QueryAsync(db => db.Set<Concord.Server.Features.Analysis.AnalysisSessionRow>().CountAsync()));

        var created = await analyst.SendAsync(Json.Post("/api/v1/analysis/sessions", Json.Body(new
        {
            kind = "special_topic", heldOn = "2026-11-26", title = "欠薪问题专题研判", participants = new[] { "市综治中心", "崆峒区人社局", "崆峒区政府" },
            items = new[] { $"matter:{matter}", "risk:R-7" }, conclusions = "年底前欠薪风险上升",
            decisions = new[] { new { text = "对辖区在建工地开展欠薪排查", ownerUnit = "620802.rsj", dueOn = "2026-12-03" } },
        })));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var session = await Json.ReadAsync(created);
        Assert.Equal([$"matter:{matter}", "risk:R-7"], Json.Strings(session["items"]));
        var decision = session["decisions"]![0]!;
        Assert.Equal("2026-12-03", decision["dueOn"]!.GetValue<string>());
        var number = decision["letterNumber"]!.GetValue<string>();
        Assert.StartsWith("平综治交〔2026〕", number);

        var letter = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/letters/{Uri.EscapeDataString(number)}"));
        Assert.Equal("assignment", letter["letter"]!["kind"]!.GetValue<string>());
        Assert.Equal("620802.rsj", letter["letter"]!["addressee"]!["code"]!.GetValue<string>());
        Assert.Equal(new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc), letter["letter"]!["replyDueAt"]!.GetValue<DateTime>()); // 18:00 in Beijing
        Assert.Contains("对辖区在建工地开展欠薪排查", letter["body"]!.GetValue<string>());

        // A later decision on the same session.
        var added = await analyst.SendAsync(Json.Post($"/api/v1/analysis/sessions/{session["id"]}/decisions", Json.Body(new { text = "每周报告排查进展", ownerUnit = "620802.gov", dueOn = "2026-12-10" })));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(2, (await Json.ReadAsync(added))["decisions"]!.AsArray().Count);
        var leader = await host.ClientForAsync("leader");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/v1/analysis/sessions/{session["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.SendAsync(Json.Post("/api/v1/analysis/sessions", Json.Body(new { kind = "instant" })))).StatusCode);
    }

    [Fact]
    public async Task The_weekly_report_of_a_seeded_week_holds_figures_an_independent_query_reproduces_in_its_page_data_and_its_docx()
    {
        var handler = await host.ClientForAsync("handler"); // 崆峒区人社局
        var satisfied = await IntakeAsync("工地欠薪两个月", "020101", 35.54, 106.68);
        await StepAsync(handler, satisfied, "accept");
        await StepAsync(handler, satisfied, "reply", new { result = "已督促支付" });
        await StepAsync(host.Client, satisfied, "verdict", new { verdict = "satisfied" });
        var dissatisfied = await IntakeAsync("商铺拖欠店员工资", "020101", 35.55, 106.67);
        await StepAsync(handler, dissatisfied, "accept");
        await StepAsync(handler, dissatisfied, "reply", new { result = "已调解" });
        await StepAsync(host.Client, dissatisfied, "verdict", new { verdict = "dissatisfied" });
        await IntakeAsync("物流园欠薪", "020101", 35.53, 106.69);
        host.Clock.Advance(TimeSpan.FromHours(3));

        var analyst = await host.ClientForAsync("analyst");
        var drafted = await analyst.SendAsync(Json.Post("/api/v1/bulletins/weekly", Json.Body(new { territory = "620802", week = "2026-11-26" })));
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var bulletin = await Json.ReadAsync(drafted);
        var id = bulletin["bulletin"]!["id"]!.GetValue<long>();
        var figures = bulletin["figures"]!;
        Assert.Equal("2026-11-23", figures["from"]!.GetValue<string>());
        Assert.Equal("2026-11-29", figures["to"]!.GetValue<string>());

        // Independently: the rows of 崆峒区 received that week (Beijing time), judged by the one definition of the rates.
        var now = figures["computedAt"]!.GetValue<DateTimeOffset>().UtcDateTime;
        var from = new DateTime(2026, 11, 22, 16, 0, 0, DateTimeKind.Utc);
        var to = from.AddDays(7);
        var rows = await host.QueryAsync(db => db.Matters.AsNoTracking()
            .Where(m => m.CountyCode == "620802" && m.ReceivedAt >= from && m.ReceivedAt < to)
            .Select(m => new { m.CategoryCode, Outcome = new MatterOutcome(m.Status, m.ReceivedAt, m.AcceptDueAt, m.AcceptedAt, m.ReplyDueAt, m.RepliedAt, m.Verdict) })
            .ToListAsync());
        var expected = SituationRates.Of(rows.Select(r => r.Outcome), now);
        var topCategory = rows.Where(r => r.CategoryCode != null).GroupBy(r => r.CategoryCode!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        Assert.True(expected.Volume >= 3);
        Assert.Equal(expected.Volume, figures["volume"]!.GetValue<int>());
        Assert.Equal(expected.Overdue, figures["overdue"]!.GetValue<int>());
        foreach (var (name, rate) in new[] { ("response", expected.Response), ("resolution", expected.Resolution), ("satisfaction", expected.Satisfaction) })
        {
            Assert.Equal(rate.Numerator, figures[name]!["numerator"]!.GetValue<int>());
            Assert.Equal(rate.Denominator, figures[name]!["denominator"]!.GetValue<int>());
        }

        Assert.Equal(topCategory, figures["topCategories"]![0]!["code"]!.GetValue<string>());
        // Risks by level from the register, against the register's own rows in the territory.
        Assert.True(figures["risks"]!["wired"]!.GetValue<bool>());
        var openRisks = await host.QueryAsync(db => db.Set<Concord.Server.Features.Risks.RiskRow>().AsNoTracking()
            .Where(r => r.ClosedAt == null && r.TerritoryPath.Contains(",620802,")).CountAsync());
        Assert.Equal(openRisks, figures["risks"]!["byLevel"]!.AsArray().Sum(l => l!["listed"]!.GetValue<int>()));

        // Drafting the same week again gives the same bulletin.
        var again = await Json.ReadAsync(await analyst.SendAsync(Json.Post("/api/v1/bulletins/weekly", Json.Body(new { territory = "620802", week = "2026-11-25" }))));
        Assert.Equal(id, again["bulletin"]!["id"]!.GetValue<long>());

        // The DOCX holds those figures and its charts as pictures.
        var docx = await analyst.GetAsync($"/api/v1/bulletins/{id}/docx");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        using (var document = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
        {
            var main = document.MainDocumentPart!;
            var text = string.Join("\n", main.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
            Assert.Contains($"受理 {expected.Volume} 件", text);
            Assert.Contains($"响应率 {Percent(expected.Response)}（{expected.Response.Numerator}/{expected.Response.Denominator}）", text);
            Assert.Contains($"满意率 {Percent(expected.Satisfaction)}（{expected.Satisfaction.Numerator}/{expected.Satisfaction.Denominator}）", text);
            Assert.Contains($"（{topCategory}）", text);
            Assert.Contains("在册风险隐患", text);
            Assert.DoesNotContain("〔图:", text);
            Assert.Equal(2, main.ImageParts.Count());
            var png = new byte[8];
            using (var stream = main.ImageParts.First().GetStream())
            {
                stream.ReadExactly(png);
            }

            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png);
            Assert.Equal(2, main.Document.Body.Descendants<DocumentFormat.OpenXml.Drawing.Pictures.Picture>().Count());
        }

        // Edit, issue (numbered), then immutable.
        var edited = await analyst.SendAsync(Json.Post($"/api/v1/bulletins/{id}", Json.Body(new { suggestions = "加强欠薪源头治理", version = bulletin["bulletin"]!["version"]!.GetValue<int>() })));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var stale = await analyst.SendAsync(Json.Post($"/api/v1/bulletins/{id}", Json.Body(new { suggestions = "旧版本", version = 0 })));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var issued = await Json.ReadAsync(await analyst.PostAsync($"/api/v1/bulletins/{id}/issue", null));
        Assert.Equal("issued", issued["bulletin"]!["status"]!.GetValue<string>());
        Assert.Matches(@"^平综治周〔2026〕\d+号$", issued["bulletin"]!["number"]!.GetValue<string>());
        Assert.Equal("加强欠薪源头治理", issued["suggestions"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await analyst.SendAsync(Json.Post($"/api/v1/bulletins/{id}", Json.Body(new { summary = "改" })))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await analyst.PostAsync($"/api/v1/bulletins/{id}/issue", null)).StatusCode);
        var chart = await analyst.GetAsync($"/api/v1/bulletins/{id}/charts/volume.png");
        Assert.Equal("image/png", chart.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_weekly_drafting_makes_last_weeks_report_once_per_territory_however_often_it_runs()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var configuration = scope.ServiceProvider.GetRequiredService<IConfiguration>();
        var territories = await WeeklyDraftService.DraftAllAsync(scope.ServiceProvider, configuration, CancellationToken.None);
        Assert.True(territories >= 2);
        await WeeklyDraftService.DraftAllAsync(scope.ServiceProvider, configuration, CancellationToken.None);
        var drafts = await host.QueryAsync(db => db.Set<BulletinRow>().Where(b => b.Kind == "weekly" && b.PeriodFrom == new DateOnly(2026, 11, 16)).ToListAsync());
        Assert.Equal(territories, drafts.Count);
        Assert.All(drafts, d => Assert.Equal("draft", d.Status));
        Assert.All(drafts, d => Assert.Equal("system", d.DraftedBy));

        // A special report on one category of a county.
        var analyst = await host.ClientForAsync("analyst");
        var special = await analyst.SendAsync(Json.Post("/api/v1/bulletins/special", Json.Body(new { territory = "620802", category = "02", from = "2026-11-20", to = "2026-11-26" })));
        Assert.True(special.StatusCode == HttpStatusCode.Created, await special.Content.ReadAsStringAsync());
        var body = await Json.ReadAsync(special);
        Assert.Equal("special", body["bulletin"]!["kind"]!.GetValue<string>());
        Assert.Equal("02", body["figures"]!["category"]!.GetValue<string>());
        var unknown = await analyst.SendAsync(Json.Post("/api/v1/bulletins/special", Json.Body(new { territory = "620802", category = "77" })));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
    }

    [Fact]
    public void The_charts_draw_chinese_labels_with_a_font_that_has_them()
    {
        Assert.True(BulletinCharts.Typeface.ContainsGlyphs("周报主要类别"), $"typeface {BulletinCharts.Typeface.FamilyName} lacks Chinese glyphs");
        var f = new BulletinFigures("620802", "崆峒区", null, null, new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29), DateTimeOffset.UnixEpoch,
            3, 2, 50, 1, 0, new(1, 1, 1), new(1, 1, 1), new(1, 1, 1),
            [new(new DateOnly(2026, 11, 23), 3)], [new(new DateOnly(2026, 11, 16), 2)], [new("020101", "拖欠农民工工资", 3)], [],
            0, 0, [], 0, [], [], new RiskSection(false, []));
        using var bitmap = SkiaSharp.SKBitmap.Decode(BulletinCharts.Categories(f));
        Assert.Equal(BulletinCharts.Width, bitmap.Width);
    }

    private static string Percent(Rate rate) => rate.Value is { } v ? (v * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "—";
}
