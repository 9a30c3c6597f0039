namespace Concord.Domain.Text;

/// <summary>A search typed by a person: checked, then cut into the words the index is asked for.</summary>
public sealed record SearchQuery(string Text, IReadOnlyList<QueryWord> Words)
{
    /// <summary>Longer is not a search but a pasted text; it would also make the index query needlessly large.</summary>
    public const int MaxLength = 100;

    /// <summary>What to highlight in a snippet: the query's words as typed.</summary>
    public IReadOnlyList<string> Highlights => Words.Select(w => w.Word).ToList();

    /// <summary>The query, or the reason it cannot be searched: <c>required</c>, <c>too_long</c> or <c>no_terms</c> (only punctuation or single characters).</summary>
    public static (SearchQuery? Query, string? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "required");
        }

        var trimmed = text.Trim();
        if (trimmed.Length > MaxLength)
        {
            return (null, "too_long");
        }

        var words = ChineseText.QueryTerms(trimmed);
        return words.Count == 0 ? (null, "no_terms") : (new SearchQuery(trimmed, words), null);
    }
}
