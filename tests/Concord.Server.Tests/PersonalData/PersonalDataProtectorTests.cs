using System.Buffers.Text;
using System.Security.Cryptography;
using Concord.Server.Access.PersonalData;

namespace Concord.Server.Tests.PersonalData;

/// <summary>The protector on its own: no host, no database.</summary>
public sealed class PersonalDataProtectorTests
{
    private static readonly byte[] K1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] K2 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Lookup = RandomNumberGenerator.GetBytes(32);

    private static PersonalDataProtector Protector(string current, params (string Id, byte[] Key)[] keys) =>
        new(PersonalDataKeyRing.Create(current, keys.Select(k => KeyValuePair.Create(k.Id, k.Key)), Lookup));

    private static readonly PersonalDataProtector Under1 = Protector("k1", ("k1", K1));

    [Theory]
    [InlineData("欧阳娜娜")]
    [InlineData("")]
    [InlineData("张")]
    [InlineData("13912345678")]
    [InlineData("+86 (139) 1234-5678")]
    [InlineData("𠮷野 家:有冒号")]
    [InlineData("[{\"name\":\"司马相如\",\"phone\":\"13724681357\",\"role\":\"被申请人\"}]")]
    public void Values_round_trip_in_the_stored_form(string clear)
    {
        var stored = Under1.Protect(clear)!;

        Assert.StartsWith("k1:", stored);
        var payload = stored["k1:".Length..];
        Assert.True(Base64Url.IsValid(payload));
        Assert.DoesNotContain('=', payload);
        Assert.Equal(PersonalDataProtector.NonceSize + System.Text.Encoding.UTF8.GetByteCount(clear) + PersonalDataProtector.TagSize, Base64Url.DecodeFromChars(payload).Length);
        Assert.Equal(clear, Under1.Unprotect(stored));
        Assert.True(Under1.IsCurrent(stored));
    }

    [Fact]
    public void The_longest_name_intake_accepts_fits_the_400_character_columns_under_the_longest_key_id()
    {
        var longId = new string('k', PersonalDataKeyRing.MaxKeyIdLength);
        var stored = Protector(longId, (longId, K1)).Protect(new string('龘', Concord.Domain.Matters.IntakeRules.NameMaxLength))!;

        Assert.True(stored.Length <= 400, $"{stored.Length} characters");
    }

    [Fact]
    public void Null_stays_null()
    {
        Assert.Null(Under1.Protect(null));
        Assert.Null(Under1.Unprotect(null));
        Assert.Null(Under1.PhoneHash(null));
    }

    [Fact]
    public void Two_encryptions_of_one_value_differ()
    {
        var first = Under1.Protect("欧阳娜娜");
        var second = Under1.Protect("欧阳娜娜");

        Assert.NotEqual(first, second);
        Assert.NotEqual(Base64Url.DecodeFromChars(first.AsSpan(3))[..12], Base64Url.DecodeFromChars(second.AsSpan(3))[..12]);
    }

    [Fact]
    public void Altering_any_byte_is_detected()
    {
        var stored = Under1.Protect("欧阳娜娜")!;
        var bytes = Base64Url.DecodeFromChars(stored.AsSpan(3));
        // Every byte: the nonce, the ciphertext and the tag.
        for (var i = 0; i < bytes.Length; i++)
        {
            var altered = bytes.ToArray();
            altered[i] ^= 0x01;
            var e = Assert.Throws<PersonalDataException>(() => Under1.Unprotect("k1:" + Base64Url.EncodeToString(altered)));
            Assert.Equal("k1", e.KeyId);
            Assert.Contains("failed authentication", e.Message);
        }

        // Cut short, or padded.
        Assert.Throws<PersonalDataException>(() => Under1.Unprotect("k1:" + Base64Url.EncodeToString(bytes[..^1])));
        Assert.Throws<PersonalDataException>(() => Under1.Unprotect("k1:" + Base64Url.EncodeToString([.. bytes, 0])));
    }

    [Fact]
    public void A_value_relabelled_to_another_key_id_fails_even_with_the_same_key_material()
    {
        // k2 holds the very same bytes as k1: only the associated data (the key id) tells them apart.
        var twins = Protector("k1", ("k1", K1), ("k2", K1));
        var stored = twins.Protect("欧阳娜娜")!;

        Assert.Equal("欧阳娜娜", twins.Unprotect(stored));
        var e = Assert.Throws<PersonalDataException>(() => twins.Unprotect("k2" + stored[2..]));
        Assert.Equal("k2", e.KeyId);
    }

    [Fact]
    public void An_unknown_key_id_is_named_and_nothing_is_returned()
    {
        var old = Protector("old", ("old", K2)).Protect("欧阳娜娜");

        var e = Assert.Throws<PersonalDataKeyNotFoundException>(() => Under1.Unprotect(old));
        Assert.Equal("old", e.KeyId);
        Assert.Contains("'old'", e.Message);
        Assert.Contains("Concord:PersonalData:Keys:old", e.Message);
    }

    [Theory]
    [InlineData("13912345678")]
    [InlineData("欧阳娜娜")]
    [InlineData("k1:")]
    [InlineData("k1:not*base64")]
    [InlineData("k1:AAAA")]
    [InlineData(":AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("K1 9:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_value_not_in_the_stored_form_throws_without_quoting_it(string stored)
    {
        var e = Assert.Throws<PersonalDataException>(() => Under1.Unprotect(stored));
        Assert.Null(e.KeyId);
        Assert.DoesNotContain(stored, e.Message);
        Assert.Null(PersonalDataProtector.KeyIdOf(stored));
        Assert.False(Under1.IsCurrent(stored));
    }

    [Fact]
    public void After_rotation_values_under_the_old_key_still_read_and_new_ones_use_the_new_key()
    {
        var old = Under1.Protect("欧阳娜娜");
        var rotated = Protector("k2", ("k1", K1), ("k2", K2));

        Assert.Equal("欧阳娜娜", rotated.Unprotect(old));
        Assert.False(rotated.IsCurrent(old));
        Assert.Equal("k1", PersonalDataProtector.KeyIdOf(old));

        var fresh = rotated.Protect("欧阳娜娜");
        Assert.StartsWith("k2:", fresh);
        Assert.True(rotated.IsCurrent(fresh));
        Assert.Throws<PersonalDataKeyNotFoundException>(() => Under1.Unprotect(fresh));
    }

    [Fact]
    public void Key_ids_are_read_in_lower_case()
    {
        var upper = Protector("K2", ("K2", K2));

        Assert.Equal("k2", upper.CurrentKeyId);
        Assert.StartsWith("k2:", upper.Protect("x"));
    }

    [Theory]
    [InlineData("+86 138 1234 5678")]
    [InlineData("13812345678")]
    [InlineData("138-1234-5678")]
    [InlineData("0086 138 1234 5678")]
    [InlineData("(138) 1234 5678")]
    public void One_mobile_number_written_in_different_ways_hashes_alike(string phone)
    {
        var hash = Under1.PhoneHash(phone);

        Assert.Equal(Under1.PhoneHash("13812345678"), hash);
        Assert.Equal("13812345678", PersonalDataProtector.NormalizePhone(phone));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain("13812345678", hash);
    }

    [Fact]
    public void Other_numbers_and_other_lookup_keys_hash_differently()
    {
        Assert.NotEqual(Under1.PhoneHash("13812345678"), Under1.PhoneHash("13812345679"));
        Assert.NotEqual(Under1.PhoneHash("13812345678"), Under1.PhoneHash("0933-8212345"));

        var otherLookup = new PersonalDataProtector(PersonalDataKeyRing.Create("k1", [KeyValuePair.Create("k1", K1)], RandomNumberGenerator.GetBytes(32)));
        Assert.NotEqual(Under1.PhoneHash("13812345678"), otherLookup.PhoneHash("13812345678"));

        // The encryption key plays no part in the hash: rotating it keeps every hash.
        Assert.Equal(Under1.PhoneHash("13812345678"), Protector("k2", ("k2", K2)).PhoneHash("13812345678"));
    }

    [Theory]
    [InlineData("8613812345678", "13812345678")]
    [InlineData("008613812345678", "13812345678")]
    [InlineData("0933-8212345", "09338212345")]
    [InlineData("8609338212345", "8609338212345")] // 13 digits but not a mobile number after 86: kept
    [InlineData("12345", "12345")]
    [InlineData("无", null)]
    [InlineData("", null)]
    public void Phones_are_normalized_to_their_digits(string phone, string? expected)
    {
        Assert.Equal(expected, PersonalDataProtector.NormalizePhone(phone));
        Assert.Equal(expected is null, Under1.PhoneHash(phone) is null);
    }
}
