using System.Security.Cryptography;
using System.Text;

namespace Concord.Server.Features.Portal;

/// <summary>
/// A resident's way back to their matter: a tracking code (short, easy to read out) and a secret.
/// The code alone never shows a matter, so matters cannot be enumerated by trying codes.
/// </summary>
public static class Tracking
{
    // No 0/O, 1/I/L: read out on the phone without mistakes.
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string NewCode() => Random(10);

    public static string NewSecret() => Random(16);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret.Trim().ToUpperInvariant())));

    public static bool SecretMatches(string? secret, string? storedHash) =>
        secret is not null && storedHash is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Random(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
}
