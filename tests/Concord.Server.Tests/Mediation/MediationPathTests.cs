using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Features.Mediation;
using Concord.Server.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Mediation;

public sealed class MediationPathTestsOnSqlite(SqliteHost host) : MediationPathTests<SqliteHost>(host);

public sealed class MediationPathTestsOnPostgres(PostgresHost host) : MediationPathTests<PostgresHost>(host);

/// <summary>
/// Each path of a dispute through mediation over the real API and database: court diversion with its
/// deadline and a refusal, agreement with its DOCX, judicial confirmation and follow-up, failure with a
/// referral to litigation, counselling referrals, and who sees notes and party data.
/// </summary>
public abstract class MediationPathTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string Township = "620802001"; // 东关街道, 崆峒区

    private async Task<string> DisputeAsync(HttpClient client, string channel, params (string Name, string Phone, string Role)[] parties)
    {
        var response = await client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "dispute", channel, title = "邻里排水纠纷", description = "两户因院墙排水发生争执。", territoryCode = Township,
            parties = parties.Select(p => new { name = p.Name, phone = p.Phone, role = p.Role }).ToArray(),
        })));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    private static async Task<JsonNode> SendAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.OK, string? etag = null)
    {
        var request = Json.Post(path, Json.Body(body));
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static (string Name, string Phone, string Role)[] TwoParties => [("王大山", "13912345678", "申请人"), ("赵小河", "13887654321", "被申请人")];

    [Fact]
    public async Task A_court_diversion_keeps_its_30_day_deadline_and_a_refusal_goes_back_to_the_center_then_to_litigation_advice()
    {
        var dispatcher = host.Client;
        var mediator = await host.ClientForAsync("mediator");
        var code = await DisputeAsync(dispatcher, "court_diversion", TwoParties);

        // The court's name and reference are required for a diverted case; nothing is written without them.
        var bad = await SendAsync(dispatcher, $"/api/v1/matters/{code}/mediation", new { specialty = "neighbour" }, HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(bad["errors"]!["courtName"]);
        Assert.NotNull(bad["errors"]!["courtReference"]);
        Assert.False(await host.QueryAsync(db => db.Set<MediationCaseRow>().AnyAsync(c => c.MatterCode == code)));

        var opened = await SendAsync(dispatcher, $"/api/v1/matters/{code}/mediation",
            new { specialty = "neighbour", courtName = "平凉市崆峒区人民法院", courtReference = "（2026）甘0802诉前调88号" }, HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<long>();
        Assert.Equal("triage", opened["status"]!.GetValue<string>());
        // Received 26 Nov (Beijing): due at the end of 26 Dec, Beijing time = 16:00 UTC.
        var received = host.Clock.GetUtcNow();
        var localToday = DateOnly.FromDateTime(received.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var expectedDue = localToday.AddDays(31).ToDateTime(TimeOnly.MinValue).AddHours(-8);
        Assert.Equal(expectedDue, opened["court"]!["dueAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("green", opened["court"]!["light"]!.GetValue<string>());

        // Triage: organizations on the dispute's chain, each with its reasons; the township committee among them.
        var suggestions = (await GetAsync(dispatcher, $"/api/v1/mediation/cases/{id}/suggestions")).AsArray();
        Assert.NotEmpty(suggestions);
        Assert.All(suggestions, s => Assert.NotEmpty(s!["reasons"]!.AsArray()));
        Assert.Contains(suggestions, s => s!["organization"]!.GetValue<string>() == $"{Township}.rmtwh");

        var assigned = await SendAsync(dispatcher, $"/api/v1/mediation/cases/{id}/assign", new { organization = MediationDemo.CenterOrganization, mediator = MediationDemo.DemoMediatorCode });
        Assert.Equal("awaiting_consent", assigned["status"]!.GetValue<string>());

        // A stale If-Match is refused; the respondent refuses mediation: back to the center's triage.
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/consent", new { consented = false, refusedBy = "被申请人", nextStep = "back_to_center" }, HttpStatusCode.PreconditionFailed, "\"0\"");
        var refused = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/consent", new { consented = false, refusedBy = "被申请人", nextStep = "back_to_center" });
        Assert.Equal("triage", refused["status"]!.GetValue<string>());
        Assert.Null(refused["organization"]);
        var queue = await GetAsync(dispatcher, "/api/v1/mediation/queue");
        Assert.Contains(queue["highRisk"]!.AsArray(), c => c!["id"]!.GetValue<long>() == id);

        // 80 % of the working time to the court's deadline is yellow; past it, red.
        host.Clock.SetUtcNow(received.AddDays(27));
        Assert.Equal("yellow", (await GetAsync(dispatcher, $"/api/v1/mediation/cases/{id}"))["court"]!["light"]!.GetValue<string>());
        host.Clock.SetUtcNow(received.AddDays(31));
        Assert.Equal("red", (await GetAsync(dispatcher, $"/api/v1/mediation/cases/{id}"))["court"]!["light"]!.GetValue<string>());

        // Assigned again, refused again: the litigation advice ends the case, and it counts as not diverted.
        await SendAsync(dispatcher, $"/api/v1/mediation/cases/{id}/assign", new { organization = $"{Township}.rmtwh" });
        var ended = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/consent", new { consented = false, refusedBy = "申请人", nextStep = "litigation_advice" });
        Assert.Equal("refused", ended["status"]!.GetValue<string>());
        Assert.Equal("litigation_advice", ended["outcome"]!["refusalNextStep"]!.GetValue<string>());
        Assert.Null(ended["court"]!["light"]);
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/consent", new { consented = true }, HttpStatusCode.Conflict);

        // Every step is on the matter's timeline, without names.
        var matter = await GetAsync(dispatcher, $"/api/v1/matters/{code}");
        var types = matter["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("mediation_opened", types);
        Assert.Equal(2, types.Count(t => t == "mediation_refused"));
        Assert.DoesNotContain("王大山", matter["timeline"]!.ToJsonString());
    }

    [Fact]
    public async Task An_agreement_becomes_a_DOCX_is_judicially_confirmed_and_its_obligations_are_followed_up()
    {
        var mediator = await host.ClientForAsync("mediator");
        var code = await DisputeAsync(mediator, "walkin", TwoParties);
        var id = (await SendAsync(mediator, $"/api/v1/matters/{code}/mediation", new { specialty = "neighbour" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/assign", new { organization = MediationDemo.CenterOrganization, mediator = MediationDemo.DemoMediatorCode });
        // Sessions wait for both parties' consent.
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/sessions", new { scheduledAt = host.Clock.GetUtcNow().AddDays(1), place = "center_room" }, HttpStatusCode.Conflict);
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/consent", new { consented = true });

        var now = host.Clock.GetUtcNow();
        var bad = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/sessions", new { scheduledAt = now.AddDays(1), place = "garden" }, HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(bad["errors"]!["place"]);
        var session = (await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/sessions",
            new { scheduledAt = now.AddDays(1), place = "center_room", placeDetail = "第二调解室", participants = "王大山、赵小河" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        var queue = await GetAsync(mediator, "/api/v1/mediation/queue");
        Assert.Contains(queue["sessions"]!.AsArray(), s => s!["sessionId"]!.GetValue<long>() == session);
        Assert.Contains(queue["cases"]!.AsArray(), c => c!["id"]!.GetValue<long>() == id);
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/sessions/{session}/record", new { notes = "双方同意由赵小河修建排水沟。" });

        var local = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var missing = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/agree", new { facts = "排水纠纷", obligations = Array.Empty<object>() }, HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(missing["errors"]!["obligations"]);
        var agreed = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/agree", new
        {
            facts = "王大山与赵小河系东关街道相邻住户，因院墙排水问题发生争执。",
            summary = "双方达成协议",
            obligations = new object[]
            {
                new { party = "被申请人赵小河", description = "自费修建院墙排水沟", dueDate = local.AddDays(10).ToString("yyyy-MM-dd") },
                new { party = "申请人王大山", description = "配合施工并提供通道", dueDate = local.AddDays(20).ToString("yyyy-MM-dd") },
            },
        });
        Assert.Equal("agreed", agreed["status"]!.GetValue<string>());
        var number = agreed["outcome"]!["agreementNumber"]!.GetValue<string>();
        Assert.Matches(@"^平调协〔\d{4}〕\d+号$", number);

        // The agreement as DOCX: parties in clear, the facts, each obligation with its deadline, the signatures.
        var response = await mediator.GetAsync($"/api/v1/mediation/cases/{id}/agreement.docx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync()))
        using (var document = WordprocessingDocument.Open(stream, false))
        {
            var paragraphs = document.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
            var text = string.Join("\n", paragraphs);
            Assert.Contains("人民调解协议书", text);
            Assert.Contains(number, text);
            Assert.Contains(paragraphs, p => p.Contains("申请人：王大山", StringComparison.Ordinal) && p.Contains("13912345678", StringComparison.Ordinal));
            Assert.Contains(paragraphs, p => p.Contains("被申请人：赵小河", StringComparison.Ordinal));
            Assert.Contains("因院墙排水问题发生争执", text);
            var due = local.AddDays(10);
            Assert.Contains(paragraphs, p => p.StartsWith("1. 被申请人赵小河自费修建院墙排水沟", StringComparison.Ordinal) && p.Contains($"{due.Year}年{due.Month}月{due.Day}日前履行完毕", StringComparison.Ordinal));
            Assert.Contains(paragraphs, p => p.StartsWith("2. 申请人王大山配合施工并提供通道", StringComparison.Ordinal));
            Assert.Contains("当事人（签名）", text);
            Assert.Contains("马明远（示例）", text);
            Assert.Contains("平凉市矛盾纠纷调解中心人民调解委员会", text);
        }

        var audited = await host.QueryAsync(db => db.AuditEntries.Where(a => a.TargetType == "mediation-case" && a.TargetId == id.ToString() && a.Action == "personal-data.revealed").CountAsync());
        Assert.Equal(1, audited);

        // 司法确认: applied within 30 days, then confirmed.
        var applied = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/judicial/apply", new { court = "平凉市崆峒区人民法院" });
        Assert.Equal("applied", applied["outcome"]!["judicial"]!["state"]!.GetValue<string>());
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/judicial/apply", new { court = "平凉市崆峒区人民法院" }, HttpStatusCode.UnprocessableEntity);
        var confirmed = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/judicial/decide", new { decision = "confirmed" });
        Assert.Equal("confirmed", confirmed["outcome"]!["judicial"]!["state"]!.GetValue<string>());

        // 履行回访: the first obligation comes due on its deadline and shows in the queue; performed on time.
        var obligations = confirmed["obligations"]!.AsArray();
        var first = obligations[0]!["id"]!.GetValue<long>();
        Assert.DoesNotContain((await GetAsync(mediator, "/api/v1/mediation/queue"))["followUps"]!.AsArray(), f => f!["obligationId"]!.GetValue<long>() == first);
        host.Clock.SetUtcNow(now.AddDays(11));
        Assert.Contains((await GetAsync(mediator, "/api/v1/mediation/queue"))["followUps"]!.AsArray(), f => f!["obligationId"]!.GetValue<long>() == first);
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/obligations/{first}/follow-up",
            new { performed = true, performedOn = local.AddDays(9).ToString("yyyy-MM-dd"), note = "排水沟已修好" });
        Assert.DoesNotContain((await GetAsync(mediator, "/api/v1/mediation/queue"))["followUps"]!.AsArray(), f => f!["obligationId"]!.GetValue<long>() == first);
        var view = await GetAsync(mediator, $"/api/v1/mediation/cases/{id}");
        Assert.True(view["obligations"]![0]!["performedOnTime"]!.GetValue<bool>());
        Assert.Equal("双方同意由赵小河修建排水沟。", view["sessions"]![0]!["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_mediation_is_referred_to_litigation_with_its_reason_and_a_counselling_referral_is_followed_to_completion()
    {
        var mediator = await host.ClientForAsync("mediator");
        var code = await DisputeAsync(mediator, "hotline", TwoParties);
        var id = (await SendAsync(mediator, $"/api/v1/matters/{code}/mediation", new { specialty = "family" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/assign", new { organization = MediationDemo.CenterOrganization });
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/consent", new { consented = true });

        var referral = (await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/referrals",
            new { kind = "psychological", provider = "P-620802-psy", reason = "申请人情绪激动，需要心理疏导" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        var wrongKind = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/referrals", new { kind = "legal_aid", provider = "P-620802-psy", reason = "需要法律援助" }, HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(wrongKind["errors"]!["provider"]);

        var noReason = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/fail", new { referral = "litigation" }, HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(noReason["errors"]!["reason"]);
        var failed = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/fail", new { referral = "litigation", reason = "双方对赡养费数额分歧较大" });
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("litigation", failed["outcome"]!["referral"]!.GetValue<string>());
        Assert.Equal("双方对赡养费数额分歧较大", failed["failureReason"]!.GetValue<string>());
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/agree", new { facts = "x" }, HttpStatusCode.Conflict);

        // The referral goes on after the case ended, until it is completed (once).
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/referrals/{referral}/complete", new { result = "完成两次心理疏导" });
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/referrals/{referral}/complete", new { result = "again" }, HttpStatusCode.UnprocessableEntity);
        var view = await GetAsync(mediator, $"/api/v1/mediation/cases/{id}");
        Assert.NotNull(view["referrals"]![0]!["completedAt"]);
        Assert.Equal("完成两次心理疏导", view["referrals"]![0]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_handling_unit_sees_the_outcome_only_and_every_view_of_party_data_is_audited()
    {
        var mediator = await host.ClientForAsync("mediator");
        var handler = await host.ClientForAsync("handler"); // 崆峒区人社局: the dispute lies in its territory
        var code = await DisputeAsync(mediator, "walkin", TwoParties);
        var id = (await SendAsync(mediator, $"/api/v1/matters/{code}/mediation", new { specialty = "neighbour" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/assign", new { organization = MediationDemo.CenterOrganization });
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/consent", new { consented = true });
        var session = (await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/sessions", new { scheduledAt = host.Clock.GetUtcNow().AddHours(2), place = "online" }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/sessions/{session}/record", new { notes = "赵小河称院墙系其父所建。" });

        // The mediator: full sight, parties masked until revealed.
        var full = await GetAsync(mediator, $"/api/v1/mediation/cases/{id}");
        Assert.Equal("full", full["sight"]!.GetValue<string>());
        Assert.Equal("王**", full["parties"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("赵小河称院墙系其父所建。", full["sessions"]![0]!["notes"]!.GetValue<string>());

        // The handling unit: the outcome, no parties, no sessions, no notes; it may not act, reveal or download.
        var outcome = await GetAsync(handler, $"/api/v1/mediation/cases/{id}");
        Assert.Equal("outcome", outcome["sight"]!.GetValue<string>());
        Assert.Null(outcome["parties"]);
        Assert.Null(outcome["sessions"]);
        Assert.DoesNotContain("赵小河", outcome.ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.SendAsync(Json.Post($"/api/v1/mediation/cases/{id}/parties/reveal", Json.Body(new { reason = "联系当事人核实" })))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.SendAsync(Json.Post($"/api/v1/matters/{code}/personal-data/reveal", Json.Body(new { reason = "联系当事人核实" })))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.SendAsync(Json.Post($"/api/v1/mediation/cases/{id}/withdraw", Json.Body(new { reason = "不需要了" })))).StatusCode);

        // The dispatcher sees masked parties but no notes, and may not reveal either.
        var staff = await GetAsync(host.Client, $"/api/v1/mediation/cases/{id}");
        Assert.Equal("staff", staff["sight"]!.GetValue<string>());
        Assert.Null(staff["sessions"]![0]!["notes"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(Json.Post($"/api/v1/mediation/cases/{id}/parties/reveal", Json.Body(new { reason = "联系当事人核实" })))).StatusCode);
        // Holding a session is the mediators' work: the dispatcher is refused, and the refusal is audited.
        await SendAsync(host.Client, $"/api/v1/mediation/cases/{id}/sessions/{session}/record", new { notes = "x" }, HttpStatusCode.Forbidden);

        // The mediator reveals with a reason; both the reveal and the refusals are in the audit trail.
        await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/parties/reveal", new { reason = "x" }, HttpStatusCode.UnprocessableEntity);
        var clear = await SendAsync(mediator, $"/api/v1/mediation/cases/{id}/parties/reveal", new { reason = "电话通知当事人调解时间" });
        Assert.Equal("王大山", clear["parties"]![0]!["name"]!.GetValue<string>());
        var entries = await host.QueryAsync(db => db.AuditEntries
            .Where(a => (a.TargetType == "mediation-case" && a.TargetId == id.ToString()) || (a.TargetType == "matter" && a.TargetId == code))
            .Select(a => a.Action).ToListAsync());
        Assert.Equal(1, entries.Count(a => a == "personal-data.revealed"));
        Assert.Equal(3, entries.Count(a => a == "personal-data.reveal-refused"));
        Assert.Contains("mediation.refused", entries);

        // Notes are encrypted at rest.
        var stored = await host.QueryAsync(db => db.Set<MediationSessionRow>().Where(s => s.Id == session).Select(s => s.Notes).SingleAsync());
        Assert.DoesNotContain("院墙", stored);
    }
}
