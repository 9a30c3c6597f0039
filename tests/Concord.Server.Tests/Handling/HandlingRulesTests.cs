using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Handling;

public sealed class HandlingRulesTestsOnSqlite(SqliteHost host) : HandlingRulesTests<SqliteHost>(host);

public sealed class HandlingRulesTestsOnPostgres(PostgresHost host) : HandlingRulesTests<PostgresHost>(host);

/// <summary>The other paths: manual dispatch with an assignment letter, return, review queue, rejection, merge, queues.</summary>
public abstract class HandlingRulesTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private async Task<string> TakeInAsync(object body)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(body)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    private static async Task<JsonNode> StepAsync(HttpClient client, string code, string step, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.SendAsync(Json.Post($"/api/v1/matters/{code}/{step}", Json.Body(body ?? new { }), language: "en"));
        Assert.True(expected == response.StatusCode, $"{step}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    private static object Uncategorized(string title) => new
    {
        kind = "appeal", channel = "walkin", title, description = "窗口来访反映的问题。", territoryCode = "620802001",
    };

    [Fact]
    public async Task A_dispatcher_assigns_point_to_point_the_unit_returns_it_and_the_center_rejects_it()
    {
        var code = await TakeInAsync(Uncategorized("小区楼道堆放杂物"));
        var dispatcher = host.Client;
        var queue = await Json.ReadAsync(await dispatcher.GetAsync("/api/v1/dispatch/queue"));
        Assert.Contains(queue.AsArray(), q => q!["matter"]!["code"]!.GetValue<string>() == code && q["why"]!.GetValue<string>() == "no_category");

        // Dispatch needs a category (none was given at intake).
        var refused = await StepAsync(dispatcher, code, "dispatch", new { leadUnit = "620802001.gov" }, (HttpStatusCode)422);
        Assert.NotNull(refused["errors"]!["categoryCode"]);

        var dispatched = await StepAsync(dispatcher, code, "dispatch", new { leadUnit = "620802001.gov", categoryCode = "06", pointToPoint = true });
        Assert.Equal("dispatched", dispatched["status"]!.GetValue<string>());
        Assert.Contains(dispatched["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "letter");

        // The township (the lead unit) returns it: the reason must come from the list.
        var township = await host.ClientForAsync("township");
        var badReason = await StepAsync(township, code, "return", new { reason = "lazy", text = "不归我们管" }, (HttpStatusCode)422);
        Assert.Contains("not_our_duty", badReason["errors"]!["reason"]![0]!.GetValue<string>());
        var returned = await StepAsync(township, code, "return", new { reason = "not_our_duty", text = "属物业管理范畴" });
        Assert.Equal("returned", returned["status"]!.GetValue<string>());
        Assert.Equal("1:2", returned["handling"]!["caseItemRatio"]!.GetValue<string>());

        queue = await Json.ReadAsync(await dispatcher.GetAsync("/api/v1/dispatch/queue"));
        Assert.Contains(queue.AsArray(), q => q!["matter"]!["code"]!.GetValue<string>() == code && q["why"]!.GetValue<string>() == "returned");

        // Rejected with its legal basis: final, and no further step is possible.
        await StepAsync(dispatcher, code, "reject", new { }, (HttpStatusCode)422);
        var rejected = await StepAsync(dispatcher, code, "reject", new { basis = "属于民事纠纷，依法应通过诉讼解决（《信访工作条例》第三十一条）" });
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        var illegal = await StepAsync(dispatcher, code, "dispatch", new { leadUnit = "620802001.gov", categoryCode = "06" }, HttpStatusCode.Conflict);
        Assert.Contains("rejected", illegal["detail"]!.GetValue<string>());
        Assert.Empty(Json.Strings(rejected["handling"]!["actions"]));
    }

    [Fact]
    public async Task Merging_keeps_one_surviving_matter_that_counts_the_repeat_complaint()
    {
        var first = await TakeInAsync(Uncategorized("路灯不亮"));
        var second = await TakeInAsync(Uncategorized("路灯坏了没人修"));
        var merged = await StepAsync(host.Client, second, "merge", new { into = first });
        Assert.Equal("merged", merged["status"]!.GetValue<string>());
        Assert.Equal(first, merged["handling"]!["mergedInto"]!.GetValue<string>());

        var survivor = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{first}"));
        Assert.Contains(survivor["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "repeat_complaint" && e["data"]!["from"]!.GetValue<string>() == second);
        Assert.Equal(1, survivor["handling"]!["items"]!.GetValue<int>());

        // A matter cannot be merged into itself or into a merged one.
        var third = await TakeInAsync(Uncategorized("路灯"));
        await StepAsync(host.Client, third, "merge", new { into = third }, (HttpStatusCode)422);
        await StepAsync(host.Client, third, "merge", new { into = second }, (HttpStatusCode)422);
    }

    [Fact]
    public async Task A_units_queue_lists_its_open_matters_most_urgent_first_and_only_for_itself_and_the_center()
    {
        var code = await TakeInAsync(new
        {
            kind = "appeal", channel = "hotline", title = "工地欠薪", description = "工地欠薪。", categoryCode = "020101", location = new { lat = 35.54, lon = 106.68 },
        });
        var handler = await host.ClientForAsync("handler");
        var queue = await Json.ReadAsync(await handler.GetAsync("/api/v1/units/620802.rsj/queue"));
        Assert.Contains(queue["items"]!.AsArray(), i => i!["matter"]!["code"]!.GetValue<string>() == code);
        Assert.True(queue["counts"]!["total"]!.GetValue<int>() >= 1);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/units/620802.rsj/queue")).StatusCode);
        var township = await host.ClientForAsync("township");
        Assert.Equal(HttpStatusCode.NotFound, (await township.GetAsync("/api/v1/units/620802.rsj/queue")).StatusCode);
    }

    [Fact]
    public async Task Analysts_issue_warning_letters_that_the_addressee_acknowledges_and_answers()
    {
        var analyst = await host.ClientForAsync("analyst");
        var issued = await analyst.SendAsync(Json.Post("/api/v1/letters", Json.Body(new
        {
            kind = "warning", addressee = "620802.rsj", title = "关于春节前欠薪风险的预警函", body = "近期崆峒区建筑工地欠薪诉求明显增多，请提前排查。", replyInWorkingDays = 5,
        })));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var number = (await Json.ReadAsync(issued))["number"]!.GetValue<string>();
        Assert.Matches(@"^平综治预〔20\d\d〕\d+号$", number);

        // Only analysts and dispatchers issue; a handler may not.
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.SendAsync(Json.Post("/api/v1/letters", Json.Body(new { kind = "warning", addressee = "620802.rsj", title = "x", body = "y" })))).StatusCode);

        var mine = await Json.ReadAsync(await handler.GetAsync("/api/v1/letters"));
        Assert.Contains(mine.AsArray(), l => l!["number"]!.GetValue<string>() == number);
        var path = $"/api/v1/letters/{Uri.EscapeDataString(number)}";
        Assert.Equal(HttpStatusCode.NoContent, (await handler.PostAsync($"{path}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await handler.SendAsync(Json.Post($"{path}/reply", Json.Body(new { text = "已开展专项排查" })))).StatusCode);
        var read = await Json.ReadAsync(await handler.GetAsync(path));
        Assert.NotNull(read["letter"]!["repliedAt"]);

        // Another unit neither sees nor answers it.
        var jingchuan = await host.ClientForAsync("jingchuan");
        Assert.Equal(HttpStatusCode.NotFound, (await jingchuan.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Redispatch_on_site_determination_refused_extension_second_dissatisfaction_and_unrated_closing()
    {
        var dispatcher = host.Client;
        var handler = await host.ClientForAsync("handler");

        // 改派: to another unit, with a reason; the new unit gets fresh deadlines and the count of items grows.
        var code = await TakeInAsync(new
        {
            kind = "appeal", channel = "hotline", title = "工地欠薪", description = "工地欠薪。", categoryCode = "020101", location = new { lat = 35.54, lon = 106.68 },
        });
        await StepAsync(dispatcher, code, "redispatch", new { leadUnit = "620802.rsj", reason = "x" }, (HttpStatusCode)422); // the same unit
        var moved = await StepAsync(dispatcher, code, "redispatch", new { leadUnit = "620800.rsj", reason = "涉及多个区县，由市人社局统筹" });
        Assert.Equal("620800.rsj", moved["routing"]!["leadUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("1:2", moved["handling"]!["caseItemRatio"]!.GetValue<string>());
        // The former unit can no longer act on it.
        await StepAsync(handler, code, "accept", null, HttpStatusCode.Conflict);

        // 现场认定: a matter no unit will own is determined on site, bindingly: it is accepted at once.
        var orphan = await TakeInAsync(Uncategorized("违建无人管"));
        var determined = await StepAsync(dispatcher, orphan, "on-site", new { leadUnit = "620802001.gov", categoryCode = "06", note = "经现场认定由街道主办" });
        Assert.Equal("accepted", determined["status"]!.GetValue<string>());

        // A refused extension leaves the deadline where it was.
        var township = await host.ClientForAsync("township");
        var before = determined["handling"]!["replyDueAt"]!.GetValue<DateTime>();
        await StepAsync(township, orphan, "extension", new { extraWorkingDays = 3, reason = "需要协调" });
        await StepAsync(township, orphan, "extension", new { extraWorkingDays = 3, reason = "再申请" }, (HttpStatusCode)422); // one at a time
        var refused = await StepAsync(dispatcher, orphan, "extension-decision", new { approve = false });
        Assert.Equal(before, refused["handling"]!["replyDueAt"]!.GetValue<DateTime>());
        Assert.Null(refused["handling"]!["extensionRequestedUntil"]);

        // Dissatisfied twice: the second time goes to the center's review.
        await StepAsync(township, orphan, "reply", new { result = "已清理" });
        await StepAsync(dispatcher, orphan, "verdict", new { verdict = "dissatisfied" });
        await StepAsync(township, orphan, "reply", new { result = "已再次清理" });
        var review = await StepAsync(dispatcher, orphan, "verdict", new { verdict = "dissatisfied", comment = "仍未解决" });
        Assert.Equal("in_review", review["status"]!.GetValue<string>());
        var queue = await Json.ReadAsync(await dispatcher.GetAsync("/api/v1/dispatch/queue"));
        Assert.Contains(queue.AsArray(), q => q!["matter"]!["code"]!.GetValue<string>() == orphan && q["why"]!.GetValue<string>() == "in_review");

        // A reply without a verdict closes by itself when the verdict window (7 days) ends.
        var quiet = await TakeInAsync(Uncategorized("噪音扰民"));
        await StepAsync(dispatcher, quiet, "on-site", new { leadUnit = "620802001.gov", categoryCode = "06", note = "现场认定" });
        await StepAsync(township, quiet, "reply", new { result = "已劝导" });
        host.Clock.Advance(TimeSpan.FromDays(8));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Concord.Server.Features.Handling.DeadlineSweep>().RunAsync(CancellationToken.None);
        }

        var closed = await Json.ReadAsync(await dispatcher.GetAsync($"/api/v1/matters/{quiet}"));
        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Contains(closed["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "closed" && e["data"]!["verdict"]!.GetValue<string>() == "none");
    }

    [Fact]
    public async Task Idempotency_keys_are_forgotten_after_a_day()
    {
        var key = $"old-{Guid.NewGuid()}";
        var first = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Uncategorized("第一次")), idempotencyKey: key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((HttpStatusCode)422, (await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Uncategorized("换了内容")), idempotencyKey: key))).StatusCode);

        host.Clock.Advance(TimeSpan.FromHours(25));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Concord.Server.Features.Handling.DeadlineSweep>().RunAsync(CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Uncategorized("换了内容")), idempotencyKey: key))).StatusCode);
    }
}
