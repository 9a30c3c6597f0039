using Concord.Domain.Matters;

namespace Concord.Domain.Tests.Matters;

public sealed class MatterCodeTests
{
    private static readonly DateOnly Day = new(2026, 11, 26);

    [Theory]
    [InlineData(42, "20261126-00000042")]
    [InlineData(1, "20261126-00000001")]
    [InlineData(4217, "20261126-00004217")]
    [InlineData(99_999_999, "20261126-99999999")]
    [InlineData(100_000_000, "20261126-100000000")] // past 8 digits the number widens
    [InlineData(long.MaxValue, "20261126-9223372036854775807")]
    public void Formats_the_date_and_the_zero_padded_number(long number, string expected)
    {
        Assert.Equal(expected, MatterCode.Format(Day, number));
    }

    [Fact]
    public void Formats_the_date_in_the_invariant_calendar()
    {
        Assert.Equal("20270101-00000007", MatterCode.Format(new DateOnly(2027, 1, 1), 7));
        Assert.Equal("20280229-00000007", MatterCode.Format(new DateOnly(2028, 2, 29), 7));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Refuses_a_number_that_is_not_positive(long number)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MatterCode.Format(Day, number));
    }

    [Fact]
    public void Codes_stay_unique_and_well_formed_when_the_width_grows()
    {
        long[] numbers =
        [
            .. Enumerable.Range(1, 20).Select(i => (long)i),
            .. Enumerable.Range(0, 20).Select(i => 99_999_990L + i),
            1_000_000_000, 10_000_000, 100_000_000, 12_345_678, 123_456_780, 1_234_567_800,
        ];

        var codes = numbers.Distinct().Select(n => (Number: n, Code: MatterCode.Format(Day, n))).ToList();

        Assert.Equal(codes.Count, codes.Select(c => c.Code).Distinct().Count());
        Assert.All(codes, c =>
        {
            Assert.True(MatterCode.IsWellFormed(c.Code), c.Code);
            Assert.Equal(c.Number, long.Parse(c.Code[9..], System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public void Codes_of_the_same_day_sort_like_their_numbers_when_the_numbers_have_equal_width()
    {
        long[] numbers = [42, 7, 10_000_000, 99_999_999, 100, 1, 4217, 9, 10];

        var byText = numbers.Select(n => MatterCode.Format(Day, n)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(numbers.Order().Select(n => MatterCode.Format(Day, n)), byText);
    }

    [Fact]
    public void Codes_sort_by_day_first()
    {
        var earlier = MatterCode.Format(new DateOnly(2026, 11, 25), 99_999_999);
        var later = MatterCode.Format(Day, 1);

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Theory]
    [InlineData("20261126-00000042")]
    [InlineData("20261126-123456789")]
    [InlineData("20280229-00000001")]
    public void IsWellFormed_accepts_formatted_codes(string code)
    {
        Assert.True(MatterCode.IsWellFormed(code));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("20261126-0000042")] // seven digits
    [InlineData("20261126")]
    [InlineData("20261126-")]
    [InlineData("20261126_00000042")] // wrong separator
    [InlineData("2026-1126-0000042")]
    [InlineData("20261326-00000042")] // month 13
    [InlineData("20270229-00000042")] // not a leap year
    [InlineData("2026112a-00000042")]
    [InlineData("20261126-0000004a")]
    [InlineData("20261126-00000042 ")]
    [InlineData("20261126--0000042")]
    [InlineData("20261126-+0000042")]
    [InlineData("20261126-０００００００４２")] // full-width digits
    public void IsWellFormed_refuses_anything_else(string? code)
    {
        Assert.False(MatterCode.IsWellFormed(code));
    }
}
