using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Data;
using Concord.Server.Features.Handling;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Handling;

public sealed class HandlingPathTestsOnSqlite(SqliteHolidayHost host) : HandlingPathTests<SqliteHolidayHost>(host);

public sealed class HandlingPathTestsOnPostgres(PostgresHolidayHost host) : HandlingPathTests<PostgresHolidayHost>(host);

/// <summary>
/// A matter's whole life across 国庆 2026 (Oct 1–7 off, Saturday Oct 10 worked), with deadlines
/// computed by hand. Working hours 08:30–12:00 and 14:30–18:00 (7 h a day), Beijing time.
/// </summary>
public abstract class HandlingPathTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Beijing);

    private static DateTime Utc(DateTimeOffset local) => local.UtcDateTime;

    private async Task<int> SweepAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(CancellationToken.None)).Letters;
    }

    private Task<List<LetterRow>> LettersAsync(string code) =>
        host.QueryAsync(db => (from l in db.Letters
                               join lm in db.LetterMatters on l.Id equals lm.LetterId
                               join m in db.Matters on lm.MatterId equals m.Id
                               where m.Code == code
                               orderby l.Id
                               select l).ToListAsync());

    private async Task<(JsonNode Matter, string ETag)> GetAsync(HttpClient client, string code)
    {
        var response = await client.GetAsync($"/api/v1/matters/{code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response), response.Headers.ETag!.ToString());
    }

    private static async Task<JsonNode> StepAsync(HttpClient client, string code, string step, object? body, string? etag, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var request = Json.Post($"/api/v1/matters/{code}/{step}", Json.Body(body ?? new { }));
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        var response = await client.SendAsync(request);
        Assert.True(expected == response.StatusCode, $"{step}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    private static DateTime Time(JsonNode node) => node.GetValue<DateTime>().ToUniversalTime();

    [Fact]
    public async Task A_matter_goes_from_intake_to_closure_across_a_holiday_with_hand_computed_deadlines_and_letters()
    {
        host.Clock.SetUtcNow(At(9, 29, 10)); // Tuesday
        var dispatcher = host.Client;
        var handler = await host.ClientForAsync("handler"); // 崆峒区人社局, the lead unit for wage arrears in 崆峒区

        // 建筑工地欠薪 (020101, urgent: accept 2 h, reply 24 h) in 崆峒区: dispatched at intake by its automatic rule.
        var created = await Json.ReadAsync(await dispatcher.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title = "工地欠薪两个月", description = "某工地拖欠二十名工人两个月工资。",
            categoryCode = "020101", location = new { lat = 35.54, lon = 106.68 },
        }))));
        var code = created["code"]!.GetValue<string>();
        Assert.Equal("dispatched", created["status"]!.GetValue<string>());

        var (matter, etag) = await GetAsync(dispatcher, code);
        var handling = matter["handling"]!;
        // Accept: 10:00 + 2 h → 12:00 the same day.
        Assert.Equal(Utc(At(9, 29, 12)), Time(handling["acceptDueAt"]!));
        // Reply: Tue 10:00–12:00 (2) + 14:30–18:00 (3.5) = 5.5; Wed 30th 7 → 12.5; Oct 1–7 off; Thu 8th 7 → 19.5;
        // Fri 9th 08:30–12:00 3.5 → 23, then 1 h from 14:30 → 15:30.
        Assert.Equal(Utc(At(10, 9, 15, 30)), Time(handling["replyDueAt"]!));
        Assert.Equal("green", handling["light"]!.GetValue<string>());
        Assert.Empty(handling["calendarUnknownYears"]!.AsArray());
        Assert.Equal("1:1", handling["caseItemRatio"]!.GetValue<string>());

        // 80 % of the 2 h to accept is used at 11:36: the reminder letter (提示函), once.
        host.Clock.SetUtcNow(At(9, 29, 11, 35));
        await SweepAsync();
        Assert.Empty(await LettersAsync(code));
        host.Clock.SetUtcNow(At(9, 29, 11, 36));
        await SweepAsync();
        var letters = await LettersAsync(code);
        Assert.Equal(["reminder"], letters.Select(l => l.Kind).ToArray());
        Assert.Matches(@"^平综治提〔2026〕\d+号$", letters[0].Number);
        Assert.Equal("620802.rsj", letters[0].AddresseeUnitCode);

        // At 12:00 it is overdue: the supervision letter (督办函), once, however often the sweep runs.
        host.Clock.SetUtcNow(At(9, 29, 12));
        await SweepAsync();
        await SweepAsync();
        letters = await LettersAsync(code);
        Assert.Equal(["reminder", "supervision"], letters.Select(l => l.Kind).ToArray());
        Assert.Matches(@"^平综治督〔2026〕\d+号$", letters[1].Number);
        // It asks for a reply within 3 working days: Wed 30th, Thu Oct 8th, Fri Oct 9th → 18:00.
        Assert.Equal(Utc(At(10, 9, 18)), letters[1].ReplyDueAt);
        Assert.Equal("red", (await GetAsync(dispatcher, code)).Matter["handling"]!["light"]!.GetValue<string>());

        // The township official may not accept a matter of another unit; an analyst may not act at all.
        var township = await host.ClientForAsync("township");
        await StepAsync(township, code, "accept", null, null, HttpStatusCode.Conflict);
        var analyst = await host.ClientForAsync("analyst");
        await StepAsync(analyst, code, "accept", null, null, HttpStatusCode.Forbidden);

        // Accept with the ETag seen; a second writer with the old ETag is refused (412), never merged.
        host.Clock.SetUtcNow(At(9, 29, 14, 30));
        (matter, etag) = await GetAsync(handler, code);
        var accepted = await StepAsync(handler, code, "accept", null, etag);
        Assert.Equal("accepted", accepted["status"]!.GetValue<string>());
        Assert.Contains("reply", Json.Strings(accepted["handling"]!["actions"]));
        Assert.DoesNotContain("dispatch", Json.Strings(accepted["handling"]!["actions"]));
        await StepAsync(handler, code, "progress", new { note = "已约谈施工方" }, etag, HttpStatusCode.PreconditionFailed);
        await StepAsync(handler, code, "accept", null, null, HttpStatusCode.Conflict); // accepted already: illegal

        // After the holiday the unit asks for 2 more working days: from Fri Oct 9 15:30 → Sat Oct 10 (make-up), Mon Oct 12 → 18:00.
        host.Clock.SetUtcNow(At(10, 8, 9));
        await StepAsync(handler, code, "progress", new { note = "正在核实工资表" }, null);
        var asked = await StepAsync(handler, code, "extension", new { extraWorkingDays = 2, reason = "需协调总包单位" }, null);
        Assert.Equal(Utc(At(10, 12, 18)), Time(asked["handling"]!["extensionRequestedUntil"]!));
        await StepAsync(handler, code, "extension-decision", new { approve = true }, null, HttpStatusCode.Conflict); // the center decides
        var approved = await StepAsync(dispatcher, code, "extension-decision", new { approve = true, note = "同意" }, null);
        Assert.Equal(Utc(At(10, 12, 18)), Time(approved["handling"]!["replyDueAt"]!));

        // Mon Oct 12 10:00: the reply; the supervision letter (due Fri 18:00) went unanswered: it escalates to 崆峒区人民政府, once.
        host.Clock.SetUtcNow(At(10, 12, 10));
        await StepAsync(handler, code, "reply", new { result = "" }, null, (HttpStatusCode)422);
        var replied = await StepAsync(handler, code, "reply", new { result = "已督促施工方足额支付工资" }, null);
        Assert.Equal("replied", replied["status"]!.GetValue<string>());
        await SweepAsync();
        await SweepAsync();
        var escalations = await host.QueryAsync(db => db.Letters.Where(l => l.Title.Contains(letters[1].Number)).ToListAsync());
        Assert.Single(escalations);
        Assert.Equal("620802.gov", escalations[0].AddresseeUnitCode);

        // Dissatisfied once: back to the lead unit with a fresh 24 working hours:
        // Mon 10:00–12:00 + 14:30–18:00 = 5.5; Tue 7 → 12.5; Wed 7 → 19.5; Thu 3.5 → 23 + 1 h from 14:30 → 15:30.
        var reopened = await StepAsync(dispatcher, code, "verdict", new { verdict = "dissatisfied", comment = "还差一个月工资" }, null);
        Assert.Equal("in_progress", reopened["status"]!.GetValue<string>());
        Assert.Equal(Utc(At(10, 15, 15, 30)), Time(reopened["handling"]!["replyDueAt"]!));
        Assert.Equal("1:2", reopened["handling"]!["caseItemRatio"]!.GetValue<string>());

        await StepAsync(handler, code, "reply", new { result = "剩余工资已结清" }, null);
        var closed = await StepAsync(dispatcher, code, "verdict", new { verdict = "satisfied" }, null);
        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Empty(Json.Strings(closed["handling"]!["actions"]).Except(["reopen"]));

        var timeline = closed["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        string[] expected = ["received", "located", "categorized", "routed", "dispatched", "letter", "letter", "accepted", "progress",
            "extension_requested", "extension_approved", "replied", "letter", "verdict", "reopened", "replied", "verdict", "closed"];
        Assert.Equal(expected, timeline.Where(t => expected.Contains(t)).ToArray()[..expected.Length]);

        // The letters download as documents in the official layout.
        var docx = await dispatcher.GetAsync($"/api/v1/letters/{Uri.EscapeDataString(letters[1].Number)}/docx");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Content.Headers.ContentType!.MediaType);
        var bytes = await docx.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 1000 && bytes[0] == 'P' && bytes[1] == 'K');
    }
}
