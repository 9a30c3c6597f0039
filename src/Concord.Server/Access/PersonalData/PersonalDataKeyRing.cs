using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Concord.Server.Data;
using Concord.Server.Startup;

namespace Concord.Server.Access.PersonalData;

/// <summary>
/// The keys personal data is protected with: one or more 256-bit encryption keys by id (one of
/// them current, for new writes) and a separate 256-bit lookup key for the phone hash.
/// They come from configuration (<c>Concord:PersonalData:Keys:&lt;id&gt;</c>, <c>CurrentKey</c>,
/// <c>LookupKey</c>); without any, from a key file generated on first start (SQLite only).
/// Key ids are lower case (configuration keys are case-insensitive, stored values are not).
/// </summary>
public sealed class PersonalDataKeyRing
{
    public const string Section = "Concord:PersonalData";
    public const string KeysSetting = Section + ":Keys";
    public const string CurrentKeySetting = Section + ":CurrentKey";
    public const string LookupKeySetting = Section + ":LookupKey";
    public const string KeyFileSetting = Section + ":KeyFile";
    public const string DefaultKeyFile = "data/personal-data.keys.json";
    public const int KeySize = 32;
    public const int MaxKeyIdLength = 32;

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly Dictionary<string, byte[]> keys;

    private PersonalDataKeyRing(string currentKeyId, Dictionary<string, byte[]> keys, byte[] lookupKey, string source)
    {
        CurrentKeyId = currentKeyId;
        this.keys = keys;
        LookupKey = lookupKey;
        Source = source;
    }

    /// <summary>The id new values are written under.</summary>
    public string CurrentKeyId { get; }

    public IReadOnlyCollection<string> KeyIds => keys.Keys;

    /// <summary>Where the keys came from, for the log: "configuration" or "key file /path".</summary>
    public string Source { get; }

    internal byte[] LookupKey { get; }

    internal byte[] CurrentKey => keys[CurrentKeyId];

    internal bool TryGetKey(string keyId, out byte[] key) => keys.TryGetValue(keyId, out key!);

    /// <summary>Lower-case letters, digits, '-', '_' and '.', at most 32: safe in a configuration key and before the ':' of a stored value.</summary>
    public static bool IsValidKeyId(ReadOnlySpan<char> keyId) =>
        keyId.Length is > 0 and <= MaxKeyIdLength
        && !keyId.ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>A key ring from key material in hand (tests, tools). Every fault is reported at once.</summary>
    public static PersonalDataKeyRing Create(string currentKeyId, IEnumerable<KeyValuePair<string, byte[]>> keys, byte[] lookupKey, string source = "code")
    {
        var problems = new List<string>();
        var ring = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in keys)
        {
            var normalized = id.Trim().ToLowerInvariant();
            if (!IsValidKeyId(normalized))
            {
                problems.Add($"the key id '{id}' is not valid (1–{MaxKeyIdLength} of a–z, 0–9, '-', '_', '.')");
            }
            else if (key.Length != KeySize)
            {
                problems.Add($"the key '{normalized}' has {key.Length} bytes, not {KeySize}");
            }
            else if (!ring.TryAdd(normalized, key.ToArray()))
            {
                problems.Add($"the key id '{normalized}' is given twice");
            }
        }

        var current = currentKeyId.Trim().ToLowerInvariant();
        if (ring.Count == 0)
        {
            problems.Add("there is no encryption key");
        }
        else if (!ring.ContainsKey(current))
        {
            problems.Add($"the current key '{current}' is not among the keys ({string.Join(", ", ring.Keys)})");
        }

        if (lookupKey.Length != KeySize)
        {
            problems.Add($"the lookup key has {lookupKey.Length} bytes, not {KeySize}");
        }
        else if (ring.Values.Any(k => CryptographicOperations.FixedTimeEquals(k, lookupKey)))
        {
            problems.Add("the lookup key is also an encryption key: give it key material of its own");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Personal-data keys ({source}): {string.Join("; ", problems)}.");
        }

