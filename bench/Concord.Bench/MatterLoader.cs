using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Concord.Domain.Categories;
using Concord.Domain.Duplicates;
using Concord.Domain.Matters;
using Concord.Server.Data;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace Concord.Bench;

/// <summary>What a bulk load took: rows/s of the inserts and of rebuilding the matters' secondary indexes.</summary>
public sealed record LoadFigures(long Rows, double InsertSeconds, double IndexSeconds, int IndexesRebuilt, double AnalyzeSeconds, long DueMatters,
    IReadOnlyDictionary<string, long> ByStatus, IReadOnlyList<(string Unit, long Open)> BusiestUnits, long Overdue, long ExtensionRequests)
{
    public double InsertRowsPerSecond => InsertSeconds > 0 ? Rows / InsertSeconds : 0;
    public double IndexRowsPerSecond => IndexSeconds > 0 ? Rows / IndexSeconds : 0;
}

/// <summary>
/// Fills the REAL schema (made by the server's migrations, seeded by its Pingliang demo) with N synthetic
/// matters: PostgreSQL by binary COPY, SQLite by a prepared INSERT in large transactions. The matters'
/// secondary indexes are dropped before the load and rebuilt after it (timed separately). Places are the
/// demo's grids with their whole territory chain; categories, urgency, deadlines and lead units follow the
/// demo catalogue and routing rules (the most specific rule for the category and place, else the place's
/// government unit). Events, reporters, audit entries and the search index are left empty: no measured query
/// reads them; each matter's duplicate signature is written as intake writes it. The matter number sequence and the id identity are moved past the loaded rows, so intake goes on.
/// </summary>
public sealed class MatterLoader
{
    private const double VerdictWindowDays = 7; // Concord:Handling:VerdictWindowDays default
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly DbConnection connection;
    private readonly bool postgres;
    private readonly List<Place> places = [];
    private readonly List<Category> categories = [];
    private double[] categoryCumulative = [];
    private readonly Dictionary<string, List<(string Code, string Kind)>> unitsByTerritory = new(StringComparer.Ordinal);
    private readonly List<Rule> rules = [];
    private readonly Dictionary<long, (string? Lead, string Assisting, string Basis, string? RuleId)> routed = [];

    private sealed record Place(string Code, string? Province, string? City, string? County, string? Township, string? Community, string? Grid,
        string Name, string TownshipName, (double Lat, double Lon)[] Points, string[] Chain);

    private sealed record Category(string Code, string Name, string Urgency, TimeSpan Accept, TimeSpan Reply);

    private sealed record Rule(string Id, string? Category, string Territory, string Lead, string Assisting);

    /// <summary>One row, reused: the loader writes ten million of them.</summary>
    /// <summary>The server's default retention of personal data (Concord:PersonalData:RetentionDays).</summary>
    private const int RetentionDays = 730;

    private sealed class Row
    {
        public long Id;
        public string Code = "";
        public string Kind = "", Channel = "", Status = "", Title = "", Description = "", Address = "";
        public Category Category = null!;
        public Place Place = null!;
        public double? Lat, Lon;
        public DateTime ReceivedAt, UpdatedAt;
        public DateTime? DispatchedAt, AcceptDueAt, AcceptedAt, ReplyDueAt, RepliedAt, ClosedAt, ExtensionRequestedUntil, NextCheckAt;
        public string? LeadUnit, RuleId, ReplyText, Verdict;
        public string Assisting = "", Basis = "", SweepStage = "";
        public int Dissatisfactions, Items, Version;
        // The queues' columns, as the server's QueueColumns.Refresh derives them on every save.
        public DateTime? QueueDueAt, QueueYellowAt;
        public bool WaitingForCenter;
        // Retention (PersonalDataRetention, 730 days by default) has erased an old closed matter's personal data long ago:
        // left empty, the server would "erase" a third of the table in its first minutes, during the measurements.
        public DateTime? PersonalDataErasedAt;
    }

    private sealed record Column(string Name, NpgsqlDbType PgType, Func<Row, object?> Value);

