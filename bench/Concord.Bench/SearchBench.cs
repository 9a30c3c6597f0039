using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Domain.Text;
using Concord.Server.Features.Search;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Concord.Bench;

/// <summary>
/// Scenario 3: search on the matter list at scale. Bulk-loads N synthetic matters (texts from the
/// category names, the Pingliang places and a phrase bank) with their index terms into each store,
/// using the server's own index DDL (<see cref="SearchIndexSql"/>) and query syntax
/// (<see cref="SearchIndex.Fts5Query"/>, <see cref="SearchIndex.TsQuery"/>), then times the list
/// query the server runs for q (ranked, first page of 50 + 1), with and without a county filter.
/// </summary>
public static class SearchBench
{
    private const int PageSize = 51;
    private const string FilterCounty = "620821"; // 泾川县: one of seven counties

    private static readonly string[] Queries = ["欠薪", "噪音", "漏水", "占道经营", "物业费", "小区 噪音", "拖欠工资", "违建", "消防隐患", "暖气不热"];

    private static readonly string[] Openers = ["居民来电反映：", "网格员上报：", "群众反映，", "来电人称，", "市民通过12345热线反映：", "业主反映，"];

    private static readonly string[] Issues =
    [
        "小区楼上卫生间漏水，天花板渗水严重，", "夜间施工噪音扰民，影响休息，", "工地拖欠薪资三个月，工人讨薪无果，",
        "公司欠薪问题一直没有解决，", "商户占道经营，影响行人通行，", "物业费收取不合理，物业服务差，",
        "有人私搭乱建违建，占用公共绿地，", "路灯不亮，晚上出行不便，", "下水道堵塞，污水外溢，", "广场舞噪音太大，",
        "楼道堆物存在消防隐患，", "电动车飞线充电存在安全隐患，", "餐馆油烟扰民，", "垃圾清运不及时，异味很大，",
        "道路破损坑洼，雨天积水，", "邻里纠纷，因宅基地边界发生争执，", "预付卡商家跑路，退费难，", "暖气不热，室温过低，",
        "停水两天没有通知，", "流浪犬伤人，", "农民工工资被拖欠，多次讨要未果，", "拖欠工资已有半年，", "水管爆裂，楼下被淹，",
    ];

    private static readonly string[] Requests = ["请求有关部门尽快处理。", "希望尽快协调解决。", "要求给予答复。", "请相关单位核实处理。"];

    private sealed record Place(string County, string TownshipCode, string Township, string Community);

    private sealed record Synthetic(long Id, string Status, Place Place, DateTime ReceivedAt, string Title, string Description, string Terms);

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var places = ReadPlaces(Path.Combine(options.Repo, "src", "Concord.Server", "ReferenceData", "pingliang-divisions.csv"));
        var categories = ReadCategoryNames(Path.Combine(options.Repo, "src", "Concord.Server", "ReferenceData", "categories.json"));
        var sw = Stopwatch.StartNew();
        ChineseText.WarmUp();
        var cache = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        // Every piece ends at punctuation, so a text's index terms are exactly its pieces' terms: cut each piece once.
        string Terms(string piece) => cache.GetOrAdd(piece, p => string.Join(' ', ChineseText.IndexTerms(p)));
        var stores = new JsonObject();
        report.Json["stores"] = stores;
        report.Json["queries"] = new JsonArray(Queries.Select(q => (JsonNode)q).ToArray());
        Console.WriteLine($"search: {options.Matters} synthetic matters, {places.Count} places, {categories.Count} categories");

        IEnumerable<Synthetic> Generate()
        {
            var random = new Random(42);
            var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            string[] statuses = ["received", "dispatched", "accepted", "replied", "closed"];
            for (long id = 1; id <= options.Matters; id++)
            {
                var place = places[random.Next(places.Count)];
                var category = categories[random.Next(categories.Count)];
                var issue = Issues[random.Next(Issues.Length)];
                var second = random.Next(3) == 0 ? Issues[random.Next(Issues.Length)] : "";
                var opener = Openers[random.Next(Openers.Length)];
                var request = Requests[random.Next(Requests.Length)];
                var titlePlace = place.Community + "：";
                var titleIssue = category + "问题";
                var title = titlePlace + titleIssue;
                var description = opener + place.Township + "，" + place.Community + "，" + issue + second + request;
                var terms = string.Join(' ', new[] { titlePlace, titleIssue, opener, place.Township + "，", place.Community + "，", issue, second, request }.Where(p => p.Length > 0).Select(Terms));
                yield return new Synthetic(id, statuses[random.Next(statuses.Length)], place, start.AddSeconds(id * 60), title, description, terms);
            }
        }

