using Concord.Domain.Privacy;

namespace Concord.Domain.Tests.Privacy;

public sealed class MaskingTests
{
    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("欧阳娜", "欧**")]
    [InlineData("张", "张*")] // a single character still hides how long the name is
    [InlineData(" 张三 ", "张*")] // surrounding blanks are not characters of the name
    [InlineData("𠀀三", "𠀀*")] // a character outside the BMP (two UTF-16 units) is one character
    [InlineData("Zhang San", "Z********")]
    [InlineData("阿卜杜拉·买买提", "阿*******")]
    public void Names_keep_their_first_character(string name, string expected)
    {
        Assert.Equal(expected, Masking.MaskName(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Null_or_blank_names_are_returned_as_they_are(string? name)
    {
        Assert.Equal(name, Masking.MaskName(name));
    }

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("138-1234-5678", "138****5678")]
    [InlineData("138 1234 5678", "138****5678")]
    [InlineData(" 13812345678 ", "138****5678")]
    [InlineData("0933-8212345", "093****2345")]
    [InlineData("(0933) 8212345", "093****2345")]
    [InlineData("09338212345", "093****2345")]
    [InlineData("12345678", "123*5678")]
    public void Phones_keep_their_first_three_and_last_four_digits(string phone, string expected)
    {
        Assert.Equal(expected, Masking.MaskPhone(phone));
    }

    [Theory]
    [InlineData("+86 138 1234 5678")]
    [InlineData("+86-138-1234-5678")]
    [InlineData("+8613812345678")]
    [InlineData("008613812345678")]
    public void The_country_code_of_a_mobile_number_is_dropped_before_masking(string phone)
    {
        Assert.Equal("138****5678", Masking.MaskPhone(phone));
    }

    [Theory]
    [InlineData("110", "***")]
    [InlineData("12345", "*****")]
    [InlineData("123456", "******")]
    [InlineData("8212345", "*******")] // a local seven-digit landline: 3 + 4 would show every digit
    [InlineData("821-2345", "*******")]
    public void Short_numbers_are_fully_masked(string phone, string expected)
    {
        Assert.Equal(expected, Masking.MaskPhone(phone));
    }

    [Theory]
    [InlineData("5678")]
    [InlineData("8212345")]
    [InlineData("12345678")]
    [InlineData("13812345678")]
    [InlineData("+86 138 1234 5678")]
    public void A_masked_phone_never_shows_every_digit(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());

        Assert.Contains('*', Masking.MaskPhone(phone)!);
        Assert.NotEqual(digits, Masking.MaskPhone(phone));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Null_or_blank_phones_are_returned_as_they_are(string? phone)
    {
        Assert.Equal(phone, Masking.MaskPhone(phone));
    }

    [Fact]
    public void A_phone_without_digits_masks_to_nothing()
    {
        Assert.Equal("", Masking.MaskPhone("无"));
    }
}