    private static readonly Column[] Known =
    [
        new("Id", NpgsqlDbType.Bigint, r => r.Id),
        new("Code", NpgsqlDbType.Varchar, r => r.Code),
        new("Kind", NpgsqlDbType.Varchar, r => r.Kind),
        new("Channel", NpgsqlDbType.Varchar, r => r.Channel),
        new("Status", NpgsqlDbType.Varchar, r => r.Status),
        new("Title", NpgsqlDbType.Varchar, r => r.Title),
        new("Description", NpgsqlDbType.Varchar, r => r.Description),
        new("CategoryCode", NpgsqlDbType.Varchar, r => r.Category.Code),
        new("Urgency", NpgsqlDbType.Varchar, r => r.Category.Urgency),
        new("Lat", NpgsqlDbType.Double, r => r.Lat),
        new("Lon", NpgsqlDbType.Double, r => r.Lon),
        new("Address", NpgsqlDbType.Varchar, r => r.Address),
        new("TerritoryCode", NpgsqlDbType.Varchar, r => r.Place.Code),
        new("ProvinceCode", NpgsqlDbType.Varchar, r => r.Place.Province),
        new("CityCode", NpgsqlDbType.Varchar, r => r.Place.City),
        new("CountyCode", NpgsqlDbType.Varchar, r => r.Place.County),
        new("TownshipCode", NpgsqlDbType.Varchar, r => r.Place.Township),
        new("CommunityCode", NpgsqlDbType.Varchar, r => r.Place.Community),
        new("GridCode", NpgsqlDbType.Varchar, r => r.Place.Grid),
        new("LocationMatch", NpgsqlDbType.Varchar, r => r.Place.Grid is null ? "division" : "grid"),
        new("LocationUnmatched", NpgsqlDbType.Boolean, _ => false),
        new("OccurredAt", NpgsqlDbType.TimestampTz, r => r.ReceivedAt.AddHours(-2)),
        new("ReceivedAt", NpgsqlDbType.TimestampTz, r => r.ReceivedAt),
        new("UpdatedAt", NpgsqlDbType.TimestampTz, r => r.UpdatedAt),
        new("LeadUnitCode", NpgsqlDbType.Varchar, r => r.LeadUnit),
        new("AssistingUnitCodes", NpgsqlDbType.Varchar, r => r.Assisting),
        new("RoutingBasis", NpgsqlDbType.Varchar, r => r.Basis),
        new("RoutingRuleId", NpgsqlDbType.Varchar, r => r.RuleId),
        new("DispatchedAt", NpgsqlDbType.TimestampTz, r => r.DispatchedAt),
        new("AcceptDueAt", NpgsqlDbType.TimestampTz, r => r.AcceptDueAt),
        new("AcceptedAt", NpgsqlDbType.TimestampTz, r => r.AcceptedAt),
        new("ReplyDueAt", NpgsqlDbType.TimestampTz, r => r.ReplyDueAt),
        new("RepliedAt", NpgsqlDbType.TimestampTz, r => r.RepliedAt),
        new("ClosedAt", NpgsqlDbType.TimestampTz, r => r.ClosedAt),
        new("ReplyText", NpgsqlDbType.Varchar, r => r.ReplyText),
        new("ExtensionRequestedUntil", NpgsqlDbType.TimestampTz, r => r.ExtensionRequestedUntil),
        new("Verdict", NpgsqlDbType.Varchar, r => r.Verdict),
        new("Dissatisfactions", NpgsqlDbType.Integer, r => r.Dissatisfactions),
        new("Items", NpgsqlDbType.Integer, r => r.Items),
        new("NextCheckAt", NpgsqlDbType.TimestampTz, r => r.NextCheckAt),
        new("SweepStage", NpgsqlDbType.Varchar, r => r.SweepStage),
        new("Confidential", NpgsqlDbType.Boolean, _ => false),
        new("Version", NpgsqlDbType.Integer, r => r.Version),
        new("QueueDueAt", NpgsqlDbType.TimestampTz, r => r.QueueDueAt),
        new("QueueYellowAt", NpgsqlDbType.TimestampTz, r => r.QueueYellowAt),
        new("WaitingForCenter", NpgsqlDbType.Boolean, r => r.WaitingForCenter),
        new("PersonalDataErasedAt", NpgsqlDbType.TimestampTz, r => r.PersonalDataErasedAt),
    ];

