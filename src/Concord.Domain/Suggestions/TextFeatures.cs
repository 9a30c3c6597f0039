using System.Globalization;
using System.Text;

namespace Concord.Domain.Suggestions;

/// <summary>Turns a matter's text into tokens. Swappable: word segmentation (jieba) can replace the default.</summary>
public delegate IEnumerable<string> Tokenizer(string text);

/// <summary>
/// The features a suggestion is computed from: tokens of the normalized text (prefixed <c>w:</c>)
/// and the place (<c>county:</c>, <c>town:</c>), so that a county's own units can be learned.
/// </summary>
public static class TextFeatures
{
    public const string WordPrefix = "w:";
    public const string CountyPrefix = "county:";
    public const string TownshipPrefix = "town:";

    /// <summary>
    /// The default tokenizer: character unigrams and bigrams inside runs of letters and digits of
    /// the NFKC-normalized, lower-cased text. Chinese has no spaces, and character 1–2-grams are a
    /// sound baseline for classifying it without a segmenter (two-character words are most words).
    /// </summary>
    public static IEnumerable<string> CharacterGrams(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var run = new List<string>();
        foreach (var element in Elements(normalized))
        {
            if (element is null)
            {
                foreach (var gram in Grams(run))
                {
                    yield return gram;
                }

                run.Clear();
            }
            else
            {
                run.Add(element);
            }
        }

        foreach (var gram in Grams(run))
        {
            yield return gram;
        }
    }

    /// <summary>The distinct features of one matter: text tokens and place.</summary>
    public static IReadOnlyList<string> Of(string text, string? countyCode, string? townshipCode, Tokenizer? tokenizer = null)
    {
        var features = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in (tokenizer ?? CharacterGrams)(text))
        {
            features.Add(WordPrefix + token);
        }

        if (!string.IsNullOrEmpty(countyCode))
        {
            features.Add(CountyPrefix + countyCode);
        }

        if (!string.IsNullOrEmpty(townshipCode))
        {
            features.Add(TownshipPrefix + townshipCode);
        }

        return features.ToList();
    }

    /// <summary>Text elements (so that a surrogate pair is one character); null marks a separator.</summary>
    private static IEnumerable<string?> Elements(string text)
    {
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            yield return element.Length > 0 && (char.IsLetterOrDigit(element, 0) || char.IsSurrogatePair(element, 0)) ? element : null;
        }
    }

    private static IEnumerable<string> Grams(List<string> run)
    {
        for (var i = 0; i < run.Count; i++)
        {
            yield return run[i];
            if (i + 1 < run.Count)
            {
                yield return run[i] + run[i + 1];
            }
        }
    }
}
