using System.Net;
using System.Text;
using Concord.Server.Access.PersonalData;
using Concord.Server.Data;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.PersonalData;

public sealed class PersonalDataStorageOnSqlite(SqliteHost host) : PersonalDataStorageTests<SqliteHost>(host)
{
    /// <summary>The database file's bytes, after moving the WAL into it (and the WAL too, should a reader have held the checkpoint back).</summary>
    protected override async Task<byte[]> StoredBytesAsync()
    {
        await Host.QueryAsync(db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);"));
        var file = Host.DatabaseFile!;
        var bytes = await ReadSharedAsync(file);
        return File.Exists(file + "-wal") ? [.. bytes, .. await ReadSharedAsync(file + "-wal")] : bytes;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}

public sealed class PersonalDataStorageOnPostgres(PostgresHost host) : PersonalDataStorageTests<PostgresHost>(host)
{
    /// <summary>Every row of every table of the database, as JSON text (PostgreSQL writes non-ASCII characters unescaped).</summary>
    protected override Task<byte[]> StoredBytesAsync() => Host.QueryAsync(async db =>
    {
        var tables = await db.Database.SqlQueryRaw<string>(
            "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").ToListAsync();
        Assert.Contains("matters", tables);
        Assert.Contains("matter_events", tables);
        Assert.Contains("idempotency_keys", tables);
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            var quoted = "\"" + table.Replace("\"", "\"\"") + "\"";
#pragma warning disable EF1002 // The table names come from the catalogue, quoted.
            var rows = await db.Database.SqlQueryRaw<string>($"SELECT row_to_json(t)::text AS \"Value\" FROM {quoted} t").ToListAsync();
#pragma warning restore EF1002
            foreach (var row in rows)
            {
                text.AppendLine(row);
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    });
}

/// <summary>
/// What the store holds after an intake: the reporter and the parties only encrypted (and the
/// phone as a keyed hash), in the matter row, its events and the stored idempotent answer alike.
/// </summary>
public abstract class PersonalDataStorageTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string ReporterName = "欧阳娜娜";
    private const string ReporterPhone = "13912345678";
    private const string PartyName = "司马相如";
    private const string PartyPhone = "13724681357";
    private const string Title = "楼道堆物纠纷存证测试";

    protected THost Host => host;

    /// <summary>Everything the store holds, as bytes to search.</summary>
    protected abstract Task<byte[]> StoredBytesAsync();

    [Fact]
    public async Task The_store_holds_no_name_or_phone_in_clear_and_answers_show_them_masked()
    {
        var key = "pd-" + Guid.NewGuid().ToString("N");
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "dispute",
            channel = "walkin",
            title = Title,
            description = "邻居长期在楼道堆放杂物，协商无果。",
            categoryCode = "06",
            territoryCode = "620821100",
            reporter = new { name = ReporterName, phone = ReporterPhone },
            parties = new[] { new { name = PartyName, phone = PartyPhone, role = "被申请人" } },
        }), idempotencyKey: key));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await Json.ReadAsync(response);
        var code = answer["code"]!.GetValue<string>();

        // The answer, and a later read, show the masked forms only.
        Assert.Equal("欧***", answer["reporter"]!["name"]!.GetValue<string>());
        Assert.Equal("139****5678", answer["reporter"]!["phone"]!.GetValue<string>());
        Assert.Equal("司***", answer["parties"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("137****1357", answer["parties"]![0]!["phone"]!.GetValue<string>());
        Assert.Equal("被申请人", answer["parties"]![0]!["role"]!.GetValue<string>());
        var read = await host.Client.GetStringAsync($"/api/v1/matters/{code}");
        Assert.Contains("欧***", read);
        Assert.Contains("139****5678", read);
        AssertNoClearValue(read);

        // The rows: ciphertext under the configured key, the phone's keyed hash, nothing in clear in events or the stored answer.
        var (matter, events, stored) = await host.QueryAsync(async db =>
        {
            var m = await db.Matters.AsNoTracking().SingleAsync(x => x.Code == code);
            var e = await db.MatterEvents.AsNoTracking().Where(x => x.MatterId == m.Id).Select(x => x.Data).ToListAsync();
            var k = await db.IdempotencyKeys.AsNoTracking().Where(x => x.Key.EndsWith(key)).Select(x => x.ResponseBody).SingleAsync();
            return (m, e, k);
        });
        Assert.StartsWith($"{TestPersonalDataKeys.KeyId}:", matter.ReporterName);
        Assert.StartsWith($"{TestPersonalDataKeys.KeyId}:", matter.ReporterPhone);
        Assert.StartsWith($"{TestPersonalDataKeys.KeyId}:", matter.Parties);
        Assert.Null(matter.ReporterIdNumber);
        Assert.True(matter.ReporterName!.Length <= 400 && matter.ReporterPhone!.Length <= 400);
        var protector = TestPersonalDataKeys.Protector();
        Assert.Equal(protector.PhoneHash(ReporterPhone), matter.ReporterPhoneHash);
        Assert.Equal(protector.PhoneHash("+86 139-1234-5678"), matter.ReporterPhoneHash);

        var clear = new MatterPersonalData(protector).Reveal(matter);
        Assert.Equal(new PersonData(ReporterName, ReporterPhone), clear.Reporter);
        Assert.Equal([new PersonData(PartyName, PartyPhone, "被申请人")], clear.Parties);
        Assert.Null(clear.ErasedAt);

        Assert.NotEmpty(events);
        Assert.All(events, AssertNoClearValue);
        Assert.Contains("欧***", stored);
        Assert.Contains("司***", stored);
        AssertNoClearValue(stored);

        // The raw store: the title (stored in clear) is found, the personal data is not.
        var bytes = await StoredBytesAsync();
        Assert.True(Contains(bytes, Title), "the search finds what is stored in clear");
        foreach (var secret in new[] { ReporterName, ReporterPhone, PartyName, PartyPhone })
        {
            Assert.False(Contains(bytes, secret), $"'{secret}' is stored in clear");
        }
    }

    private static void AssertNoClearValue(string text)
    {
        foreach (var secret in new[] { ReporterName, ReporterPhone, PartyName, PartyPhone })
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
