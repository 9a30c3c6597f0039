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
                    await MeasureAsync("SQLite (FTS5, bm25)", connection, q => SearchIndex.Fts5Query(q), options, json, rows, perQuery);
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

                await MeasureAsync("PostgreSQL (tsvector + GIN, ts_rank)", connection, q => SearchIndex.TsQuery(q), options, json, rows, perQuery);
            }
        }

        var names = Variants(options.RankedAmong).Select(v => v.Name).ToArray();
        report.Table($"Search: the first page (50) of GET /api/v1/matters?q=… over {Report.F0(options.Matters)} matters, {options.Repeats} runs of each of {Queries.Length} queries (ms)",
            ["store", "filter", "order", "p50", "p95", "p99", "max"], rows);
        report.Table("Search: per query (ms, p50 / p95 of each order) and how many matters match", ["store", "filter", "query", "matches", .. names.SelectMany(n => new[] { n + " p50", "p95" })], perQuery);
        report.Note($"Queries: {string.Join("、", Queries)}. Filter: territory={FilterCounty} (泾川县). Orders: {string.Join("; ", names)} (run interleaved, query by query). Timed: the store's statements (match, filter, rank, order, first 51 rows) as the server sends them, from a warm connection; not HTTP, JSON or snippets. Texts: synthetic, from the {categories.Count} category names, the Pingliang divisions and a phrase bank of {Issues.Length} issues.");
    }

    /// <summary>
    /// The first page as each way of ordering reads it. "before": every match ranked (the statement
    /// the server sent before the ranked set was bounded, kept here as the reference). "after": the
    /// server's two statements — the id of the K-th newest match in scope, then the matches from that
    /// id ranked — built from the server's own fragments (<see cref="SearchIndex"/>), joined to the
    /// matters as EF joins them. "received": sort=received, newest first with the match as a filter.
    /// </summary>
    private sealed record Variant(string Name, string Sqlite, string Postgres);

    private static Variant[] Variants(int rankedAmong) =>
    [
        new("all matches ranked (before)",
            "SELECT m.Id, m.Title, m.Description, h.Rank FROM matters AS m INNER JOIN (SELECT rowid AS MatterId, -bm25(matter_search_fts) AS Rank FROM matter_search_fts WHERE matter_search_fts MATCH $q) AS h ON m.Id = h.MatterId{where} ORDER BY h.Rank DESC, m.Id DESC LIMIT 51",
            "SELECT m.\"Id\", m.\"Title\", m.\"Description\", h.\"Rank\" FROM matters AS m INNER JOIN (SELECT \"MatterId\", ts_rank(document, to_tsquery('simple', $1))::float8 AS \"Rank\" FROM matter_search WHERE document @@ to_tsquery('simple', $1)) AS h ON m.\"Id\" = h.\"MatterId\"{where} ORDER BY h.\"Rank\" DESC, m.\"Id\" DESC LIMIT 51"),
        new($"newest {Report.F0(rankedAmong)} ranked (after)",
            $"SELECT h.MatterId FROM ({Sqlite(SearchIndex.SqliteMatchesSql)}) AS h WHERE EXISTS (SELECT 1 FROM matters AS m WHERE {{filter}}m.Id = h.MatterId) ORDER BY h.MatterId DESC LIMIT 2 OFFSET {rankedAmong - 1};"
            + $"SELECT h.MatterId, h.Rank FROM ({Sqlite(SearchIndex.SqliteRankedSql)}) AS h WHERE EXISTS (SELECT 1 FROM matters AS m WHERE {{filter}}m.Id = h.MatterId) ORDER BY h.Rank DESC, h.MatterId DESC LIMIT 51;"
            + "SELECT m.Id, m.Title, m.Description, 0 FROM matters AS m WHERE {filter}m.Id IN ({ids})",
            $"SELECT h.\"MatterId\" FROM ({Postgres(SearchIndex.PostgresMatchesSql)}) AS h WHERE EXISTS (SELECT 1 FROM matters AS m WHERE {{filter}}m.\"Id\" = h.\"MatterId\") ORDER BY h.\"MatterId\" DESC LIMIT 2 OFFSET {rankedAmong - 1};"
            + $"SELECT h.\"MatterId\", h.\"Rank\" FROM ({Postgres(SearchIndex.PostgresRankedSql)}) AS h WHERE EXISTS (SELECT 1 FROM matters AS m WHERE {{filter}}m.\"Id\" = h.\"MatterId\") ORDER BY h.\"Rank\" DESC, h.\"MatterId\" DESC LIMIT 51;"
            + "SELECT m.\"Id\", m.\"Title\", m.\"Description\", 0 FROM matters AS m WHERE {filter}m.\"Id\" IN ({ids})"),
        new("sort=received",
            $"SELECT m.Id, m.Title, m.Description, 0 FROM matters AS m WHERE m.Id IN ({Sqlite(SearchIndex.SqliteMatchesSql)}){{and}} ORDER BY m.ReceivedAt DESC, m.Id DESC LIMIT 51",
            $"SELECT m.\"Id\", m.\"Title\", m.\"Description\", 0 FROM matters AS m WHERE m.\"Id\" IN ({Postgres(SearchIndex.PostgresMatchesSql)}){{and}} ORDER BY m.\"ReceivedAt\" DESC, m.\"Id\" DESC LIMIT 51"),
    ];

    private static string Sqlite(string fragment) => fragment.Replace("{0}", "$q").Replace("{1}", "$from");

    private static string Postgres(string fragment) => fragment.Replace("{0}", "$1").Replace("{1}", "$3");

    private static string Sql(Variant v, DbConnection connection, bool filtered)
    {
        var sqlite = connection is SqliteConnection;
        var county = sqlite ? "m.CountyCode = $county" : "m.\"CountyCode\" = $2";
        return (sqlite ? v.Sqlite : v.Postgres).Replace("{where}", filtered ? " WHERE " + county : "").Replace("{and}", filtered ? " AND " + county : "").Replace("{filter}", filtered ? county + " AND " : "");
    }

    private static async Task MeasureAsync(string label, DbConnection connection, Func<SearchQuery, string> syntax, BenchOptions options, JsonObject json, List<string[]> rows, List<string[]> perQuery)
    {
        var variants = Variants(options.RankedAmong);
        var filters = new JsonObject();
        json["filters"] = filters;
        foreach (var filtered in new[] { false, true })
        {
            var all = variants.Select(_ => new List<double>()).ToArray();
            var byVariant = variants.Select(_ => new JsonObject()).ToArray();
            foreach (var text in Queries)
            {
                var query = SearchQuery.Parse(text).Query!;
                var match = syntax(query);
                var matches = await CountAsync(connection, match, filtered);
                var times = variants.Select(_ => new List<double>()).ToArray();
                if (options.Explain)
                {
                    Console.WriteLine($"== {label} {text} filtered={filtered} matches={matches}");
                    foreach (var variant in variants.Skip(1))
                    {
                        await FirstPageAsync(connection, Sql(variant, connection, filtered), match, filtered, explain: true);
                    }
                }

                // Interleaved (A, B, C, A, B, C, …): the variants share the machine's load alike.
                for (var i = 0; i < options.Repeats + 2; i++)
                {
                    for (var v = 0; v < variants.Length; v++)
                    {
                        var ms = await FirstPageAsync(connection, Sql(variants[v], connection, filtered), match, filtered);
                        if (i >= 2) // the first two runs warm the cache
                        {
                            times[v].Add(ms);
                        }
                    }
                }

                for (var v = 0; v < variants.Length; v++)
                {
                    all[v].AddRange(times[v]);
                    times[v].Sort();
                    byVariant[v][text] = new JsonObject { ["matches"] = matches, ["p50"] = Math.Round(P(times[v], 0.50), 2), ["p95"] = Math.Round(P(times[v], 0.95), 2) };
                }

                perQuery.Add([label, filtered ? FilterCounty : "—", text, Report.F0(matches), .. times.SelectMany(t => new[] { Report.F1(P(t, 0.50)), Report.F1(P(t, 0.95)) })]);
            }

            var filterJson = new JsonObject();
            filters[filtered ? FilterCounty : "none"] = filterJson;
            for (var v = 0; v < variants.Length; v++)
            {
                var sorted = all[v];
                sorted.Sort();
                filterJson[variants[v].Name] = new JsonObject
                {
                    ["p50"] = Math.Round(P(sorted, 0.50), 2), ["p95"] = Math.Round(P(sorted, 0.95), 2), ["p99"] = Math.Round(P(sorted, 0.99), 2), ["max"] = Math.Round(sorted[^1], 2), ["queries"] = byVariant[v],
                };
                rows.Add([label, filtered ? $"territory={FilterCounty}" : "none", variants[v].Name, Report.F1(P(sorted, 0.50)), Report.F1(P(sorted, 0.95)), Report.F1(P(sorted, 0.99)), Report.F1(sorted[^1])]);
                Console.WriteLine($"{label}, filter {(filtered ? FilterCounty : "none")}, {variants[v].Name}: p50 {P(sorted, 0.5):0.0} ms, p95 {P(sorted, 0.95):0.0} ms, p99 {P(sorted, 0.99):0.0} ms");
            }
        }
    }

    /// <summary>
    /// Runs a variant's statements as the server would: with three, the first finds the lowest id to
    /// rank (or none), the second the page's ids by rank, the third reads those matters.
    /// </summary>
    private static async Task<double> FirstPageAsync(DbConnection connection, string sql, string match, bool filtered, bool explain = false)
    {
        var sw = Stopwatch.StartNew();
        var statements = sql.Split(';');
        long from = 0;
        var ids = new List<long>();
        for (var s = 0; s < statements.Length; s++)
        {
            var text = statements[s].Replace("{ids}", ids.Count == 0 ? "0" : string.Join(',', ids), StringComparison.Ordinal);
            if (explain)
            {
                var sqlite = connection is SqliteConnection;
                await using var plan = Command(connection, (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, BUFFERS) ") + text, match, filtered, from);
                await using var planReader = await plan.ExecuteReaderAsync();
                Console.WriteLine("-- " + text);
                while (await planReader.ReadAsync())
                {
                    Console.WriteLine("   " + planReader.GetValue(planReader.FieldCount - 1));
                }
            }

            await using var command = Command(connection, text, match, filtered, from);
            await using var reader = await command.ExecuteReaderAsync();
            var read = new List<long>();
            while (await reader.ReadAsync())
            {
                if (s < statements.Length - 1)
                {
                    read.Add(reader.GetInt64(0));
                }
                else
                {
                    _ = reader.GetString(2);
                }
            }

            if (s == 0 && statements.Length == 3)
            {
                from = read.Count == 2 ? read[0] : 0;
            }
            else
            {
                ids = read.Take(50).ToList();
            }
        }

        return sw.Elapsed.TotalMilliseconds;
    }

    private static async Task<long> CountAsync(DbConnection connection, string match, bool filtered)
    {
        var sqlite = connection is SqliteConnection;
        var count = sqlite
            ? $"SELECT count(*) FROM matters AS m INNER JOIN ({Sqlite(SearchIndex.SqliteMatchesSql)}) AS h ON m.Id = h.MatterId" + (filtered ? " WHERE m.CountyCode = $county" : "")
            : $"SELECT count(*) FROM matters AS m INNER JOIN ({Postgres(SearchIndex.PostgresMatchesSql)}) AS h ON m.\"Id\" = h.\"MatterId\"" + (filtered ? " WHERE m.\"CountyCode\" = $2" : "");
        await using var command = Command(connection, count, match, filtered, 0);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbConnection connection, string sql, string match, bool filtered, long from)
    {
        if (connection is SqliteConnection sqlite)
        {
            var command = sqlite.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$q", match);
            if (sql.Contains("$county", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("$county", FilterCounty);
            }

            if (sql.Contains("$from", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("$from", from);
            }

            return command;
        }

        // Positional: $1 the query, $2 the county, $3 the lowest id to rank (each only when the statement uses it).
        var pg = new NpgsqlCommand(sql, (NpgsqlConnection)connection);
        pg.Parameters.Add(new NpgsqlParameter { Value = match });
        if (filtered || sql.Contains("$3", StringComparison.Ordinal))
        {
            pg.Parameters.Add(new NpgsqlParameter { Value = FilterCounty });
        }

        if (sql.Contains("$3", StringComparison.Ordinal))
        {
            pg.Parameters.Add(new NpgsqlParameter { Value = from });
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
                CREATE INDEX IX_matters_ReceivedAt_Id ON matters (ReceivedAt, Id);
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
            "CREATE INDEX \"IX_matters_CountyCode_ReceivedAt_Id\" ON matters (\"CountyCode\", \"ReceivedAt\", \"Id\"); CREATE INDEX \"IX_matters_ReceivedAt_Id\" ON matters (\"ReceivedAt\", \"Id\"); SET maintenance_work_mem = '256MB'; " + SearchIndexSql.PostgresUp + " ANALYZE;", connection) { CommandTimeout = 0 })
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
