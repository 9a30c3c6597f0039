using System.Net;
using System.Text.Json.Nodes;
using Concord.Domain.Duplicates;
using Concord.Server.Catalog;
using Concord.Server.Features.Duplicates;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Duplicates;

public sealed class DuplicatesTestsOnSqlite(SqliteHost host) : DuplicatesTests<SqliteHost>(host);

public sealed class DuplicatesTestsOnPostgres(PostgresHost host) : DuplicatesTests<PostgresHost>(host);

public sealed class DuplicateWindowTestsOnSqlite(SqliteHost host) : DuplicateWindowTests<SqliteHost>(host);

public sealed class DuplicateWindowTestsOnPostgres(PostgresHost host) : DuplicateWindowTests<PostgresHost>(host);

/// <summary>
/// Candidates over time: this test moves the host's clock by weeks (which outlives the test
/// credentials of later tests), so it has a host of its own.
/// </summary>
public abstract class DuplicateWindowTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string Wages = DuplicatesTests<THost>.Wages;
    private const string WagesParaphrase = DuplicatesTests<THost>.WagesParaphrase;

    private static (double Lat, double Lon) Offset(double lat, double lon, double north, double east) => DuplicatesTests<THost>.Offset(lat, lon, north, east);

    private static object Matter(string title, string description, (double Lat, double Lon) at, string? category = "020101") => DuplicatesTests<THost>.Matter(title, description, at, category);

    private static Task<JsonNode> TakeInAsync(HttpClient client, object body, string? language = null) => DuplicatesTests<THost>.TakeInAsync(client, body, language);

    private static string[] Codes(JsonNode? candidates) => DuplicatesTests<THost>.Codes(candidates);

    [Fact]
    public async Task A_paraphrase_100_m_away_the_next_day_is_a_candidate_but_the_same_text_2_km_away_or_another_category_months_later_is_not()
    {
        var here = (35.5300, 106.6500);
        var first = await TakeInAsync(host.Client, Matter("工地欠薪三个月", Wages, here));
        Assert.Empty(first["duplicates"]!.AsArray());
        var firstCode = first["code"]!.GetValue<string>();

        host.Clock.Advance(TimeSpan.FromDays(1));
        var second = await TakeInAsync(host.Client, Matter("工人讨薪", WagesParaphrase, Offset(here.Item1, here.Item2, 100, 0)));
        // The intake answer keeps its fields and adds the candidates.
        Assert.Equal("hotline", second["channel"]!.GetValue<string>());
        Assert.NotNull(second["timeline"]);
        var candidate = Assert.Single(second["duplicates"]!.AsArray())!;
        Assert.Equal(firstCode, candidate["code"]!.GetValue<string>());
        Assert.Equal("工地欠薪三个月", candidate["title"]!.GetValue<string>());
        Assert.InRange(candidate["score"]!.GetValue<double>(), 0.5, 1);
        var reasons = Json.Strings(candidate["reasons"]);
        Assert.Contains("距离 100 米", reasons);
        Assert.Contains("相隔 1 天", reasons);
        Assert.Contains("同一类别", reasons);
        Assert.Contains(reasons, r => r.StartsWith("文字相似度 0.", StringComparison.Ordinal));
        Assert.Equal("same", candidate["factors"]!["category"]!.GetValue<string>());
        Assert.Equal(100, candidate["factors"]!["distanceMeters"]!.GetValue<double>(), 0);

        // On demand, both ways, in the reader's language.
        var secondCode = second["code"]!.GetValue<string>();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/matters/{firstCode}/duplicates");
        request.Headers.AcceptLanguage.ParseAdd("en");
        var ofFirst = await Json.ReadAsync(await host.Client.SendAsync(request));
        Assert.Equal([secondCode], Codes(ofFirst["candidates"]));
        Assert.Contains("100 m apart", Json.Strings(ofFirst["candidates"]![0]!["reasons"]));
        Assert.Equal([firstCode], Codes((await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{secondCode}/duplicates")))["candidates"]));

        // The same text 2 km away is another matter.
        var far = await TakeInAsync(host.Client, Matter("工地欠薪三个月", Wages, Offset(here.Item1, here.Item2, 2000, 0)));
        Assert.Empty(far["duplicates"]!.AsArray());

        // Another category, 45 days later, at the same place: not a candidate either.
        host.Clock.Advance(TimeSpan.FromDays(45));
        var later = await TakeInAsync(host.Client, Matter("路灯不亮", "小区门口路灯不亮，晚上走路黑漆漆的，已经坏了半个月", here, "130301"));
        Assert.Empty(later["duplicates"]!.AsArray());
        var laterSame = await TakeInAsync(host.Client, Matter("工地欠薪三个月", Wages, here, "130301"));
        Assert.DoesNotContain(firstCode, Codes(laterSame["duplicates"]));

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/v1/matters/20260101-99999999/duplicates")).StatusCode);
    }
}

/// <summary>
/// 并单 over HTTP: candidates at intake and on demand, within the caller's scope; a merge keeps every
/// reporter with the survivor (portal status, reply, verdict); an unmerge restores and is audited.
/// Each test works at its own place (more than 250 m from the others), so they do not see each other's matters.
/// </summary>
public abstract class DuplicatesTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    internal const string Wages = "工地老板拖欠我们三个月工资，二十多名工人找不到包工头，请求帮助讨回血汗钱";
    internal const string WagesParaphrase = "二十多名工人找不到包工头，工地老板拖欠我们3个月的工资，希望帮助讨回血汗钱";

    /// <summary>A point the given meters north and east of a base point.</summary>
    internal static (double Lat, double Lon) Offset(double lat, double lon, double north, double east) =>
        (lat + north / 111_195, lon + east / (111_195 * Math.Cos(lat * Math.PI / 180)));

    internal static object Matter(string title, string description, (double Lat, double Lon) at, string? category = "020101") => new
    {
        kind = "appeal", channel = "hotline", title, description, categoryCode = category, location = new { lat = at.Lat, lon = at.Lon },
    };

    internal static async Task<JsonNode> TakeInAsync(HttpClient client, object body, string? language = null)
    {
        var response = await client.SendAsync(Json.Post("/api/v1/matters", Json.Body(body), language));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    internal static string[] Codes(JsonNode? candidates) => candidates!.AsArray().Select(c => c!["code"]!.GetValue<string>()).ToArray();

    private static async Task<JsonNode> StepAsync(HttpClient client, string code, string step, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.SendAsync(Json.Post($"/api/v1/matters/{code}/{step}", Json.Body(body)));
        Assert.True(expected == response.StatusCode, $"{step}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    [Fact]
    public async Task Candidates_respect_the_callers_scope()
    {
        // Walk east from a point of 东关街道 until the township changes: two points 40 m apart on either side.
        var snapshot = host.Services.GetRequiredService<CatalogStore>().Current;
        string? Township((double Lat, double Lon) p) =>
            snapshot.Territories.Locate(p.Lat, p.Lon).Chain.FirstOrDefault(t => t.Level == Concord.Domain.Territories.TerritoryLevel.Township)?.Code;
        var start = (35.5440, 106.6800);
        Assert.Equal("620802001", Township(start));
        (double, double) inside = start, outside = start;
        for (var east = 0; east < 20_000; east += 20)
        {
            var p = Offset(start.Item1, start.Item2, 0, east);
            if (Township(p) != "620802001")
            {
                outside = Offset(start.Item1, start.Item2, 0, east + 20);
                inside = Offset(start.Item1, start.Item2, 0, east - 20);
                break;
            }
        }

        Assert.NotEqual(start, outside);
        Assert.NotEqual("620802001", Township(outside));
        Assert.Equal("620802001", Township(inside));

        // The center takes in a matter just outside the grid worker's township.
        var across = await TakeInAsync(host.Client, Matter("工地欠薪", Wages, outside));
        var acrossCode = across["code"]!.GetValue<string>();

        // The township's own intake of the same problem does not show it; the center sees the pair.
        var township = await host.ClientForAsync("township");
        var own = await TakeInAsync(township, new
        {
            kind = "appeal", channel = "walkin", title = "工人讨薪", description = WagesParaphrase, categoryCode = "020101", location = new { lat = inside.Item1, lon = inside.Item2 },
        });
        Assert.DoesNotContain(acrossCode, Codes(own["duplicates"]));
        var ownCode = own["code"]!.GetValue<string>();
        Assert.Contains(acrossCode, Codes((await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{ownCode}/duplicates")))["candidates"]));
        Assert.DoesNotContain(acrossCode, Codes((await Json.ReadAsync(await township.GetAsync($"/api/v1/matters/{ownCode}/duplicates")))["candidates"]));
        // A matter outside the scope is unknown to the township.
        Assert.Equal(HttpStatusCode.NotFound, (await township.GetAsync($"/api/v1/matters/{acrossCode}/duplicates")).StatusCode);
    }

    [Fact]
    public async Task A_merge_keeps_both_reporters_who_follow_the_survivor_and_give_its_verdict()
    {
        var here = (35.5200, 106.7000);
        async Task<(string Tracking, string Secret)> SubmitAsync(string description, (double Lat, double Lon) at)
        {
            var response = await host.Anonymous.SendAsync(Json.Post("/api/v1/public/matters", Json.Body(new
            {
                kind = "appeal", title = "工地欠薪", description, categoryCode = "020101", location = new { lat = at.Lat, lon = at.Lon },
                reporter = new { name = "王五", phone = "13700001111" },
            })));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = await Json.ReadAsync(response);
            Assert.Null(body["duplicates"]); // residents never see other people's matters
            return (body["trackingCode"]!.GetValue<string>(), body["secret"]!.GetValue<string>());
        }

        var (firstTracking, firstSecret) = await SubmitAsync(Wages, here);
        var (secondTracking, secondSecret) = await SubmitAsync(WagesParaphrase, Offset(here.Item1, here.Item2, 60, 60));
        var codes = await host.QueryAsync(db => db.Matters.Where(m => m.TrackingCode == firstTracking || m.TrackingCode == secondTracking)
            .Select(m => new { m.Code, m.TrackingCode }).ToListAsync());
        var first = codes.Single(c => c.TrackingCode == firstTracking).Code;
        var second = codes.Single(c => c.TrackingCode == secondTracking).Code;

        // The dispatcher sees the suggestion and merges through the handling step.
        Assert.Contains(first, Codes((await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{second}/duplicates")))["candidates"]));
        var merged = await StepAsync(host.Client, second, "merge", new { into = first });
        Assert.Equal("merged", merged["status"]!.GetValue<string>());
        Assert.Contains("unmerge", Json.Strings(merged["handling"]!["actions"]));

        // The survivor counts one case with two items (its dispatch and the repeat complaint) and lists the merged matter.
        var survivor = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{first}"));
        Assert.Equal(2, survivor["handling"]!["items"]!.GetValue<int>());
        Assert.Contains(survivor["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "repeat_complaint" && e["data"]!["from"]!.GetValue<string>() == second);
        var ofFirst = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{first}/duplicates"));
        Assert.Equal(second, Assert.Single(ofFirst["merged"]!.AsArray())!["code"]!.GetValue<string>());
        Assert.DoesNotContain(second, Codes(ofFirst["candidates"])); // a merged matter is no candidate any more

        // The unit handles the survivor; the second reporter sees its reply and may give the verdict.
        var handler = await host.ClientForAsync("handler");
        await StepAsync(handler, first, "accept", new { });
        await StepAsync(handler, first, "reply", new { result = "已督促施工单位结清工资" });
        var seen = await Json.ReadAsync(await host.Anonymous.GetAsync($"/api/v1/public/matters/{secondTracking}?secret={secondSecret}"));
        Assert.True(seen["mergedIntoAnother"]!.GetValue<bool>());
        Assert.Equal("replied", seen["status"]!.GetValue<string>());
        Assert.Equal("已督促施工单位结清工资", seen["reply"]!.GetValue<string>());
        Assert.True(seen["canGiveVerdict"]!.GetValue<bool>());

        var verdict = await host.Anonymous.SendAsync(Json.Post($"/api/v1/public/matters/{secondTracking}/verdict", Json.Body(new { secret = secondSecret, verdict = "satisfied" })));
        Assert.Equal(HttpStatusCode.OK, verdict.StatusCode);
        Assert.Equal("closed", (await Json.ReadAsync(verdict))["status"]!.GetValue<string>());

        // The verdict counts on the survivor, which the first reporter follows too.
        var closed = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{first}"));
        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Equal("satisfied", closed["handling"]!["verdict"]!.GetValue<string>());
        Assert.Equal("merged", (await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{second}")))["status"]!.GetValue<string>());
        var firstSeen = await Json.ReadAsync(await host.Anonymous.GetAsync($"/api/v1/public/matters/{firstTracking}?secret={firstSecret}"));
        Assert.Equal("closed", firstSeen["status"]!.GetValue<string>());
        Assert.False(firstSeen["canGiveVerdict"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_unmerge_restores_the_matter_moves_its_followers_back_and_is_audited()
    {
        var here = (35.5100, 106.6400);
        async Task<string> NewAsync(string description, double north) =>
            (await TakeInAsync(host.Client, Matter("路灯不亮", description, Offset(here.Item1, here.Item2, north, 0), category: null)))["code"]!.GetValue<string>();
        var survivor = await NewAsync("小区门口路灯不亮，晚上走路黑漆漆的", 0);
        var middle = await NewAsync("社区门口的路灯不亮了，夜里走路黑漆漆的", 30);
        var early = await NewAsync("门口路灯不亮，晚上黑漆漆的很危险", 60);

        // early → middle, then middle → survivor: early's reporter follows the survivor too.
        await StepAsync(host.Client, early, "merge", new { into = middle });
        await StepAsync(host.Client, middle, "merge", new { into = survivor });
        var links = await host.QueryAsync(db => db.Set<MatterReporterRow>().Join(db.Matters, r => r.SurvivorId, m => m.Id, (r, m) => new { r.MatterId, Survivor = m.Code }).ToListAsync());
        var ids = await host.QueryAsync(db => db.Matters.Where(m => m.Code == early || m.Code == middle).ToDictionaryAsync(m => m.Code, m => m.Id));
        Assert.Equal(survivor, links.Single(l => l.MatterId == ids[early]).Survivor);
        Assert.Equal(survivor, links.Single(l => l.MatterId == ids[middle]).Survivor);
        Assert.Equal(2, (await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{survivor}/duplicates")))["merged"]!.AsArray().Count);

        // Only the center may unmerge: a handler's relation does not allow it (409), an analyst lacks the permission (403).
        await StepAsync(await host.ClientForAsync("handler"), middle, "unmerge", new { }, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.ClientForAsync("analyst")).SendAsync(Json.Post($"/api/v1/matters/{middle}/unmerge", Json.Body(new { })))).StatusCode);

        var restored = await StepAsync(host.Client, middle, "unmerge", new { });
        Assert.Equal("received", restored["status"]!.GetValue<string>());
        Assert.Null(restored["handling"]!["mergedInto"]);
        Assert.Contains(restored["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "unmerged" && e["data"]!["from"]!.GetValue<string>() == survivor);
        var after = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{survivor}"));
        Assert.Equal(0, after["handling"]!["items"]!.GetValue<int>());
        Assert.Contains(after["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "merge_undone" && e["data"]!["matter"]!.GetValue<string>() == middle);

        // early follows middle again; middle follows no one.
        links = await host.QueryAsync(db => db.Set<MatterReporterRow>().Join(db.Matters, r => r.SurvivorId, m => m.Id, (r, m) => new { r.MatterId, Survivor = m.Code }).ToListAsync());
        Assert.Equal(middle, links.Single(l => l.MatterId == ids[early]).Survivor);
        Assert.DoesNotContain(links, l => l.MatterId == ids[middle]);

        var audit = await host.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "matter.unmerged" && a.TargetId == middle).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Contains("\"from\":\"merged\"", entry.Details.Replace(" ", ""));
        Assert.Contains("\"to\":\"received\"", entry.Details.Replace(" ", ""));

        // A matter that is not merged cannot be unmerged: 409, as an RFC 9457 problem.
        var again = await host.Client.SendAsync(Json.Post($"/api/v1/matters/{middle}/unmerge", Json.Body(new { })));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("/illegal-transition", (await Json.ReadAsync(again))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Matters_without_a_signature_are_signed_by_the_backfill()
    {
        var here = (35.5000, 106.7200);
        var first = (await TakeInAsync(host.Client, Matter("工地欠薪", Wages, here)))["code"]!.GetValue<string>();
        var id = await host.QueryAsync(db => db.Matters.Where(m => m.Code == first).Select(m => m.Id).SingleAsync());
        Assert.Equal(1, await host.QueryAsync(db => db.Set<MatterSignatureRow>().Where(s => s.MatterId == id).ExecuteDeleteAsync()));
        // An older version of the measure is re-signed too.
        var second = (await TakeInAsync(host.Client, Matter("工人讨薪", WagesParaphrase, Offset(here.Item1, here.Item2, 50, 0))))["code"]!.GetValue<string>();
        var secondId = await host.QueryAsync(db => db.Matters.Where(m => m.Code == second).Select(m => m.Id).SingleAsync());
        await host.QueryAsync(db => db.Set<MatterSignatureRow>().Where(s => s.MatterId == secondId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, 0)));
        Assert.DoesNotContain(first, Codes((await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{second}/duplicates")))["candidates"]));

        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<SignatureBackfill>().RunAsync(1, CancellationToken.None));
        }

        Assert.Equal(MinHash.Version, await host.QueryAsync(db => db.Set<MatterSignatureRow>().Where(s => s.MatterId == secondId).Select(s => s.Version).SingleAsync()));
        Assert.Contains(first, Codes((await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{second}/duplicates")))["candidates"]));
    }
}
