using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Matters;

public sealed class IntakeTestsOnSqlite(SqliteHost host) : IntakeTests<SqliteHost>(host);

public sealed class IntakeTestsOnPostgres(PostgresHost host) : IntakeTests<PostgresHost>(host);

/// <summary>Intake through the real API, against each real store, on the Pingliang demo.</summary>
public abstract class IntakeTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    // A point in 崆峒区's seat (the demo's county seat), inside a synthetic grid.
    private const double KongtongLat = 35.54, KongtongLon = 106.68;

    protected THost Host => host;

    private static object WageArrears(string title = "工地老板欠薪三个月", object? location = null) => new
    {
        kind = "appeal",
        channel = "hotline",
        title,
        description = "某建筑工地老板欠薪三个月，二十多名工人讨薪无果。",
        categoryCode = "020101",
        location = location ?? new { lat = KongtongLat, lon = KongtongLon },
        occurredAt = "2026-11-20T10:00:00+08:00",
        reporter = new { name = "张三", phone = "13812345678" },
    };

    [Fact]
    public async Task Health_is_ready_and_the_API_is_described()
    {
        var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = await Json.ReadAsync(health);
        Assert.Equal("ready", body["status"]!.GetValue<string>());
        Assert.True(body["indexedPolygons"]!.GetValue<int>() >= 4500);

        var openApi = await host.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/matters", openApi);
        Assert.Contains("/api/v1/territories/import/geojson", openApi);

        var reference = await host.Client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("text/html", reference.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task A_matter_in_Kongtong_is_located_to_its_grid_categorized_and_routed_with_its_rule()
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(WageArrears())));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var matter = await Json.ReadAsync(response);

        var code = matter["code"]!.GetValue<string>();
        Assert.Matches(@"^20261126-\d{8}$", code);
        Assert.Equal($"/api/v1/matters/{code}", response.Headers.Location!.OriginalString);

        var chain = matter["place"]!["chain"]!.AsArray();
        Assert.Equal(["city", "county", "township", "community", "grid"], chain.Select(c => c!["level"]!.GetValue<string>()).ToArray());
        Assert.Equal("620800", chain[0]!["code"]!.GetValue<string>());
        Assert.Equal("620802", chain[1]!["code"]!.GetValue<string>());
        Assert.Equal("崆峒区", chain[1]!["name"]!.GetValue<string>());
        var grid = chain[4]!["code"]!.GetValue<string>();
        Assert.StartsWith(chain[3]!["code"]!.GetValue<string>(), grid);
        Assert.Equal(15, grid.Length);
        Assert.False(matter["place"]!["unmatched"]!.GetValue<bool>());

        Assert.Equal("020101", matter["category"]!["code"]!.GetValue<string>());
        var routing = matter["routing"]!;
        Assert.Equal("rule", routing["basis"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(routing["leadUnit"]!["code"]!.GetValue<string>()));
        var ruleId = routing["rule"]!["id"]!.GetValue<string>();
        Assert.Contains(ruleId, routing["explanation"]!.GetValue<string>());

        // Personal data is masked in every answer.
        Assert.Equal("张*", matter["reporter"]!["name"]!.GetValue<string>());
        Assert.Equal("138****5678", matter["reporter"]!["phone"]!.GetValue<string>());

        var read = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{code}"));
        Assert.Equal(code, read["code"]!.GetValue<string>());
        Assert.Equal(grid, read["place"]!["code"]!.GetValue<string>());
        Assert.Equal(ruleId, read["routing"]!["rule"]!["id"]!.GetValue<string>());
        var timeline = read["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToArray();
        Assert.Equal(["received", "located", "categorized", "routed"], timeline.Take(4).ToArray());
        Assert.Equal(ruleId, read["timeline"]![3]!["data"]!["ruleId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_most_specific_rule_wins_and_the_explain_endpoint_shows_what_it_overrode()
    {
        var explained = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/routing/explain?category=020101&lat={KongtongLat}&lon={KongtongLon}"));
        var candidates = explained["candidates"]!.AsArray();
        Assert.True(candidates.Count >= 2, "a county rule and a city rule both apply to wage arrears in 崆峒区");
        Assert.Equal(explained["rule"]!["id"]!.GetValue<string>(), candidates[0]!["id"]!.GetValue<string>());
        Assert.Equal("620802", candidates[0]!["territoryCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_point_outside_every_grid_falls_to_the_nearest_county_and_is_flagged()
    {
        // North of the city, beyond every polygon; 静宁县 lies in the north-west, 崆峒区 in the north-east.
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(WageArrears("城外欠薪", new { lat = 36.2, lon = 106.7 }))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var matter = await Json.ReadAsync(response);
        Assert.True(matter["place"]!["unmatched"]!.GetValue<bool>());
        Assert.Equal("nearest_county", matter["place"]!["match"]!.GetValue<string>());
        Assert.Equal("county", matter["place"]!["level"]!.GetValue<string>());
        Assert.Equal("620802", matter["place"]!["code"]!.GetValue<string>());
        Assert.Equal("located", matter["timeline"]![1]!["type"]!.GetValue<string>());
        Assert.True(matter["timeline"]![1]!["data"]!["unmatched"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Without_a_rule_the_territory_government_leads_and_without_a_category_the_dispatcher_decides()
    {
        // 邻里纠纷 (06) has no rule outside three 崆峒区 townships: 属地兜底 to the township government.
        var township = "620821100"; // a town of 泾川县
        var fallback = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "dispute", channel = "walkin", title = "邻居占用楼道", description = "邻居长期在楼道堆放杂物，协商无果。",
            categoryCode = "06", territoryCode = township,
            parties = new[] { new { name = "李四", phone = (string?)"13900001111", role = "申请人" }, new { name = "王五", phone = (string?)null, role = "被申请人" } },
        }))));
        Assert.Equal("territory_fallback", fallback["routing"]!["basis"]!.GetValue<string>());
        Assert.Equal($"{township}.gov", fallback["routing"]!["leadUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("code", fallback["place"]!["match"]!.GetValue<string>());
        Assert.Equal("李*", fallback["parties"]![0]!["name"]!.GetValue<string>());

        var undecided = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "portal", title = "反映一个问题", description = "小区门口路灯不亮已经一周。", address = "平凉市崆峒区东关街道",
        }))));
        Assert.Equal("received", undecided["status"]!.GetValue<string>());
        Assert.Equal("undecided", undecided["routing"]!["basis"]!.GetValue<string>());
        Assert.Null(undecided["routing"]!["leadUnit"]);
        Assert.Equal("620802001", undecided["place"]!["code"]!.GetValue<string>());
        Assert.Equal("address", undecided["place"]!["match"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_idempotency_key_returns_the_first_result_and_never_creates_a_second_matter()
    {
        var key = $"retry-{Guid.NewGuid()}";
        var payload = System.Text.Json.JsonSerializer.Serialize(WageArrears("重试不重复"));
        var first = await host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent(payload, Encoding.UTF8, "application/json"), idempotencyKey: key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await host.CountRowsAsync();

        var again = await host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent(payload, Encoding.UTF8, "application/json"), idempotencyKey: key));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());

        var different = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(WageArrears("换了内容")), idempotencyKey: key));
        Assert.Equal((HttpStatusCode)422, different.StatusCode);
        Assert.Equal("application/problem+json", different.Content.Headers.ContentType!.MediaType);

        Assert.Equal(before, await host.CountRowsAsync());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_create_one_matter()
    {
        var key = $"burst-{Guid.NewGuid()}";
        var payload = System.Text.Json.JsonSerializer.Serialize(WageArrears("并发重试"));
        var before = await host.CountRowsAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent(payload, Encoding.UTF8, "application/json"), idempotencyKey: key))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var codes = await Task.WhenAll(responses.Select(async r => (await Json.ReadAsync(r))["code"]!.GetValue<string>()));
        Assert.Single(codes.Distinct());
        var after = await host.CountRowsAsync();
        Assert.Equal(before.Matters + 1, after.Matters);
        Assert.Equal(before.Keys + 1, after.Keys);
    }

    public static TheoryData<string, string, string, int, string> BadInputs => new()
    {
        // name, content type, body, status, the field (or problem type) the answer must name
        { "malformed JSON", "application/json", "{\"kind\": \"appeal\", ", 400, "malformed-json" },
        { "not an object", "application/json", "[1,2]", 400, "malformed-json" },
        { "unknown kind", "application/json", Body(kind: "complaint"), 422, "kind" },
        { "unknown category", "application/json", Body(category: "777777"), 422, "categoryCode" },
        { "title too long", "application/json", Body(title: new string('长', 101)), 422, "title" },
        { "latitude 200", "application/json", Body(lat: 200), 422, "location.lat" },
        { "wrong type", "application/json", Body(raw: "\"title\": 42"), 422, "title" },
        { "unknown field", "application/json", Body(raw: "\"categorycode\": \"020101\""), 422, "categorycode" },
        { "no place", "application/json", Body(noPlace: true), 422, "location" },
        { "wrong content type", "text/plain", Body(), 415, "unsupported-media-type" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_with_a_problem_naming_the_fault_and_writes_nothing(string name, string contentType, string body, int status, string names)
    {
        var before = await host.CountRowsAsync();
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent(body, Encoding.UTF8, contentType), idempotencyKey: $"bad-{Guid.NewGuid()}"));
        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        var named = problem["type"]!.GetValue<string>().EndsWith(names, StringComparison.Ordinal) || problem["errors"]?[names] is not null;
        Assert.True(named, $"{name}: the problem does not name '{names}': {problem.ToJsonString()}");
        Assert.Equal(before, await host.CountRowsAsync());
    }

    [Fact]
    public async Task A_ten_megabyte_body_is_refused_with_413_and_writes_nothing()
    {
        var before = await host.CountRowsAsync();
        var huge = Body(description: new string('长', 10 * 1024 * 1024 / 3));
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent(huge, Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await host.CountRowsAsync());
    }

    [Fact]
    public async Task Problems_speak_the_callers_language_and_name_every_bad_field()
    {
        var body = Body(kind: "complaint", title: new string('长', 101), lat: 200);
        var zh = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent(body, Encoding.UTF8, "application/json"))));
        var en = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent(body, Encoding.UTF8, "application/json"), language: "en-US")));

        Assert.Equal("提交的内容有误，请按提示修改", zh["title"]!.GetValue<string>());
        Assert.Equal("The request has invalid fields", en["title"]!.GetValue<string>());
        foreach (var field in new[] { "kind", "title", "location.lat" })
        {
            Assert.NotNull(zh["errors"]![field]);
            Assert.NotNull(en["errors"]![field]);
        }

        Assert.Contains("100", en["errors"]!["title"]![0]!.GetValue<string>());
        Assert.Contains("个字符", zh["errors"]!["title"]![0]!.GetValue<string>());
        Assert.Contains("appeal", en["errors"]!["kind"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_list_filters_by_territory_subtree_and_pages_with_a_stable_keyset()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var m = await Json.ReadAsync(await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
            {
                kind = "hazard", channel = "grid", title = $"井盖缺失{tag}-{i}", description = "人行道井盖缺失，夜间有人掉落风险。",
                categoryCode = "13", territoryCode = "620823100",
            }))));
            created.Add(m["code"]!.GetValue<string>());
        }

        // 崇信县 (620823) contains the township; 崆峒区 does not.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/matters?territory=620823&kind=hazard&limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await Json.ReadAsync(await host.Client.GetAsync(url));
            var items = page["items"]!.AsArray();
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(i => i!["code"]!.GetValue<string>()));
            Assert.All(items, i => Assert.Equal("620823", i!["place"]!["chain"]![1]!["code"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(created.ToHashSet(), seen.ToHashSet());
        // Newest first: codes are date + sequence, so the order is descending.
        var ours = seen.Where(created.Contains).ToList();
        Assert.Equal(created.AsEnumerable().Reverse().ToList(), ours);

        var elsewhere = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/matters?territory=620802&kind=hazard&limit=200"));
        Assert.DoesNotContain(elsewhere["items"]!.AsArray(), i => created.Contains(i!["code"]!.GetValue<string>()));

        var township = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/matters?territory=620823100&category=13&limit=200"));
        Assert.Equal(5, township["items"]!.AsArray().Count(i => created.Contains(i!["code"]!.GetValue<string>())));

        // The period filter: [from, to) on receivedAt (one microsecond: PostgreSQL keeps microseconds).
        var third = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{created[2]}"));
        var receivedAt = third["receivedAt"]!.GetValue<DateTime>().ToUniversalTime();
        var window = $"from={Uri.EscapeDataString(receivedAt.ToString("O"))}&to={Uri.EscapeDataString(receivedAt.AddTicks(10).ToString("O"))}";
        var inWindow = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters?territory=620823100&{window}"));
        Assert.Equal([created[2]], inWindow["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task Bad_list_filters_are_refused_by_name()
    {
        var response = await host.Client.GetAsync("/api/v1/matters?territory=999999&kind=x&cursor=@@@&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        foreach (var field in new[] { "territory", "kind", "cursor", "limit" })
        {
            Assert.NotNull(problem["errors"]![field]);
        }
    }

    [Fact]
    public async Task An_unknown_matter_is_a_localized_404()
    {
        var response = await host.Client.GetAsync("/api/v1/matters/20260101-99999999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    private static string Body(string kind = "appeal", string? category = "020101", string title = "欠薪", string description = "欠薪三个月",
        double lat = KongtongLat, bool noPlace = false, string? raw = null)
    {
        var node = new JsonObject
        {
            ["kind"] = kind,
            ["channel"] = "hotline",
            ["title"] = title,
            ["description"] = description,
            ["categoryCode"] = category,
        };
        if (!noPlace)
        {
            node["location"] = new JsonObject { ["lat"] = lat, ["lon"] = KongtongLon };
        }

        var json = node.ToJsonString();
        if (raw is not null)
        {
            // Replace or add a raw fragment (wrong types, misspelt fields) that JsonObject would not let us write.
            var name = raw[..(raw.IndexOf(':'))].Trim().Trim('"');
            if (node.ContainsKey(name))
            {
                node.Remove(name);
                json = node.ToJsonString();
            }

            json = json[..^1] + "," + raw + "}";
        }

        return json;
    }
}

public sealed class SqliteDurabilityTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task The_SQLite_file_is_in_WAL_mode_with_full_synchronous_commits()
    {
        _ = host.Client;
        Assert.True(File.Exists(host.DatabaseFile));
        var (journal, synchronous) = await host.QueryAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            var mode = (string)(await command.ExecuteScalarAsync())!;
            command.CommandText = "PRAGMA synchronous";
            var sync = (long)(await command.ExecuteScalarAsync())!;
            return (mode, sync);
        });
        Assert.Equal("wal", journal);
        Assert.Equal(2L, synchronous); // FULL
    }
}

public sealed class WithoutDemoTests(NoDemoHost host) : IClassFixture<NoDemoHost>
{
    [Fact]
    public async Task With_the_demo_off_only_the_taxonomy_is_loaded()
    {
        var health = await Json.ReadAsync(await host.Anonymous.GetAsync("/health"));
        Assert.Equal("ready", health["status"]!.GetValue<string>());
        Assert.Equal(0, health["territories"]!.GetValue<int>());
        Assert.True(await host.QueryAsync(db => db.Categories.CountAsync()) > 200);
        Assert.Equal(0, await host.QueryAsync(db => db.Units.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.Users.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.ApiTokens.CountAsync()));
    }
}
