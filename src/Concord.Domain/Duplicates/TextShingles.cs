using System.Globalization;
using System.Text;

namespace Concord.Domain.Duplicates;

/// <summary>
/// Turns a text into the tokens its near-duplicate signature is built from. The default is
/// character shingles; a word segmenter (jieba) can be swapped in later without touching the
/// measure, since the measure only sees a set of strings.
/// </summary>
public delegate IEnumerable<string> Shingler(string text);

/// <summary>
/// Overlapping 2- and 3-character grams of the normalized text. Chinese has no spaces between
/// words, and most of its words are one or two characters long, so character bigrams already
/// carry most of the meaning; trigrams add order. Grams never span a punctuation mark, so a
/// paraphrase that reorders clauses keeps its grams.
/// </summary>
public static class TextShingles
{
    public static readonly Shingler Default = Characters;

    /// <summary>
    /// Full-width to half-width and compatibility forms (NFKC), lower case, every run of digits as one
    /// '0' (a house number or an amount says little about the problem), and clauses split at
    /// punctuation, symbols and white space.
    /// </summary>
    public static IReadOnlyList<string> Clauses(string text)
    {
        var normalized = (text ?? "").Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var clauses = new List<string>();
        var current = new StringBuilder();
        var inDigits = false;
        foreach (var c in normalized)
        {
            if (char.IsDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherNumber)
            {
                if (!inDigits)
                {
                    current.Append('0');
                }

                inDigits = true;
                continue;
            }

            inDigits = false;
            if (char.IsLetter(c) || char.IsSurrogate(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                clauses.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            clauses.Add(current.ToString());
        }

        return clauses;
    }

    public static IEnumerable<string> Characters(string text)
    {
        var grams = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clause in Clauses(text))
        {
            if (clause.Length == 1)
            {
                grams.Add(clause);
                continue;
            }

            for (var n = 2; n <= 3; n++)
            {
                for (var i = 0; i + n <= clause.Length; i++)
                {
                    grams.Add(clause.Substring(i, n));
                }
            }
        }

        return grams;
    }
}
