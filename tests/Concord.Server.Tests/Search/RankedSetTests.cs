using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Search;

/// <summary>A SQLite demo host that ranks only the newest 3 matches of a search (Concord:Search:RankedAmong).</summary>
public sealed class SqliteRankedSetHost : SqliteHost
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concord:Search:RankedAmong"] = "3" };
}

/// <summary>The PostgreSQL twin of <see cref="SqliteRankedSetHost"/>.</summary>
public sealed class PostgresRankedSetHost : PostgresHost
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concord:Search:RankedAmong"] = "3" };
}

public sealed class RankedSetTestsOnSqlite(SqliteRankedSetHost host) : RankedSetTests<SqliteRankedSetHost>(host);

public sealed class RankedSetTestsOnPostgres(PostgresRankedSetHost host) : RankedSetTests<PostgresRankedSetHost>(host);

/// <summary>
/// A search that matches more matters than it ranks (here 3): the newest matches in scope and
/// filters are ranked, the answer says so, pages neither repeat nor skip, and sort=received reaches
/// every match. Each test marks its matters with its own word the demo never uses.
/// </summary>
public abstract class RankedSetTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const double KongtongLat = 35.54, KongtongLon = 106.68;

    private async Task<string> TakeInAsync(string title, string description, string? territoryCode = null)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal",
            channel = "hotline",
            title,
            description,
            categoryCode = "020101",
            location = territoryCode is null ? new { lat = KongtongLat, lon = KongtongLon } : null,
            territoryCode,
        })));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    private static async Task<JsonNode> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/matters?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    /// <summary>Every page of a list, following nextCursor; the rankedAmong of each page too.</summary>
    private static async Task<(List<string> Codes, List<int?> RankedAmong)> AllPagesAsync(HttpClient client, string query)
    {
        var (codes, among) = (new List<string>(), new List<int?>());
        string? cursor = null;
        do
        {
            var page = await ListAsync(client, query + (cursor is null ? "" : "&cursor=" + cursor));
            codes.AddRange(Codes(page));
            among.Add(page["rankedAmong"]?.GetValue<int>());
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return (codes, among);
    }

    private static string[] Codes(JsonNode page) => page["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).ToArray();

    private static string Q(string q) => "q=" + Uri.EscapeDataString(q);

    // The strong match says the word often in a short text; the weak ones once in a long one.
    private static string Strong(string word) => $"{word}噪音：夜间噪音，噪音扰民。";

    private static string Weak(string word) => $"{word}小区物业管理混乱，停车位不足，绿化带被占，垃圾清运不及时，楼下偶尔有些噪音，希望有关部门尽快协调解决。";

    [Fact]
    public async Task Only_the_newest_matches_are_ranked_the_answer_says_so_and_pages_neither_repeat_nor_skip()
    {
        var oldStrong = await TakeInAsync("孔雀小区噪音", Strong("孔雀"));
        var oldWeak = await TakeInAsync("孔雀小区情况", Weak("孔雀"));
        var weak1 = await TakeInAsync("孔雀小区反映", Weak("孔雀"));
        var strong = await TakeInAsync("孔雀噪音扰民", Strong("孔雀"));
        var weak2 = await TakeInAsync("孔雀物业问题", Weak("孔雀"));

        var first = await ListAsync(host.Client, Q("孔雀 噪音"));
        Assert.Equal(3, first["rankedAmong"]!.GetValue<int>());
        var codes = Codes(first);
        // The newest three, the strong one first; the older strong match is not among the ranked.
        Assert.Equal(strong, codes[0]);
        Assert.Equal(new[] { strong, weak1, weak2 }.Order().ToArray(), codes.Order().ToArray());
        Assert.DoesNotContain(oldStrong, codes);
        Assert.DoesNotContain(oldWeak, codes);

        // One matter a page: the cursor carries the ranked set, so each of the three comes exactly once, in the same order.
        var (paged, among) = await AllPagesAsync(host.Client, Q("孔雀 噪音") + "&limit=1");
        Assert.Equal(codes, paged.ToArray());
        Assert.All(among, a => Assert.Equal(3, a));

        // A query the cap does not reach ranks all its matches and says nothing about a cap.
        var selective = await ListAsync(host.Client, Q("孔雀 扰民"));
        Assert.Equal(new[] { strong, oldStrong }.Order().ToArray(), Codes(selective).Order().ToArray());
        Assert.Null(selective["rankedAmong"]);
    }

    [Fact]
    public async Task Sorted_by_time_every_match_is_reached_newest_first_with_its_snippet()
    {
        var made = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            made.Add(await TakeInAsync($"白鹭路第{i}号噪音", i % 2 == 0 ? Strong("白鹭") : Weak("白鹭")));
        }

        var (paged, among) = await AllPagesAsync(host.Client, Q("白鹭 噪音") + "&sort=received&limit=2");
        made.Reverse();
        Assert.Equal(made, paged);
        Assert.All(among, Assert.Null);

        var page = await ListAsync(host.Client, Q("白鹭") + "&sort=received&limit=1");
        Assert.Contains("<mark>白鹭</mark>", page["items"]![0]!["snippet"]!.GetValue<string>());

        // A ranked cursor is not a time cursor, and an unknown order is refused naming sort.
        var ranked = await ListAsync(host.Client, Q("白鹭") + "&limit=1");
        var mixed = await host.Client.GetAsync("/api/v1/matters?" + Q("白鹭") + "&sort=received&cursor=" + ranked["nextCursor"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.NotNull((await Json.ReadAsync(mixed))["errors"]!["cursor"]);
        var unknown = await host.Client.GetAsync("/api/v1/matters?" + Q("白鹭") + "&sort=oldest");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.NotNull((await Json.ReadAsync(unknown))["errors"]!["sort"]);
    }

    [Fact]
    public async Task The_ranked_set_is_taken_within_the_filters_and_the_scope()
    {
        // Two matches in 东关 (the township official's scope), then four newer ones in 泾川.
        var dongguan = new[]
        {
            await TakeInAsync("天鹅巷占道经营", "东关街道天鹅巷商贩占道经营。", territoryCode: "620802001"),
            await TakeInAsync("天鹅巷夜市噪音", "东关街道天鹅巷夜市占道经营。", territoryCode: "620802001"),
        };
        var jingchuan = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            jingchuan.Add(await TakeInAsync($"天鹅湾第{i}处占道", "泾川县天鹅湾占道经营。", territoryCode: "620821"));
        }

        // Everyone's newest three are in 泾川; within 东关 (filter or scope) both matches are ranked, with no cap.
        var all = await ListAsync(host.Client, Q("天鹅 占道"));
        Assert.Equal(3, all["rankedAmong"]!.GetValue<int>());
        Assert.Subset(jingchuan.ToHashSet(), Codes(all).ToHashSet());

        var filtered = await ListAsync(host.Client, Q("天鹅 占道") + "&territory=620802");
        Assert.Equal(dongguan.Order().ToArray(), Codes(filtered).Order().ToArray());
        Assert.Null(filtered["rankedAmong"]);

        var township = await host.ClientForAsync("township");
        var scoped = await ListAsync(township, Q("天鹅 占道"));
        Assert.Equal(dongguan.Order().ToArray(), Codes(scoped).Order().ToArray());
        Assert.Null(scoped["rankedAmong"]);

        // In 泾川 the newest three of four are ranked; sorted by time all four are reached.
        var (ranked, among) = await AllPagesAsync(host.Client, Q("天鹅 占道") + "&territory=620821&limit=2");
        Assert.Equal(jingchuan.Skip(1).Order().ToArray(), ranked.Order().ToArray());
        Assert.All(among, a => Assert.Equal(3, a));
        var (byTime, _) = await AllPagesAsync(host.Client, Q("天鹅 占道") + "&territory=620821&sort=received&limit=3");
        Assert.Equal(Enumerable.Reverse(jingchuan).ToArray(), byTime.ToArray());
    }
}
