using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Concord.Server.Access.PersonalData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Server.Tests.PersonalData;

/// <summary>Where the keys come from: configuration, or the generated key file (SQLite only).</summary>
public sealed class PersonalDataKeyRingTests : IDisposable
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Lookup = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly string folder = Directory.CreateTempSubdirectory("concord-keys-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();

    [Fact]
    public void Configured_keys_are_read_with_the_current_one()
    {
        var ring = PersonalDataKeyRing.FromConfiguration(Configuration(
            ("Concord:PersonalData:Keys:k2026", KeyA),
            ("Concord:PersonalData:Keys:K2027", KeyB),
            ("Concord:PersonalData:CurrentKey", "K2027"),
            ("Concord:PersonalData:LookupKey", Lookup)))!;

        Assert.Equal("k2027", ring.CurrentKeyId);
        Assert.Equal(["k2026", "k2027"], ring.KeyIds.Order().ToArray());
        Assert.Equal("configuration", ring.Source);
    }

    [Fact]
    public void A_single_key_is_current_without_saying_so_and_empty_values_count_as_unset()
    {
        var ring = PersonalDataKeyRing.FromConfiguration(Configuration(
            ("Concord:PersonalData:Keys:only", KeyA),
            ("Concord:PersonalData:Keys:removed", ""),
            ("Concord:PersonalData:LookupKey", Lookup)))!;

        Assert.Equal("only", ring.CurrentKeyId);
        Assert.Equal(["only"], ring.KeyIds.ToArray());
    }

    [Fact]
    public void Without_any_setting_there_are_no_configured_keys()
    {
        Assert.Null(PersonalDataKeyRing.FromConfiguration(Configuration(("Concord:PersonalData:KeyFile", "x.json"))));
    }

    [Fact]
    public void Faulty_settings_are_all_reported_and_no_key_is_quoted()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PersonalDataKeyRing.FromConfiguration(Configuration(
            ("Concord:PersonalData:Keys:a", KeyA),
            ("Concord:PersonalData:Keys:short", Convert.ToBase64String(new byte[16])),
            ("Concord:PersonalData:Keys:b", "not base64!"))));

        Assert.Contains("Concord:PersonalData:Keys:short is not base64 of 32 bytes", e.Message);
        Assert.Contains("Concord:PersonalData:Keys:b is not base64", e.Message);
        Assert.Contains("Concord:PersonalData:CurrentKey is not set", e.Message);
        Assert.Contains("Concord:PersonalData:LookupKey is not set", e.Message);
        Assert.DoesNotContain(KeyA, e.Message);
    }

    [Theory]
    [InlineData("missing", "the current key 'missing' is not among the keys")]
    [InlineData("a", "the lookup key is also an encryption key")]
    public void The_current_key_must_exist_and_the_lookup_key_must_be_its_own(string current, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() => PersonalDataKeyRing.FromConfiguration(Configuration(
            ("Concord:PersonalData:Keys:a", KeyA),
            ("Concord:PersonalData:CurrentKey", current),
            ("Concord:PersonalData:LookupKey", current == "a" ? KeyA : Lookup))));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Key_ids_that_cannot_prefix_a_stored_value_are_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PersonalDataKeyRing.Create(
            "a b", [KeyValuePair.Create("a b", RandomNumberGenerator.GetBytes(32))], RandomNumberGenerator.GetBytes(32)));

        Assert.Contains("'a b' is not valid", e.Message);
    }

    [Fact]
    public void Without_keys_a_key_file_is_generated_private_reused_and_warned_about()
    {
        var path = Path.Combine(folder, "data", "personal-data.keys.json");
        var configuration = Configuration(("Concord:PersonalData:KeyFile", path));
        var logger = new ListLogger();

        var first = PersonalDataKeyRing.Load(configuration, logger);

        Assert.True(File.Exists(path));
        Assert.StartsWith("local-", first.CurrentKeyId);
        Assert.Equal($"key file {path}", first.Source);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var file = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(first.CurrentKeyId, file["currentKey"]!.GetValue<string>());
        Assert.Equal(32, Convert.FromBase64String(file["keys"]![first.CurrentKeyId]!.GetValue<string>()).Length);
        Assert.Equal(32, Convert.FromBase64String(file["lookupKey"]!.GetValue<string>()).Length);
        Assert.Contains(logger.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("Production deployments should configure") && m.Text.Contains("(generated now)"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));

        var stored = new PersonalDataProtector(first).Protect("欧阳娜娜");
        var again = PersonalDataKeyRing.Load(configuration, NullLogger.Instance);
        Assert.Equal(first.CurrentKeyId, again.CurrentKeyId);
        Assert.Equal("欧阳娜娜", new PersonalDataProtector(again).Unprotect(stored));
        Assert.Equal(new PersonalDataProtector(first).PhoneHash("13912345678"), new PersonalDataProtector(again).PhoneHash("13912345678"));
    }

    [Fact]
    public async Task Hosts_starting_together_share_one_key_file()
    {
        var path = Path.Combine(folder, "together", "keys.json");
        using var start = new Barrier(16);

        // Threads of their own, so that all sixteen wait at the barrier at once.
        var rings = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                var ring = PersonalDataKeyRing.FromKeyFile(path, out var created);
                return (ring, created);
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Single(rings.Select(r => r.ring.CurrentKeyId).Distinct());
        Assert.Single(rings, r => r.created);
        Assert.Equal(["keys.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(f => Path.GetFileName(f)).ToArray());
        var value = new PersonalDataProtector(rings[0].ring).Protect("欧阳娜娜");
        Assert.All(rings, r => Assert.Equal("欧阳娜娜", new PersonalDataProtector(r.ring).Unprotect(value)));
    }

    [Fact]
    public void The_key_file_fallback_is_refused_on_PostgreSQL_at_registration()
    {
        var path = Path.Combine(folder, "pg.keys.json");
        var configuration = Configuration(("Concord:Database:Provider", "Postgres"), ("Concord:PersonalData:KeyFile", path));

        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPersonalData(configuration));
        Assert.Contains("Concord:PersonalData:Keys:<id>", e.Message);
        Assert.Contains("PostgreSQL", e.Message);
        Assert.Throws<InvalidOperationException>(() => PersonalDataKeyRing.Load(configuration, NullLogger.Instance));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Configured_keys_serve_PostgreSQL_and_registration_writes_no_file()
    {
        var path = Path.Combine(folder, "none.keys.json");
        var configuration = Configuration(
            ("Concord:Database:Provider", "Postgres"),
            ("Concord:PersonalData:KeyFile", path),
            ("Concord:PersonalData:Keys:k1", KeyA),
            ("Concord:PersonalData:LookupKey", Lookup));

        var services = new ServiceCollection().AddLogging().AddPersonalData(configuration).BuildServiceProvider();

        Assert.Equal("k1", services.GetRequiredService<PersonalDataProtector>().CurrentKeyId);
        Assert.False(File.Exists(path));

        // On SQLite without keys, registration alone touches no file either: the file comes at start.
        var sqlite = Configuration(("Concord:PersonalData:KeyFile", path));
        var lazy = new ServiceCollection().AddLogging().AddPersonalData(sqlite).BuildServiceProvider();
        Assert.False(File.Exists(path));
        Assert.StartsWith("local-", lazy.GetRequiredService<PersonalDataProtector>().CurrentKeyId);
        Assert.True(File.Exists(path));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));
    }
}
