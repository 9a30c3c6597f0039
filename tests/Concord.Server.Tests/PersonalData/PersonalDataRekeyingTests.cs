using System.Net;
using System.Security.Cryptography;
using Concord.Server.Access.PersonalData;
using Concord.Server.Data;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Server.Tests.PersonalData;

public sealed class PersonalDataRekeyingOnSqlite(SqliteHost host) : PersonalDataRekeyingTests<SqliteHost>(host)
{
    [Fact]
    public async Task The_command_line_rekey_encrypts_values_stored_in_clear()
    {
        var code = await PostAsync(new { name = "上官婉儿", phone = "13511112222" }, []);
        await StoreInClearAsync(code, "上官婉儿", "13511112222", null);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestPersonalDataKeys.Settings).Build();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddDbContext<ConcordDb, SqliteConcordDb>(o => o.UseSqlite($"Data Source={Host.DatabaseFile}"))
            .AddPersonalData(configuration)
            .BuildServiceProvider();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await PersonalDataRekeying.TryRunAsync(["personal-data", "rekey", "--batch-size", "2"], services, output, error, TestContext.Current.CancellationToken);

        Assert.True(exit == PersonalDataRekeying.Done, error.ToString());
        Assert.Contains("under key 'test'", output.ToString());
        Assert.Contains("found in clear", output.ToString());
        var matter = await Host.QueryAsync(db => db.Matters.AsNoTracking().SingleAsync(m => m.Code == code));
        Assert.StartsWith("test:", matter.ReporterName);
        Assert.Equal(TestPersonalDataKeys.Protector().PhoneHash("13511112222"), matter.ReporterPhoneHash);
        Assert.Equal("上官婉儿", TestPersonalDataKeys.Protector().Unprotect(matter.ReporterName));
    }
}

/// <summary>The command line's arguments, without a host.</summary>
public sealed class PersonalDataCommandTests
{
    [Theory]
    [InlineData("personal-data")]
    [InlineData("personal-data rotate")]
    [InlineData("personal-data rekey --batch-size")]
    [InlineData("personal-data rekey --batch-size 0")]
    [InlineData("personal-data rekey --fast")]
    public async Task Malformed_commands_print_the_usage(string commandLine)
    {
        var args = commandLine.Split(' ');
        var error = new StringWriter();
        var exit = await PersonalDataRekeying.TryRunAsync(args, new ServiceCollection().BuildServiceProvider(), TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(PersonalDataRekeying.Usage, exit);
        Assert.Contains("usage: personal-data rekey", error.ToString());
    }

    [Fact]
    public async Task Other_commands_are_left_alone()
    {
        Assert.Null(await PersonalDataRekeying.TryRunAsync(["audit", "verify"], new ServiceCollection().BuildServiceProvider(), TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.Null(await PersonalDataRekeying.TryRunAsync([], new ServiceCollection().BuildServiceProvider(), TextWriter.Null, TextWriter.Null, CancellationToken.None));
    }
}

public sealed class PersonalDataRekeyingOnPostgres(PostgresHost host) : PersonalDataRekeyingTests<PostgresHost>(host);

/// <summary>Key rotation against each real store.</summary>
public abstract class PersonalDataRekeyingTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    protected THost Host => host;

    protected async Task<string> PostAsync(object? reporter, object[] parties)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "dispute",
            channel = "walkin",
            title = "邻居占用楼道",
            description = "邻居长期在楼道堆放杂物，协商无果。",
            categoryCode = "06",
            territoryCode = "620821100",
            reporter,
            parties,
        })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    /// <summary>Makes a matter look as if it was taken in before encryption at rest: values in clear, no phone hash.</summary>
    protected Task StoreInClearAsync(string code, string name, string phone, string? parties) => host.QueryAsync(async db =>
    {
        var matter = await db.Matters.SingleAsync(m => m.Code == code);
        matter.ReporterName = name;
        matter.ReporterPhone = phone;
        matter.ReporterPhoneHash = null;
        matter.Parties = parties;
        return await db.SaveChangesAsync();
    });

    private Task<RekeyResult> RekeyAsync(PersonalDataProtector protector, int batchSize) =>
        host.QueryAsync(db => new PersonalDataRekeying(db, protector, NullLogger<PersonalDataRekeying>.Instance).RunAsync(batchSize, TestContext.Current.CancellationToken));