        return new PersonalDataKeyRing(current, ring, lookupKey.ToArray(), source);
    }

    /// <summary>
    /// The keys of the configuration; null when none of Keys, CurrentKey and LookupKey is set (the
    /// key-file fallback then applies). Incomplete or malformed settings throw, naming each fault
    /// but never a key's value. Empty values count as unset, so that a layer can remove a key.
    /// </summary>
    public static PersonalDataKeyRing? FromConfiguration(IConfiguration configuration)
    {
        var entries = configuration.GetSection(KeysSetting).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToList();
        var current = configuration[CurrentKeySetting];
        var lookup = configuration[LookupKeySetting];
        if (entries.Count == 0 && string.IsNullOrWhiteSpace(current) && string.IsNullOrWhiteSpace(lookup))
        {
            return null;
        }

        var problems = new List<string>();
        var keys = new List<KeyValuePair<string, byte[]>>();
        foreach (var entry in entries)
        {
            if (DecodeKey(entry.Value!) is { } key)
            {
                keys.Add(new(entry.Key, key));
            }
            else
            {
                problems.Add($"{KeysSetting}:{entry.Key} is not base64 of {KeySize} bytes");
            }
        }

        if (entries.Count == 0)
        {
            problems.Add($"no {KeysSetting}:<id> is set (base64 of {KeySize} random bytes, e.g. `openssl rand -base64 32`)");
        }

        if (string.IsNullOrWhiteSpace(current))
        {
            if (entries.Count == 1)
            {
                current = entries[0].Key;
            }
            else if (entries.Count > 1)
            {
                problems.Add($"{CurrentKeySetting} is not set: name the key id new values are written under");
            }
        }

        byte[]? lookupKey = null;
        if (string.IsNullOrWhiteSpace(lookup))
        {
            problems.Add($"{LookupKeySetting} is not set (base64 of {KeySize} random bytes, distinct from the encryption keys)");
        }
        else if ((lookupKey = DecodeKey(lookup)) is null)
        {
            problems.Add($"{LookupKeySetting} is not base64 of {KeySize} bytes");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Personal-data keys (configuration): {string.Join("; ", problems)}.");
        }

        return Create(current!, keys, lookupKey!, "configuration");
    }

    /// <summary>
    /// Refuses the key-file fallback where it cannot work: on PostgreSQL several nodes share the
    /// database, and each would generate a key file of its own.
    /// </summary>
    public static void EnsureFallbackAllowed(IConfiguration configuration)
    {
        if (DatabaseSetup.ProviderFrom(configuration) == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                "Personal-data keys are not configured. With PostgreSQL several nodes share one database, so a key file "
                + $"generated by one node would leave the others unable to read personal data. Configure on every node: {KeysSetting}:<id> "
                + $"(base64 of {KeySize} random bytes, e.g. `openssl rand -base64 32`), {CurrentKeySetting}=<id> and {LookupKeySetting} "
                + "(another 32 random bytes). See src/Concord.Server/Access/PersonalData/README.md.");
        }
    }

    /// <summary>The configured keys, or (SQLite only) the key file, generated on first use.</summary>
    public static PersonalDataKeyRing Load(IConfiguration configuration, ILogger logger)
    {
        if (FromConfiguration(configuration) is { } configured)
        {
            return configured;
        }

        EnsureFallbackAllowed(configuration);
        var path = Path.GetFullPath(configuration[KeyFileSetting] is { Length: > 0 } file ? file : DefaultKeyFile);
        var ring = FromKeyFile(path, out var created);
        logger.LogWarning(
            "Personal data is encrypted with keys from {KeyFile}{Created}. Production deployments should configure {Keys}:<id>, {Current} and {Lookup} "
            + "instead, and back the keys up apart from the database: without them the personal data cannot be read.",
            path, created ? " (generated now)" : "", KeysSetting, CurrentKeySetting, LookupKeySetting);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            logger.LogWarning("The personal-data key file {KeyFile} can be read by other users: chmod 600 it.", path);
        }

        return ring;
    }

    /// <summary>
    /// Reads the key file, creating it first when it does not exist. Creation is exclusive
    /// (create-new, locked while written), and a reader that meets a file still being written waits
    /// for it, so hosts starting together in one process or on one machine all end up with the keys
    /// of whichever host created the file.
    /// </summary>
    public static PersonalDataKeyRing FromKeyFile(string path, out bool created)
    {
        created = !File.Exists(path) && TryCreateKeyFile(path);
        var content = ReadKeyFile(path);
        if (content.CurrentKey is null || content.Keys is null || content.LookupKey is null)
        {
            throw new InvalidOperationException($"The personal-data key file {path} lacks currentKey, keys or lookupKey.");
        }

        var keys = new List<KeyValuePair<string, byte[]>>();
        foreach (var (id, value) in content.Keys)
        {
            keys.Add(new(id, DecodeKey(value) ?? throw new InvalidOperationException($"The personal-data key file {path}: key '{id}' is not base64 of {KeySize} bytes.")));
        }

        var lookupKey = DecodeKey(content.LookupKey) ?? throw new InvalidOperationException($"The personal-data key file {path}: lookupKey is not base64 of {KeySize} bytes.");
        return Create(content.CurrentKey, keys, lookupKey, $"key file {path}");
    }

    private static KeyFile ReadKeyFile(string path)
    {
        // Another host may be writing it this very moment: locked, or still empty. Wait a little for it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path), FileJson)
                    ?? throw new InvalidOperationException($"The personal-data key file {path} holds no keys.");
            }
            catch (Exception e) when (e is IOException or JsonException && attempt < 50)
            {
                Thread.Sleep(100);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"The personal-data key file {path} is not valid JSON: {e.Message}", e);
            }
        }
    }

    private static bool TryCreateKeyFile(string path)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // A random id: keys generated on different machines never share an id.
        var id = "local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var content = new KeyFile(
            "Personal-data keys generated by Concord on first start. Keep this file secret and back it up apart from the database. "
            + "For production, configure Concord:PersonalData:Keys:<id>, CurrentKey and LookupKey instead (the values below can be carried over).",
            id,
            new Dictionary<string, string> { [id] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize)) },
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize)));

        // Create-new is atomic (O_EXCL): exactly one host gets to write the file. FileShare.None keeps
        // readers out (an advisory lock on Unix, honoured by .NET) until it is complete.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false; // another host created it first: use theirs
        }

        try
        {
            using (stream)
            {
                JsonSerializer.Serialize(stream, content, FileJson);
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            File.Delete(path); // never leave half a key file behind
            throw;
        }

        return true;
    }

    private static byte[]? DecodeKey(string text)
    {
        var buffer = new byte[KeySize + 3];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) && written == KeySize ? buffer[..KeySize] : null;
    }

    private sealed record KeyFile(
        [property: JsonPropertyName("_comment")] string? Comment,
        string? CurrentKey,
        Dictionary<string, string>? Keys,
        string? LookupKey);
}