    /// <summary>
    /// The server's own rule (QueueColumns.Refresh) on a matter row built from the loaded values: a bulk load that
    /// left these columns empty would put its matters in the wrong place of the queues (docs/operations.md).
    /// </summary>
    private void DeriveQueueColumns(Row row)
    {
        var matter = new Concord.Server.Data.MatterRow
        {
            Code = row.Code, Kind = row.Kind, Channel = row.Channel, Title = "", Description = "", TerritoryCode = "", LocationMatch = "", RoutingBasis = "",
            Status = row.Status, DispatchedAt = row.DispatchedAt, AcceptDueAt = row.AcceptDueAt, ReplyDueAt = row.ReplyDueAt,
            ExtensionRequestedUntil = row.ExtensionRequestedUntil,
        };
        Concord.Server.Features.Handling.QueueColumns.Refresh(matter, Concord.Domain.Calendar.WorkingCalendar.Official, microseconds: postgres);
        (row.QueueDueAt, row.QueueYellowAt, row.WaitingForCenter) = (matter.QueueDueAt, matter.QueueYellowAt, matter.WaitingForCenter);
    }

    private MatterLoader(DbConnection connection)
    {
        this.connection = connection;
        postgres = connection is NpgsqlConnection;
    }

    public static async Task<MatterLoader> OpenAsync(DbConnection connection)
    {
        var loader = new MatterLoader(connection);
        await loader.ReadCatalogueAsync();
        // Some categories are far commoner than others (a Zipf-like weight over a seeded shuffle).
        var count = loader.categories.Count;
        var order = Enumerable.Range(0, count).OrderBy(i => new Random(7 + i).Next()).ToArray();
        var weights = new double[count];
        for (var rank = 0; rank < count; rank++)
        {
            weights[order[rank]] = 1.0 / (rank + 3);
        }
        var sum = weights.Sum();
        double running = 0;
        loader.categoryCumulative = weights.Select(w => running += w / sum).ToArray();
        return loader;
    }

    public int PlaceCount => places.Count;
    public int CategoryCount => categories.Count;
    public IEnumerable<string> Counties => places.Select(p => p.County).OfType<string>().Distinct().Order(StringComparer.Ordinal);
    public IEnumerable<string> Townships => places.Select(p => p.Township).OfType<string>().Distinct().Order(StringComparer.Ordinal);
    public IEnumerable<string> TopCategories => categories.Select(c => c.Code[..Math.Min(2, c.Code.Length)]).Distinct().Order(StringComparer.Ordinal);
    public IEnumerable<string> MidCategories => categories.Where(c => c.Code.Length >= 4).Select(c => c.Code[..4]).Distinct().Order(StringComparer.Ordinal);

    private async Task ReadCatalogueAsync()
    {
        var territories = new Dictionary<string, (string Name, string Level, string? Parent, byte[]? Geometry)>(StringComparer.Ordinal);
        await using (var command = Command("SELECT \"Code\", \"Name\", \"Level\", \"ParentCode\", \"Geometry\" FROM territories"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                territories[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4));
            }
        }
        var leafLevel = territories.Values.Any(t => t.Level == "grid") ? "grid" : "community";
        var wkb = new WKBReader();
        var random = new Random(11);
        foreach (var (code, t) in territories.Where(kv => kv.Value.Level == leafLevel).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var chain = new Dictionary<string, string>(StringComparer.Ordinal);
            var codes = new List<string>();
            for (var c = code; c is not null && territories.TryGetValue(c, out var node); c = node.Parent)
            {
                chain[node.Level] = c;
                codes.Add(c);
            }
            // A few points inside the place's polygon (the nearest ancestor with one) for the heat map.
            var geometryCode = codes.FirstOrDefault(c => territories[c].Geometry is not null);
            var points = Array.Empty<(double, double)>();
            if (geometryCode is not null)
            {
                var geometry = wkb.Read(territories[geometryCode].Geometry!);
                var envelope = geometry.EnvelopeInternal;
                var found = new List<(double, double)>();
                for (var attempt = 0; attempt < 64 && found.Count < 6; attempt++)
                {
                    var x = envelope.MinX + random.NextDouble() * envelope.Width;
                    var y = envelope.MinY + random.NextDouble() * envelope.Height;
                    if (geometry.Contains(new Point(x, y)))
                    {
                        found.Add((Math.Round(y, 6), Math.Round(x, 6)));
                    }
                }
                if (found.Count == 0)
                {
                    var inside = geometry.InteriorPoint;
                    found.Add((inside.Y, inside.X));
                }
                points = found.ToArray();
            }
            var township = chain.GetValueOrDefault("township");
            places.Add(new Place(code, chain.GetValueOrDefault("province"), chain.GetValueOrDefault("city"), chain.GetValueOrDefault("county"),
                township, chain.GetValueOrDefault("community"), chain.GetValueOrDefault("grid"),
                territories[chain.GetValueOrDefault("community") ?? code].Name, township is null ? "" : territories[township].Name, points, codes.ToArray()));
        }
        if (places.Count == 0)
        {
            throw new InvalidOperationException("no grids or communities in the territories table: was the store seeded with the Pingliang demo?");
        }