        var rows = new List<string[]>();
        var perQuery = new List<string[]>();
        foreach (var store in options.Stores)
        {
            var json = new JsonObject();
            stores[store] = json;
            if (store == "sqlite")
            {
                var file = Path.Combine(Path.GetTempPath(), $"concord-search-bench-{Guid.NewGuid():N}.db");
                try
                {
                    var connectionString = $"Data Source={file}";
                    sw.Restart();
                    await LoadSqliteAsync(connectionString, Generate());
                    json["loadSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1);
                    json["fileMegabytes"] = Math.Round(new FileInfo(file).Length / 1048576.0, 1);
                    Console.WriteLine($"sqlite: loaded in {sw.Elapsed.TotalSeconds:0.0} s, {json["fileMegabytes"]} MB");
                    await using var connection = new SqliteConnection(connectionString);
                    await connection.OpenAsync();
                    await MeasureAsync("SQLite (FTS5, bm25)", connection, SqliteSql, q => SearchIndex.Fts5Query(q), options, json, rows, perQuery);
                }
                finally
                {
                    SqliteConnection.ClearAllPools();
                    foreach (var f in new[] { file, file + "-wal", file + "-shm" })
                    {
                        File.Delete(f);
                    }
                }
            }
            else
            {
                await using var cluster = await PostgresCluster.StartAsync();
                report.Machine["postgres"] = cluster.Version;
                await cluster.CreateDatabaseAsync("search");
                var connectionString = cluster.ConnectionString("search");
                sw.Restart();
                var (copySeconds, indexSeconds) = await LoadPostgresAsync(connectionString, Generate());
                json["loadSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1);
                json["copySeconds"] = Math.Round(copySeconds, 1);
                json["indexSeconds"] = Math.Round(indexSeconds, 1);
                Console.WriteLine($"postgres: loaded in {sw.Elapsed.TotalSeconds:0.0} s (COPY {copySeconds:0.0} s, tsvector + GIN {indexSeconds:0.0} s)");
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using (var size = new NpgsqlCommand("SELECT pg_database_size(current_database()) / 1048576.0", connection))
                {
                    json["databaseMegabytes"] = Math.Round(Convert.ToDouble(await size.ExecuteScalarAsync(), CultureInfo.InvariantCulture), 1);
                }

                await MeasureAsync("PostgreSQL (tsvector + GIN, ts_rank)", connection, PostgresSql, q => SearchIndex.TsQuery(q), options, json, rows, perQuery);
            }
        }

        report.Table($"Search: the ranked first page (50) of GET /api/v1/matters?q=… over {Report.F0(options.Matters)} matters, {options.Repeats} runs of each of {Queries.Length} queries (ms)",
            ["store", "filter", "p50", "p95", "p99", "max"], rows);
        report.Table("Search: per query (ms, p50 / p95) and how many matters match", ["store", "filter", "query", "matches", "p50", "p95"], perQuery);
        report.Note($"Queries: {string.Join("、", Queries)}. Filter: territory={FilterCounty} (泾川县). Timed: the store's query (match, filter, rank, order, first 51 rows) as the server sends it, from a warm connection; not HTTP, JSON or snippets. Texts: synthetic, from the {categories.Count} category names, the Pingliang divisions and a phrase bank of {Issues.Length} issues.");
    }

    private static string SqliteSql(bool filtered) =>
        "SELECT m.Id, m.Title, m.Description, h.Rank FROM matters AS m INNER JOIN (SELECT rowid AS MatterId, -bm25(matter_search_fts) AS Rank FROM matter_search_fts WHERE matter_search_fts MATCH $q) AS h ON m.Id = h.MatterId"
        + (filtered ? " WHERE m.CountyCode = $county" : "") + $" ORDER BY h.Rank DESC, m.Id DESC LIMIT {PageSize}";

    private static string PostgresSql(bool filtered) =>
        "SELECT m.\"Id\", m.\"Title\", m.\"Description\", h.\"Rank\" FROM matters AS m INNER JOIN (SELECT \"MatterId\", ts_rank(document, to_tsquery('simple', $1))::float8 AS \"Rank\" FROM matter_search WHERE document @@ to_tsquery('simple', $1)) AS h ON m.\"Id\" = h.\"MatterId\""
        + (filtered ? " WHERE m.\"CountyCode\" = $2" : "") + $" ORDER BY h.\"Rank\" DESC, m.\"Id\" DESC LIMIT {PageSize}";

    private static async Task MeasureAsync(string label, DbConnection connection, Func<bool, string> sql, Func<SearchQuery, string> syntax, BenchOptions options, JsonObject json, List<string[]> rows, List<string[]> perQuery)
    {
        var filters = new JsonObject();
        json["filters"] = filters;
        foreach (var filtered in new[] { false, true })
        {
            var all = new List<double>();
            var queries = new JsonObject();
            foreach (var text in Queries)
            {
                var query = SearchQuery.Parse(text).Query!;
                var times = new List<double>();
                var matches = await CountAsync(connection, sql(filtered), syntax(query), filtered);
                for (var i = 0; i < options.Repeats + 2; i++)
                {
                    var sw = Stopwatch.StartNew();
                    await using var command = Command(connection, sql(filtered), syntax(query), filtered);
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        _ = reader.GetString(2);
                    }

                    if (i >= 2) // the first two runs warm the cache
                    {
                        times.Add(sw.Elapsed.TotalMilliseconds);
                    }
                }

                all.AddRange(times);
                times.Sort();
                queries[text] = new JsonObject { ["matches"] = matches, ["p50"] = Math.Round(P(times, 0.50), 2), ["p95"] = Math.Round(P(times, 0.95), 2) };
                perQuery.Add([label, filtered ? FilterCounty : "—", text, Report.F0(matches), Report.F1(P(times, 0.50)), Report.F1(P(times, 0.95))]);
            }

            all.Sort();
            filters[filtered ? FilterCounty : "none"] = new JsonObject
            {
                ["p50"] = Math.Round(P(all, 0.50), 2), ["p95"] = Math.Round(P(all, 0.95), 2), ["p99"] = Math.Round(P(all, 0.99), 2), ["max"] = Math.Round(all[^1], 2), ["queries"] = queries,
            };
            rows.Add([label, filtered ? $"territory={FilterCounty}" : "none", Report.F1(P(all, 0.50)), Report.F1(P(all, 0.95)), Report.F1(P(all, 0.99)), Report.F1(all[^1])]);
            Console.WriteLine($"{label}, filter {(filtered ? FilterCounty : "none")}: p50 {P(all, 0.5):0.0} ms, p95 {P(all, 0.95):0.0} ms, p99 {P(all, 0.99):0.0} ms");
        }
    }

