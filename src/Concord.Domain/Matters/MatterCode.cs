using System.Globalization;

namespace Concord.Domain.Matters;

/// <summary>
/// The human-friendly matter code: the local intake date and a number from a database-wide
/// sequence, e.g. <c>20261126-00004217</c>. It sorts by date as text, is unique across nodes
/// because the number comes from one sequence, and is short enough to read out on the phone.
/// </summary>
public static class MatterCode
{
    public const int NumberDigits = 8;

    public static string Format(DateOnly localDate, long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        return string.Create(CultureInfo.InvariantCulture, $"{localDate:yyyyMMdd}-{number.ToString(new string('0', NumberDigits), CultureInfo.InvariantCulture)}");
    }

    public static bool IsWellFormed(string? code)
    {
        if (code is null || code.Length < 9 + NumberDigits || code[8] != '-')
        {
            return false;
        }

        return DateOnly.TryParseExact(code.AsSpan(0, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            && code.AsSpan(9).IndexOfAnyExceptInRange('0', '9') < 0;
    }
}