        var all = new List<(string Code, string Name, string Urgency, string Accept, string Reply)>();
        await using (var command = Command("SELECT \"Code\", \"Name\", \"Urgency\", \"AcceptWithin\", \"ReplyWithin\" FROM categories"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                all.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }
        }
        foreach (var c in all.Where(c => !all.Any(o => o.Code.Length > c.Code.Length && o.Code.StartsWith(c.Code, StringComparison.Ordinal))).OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            categories.Add(new Category(c.Code, c.Name, c.Urgency, Wall(c.Accept, TimeSpan.FromHours(24)), Wall(c.Reply, TimeSpan.FromDays(15))));
        }

        await using (var command = Command("SELECT \"Code\", \"Kind\", \"TerritoryCode\" FROM units"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var territory = reader.GetString(2);
                if (!unitsByTerritory.TryGetValue(territory, out var list))
                {
                    unitsByTerritory[territory] = list = [];
                }
                list.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        await using (var command = Command("SELECT \"Id\", \"CategoryCode\", \"TerritoryCode\", \"LeadUnitCode\", \"AssistingUnitCodes\" FROM routing_rules"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rules.Add(new Rule(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }
        }
    }

    /// <summary>A working-time span as wall-clock time, roughly (7 working hours a day, 5 days a week): the deadlines need not be exact.</summary>
    private static TimeSpan Wall(string text, TimeSpan fallback) =>
        !WorkingSpan.TryParse(text, out var span) ? fallback
        : span.Unit == WorkingSpanUnit.Hours ? TimeSpan.FromHours(span.Amount * 24.0 / 7 * 7 / 5)
        : TimeSpan.FromDays(span.Amount * 7.0 / 5);

    private (string? Lead, string Assisting, string Basis, string? RuleId) Route(int category, int place)
    {
        var key = ((long)category << 32) | (uint)place;
        if (routed.TryGetValue(key, out var hit))
        {
            return hit;
        }
        var c = categories[category];
        var p = places[place];
        var depth = p.Chain.Select((code, i) => (code, i)).ToDictionary(x => x.code, x => x.i, StringComparer.Ordinal);
        var rule = rules.Where(r => depth.ContainsKey(r.Territory) && (r.Category is null || c.Code.StartsWith(r.Category, StringComparison.Ordinal)))
            .OrderBy(r => depth[r.Territory]).ThenByDescending(r => r.Category?.Length ?? 0).FirstOrDefault();
        (string?, string, string, string?) result;
        if (rule is not null)
        {
            result = (rule.Lead, rule.Assisting, "rule", rule.Id);
        }
        else
        {
            // The government unit of the nearest territory that has units.
            var unit = p.Chain.Select(code => unitsByTerritory.GetValueOrDefault(code)).FirstOrDefault(list => list is { Count: > 0 });
            result = unit is null ? (null, "", "undecided", null) : (unit.FirstOrDefault(u => u.Code.EndsWith(".gov", StringComparison.Ordinal)).Code ?? unit[0].Code, "", "territory_fallback", null);
        }
        routed[key] = result;
        return result;
    }

    /// <summary>Generates and loads <paramref name="count"/> matters received over the last three years, then makes <paramref name="due"/> of the overdue ones due for the sweep now.</summary>
    public async Task<LoadFigures> LoadAsync(long count, int due, bool dropIndexes, DateTime now, Action<string> log)
    {
        long firstId, firstNumber;
        await using (var command = Command("SELECT COALESCE(MAX(\"Id\"), 0) FROM matters"))
        {
            firstId = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) + 1;
        }
        await using (var command = Command(postgres
            ? $"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {MatterNumbers.PostgresSequence}"
            : $"SELECT \"Value\" FROM counters WHERE \"Name\" = '{CounterNames.MatterNumber}'"))
        {
            firstNumber = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) + 1;
        }

        var indexes = new List<(string Name, string Sql)>();
        if (dropIndexes)
        {
            await using var command = Command(postgres
                ? "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('matters', 'matter_signatures') AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid IN ('matters'::regclass, 'matter_signatures'::regclass))"
                : "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('matters', 'matter_signatures') AND sql IS NOT NULL");
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            foreach (var (name, _) in indexes)
            {
                await ExecuteAsync($"DROP INDEX \"{name}\"");
            }
        }

        var columns = await ColumnsAsync();
        var byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
        var openByUnit = new Dictionary<string, long>(StringComparer.Ordinal);
        long overdue = 0, extensions = 0;
        var sw = Stopwatch.StartNew();
        var rows = Generate(count, firstId, firstNumber, now);
        void Tally(Row r)
        {
            byStatus[r.Status] = byStatus.GetValueOrDefault(r.Status) + 1;
            if (r.Status is "dispatched" or "accepted" or "in_progress" && r.LeadUnit is not null)
            {
                openByUnit[r.LeadUnit] = openByUnit.GetValueOrDefault(r.LeadUnit) + 1;
                if (r.SweepStage == "red")
                {
                    overdue++;
                }
            }
            if (r.ExtensionRequestedUntil is not null)
            {
                extensions++;
            }
            if ((r.Id - firstId + 1) % 500_000 == 0)
            {
                log($"   {r.Id - firstId + 1:N0} rows, {(r.Id - firstId + 1) / sw.Elapsed.TotalSeconds:N0} rows/s");
            }
        }
        if (postgres)
        {
            await CopyAsync(columns, rows, Tally);
            // The signatures reference their matters: a second COPY once the matters are in, from the same (seeded) rows again.
            await CopySignaturesAsync(Generate(count, firstId, firstNumber, now));
        }
        else
        {
            await InsertAsync(columns, rows, Tally);
        }
        var insertSeconds = sw.Elapsed.TotalSeconds;

        sw.Restart();
        if (postgres)
        {
            await ExecuteAsync("SET maintenance_work_mem = '512MB'");
        }
        foreach (var (_, sql) in indexes)
        {
            await ExecuteAsync(sql);
        }
        var indexSeconds = sw.Elapsed.TotalSeconds;

        // The counters the server hands out next: the matter number and (PostgreSQL) the id identity.
        var lastNumber = firstNumber + count - 1;
        if (postgres)
        {
            await ExecuteAsync($"SELECT setval('{MatterNumbers.PostgresSequence}', {lastNumber.ToString(CultureInfo.InvariantCulture)})");
            await ExecuteAsync("SELECT setval(pg_get_serial_sequence('matters', 'Id'), (SELECT MAX(\"Id\") FROM matters))");
        }
        else
        {
            await ExecuteAsync($"UPDATE counters SET \"Value\" = {lastNumber.ToString(CultureInfo.InvariantCulture)} WHERE \"Name\" = '{CounterNames.MatterNumber}'");
        }

        // The same number of due matters whatever the table size: overdue ones the sweep has not acted on yet.
        var dueAt = now.AddMinutes(-1);
        var made = await ExecuteAsync(
            "UPDATE matters SET \"SweepStage\" = '', \"NextCheckAt\" = " + (postgres ? "@at" : "$at") + " WHERE \"Id\" IN (SELECT \"Id\" FROM matters WHERE \"Status\" IN ('dispatched', 'accepted', 'in_progress') AND \"SweepStage\" = 'red' AND \"Id\" >= "
            + firstId.ToString(CultureInfo.InvariantCulture) + " ORDER BY \"Id\" DESC LIMIT " + due.ToString(CultureInfo.InvariantCulture) + ")", (postgres ? "at" : "$at", dueAt));

        sw.Restart();
        await ExecuteAsync(postgres ? "VACUUM (ANALYZE) matters" : "ANALYZE");
        var analyzeSeconds = sw.Elapsed.TotalSeconds;
        var busiest = openByUnit.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10).Select(kv => (kv.Key, kv.Value)).ToList();
        return new LoadFigures(count, insertSeconds, indexSeconds, indexes.Count, analyzeSeconds, made, byStatus, busiest, overdue, extensions);
    }

