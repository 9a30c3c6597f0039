namespace Concord.Server.Features.Letters.Documents;

/// <summary>
/// Breaks a long title into lines of nearly equal width (GB/T 9704-2012 asks for a balanced,
/// trapezoid or diamond shaped title, with words kept whole), instead of leaving the word processor
/// to fill the first line and strand the last character or two of the document type on the second.
/// </summary>
internal static class TitleLines
{
    /// <summary>Width in ems: CJK and full-width characters take one, Latin letters, digits and spaces half.</summary>
    public static double Width(string text)
    {
        var width = 0.0;
        foreach (var c in text)
        {
            width += c < '\u2000' ? 0.5 : 1.0;
        }
        return width;
    }

    /// <summary>The lines for a title whose lines hold at most <paramref name="capacity"/> ems.</summary>
    public static IReadOnlyList<string> Split(string title, double capacity)
    {
        title = title.Trim();
        var total = Width(title);
        if (total <= capacity)
        {
            return [title];
        }

        for (var lines = (int)Math.Ceiling(total / capacity); lines <= title.Length; lines++)
        {
            var split = Balanced(title, lines, capacity, total / lines);
            if (split is not null)
            {
                return split;
            }
        }
        return [title];
    }

    // Dynamic programming over the allowed break positions: the cost of a line is its squared
    // distance from the average width, plus a small fee for breaking next to Latin text.
    private static List<string>? Balanced(string title, int lines, double capacity, double average)
    {
        var n = title.Length;
        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + Width(title[i].ToString());
        }

        var cost = new double[lines + 1, n + 1];
        var from = new int[lines + 1, n + 1];
        for (var k = 0; k <= lines; k++)
        {
            for (var i = 0; i <= n; i++)
            {
                cost[k, i] = double.PositiveInfinity;
            }
        }
        cost[0, 0] = 0;

        for (var k = 1; k <= lines; k++)
        {
            for (var end = 1; end <= n; end++)
            {
                if (end < n && !CanBreakAt(title, end))
                {
                    continue;
                }
                for (var start = k - 1; start < end; start++)
                {
                    if (double.IsPositiveInfinity(cost[k - 1, start]))
                    {
                        continue;
                    }
                    var width = prefix[end] - prefix[start];
                    if (width > capacity)
                    {
                        continue;
                    }
                    var deviation = width - average;
                    var candidate = cost[k - 1, start] + deviation * deviation + (end < n ? Fee(title, end) : 0);
                    if (candidate < cost[k, end])
                    {
                        cost[k, end] = candidate;
                        from[k, end] = start;
                    }
                }
            }
        }

        if (double.IsPositiveInfinity(cost[lines, n]))
        {
            return null;
        }
        var result = new List<string>(lines);
        for (int k = lines, end = n; k > 0; k--)
        {
            var start = from[k, end];
            result.Insert(0, title[start..end]);
            end = start;
        }
        return result;
    }

    private const string NoLineStart = "，。、；：？！）》」』”’〕】…—·,.;:?!)]";
    private const string NoLineEnd = "（《「『“‘〔【([";

    private static bool IsLatin(char c) => c < '\u2000' && !char.IsWhiteSpace(c);

    /// <summary>Whether a line may end before <c>title[index]</c>.</summary>
    private static bool CanBreakAt(string title, int index)
    {
        var before = title[index - 1];
        var after = title[index];
        if (IsLatin(before) && IsLatin(after))
        {
            return false; // inside a number or a Latin word, e.g. "20261126-00000042"
        }
        return !NoLineStart.Contains(after) && !NoLineEnd.Contains(before);
    }

    // Without a dictionary, words are kept whole by preferring breaks after the particles and conjunctions
    // that join a title's phrases ("关于……的", "……和……", "……等") and before a new phrase, and by
    // keeping numbers and codes with the characters around them.
    private const string GoodLineEnd = "的和与及并等、";
    private const string GoodLineStart = "关对和与及并";

    private static double Fee(string title, int index)
    {
        var before = title[index - 1];
        var after = title[index];
        if (IsLatin(before) || IsLatin(after))
        {
            return 40.0;
        }
        return GoodLineEnd.Contains(before) || GoodLineStart.Contains(after) ? 0.0 : 6.0;
    }
}
