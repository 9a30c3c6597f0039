using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Concord.Server.Audit;

/// <summary>
/// The hash chain of the audit log, as pure functions: the canonical content of an entry and its
/// hash. <c>Hash = hex(SHA-256(UTF-8(canonical content)))</c>, lower case; the canonical content
/// includes the entry's <see cref="AuditEntryRow.ChainSeq"/> and <see cref="AuditEntryRow.PreviousHash"/>,
/// so each hash commits to the whole chain before it. The first entry links to <see cref="Genesis"/>.
/// </summary>
/// <remarks>
/// The canonical content is a versioned, line-per-field text in a fixed field order. Every text
/// field is written as <c>name:&lt;UTF-8 byte length&gt;:&lt;value&gt;</c> (or <c>name:-</c> for null), so that no
/// value can be mistaken for a field boundary, and null differs from the empty string. The instant
/// is UTC to the microsecond (PostgreSQL keeps microseconds; more precision would not survive a
/// round trip). Changing anything here invalidates every chain already sealed: add a new version
/// instead.
/// </remarks>
public static class AuditChain
{
    /// <summary>The PreviousHash of the first entry of the chain.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The first line of the canonical content (the format's version).</summary>
    public const string Version = "concord-audit-v1";

    private const string InstantFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    /// <summary>The canonical content of an entry, as it is hashed.</summary>
    public static string CanonicalContent(AuditEntryRow entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = new StringBuilder(256 + entry.Details.Length);
        text.Append(Version).Append('\n');
        Number(text, "id", entry.Id);
        text.Append("at:").Append(FormatInstant(entry.At)).Append('\n');
        Text(text, "actor", entry.Actor);
        Text(text, "action", entry.Action);
        Text(text, "targetType", entry.TargetType);
        Text(text, "targetId", entry.TargetId);
        Text(text, "source", entry.Source);
        Text(text, "details", entry.Details);
        Number(text, "chainSeq", entry.ChainSeq);
        Text(text, "previousHash", entry.PreviousHash);
        return text.ToString();
    }

    /// <summary>The hash of an entry as its fields stand (including ChainSeq and PreviousHash), 64 lower-case hex digits.</summary>
    public static string ComputeHash(AuditEntryRow entry) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalContent(entry))));

    /// <summary>Places an entry in the chain after <paramref name="previousHash"/>: sets ChainSeq, PreviousHash and Hash.</summary>
    public static void Seal(AuditEntryRow entry, long chainSeq, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.ChainSeq = chainSeq;
        entry.PreviousHash = previousHash;
        entry.Hash = ComputeHash(entry);
    }

    /// <summary>
    /// The instant as hashed: UTC (as the model's converter stores it: a non-UTC value is taken as
    /// local time), truncated to the microsecond, in a fixed format.
    /// </summary>
    public static string FormatInstant(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Utc ? at : at.ToUniversalTime();
        var microseconds = new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
        return microseconds.ToString(InstantFormat, CultureInfo.InvariantCulture);
    }

    private static void Number(StringBuilder text, string name, long? value)
    {
        text.Append(name).Append(':');
        if (value is { } v)
        {
            text.Append(v.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append('-');
        }

        text.Append('\n');
    }

    private static void Text(StringBuilder text, string name, string? value)
    {
        text.Append(name).Append(':');
        if (value is null)
        {
            text.Append('-');
        }
        else
        {
            text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }

        text.Append('\n');
    }
}
