using System.Security.Cryptography;
using System.Text;
using Concord.Server.Audit;

namespace Concord.Server.Tests.Audit;

/// <summary>The canonical content and hash of an audit entry, without a database.</summary>
public sealed class AuditChainHashTests
{
    private static AuditEntryRow Entry() => new()
    {
        Id = 42,
        At = new DateTime(2026, 11, 26, 1, 30, 0, DateTimeKind.Utc).AddTicks(1234560),
        Actor = "u-1001",
        Action = "matter.dispatched",
        TargetType = "matter",
        TargetId = "20261126-00000042",
        Source = "10.0.0.8",
        Details = "{\"unit\":\"620802-gov\",\"note\":\"派单\"}",
        ChainSeq = 7,
        PreviousHash = new string('a', 64),
    };

    public static TheoryData<string> Fields => new()
    {
        "Id", "At", "Actor", "Action", "TargetType", "TargetId", "Source", "Details", "ChainSeq", "PreviousHash",
    };

    private static void Change(AuditEntryRow e, string field)
    {
        switch (field)
        {
            case "Id": e.Id++; break;
            case "At": e.At = e.At.AddTicks(10); break; // one microsecond
            case "Actor": e.Actor += "x"; break;
            case "Action": e.Action = "matter.closed"; break;
            case "TargetType": e.TargetType = null; break;
            case "TargetId": e.TargetId = "20261126-00000043"; break;
            case "Source": e.Source = "10.0.0.9"; break;
            case "Details": e.Details = e.Details.Replace("派单", "派單", StringComparison.Ordinal); break;
            case "ChainSeq": e.ChainSeq = 8; break;
            case "PreviousHash": e.PreviousHash = AuditChain.Genesis; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    [Fact]
    public void The_same_content_always_gives_the_same_hash()
    {
        var hash = AuditChain.ComputeHash(Entry());
        Assert.Equal(hash, AuditChain.ComputeHash(Entry()));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AuditChain.CanonicalContent(Entry())))), hash);

        // The stored Hash is not part of what is hashed.
        var withHash = Entry();
        withHash.Hash = hash;
        Assert.Equal(hash, AuditChain.ComputeHash(withHash));
    }

    [Fact]
    public void The_format_is_pinned()
    {
        // Changing the canonical content breaks every chain already sealed: this must never change silently.
        Assert.Equal(
            "concord-audit-v1\n" +
            "id:42\n" +
            "at:2026-11-26T01:30:00.123456Z\n" +
            "actor:6:u-1001\n" +
            "action:17:matter.dispatched\n" +
            "targetType:6:matter\n" +
            "targetId:17:20261126-00000042\n" +
            "source:8:10.0.0.8\n" +
            "details:37:{\"unit\":\"620802-gov\",\"note\":\"派单\"}\n" +
            "chainSeq:7\n" +
            "previousHash:64:" + new string('a', 64) + "\n",
            AuditChain.CanonicalContent(Entry()));
        // Computed independently (Python hashlib over the text above).
        Assert.Equal("2e3ca6168556e413cf1d7f1e63b29bbeadcc47d9889f374dc42b6fae628946ab", AuditChain.ComputeHash(Entry()));
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Changing_any_field_changes_the_hash(string field)
    {
        var changed = Entry();
        Change(changed, field);
        Assert.NotEqual(AuditChain.CanonicalContent(Entry()), AuditChain.CanonicalContent(changed));
        Assert.NotEqual(AuditChain.ComputeHash(Entry()), AuditChain.ComputeHash(changed));
    }

    [Fact]
    public void Values_cannot_be_shifted_across_fields_and_null_is_not_empty()
    {
        var a = Entry();
        a.Actor = "ab";
        a.Action = "c";
        var b = Entry();
        b.Actor = "a";
        b.Action = "bc";
        Assert.NotEqual(AuditChain.ComputeHash(a), AuditChain.ComputeHash(b));

        // A value that looks like further fields is still one value.
        var forged = Entry();
        forged.Details = "{}\nchainSeq:7";
        forged.ChainSeq = null;
        Assert.NotEqual(AuditChain.ComputeHash(Entry()), AuditChain.ComputeHash(forged));

        var empty = Entry();
        empty.TargetId = "";
        var none = Entry();
        none.TargetId = null;
        Assert.NotEqual(AuditChain.ComputeHash(empty), AuditChain.ComputeHash(none));
    }

    [Fact]
    public void The_instant_is_hashed_in_UTC_to_the_microsecond()
    {
        // Below a microsecond is what PostgreSQL drops: it must not matter.
        var finer = Entry();
        finer.At = finer.At.AddTicks(9);
        Assert.Equal(AuditChain.ComputeHash(Entry()), AuditChain.ComputeHash(finer));

        // The same instant in local time is the same entry.
        var local = Entry();
        local.At = local.At.ToLocalTime();
        Assert.Equal(AuditChain.ComputeHash(Entry()), AuditChain.ComputeHash(local));

        Assert.Equal("2026-11-26T01:30:00.123456Z", AuditChain.FormatInstant(Entry().At));
    }

    [Fact]
    public void Sealing_sets_the_position_the_link_and_the_hash()
    {
        var entry = Entry();
        entry.ChainSeq = null;
        entry.PreviousHash = null;
        AuditChain.Seal(entry, 1, AuditChain.Genesis);
        Assert.Equal(1, entry.ChainSeq);
        Assert.Equal(AuditChain.Genesis, entry.PreviousHash);
        Assert.Equal(AuditChain.ComputeHash(entry), entry.Hash);
        Assert.Equal(64, AuditChain.Genesis.Length);
        Assert.All(AuditChain.Genesis, c => Assert.Equal('0', c));
    }
}
