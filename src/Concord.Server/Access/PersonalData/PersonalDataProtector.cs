using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Concord.Server.Access.PersonalData;

/// <summary>
/// Encrypts short personal-data strings (names, phone numbers, ID numbers, the parties' JSON) for
/// storage with AES-256-GCM, and hashes phone numbers for lookups with HMAC-SHA256.
/// A stored value is <c>{keyId}:{base64url(nonce | ciphertext | tag)}</c>: a random 12-byte nonce
/// per value and a 16-byte tag, with the key id as associated data, so that a value cannot be
/// relabelled to another key unnoticed. Reading never returns a guess: a value under an unknown
/// key, altered, or not in this form throws a <see cref="PersonalDataException"/>.
/// </summary>
public sealed class PersonalDataProtector(PersonalDataKeyRing keys)
{
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public string CurrentKeyId => keys.CurrentKeyId;

    /// <summary>The stored form of <paramref name="clear"/> under the current key; null stays null, "" is encrypted like any value.</summary>
    public string? Protect(string? clear)
    {
        if (clear is null)
        {
            return null;
        }

        var keyId = keys.CurrentKeyId;
        var plain = Encoding.UTF8.GetBytes(clear);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        try
        {
            using var aes = new AesGcm(keys.CurrentKey, TagSize);
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), AssociatedData(keyId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        return keyId + ":" + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The clear text of a stored value; null stays null.</summary>
    /// <exception cref="PersonalDataKeyNotFoundException">The value's key id is not configured.</exception>
    /// <exception cref="PersonalDataException">The value was altered, or is not in the stored form.</exception>
    public string? Unprotect(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        if (!TrySplit(stored, out var keyId, out var sealedBytes))
        {
            // Never quote the value: it may be personal data stored in clear before encryption at rest.
            throw new PersonalDataException(
                null,
                "A personal-data value is not in the protected form '<keyId>:<base64url>'. If it was stored before encryption at rest, "
                + "run `personal-data rekey` to encrypt it.");
        }

        if (!keys.TryGetKey(keyId, out var key))
        {
            throw new PersonalDataKeyNotFoundException(keyId, keys.KeyIds);
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plain, AssociatedData(keyId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new PersonalDataException(
                keyId,
                $"A personal-data value under key '{keyId}' failed authentication: it was altered, or the key configured as '{keyId}' is not the one it was written with.",
                e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>True for null and for values written under the current key (nothing for a rekey to do).</summary>
    public bool IsCurrent(string? stored) => stored is null || KeyIdOf(stored) == keys.CurrentKeyId;

    /// <summary>The key id of a value in the stored form; null when it is not in that form (e.g. clear text stored before encryption).</summary>
    public static string? KeyIdOf(string? stored) =>
        stored is not null && TrySplit(stored, out var keyId, out _) ? keyId : null;

    /// <summary>
    /// A keyed hash (HMAC-SHA256 under the lookup key, lower-case hex) of the normalized phone number,
    /// to find the other matters of one number without storing it in clear; null without digits.
    /// </summary>
    public string? PhoneHash(string? phone)
    {
        if (NormalizePhone(phone) is not { } normalized)
        {
            return null;
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.LookupKey, Encoding.ASCII.GetBytes(normalized)));
    }

    /// <summary>
    /// A keyed hash of arbitrary bytes that may hold personal data (e.g. a request body kept to
    /// recognise a retry): equal inputs give equal hashes, and without the key nothing can be guessed back.
    /// </summary>
    public string KeyedHash(byte[] data) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(keys.LookupKey, data));

    /// <summary>
    /// The digits of a phone number, without China's country code on a mobile number:
    /// "+86 138 1234 5678", "0086 13812345678", "138-1234-5678" all give "13812345678".
    /// </summary>
    public static string? NormalizePhone(string? phone)
    {
        if (phone is null)
        {
            return null;
        }

        var digits = string.Concat(phone.Where(char.IsAsciiDigit));
        if (digits.Length == 13 && digits.StartsWith("861", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        else if (digits.Length == 15 && digits.StartsWith("00861", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }

        return digits.Length == 0 ? null : digits;
    }

    private static bool TrySplit(string stored, out string keyId, out byte[] sealedBytes)
    {
        keyId = "";
        sealedBytes = [];
        var colon = stored.IndexOf(':');
        if (colon <= 0 || !PersonalDataKeyRing.IsValidKeyId(stored.AsSpan(0, colon)))
        {
            return false;
        }

        var payload = stored.AsSpan(colon + 1);
        if (!Base64Url.IsValid(payload, out var decodedLength) || decodedLength < NonceSize + TagSize)
        {
            return false;
        }

        sealedBytes = Base64Url.DecodeFromChars(payload);
        keyId = stored[..colon];
        return true;
    }

    private static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes(keyId);
}

/// <summary>A stored personal-data value could not be read. The message never contains the value.</summary>
public class PersonalDataException : CryptographicException
{
    public PersonalDataException(string? keyId, string message, Exception? inner = null)
        : base(message, inner)
    {
        KeyId = keyId;
    }

    /// <summary>The key id the value names, when it names one.</summary>
    public string? KeyId { get; }
}

/// <summary>A stored value names a key that is not configured (removed too early, or a node with other keys).</summary>
public sealed class PersonalDataKeyNotFoundException(string keyId, IEnumerable<string> configured)
    : PersonalDataException(
        keyId,
        $"A personal-data value is under key '{keyId}', which is not configured (configured: {string.Join(", ", configured)}). "
        + $"Add the key it was written with as {PersonalDataKeyRing.KeysSetting}:{keyId}; remove a key only after `personal-data rekey` has moved every value off it.");
