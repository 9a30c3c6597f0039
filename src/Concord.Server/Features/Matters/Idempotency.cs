using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Matters;

/// <summary>
/// Idempotency-Key handling (IETF httpapi draft): the first response to a key is stored in the
/// same transaction as the matter it created, so a retry gets that response again and can never
/// create a second matter; reusing a key for a different body answers 422.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static bool IsWellFormed(string key) =>
        key.Length is > 0 and <= 200 && key.All(c => c is > ' ' and < (char)127);

    /// <summary>The body's fingerprint, keyed: the body holds names and phones, so a plain hash would let a guess be confirmed.</summary>
    public static string Hash(byte[] body, Concord.Server.Access.PersonalData.PersonalDataProtector protector) => protector.KeyedHash(body);

    public static Task<IdempotencyRow?> FindAsync(ConcordDb db, string key, CancellationToken cancellationToken) =>
        db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Key == key, cancellationToken);

    /// <summary>True when saving failed because another request stored the same key first.</summary>
    public static bool IsDuplicateKey(DbUpdateException e) =>
        e.InnerException switch
        {
            Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19 && s.Message.Contains("idempotency_keys", StringComparison.Ordinal), // SQLITE_CONSTRAINT
            Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && p.TableName == "idempotency_keys",
            _ => false,
        };
}
