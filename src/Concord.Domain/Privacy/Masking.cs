namespace Concord.Domain.Privacy;

/// <summary>
/// Masks personal data for display: names keep their first character (张*, 欧阳** → 欧**),
/// phone numbers their first three and last four digits (138****5678).
/// </summary>
public static class Masking
{
    public static string? MaskName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return name;
        }

        var text = name.Trim();
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        elements.MoveNext();
        var first = elements.GetTextElement();
        var rest = new System.Globalization.StringInfo(text).LengthInTextElements - 1;
        return first + new string('*', Math.Max(rest, 1));
    }

    public static string? MaskPhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return phone;
        }

        var digits = phone.Where(char.IsAsciiDigit).ToArray();
        // China's country code before a mobile number (+86 138…, 0086 138…) is not part of what is masked.
        if (digits.Length == 13 && digits[0] == '8' && digits[1] == '6' && digits[2] == '1')
        {
            digits = digits[2..];
        }
        else if (digits.Length == 15 && new string(digits, 0, 5) == "00861")
        {
            digits = digits[4..];
        }

        // With seven digits or fewer, keeping three and four would show them all.
        if (digits.Length <= 7)
        {
            return new string('*', digits.Length);
        }

        return new string(digits, 0, 3) + new string('*', digits.Length - 7) + new string(digits, digits.Length - 4, 4);
    }
}
