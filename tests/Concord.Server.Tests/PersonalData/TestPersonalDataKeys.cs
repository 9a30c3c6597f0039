using Concord.Server.Access.PersonalData;

namespace Concord.Server.Tests.PersonalData;

/// <summary>
/// The personal-data keys every test host is configured with (ConcordHost sets <see cref="Settings"/>),
/// so that tests can read what a host stored. Test keys only: fixed bytes, never used anywhere else.
/// </summary>
public static class TestPersonalDataKeys
{
    public const string KeyId = "test";

    public static readonly byte[] KeyBytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static readonly byte[] LookupKeyBytes = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    public static string Key => Convert.ToBase64String(KeyBytes);

    public static string LookupKey => Convert.ToBase64String(LookupKeyBytes);

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"{PersonalDataKeyRing.KeysSetting}:{KeyId}"] = Key,
        [PersonalDataKeyRing.CurrentKeySetting] = KeyId,
        [PersonalDataKeyRing.LookupKeySetting] = LookupKey,
    };

    /// <summary>A protector with the hosts' key, and any further keys, writing under <paramref name="current"/>.</summary>
    public static PersonalDataProtector Protector(string current = KeyId, params (string Id, byte[] Key)[] more) =>
        new(PersonalDataKeyRing.Create(
            current,
            more.Select(k => KeyValuePair.Create(k.Id, k.Key)).Prepend(KeyValuePair.Create(KeyId, KeyBytes)),
            LookupKeyBytes));
}