    private IEnumerable<Row> Generate(long count, long firstId, long firstNumber, DateTime now)
    {
        var random = new Random(42);
        var span = TimeSpan.FromDays(3 * 365);
        var start = now - span;
        // Density grows linearly from 1 (three years ago) to 2 (now): more recent, somewhat more.
        const double growth = 1.0;
        // A few hundred to a few thousand wait for the center: about this many, among the newest matters.
        var waiting = Math.Clamp(count / 1000, 200, 3000);
        var waitingPool = Math.Min(count, waiting * 3);
        var row = new Row();
        string[] kinds = [MatterKind.Appeal.ToWire(), MatterKind.Appeal.ToWire(), MatterKind.Appeal.ToWire(), MatterKind.Appeal.ToWire(), MatterKind.Appeal.ToWire(), MatterKind.Appeal.ToWire(), MatterKind.Report.ToWire(), MatterKind.Report.ToWire(), MatterKind.Dispute.ToWire(), MatterKind.Hazard.ToWire()];
        string[] channels = [Channel.Hotline.ToWire(), Channel.Hotline.ToWire(), Channel.Hotline.ToWire(), Channel.Hotline.ToWire(), Channel.Hotline.ToWire(), Channel.Hotline.ToWire(), Channel.Portal.ToWire(), Channel.Portal.ToWire(), Channel.Grid.ToWire(), Channel.Grid.ToWire(), Channel.WalkIn.ToWire(), Channel.MemberUnit.ToWire()];
        for (long i = 0; i < count; i++)
        {
            var u = (i + random.NextDouble()) / count;
            var x = (-1 + Math.Sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth;
            var received = start + TimeSpan.FromTicks((long)(span.Ticks * Math.Min(x, 1)));
            received = new DateTime(received.Ticks - received.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            var ageDays = (now - received).TotalDays;
            var categoryIndex = Array.BinarySearch(categoryCumulative, random.NextDouble());
            categoryIndex = Math.Min(categories.Count - 1, categoryIndex < 0 ? ~categoryIndex : categoryIndex);
            var placeIndex = random.Next(places.Count);
            var c = categories[categoryIndex];
            var p = places[placeIndex];

            row.Id = firstId + i;
            row.Code = MatterCode.Format(DateOnly.FromDateTime(received + Beijing), firstNumber + i);
            row.Kind = kinds[random.Next(kinds.Length)];
            row.Channel = channels[random.Next(channels.Length)];
            row.Category = c;
            row.Place = p;
            row.Title = Trim($"{p.Name}：{c.Name}问题", 200);
            row.Description = $"（合成数据）{p.TownshipName}{p.Name}群众反映{c.Name}问题，影响周边居民正常生活，请求有关部门尽快核实处理。";
            row.Address = p.TownshipName + p.Name;
            if (p.Points.Length > 0)
            {
                var point = p.Points[random.Next(p.Points.Length)];
                (row.Lat, row.Lon) = (point.Lat, point.Lon);
            }
            else
            {
                (row.Lat, row.Lon) = (null, null);
            }
            row.ReceivedAt = received;
            row.DispatchedAt = row.AcceptDueAt = row.AcceptedAt = row.ReplyDueAt = row.RepliedAt = row.ClosedAt = row.ExtensionRequestedUntil = row.NextCheckAt = null;
            row.ReplyText = row.Verdict = null;
            row.PersonalDataErasedAt = null;
            row.SweepStage = "";
            row.Dissatisfactions = 0;
            var (lead, assisting, basis, ruleId) = Route(categoryIndex, placeIndex);
            (row.LeadUnit, row.Assisting, row.Basis, row.RuleId) = (lead, assisting, basis, ruleId);

            if (i >= count - waitingPool && random.Next(3) == 0)
            {
                // Waiting for the center: new, returned by a unit, or back for review.
                var pick = random.Next(10);
                row.Status = pick < 7 ? "received" : pick < 9 ? "returned" : "in_review";
                row.Items = row.Status == "received" ? 0 : 1;
                row.Version = row.Status == "received" ? 1 : 4;
                if (row.Status != "received")
                {
                    row.DispatchedAt = received.AddMinutes(20);
                }
                row.UpdatedAt = row.Status == "received" ? received : Min(received.AddHours(2), now);
                DeriveQueueColumns(row);
                yield return row;
                continue;
            }

            var dispatched = received.AddMinutes(10 + random.Next(6 * 60));
            row.DispatchedAt = dispatched;
            row.AcceptDueAt = dispatched + c.Accept;
            row.ReplyDueAt = dispatched + c.Reply;
            row.Items = 1;
            var accepted = dispatched + TimeSpan.FromTicks((long)(c.Accept.Ticks * random.NextDouble() * 1.1));
            var replied = dispatched + TimeSpan.FromTicks((long)(c.Reply.Ticks * (0.15 + random.NextDouble() * 1.05)));
            var pOpen = ageDays < 1 ? 0.7 : ageDays < 7 ? 0.5 : ageDays < 30 ? 0.25 : ageDays < 90 ? 0.08 : 0;
            var open = dispatched > now || replied > now || random.NextDouble() < pOpen;
            if (open)
            {
                var pick = random.Next(20);
                row.Status = pick < 5 && (now - dispatched).TotalDays < 3 ? "dispatched" : pick < 12 ? "accepted" : "in_progress";
                if (row.Status != "dispatched")
                {
                    row.AcceptedAt = Min(accepted, now);
                    if (random.Next(33) == 0)
                    {
                        row.ExtensionRequestedUntil = row.ReplyDueAt.Value.AddDays(5);
                    }
                }
                row.Version = row.Status == "dispatched" ? 2 : row.Status == "accepted" ? 3 : 4;
                row.UpdatedAt = row.AcceptedAt ?? dispatched;
                if (row.UpdatedAt > now)
                {
                    row.UpdatedAt = now;
                }
                // What the deadline sweep would have done by now (wall clock, 80 % of the time = yellow).
                var dueAt = row.Status == "dispatched" ? row.AcceptDueAt!.Value : row.ReplyDueAt!.Value;
                var yellowAt = dispatched + TimeSpan.FromTicks((long)((dueAt - dispatched).Ticks * 0.8));
                if (now >= dueAt)
                {
                    (row.SweepStage, row.NextCheckAt) = ("red", null);
                }
                else if (now >= yellowAt)
                {
                    (row.SweepStage, row.NextCheckAt) = ("yellow", dueAt);
                }
                else
                {
                    (row.SweepStage, row.NextCheckAt) = ("", yellowAt);
                }
            }
            else
            {
                row.AcceptedAt = accepted;
                row.RepliedAt = replied;
                row.ReplyText = "已核实处理，并向群众反馈办理结果。";
                if (replied.AddDays(VerdictWindowDays) > now)
                {
                    row.Status = "replied";
                    row.NextCheckAt = replied.AddDays(VerdictWindowDays);
                    row.Version = 5;
                    row.UpdatedAt = replied;
                }
                else
                {
                    row.Status = "closed";
                    var verdict = random.Next(100);
                    row.Verdict = verdict < 75 ? "satisfied" : verdict < 87 ? "basically_satisfied" : verdict < 92 ? "dissatisfied" : null;
                    row.Dissatisfactions = row.Verdict == "dissatisfied" ? 1 : 0;
                    row.ClosedAt = row.Verdict is null ? replied.AddDays(VerdictWindowDays) : Min(replied.AddHours(2 + random.Next(72)), now);
                    row.Version = 6;
                    row.UpdatedAt = row.ClosedAt.Value;
                    row.PersonalDataErasedAt = row.UpdatedAt.AddDays(RetentionDays) is var erased && erased < now ? erased : null;
                }
            }
            DeriveQueueColumns(row);
            // The sweep's next checks start 12 h after the load: a timed pass sees exactly the chosen due matters.
            if (row.NextCheckAt is { } next && next > now && next < now.AddHours(12))
            {
                row.NextCheckAt = now.AddHours(12);
            }
            yield return row;
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..max];

    private async Task<List<Column>> ColumnsAsync()
    {
        var present = new List<(string Name, bool Nullable, bool HasDefault)>();
        await using (var command = Command(postgres
            ? "SELECT column_name, is_nullable = 'YES', column_default IS NOT NULL OR is_identity = 'YES' FROM information_schema.columns WHERE table_name = 'matters' ORDER BY ordinal_position"
            : "SELECT name, \"notnull\" = 0, dflt_value IS NOT NULL OR pk = 1 FROM pragma_table_info('matters')"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                present.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2)));
            }
        }
        var known = Known.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var missing = present.Where(p => !known.ContainsKey(p.Name) && !p.Nullable && !p.HasDefault).Select(p => p.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"the bulk loader does not fill the NOT NULL column(s) {string.Join(", ", missing)} of matters: add them to MatterLoader.Known");
        }
        return present.Where(p => known.ContainsKey(p.Name)).Select(p => known[p.Name]).ToList();
    }

    private async Task CopyAsync(List<Column> columns, IEnumerable<Row> rows, Action<Row> counted)
    {
        var pg = (NpgsqlConnection)connection;
        var list = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var copy = await pg.BeginBinaryImportAsync($"COPY matters ({list}) FROM STDIN (FORMAT BINARY)");
        copy.Timeout = TimeSpan.FromHours(2);
        foreach (var row in rows)
        {
            copy.StartRow();
            foreach (var column in columns)
            {
                var value = column.Value(row);
                if (value is null)
                {
                    copy.WriteNull();
                }
                else
                {
                    copy.Write(value, column.PgType);
                }
            }
            counted(row);
        }
        await copy.CompleteAsync();
    }

    /// <summary>
    /// The duplicate signature each matter gets at intake (<c>DuplicateSearch</c>: MinHash of title and
    /// description, the ~1 km cell), computed by the domain's own code; without them the server would sign
    /// every loaded matter in the background at start, during the measurements.
    /// </summary>
    private byte[] MinHashOf(Row row)
    {
        var text = $"{row.Title}。{row.Description}"; // DuplicateSearch.TextOf
        if (!minHashes.TryGetValue(text, out var bytes))
        {
            if (minHashes.Count >= 100_000)
            {
                minHashes.Clear();
            }
            minHashes[text] = bytes = MinHash.Of(text).ToBytes();
        }
        return bytes;
    }

    private readonly Dictionary<string, byte[]> minHashes = new(StringComparer.Ordinal);

    private async Task CopySignaturesAsync(IEnumerable<Row> rows)
    {
        var pg = (NpgsqlConnection)connection;
        await using var copy = await pg.BeginBinaryImportAsync("COPY matter_signatures (\"MatterId\", \"Version\", \"Cell\", \"TerritoryCode\", \"ReceivedAt\", \"MinHash\") FROM STDIN (FORMAT BINARY)");
        copy.Timeout = TimeSpan.FromHours(2);
        foreach (var row in rows)
        {
            copy.StartRow();
            copy.Write(row.Id, NpgsqlDbType.Bigint);
            copy.Write(MinHash.Version, NpgsqlDbType.Integer);
            if (row.Lat is { } lat && row.Lon is { } lon)
            {
                copy.Write(Geo.CellOf(lat, lon), NpgsqlDbType.Bigint);
            }
            else
            {
                copy.WriteNull();
            }
            copy.Write(row.Place.Code, NpgsqlDbType.Varchar);
            copy.Write(row.ReceivedAt, NpgsqlDbType.TimestampTz);
            copy.Write(MinHashOf(row), NpgsqlDbType.Bytea);
        }
        await copy.CompleteAsync();
    }

    private async Task InsertAsync(List<Column> columns, IEnumerable<Row> rows, Action<Row> counted)
    {
        const int PerTransaction = 200_000;
        var sqlite = (SqliteConnection)connection;
        await ExecuteAsync("PRAGMA cache_size = -262144"); // 256 MB for the load's own connection
        var transaction = sqlite.BeginTransaction();
        var command = sqlite.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO matters ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        command.Prepare();
        var sign = sqlite.CreateCommand();
        sign.Transaction = transaction;
        sign.CommandText = "INSERT INTO matter_signatures (\"MatterId\", \"Version\", \"Cell\", \"TerritoryCode\", \"ReceivedAt\", \"MinHash\") VALUES ($id, $version, $cell, $territory, $at, $hash)";
        var signature = new[] { "$id", "$version", "$cell", "$territory", "$at", "$hash" }.Select(n => sign.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        sign.Prepare();
        var inTransaction = 0;
        try
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    parameters[i].Value = columns[i].Value(row) ?? DBNull.Value;
                }
                command.ExecuteNonQuery();
                signature[0].Value = row.Id;
                signature[1].Value = MinHash.Version;
                signature[2].Value = row.Lat is { } lat && row.Lon is { } lon ? Geo.CellOf(lat, lon) : DBNull.Value;
                signature[3].Value = row.Place.Code;
                signature[4].Value = row.ReceivedAt;
                signature[5].Value = MinHashOf(row);
                sign.ExecuteNonQuery();
                counted(row);
                if (++inTransaction == PerTransaction)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = sqlite.BeginTransaction();
                    command.Transaction = transaction;
                    sign.Transaction = transaction;
                    inTransaction = 0;
                }
            }
            transaction.Commit();
        }
        finally
        {
            transaction.Dispose();
            command.Dispose();
            sign.Dispose();
        }
    }

    private DbCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return command;
    }

    private async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return await command.ExecuteNonQueryAsync();
    }
}
