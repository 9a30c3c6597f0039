using System.Globalization;
using System.Text;

namespace Concord.Domain.Portal;

/// <summary>An earlier submission through the residents' door, as the repeat rule compares it.</summary>
public sealed record EarlierSubmission(long MatterId, long GroupId, string ClientHash, string? PhoneHash, string Text, DateTimeOffset At);

/// <summary>
/// Spam-like repeats (重复/刷单) at the residents' door: a submission is grouped with an earlier one
/// when, within the window, the text is near-identical whoever sent it, or the same client or the
/// same phone sends a similar text again. Grouping only flags the matter for the dispatcher; it
/// never drops or hides anything (a repeated real emergency is still a real emergency).
/// </summary>
public static class RepeatRule
{
    /// <summary>Near-identical text from anyone.</summary>
    public const double SameTextFromAnyone = 0.9;

    /// <summary>Similar text from the same client (address) or the same phone.</summary>
    public const double SimilarTextFromSameSource = 0.6;

    /// <summary>The earliest matching submission's group, or null when the submission stands alone.</summary>
    public static long? GroupOf(string clientHash, string? phoneHash, string text, DateTimeOffset at, TimeSpan window, IEnumerable<EarlierSubmission> earlier)
    {
        var grams = Bigrams(text);
        foreach (var e in earlier.Where(e => e.At <= at && at - e.At <= window).OrderBy(e => e.At))
        {
            var similarity = Similarity(grams, Bigrams(e.Text));
            var sameSource = e.ClientHash == clientHash || (phoneHash is not null && e.PhoneHash == phoneHash);
            if (similarity >= SameTextFromAnyone || (sameSource && similarity >= SimilarTextFromSameSource))
            {
                return e.GroupId;
            }
        }

        return null;
    }

    /// <summary>Jaccard similarity of the character bigrams of the normalized texts (works for Chinese without segmentation).</summary>
    public static double Similarity(string a, string b) => Similarity(Bigrams(a), Bigrams(b));

    private static double Similarity(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    /// <summary>Letters and digits only, lower case, full-width folded: punctuation and spacing do not make a text new.</summary>
    public static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static HashSet<string> Bigrams(string text)
    {
        var normal = Normalize(text);
        var grams = new HashSet<string>(StringComparer.Ordinal);
        if (normal.Length == 1)
        {
            grams.Add(normal);
        }

        for (var i = 0; i + 1 < normal.Length; i++)
        {
            grams.Add(normal.Substring(i, 2));
        }

        return grams;
    }
}