    private Task<MatterRow> RowAsync(string code) =>
        host.QueryAsync(db => db.Matters.AsNoTracking().SingleAsync(m => m.Code == code));

    [Fact]
    public async Task Rekey_moves_every_value_to_the_current_key_encrypts_clear_values_and_stops_at_an_unknown_key()
    {
        var protected1 = await PostAsync(new { name = "欧阳娜娜", phone = "13912345678" }, [new { name = "司马相如", phone = "13724681357", role = "被申请人" }]);
        var without = await PostAsync(null, []);
        var legacy = await PostAsync(new { name = "x" }, []);
        await StoreInClearAsync(legacy, "诸葛孔明", "+86 136 0000 1111", """[{"name":"黄月英","role":"申请人"}]""");
        var before = await RowAsync(protected1);

        // 1. A new current key: everything moves to it, in batches of one matter.
        var nextKey = RandomNumberGenerator.GetBytes(32);
        var rotated = TestPersonalDataKeys.Protector("next", ("next", nextKey));
        var result = await RekeyAsync(rotated, batchSize: 1);

        Assert.Equal(3, result.ClearValues);
        Assert.Equal(1, result.PhoneHashes);
        Assert.True(result.Values >= 3, $"{result.Values} values");
        Assert.True(result.Matters >= 2, $"{result.Matters} matters");
        Assert.Equal(0, result.Remaining);

        var moved = await RowAsync(protected1);
        Assert.StartsWith("next:", moved.ReporterName);
        Assert.StartsWith("next:", moved.ReporterPhone);
        Assert.StartsWith("next:", moved.Parties);
        Assert.Equal(before.ReporterPhoneHash, moved.ReporterPhoneHash);
        Assert.Equal(before.Version, moved.Version);
        var personalData = new MatterPersonalData(rotated);
        var clear = personalData.Reveal(moved);
        Assert.Equal(new PersonData("欧阳娜娜", "13912345678"), clear.Reporter);
        Assert.Equal([new PersonData("司马相如", "13724681357", "被申请人")], clear.Parties);

        var wasClear = await RowAsync(legacy);
        Assert.StartsWith("next:", wasClear.ReporterName);
        Assert.Equal(rotated.PhoneHash("13600001111"), wasClear.ReporterPhoneHash);
        var revealed = personalData.Reveal(wasClear);
        Assert.Equal(new PersonData("诸葛孔明", "+86 136 0000 1111"), revealed.Reporter);
        Assert.Equal([new PersonData("黄月英", null, "申请人")], revealed.Parties);

        var empty = await RowAsync(without);
        Assert.Null(empty.ReporterName);
        Assert.Null(empty.Parties);

        // 2. Nothing left to do.
        Assert.Equal(new RekeyResult(0, 0, 0, 0, 0), await RekeyAsync(rotated, batchSize: 500));

        // 3. A key that was removed too early stops the run, names the key and changes nothing.
        var stranger = new PersonalDataProtector(PersonalDataKeyRing.Create("other", [KeyValuePair.Create("other", RandomNumberGenerator.GetBytes(32))], TestPersonalDataKeys.LookupKeyBytes));
        var e = await Assert.ThrowsAsync<PersonalDataKeyNotFoundException>(() => RekeyAsync(stranger, batchSize: 500));
        Assert.Equal("next", e.KeyId);
        Assert.Equal(moved.ReporterName, (await RowAsync(protected1)).ReporterName);

        // 4. Back to the hosts' key: the API reads every matter again, masked.
        var back = await RekeyAsync(TestPersonalDataKeys.Protector(TestPersonalDataKeys.KeyId, ("next", nextKey)), batchSize: 2);
        Assert.Equal(0, back.ClearValues);
        Assert.True(back.Values >= 6, $"{back.Values} values");
        Assert.StartsWith("test:", (await RowAsync(legacy)).Parties);

        var read = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{legacy}"));
        Assert.Equal("诸***", read["reporter"]!["name"]!.GetValue<string>());
        Assert.Equal("136****1111", read["reporter"]!["phone"]!.GetValue<string>());
        Assert.Equal("黄**", read["parties"]![0]!["name"]!.GetValue<string>());
        var first = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{protected1}"));
        Assert.Equal("欧***", first["reporter"]!["name"]!.GetValue<string>());
    }
}