    private static async Task<long> CountAsync(DbConnection connection, string sql, string match, bool filtered)
    {
        var count = "SELECT count(*) FROM (" + sql[..sql.IndexOf(" ORDER BY", StringComparison.Ordinal)] + ") AS c";
        await using var command = Command(connection, count, match, filtered);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbConnection connection, string sql, string match, bool filtered)
    {
        if (connection is SqliteConnection sqlite)
        {
            var command = sqlite.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$q", match);
            if (filtered)
            {
                command.Parameters.AddWithValue("$county", FilterCounty);
            }

            return command;
        }

        var pg = new NpgsqlCommand(sql, (NpgsqlConnection)connection);
        pg.Parameters.Add(new NpgsqlParameter { Value = match });
        if (filtered)
        {
            pg.Parameters.Add(new NpgsqlParameter { Value = FilterCounty });
        }

        return pg;
    }

    private static double P(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>One transaction, two prepared statements; the FTS5 table fills through the server's triggers, as in production.</summary>
    private static async Task LoadSqliteAsync(string connectionString, IEnumerable<Synthetic> matters)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var ddl = connection.CreateCommand())
        {
            ddl.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE matters (Id INTEGER PRIMARY KEY, Status TEXT NOT NULL, CountyCode TEXT, TownshipCode TEXT, ReceivedAt TEXT NOT NULL, Title TEXT NOT NULL, Description TEXT NOT NULL);
                CREATE INDEX IX_matters_CountyCode_ReceivedAt_Id ON matters (CountyCode, ReceivedAt, Id);
                CREATE TABLE matter_search (MatterId INTEGER NOT NULL CONSTRAINT PK_matter_search PRIMARY KEY, Terms TEXT NOT NULL);
                """ + SearchIndexSql.SqliteUp;
            await ddl.ExecuteNonQueryAsync();
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insertMatter = connection.CreateCommand();
        insertMatter.CommandText = "INSERT INTO matters VALUES ($id, $status, $county, $township, $at, $title, $description)";
        var p = new[] { "$id", "$status", "$county", "$township", "$at", "$title", "$description" }.Select(n => insertMatter.Parameters.Add(n, SqliteType.Text)).ToArray();
        p[0].SqliteType = SqliteType.Integer;
        insertMatter.Prepare();
        await using var insertTerms = connection.CreateCommand();
        insertTerms.CommandText = "INSERT INTO matter_search VALUES ($id, $terms)";
        var tid = insertTerms.Parameters.Add("$id", SqliteType.Integer);
        var terms = insertTerms.Parameters.Add("$terms", SqliteType.Text);
        insertTerms.Prepare();
        foreach (var m in matters)
        {
            p[0].Value = m.Id;
            p[1].Value = m.Status;
            p[2].Value = m.Place.County;
            p[3].Value = m.Place.TownshipCode;
            p[4].Value = m.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            p[5].Value = m.Title;
            p[6].Value = m.Description;
            insertMatter.ExecuteNonQuery();
            tid.Value = m.Id;
            terms.Value = m.Terms;
            insertTerms.ExecuteNonQuery();
            if (m.Id % 100_000 == 0)
            {
                Console.WriteLine($"sqlite: {m.Id} loaded");
            }
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Binary COPY of both tables, then the server's tsvector column and GIN index over the loaded rows.</summary>
    private static async Task<(double Copy, double Index)> LoadPostgresAsync(string connectionString, IEnumerable<Synthetic> matters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var ddl = new NpgsqlCommand("""
            CREATE TABLE matters ("Id" bigint PRIMARY KEY, "Status" text NOT NULL, "CountyCode" text, "TownshipCode" text, "ReceivedAt" timestamptz NOT NULL, "Title" text NOT NULL, "Description" text NOT NULL);
            CREATE TABLE matter_search ("MatterId" bigint PRIMARY KEY, "Terms" text NOT NULL);
            """, connection))
        {
            await ddl.ExecuteNonQueryAsync();
        }

        var sw = Stopwatch.StartNew();
        // Two COPY streams cannot share one connection: the terms go to a second one, row for row.
        await using var second = new NpgsqlConnection(connectionString);
        await second.OpenAsync();
        await using (var matterCopy = await connection.BeginBinaryImportAsync("COPY matters FROM STDIN (FORMAT BINARY)"))
        await using (var termCopy = await second.BeginBinaryImportAsync("COPY matter_search FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var m in matters)
            {
                await matterCopy.StartRowAsync();
                await matterCopy.WriteAsync(m.Id, NpgsqlDbType.Bigint);
                await matterCopy.WriteAsync(m.Status, NpgsqlDbType.Text);
                await matterCopy.WriteAsync(m.Place.County, NpgsqlDbType.Text);
                await matterCopy.WriteAsync(m.Place.TownshipCode, NpgsqlDbType.Text);
                await matterCopy.WriteAsync(m.ReceivedAt, NpgsqlDbType.TimestampTz);
                await matterCopy.WriteAsync(m.Title, NpgsqlDbType.Text);
                await matterCopy.WriteAsync(m.Description, NpgsqlDbType.Text);
                await termCopy.StartRowAsync();
                await termCopy.WriteAsync(m.Id, NpgsqlDbType.Bigint);
                await termCopy.WriteAsync(m.Terms, NpgsqlDbType.Text);
                if (m.Id % 100_000 == 0)
                {
                    Console.WriteLine($"postgres: {m.Id} copied");
                }
            }

            await matterCopy.CompleteAsync();
            await termCopy.CompleteAsync();
        }

        var copy = sw.Elapsed.TotalSeconds;
        sw.Restart();
        await using (var index = new NpgsqlCommand(
            "CREATE INDEX \"IX_matters_CountyCode_ReceivedAt_Id\" ON matters (\"CountyCode\", \"ReceivedAt\", \"Id\"); SET maintenance_work_mem = '256MB'; " + SearchIndexSql.PostgresUp + " ANALYZE;", connection) { CommandTimeout = 0 })
        {
            await index.ExecuteNonQueryAsync();
        }

        return (copy, sw.Elapsed.TotalSeconds);
    }

    /// <summary>Every community of the Pingliang divisions with its township (code and name) and county.</summary>
    private static List<Place> ReadPlaces(string csv)
    {
        var rows = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).Where(f => f.Length >= 4).ToList();
        var byCode = rows.ToDictionary(f => f[0], f => (Name: f[1], Level: f[2], Parent: f[3]));
        var places = rows.Where(f => f[2] == "community" && byCode.TryGetValue(f[3], out var t) && t.Level == "township")
            .Select(f => new Place(byCode[f[3]].Parent, f[3], byCode[f[3]].Name, f[1]))
            .ToList();
        return places.Count > 0 ? places : throw new InvalidOperationException("no communities in " + csv);
    }

    private static List<string> ReadCategoryNames(string json)
    {
        var names = new List<string>();
        void Walk(JsonNode? node)
        {
            if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Walk(item);
                }
            }
            else if (node is JsonObject obj)
            {
                if (obj["name"]?.GetValue<string>() is { } name && obj["children"] is not JsonArray { Count: > 0 })
                {
                    names.Add(name);
                }

                Walk(obj["children"]);
            }
        }

        var root = JsonNode.Parse(File.ReadAllText(json));
        Walk(root is JsonObject o && o["categories"] is { } c ? c : root);
        return names;
    }
}
