using System.Globalization;
using System.Reflection;
using System.Text;
using JiebaNet.Segmenter;

namespace Concord.Domain.Text;

/// <summary>
/// Chinese text as words, for search and for anything else that needs words (duplicates,
/// suggestions). Words come from jieba (its dictionary plus <c>governance-words.txt</c>: 12345
/// terms and the Pingliang divisions). Residents do not write in the dictionary's words, so the
/// search index does not rely on them alone: every run of Chinese characters is also indexed as
/// its overlapping two-character pieces (拖欠薪资 → 拖欠 欠薪 薪资), which makes any query of two
/// or more characters find every text that contains it, whatever jieba made of the text.
/// </summary>
public static class ChineseText
{
    /// <summary>The folder, under the application's base directory, that holds jieba's dictionary files (copied there by the build).</summary>
    public const string ResourceFolder = "jieba";

    private static readonly Lazy<JiebaSegmenter> Segmenter = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock AddLock = new();

    /// <summary>Loads the dictionaries now (a second or two) rather than on the first text.</summary>
    public static void WarmUp() => _ = Segmenter.Value;

    /// <summary>Adds words to the dictionary (e.g. territory names from an imported catalogue).</summary>
    public static void AddWords(IEnumerable<string> words)
    {
        var segmenter = Segmenter.Value;
        lock (AddLock)
        {
            foreach (var word in words)
            {
                if (word.Length >= 2 && word.All(IsWordChar))
                {
                    segmenter.AddWord(word);
                }
            }
        }
    }

    /// <summary>
    /// The words of a text in order (precise mode, with HMM for unknown words); punctuation and
    /// spaces dropped, Latin letters lower-cased.
    /// </summary>
    public static IReadOnlyList<string> Segment(string? text)
    {
        var words = new List<string>();
        foreach (var run in Runs(text))
        {
            if (run.Chinese)
            {
                words.AddRange(Segmenter.Value.Cut(run.Text, cutAll: false, hmm: true).Where(w => w.Length > 0));
            }
            else
            {
                words.Add(run.Text);
            }
        }

        return words;
    }

    /// <summary>
    /// The terms under which a text is indexed, repeated as often as they occur (ranking counts
    /// them): for each run of Chinese characters its overlapping two-character pieces (a lone
    /// character stands for itself), then its dictionary words of three or more characters
    /// (search mode, so 占道经营 also gives 经营); each Latin/digit token once per occurrence.
    /// </summary>
    public static IReadOnlyList<string> IndexTerms(string? text)
    {
        var terms = new List<string>();
        foreach (var run in Runs(text))
        {
            if (!run.Chinese)
            {
                terms.Add(run.Text);
                continue;
            }

            if (run.Text.Length == 1)
            {
                terms.Add(run.Text);
                continue;
            }

            for (var i = 0; i + 1 < run.Text.Length; i++)
            {
                terms.Add(run.Text.Substring(i, 2));
            }

            terms.AddRange(Segmenter.Value.CutForSearch(run.Text, hmm: true).Where(w => w.Length >= 3));
        }

        return terms;
    }

    /// <summary>The document stored in the index for some fields: their index terms joined by spaces.</summary>
    public static string IndexDocument(params string?[] fields) =>
        string.Join(' ', fields.SelectMany(IndexTerms));

    /// <summary>
    /// The words of a query, each with the pieces that must all occur for a text to match it:
    /// a Chinese word of two characters is its own piece; a longer one matches as a whole word
    /// (ranked higher) or as its overlapping pieces in a row. Lone characters next to words
    /// (了, 的) are dropped; Latin/digit tokens match as they are.
    /// </summary>
    public static IReadOnlyList<QueryWord> QueryTerms(string? query)
    {
        var words = new List<QueryWord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in Runs(query))
        {
            if (!run.Chinese)
            {
                if (seen.Add(run.Text))
                {
                    words.Add(new QueryWord(run.Text, [run.Text]));
                }

                continue;
            }

            var cut = Segmenter.Value.Cut(run.Text, cutAll: false, hmm: true).ToList();
            foreach (var word in DropLoneCharacters(cut))
            {
                if (word.Length < 2 || !seen.Add(word))
                {
                    continue;
                }

                var pieces = new List<string>();
                for (var i = 0; i + 1 < word.Length; i++)
                {
                    pieces.Add(word.Substring(i, 2));
                }

                words.Add(new QueryWord(word, pieces.Distinct().ToList()));
            }
        }

        return words;
    }

    /// <summary>
    /// Lone characters next to words (漏水了 → 漏水/了) say little and are not indexed on their own
    /// inside a run, so they are dropped; a query that is a single character finds nothing to search.
    /// </summary>
    private static IEnumerable<string> DropLoneCharacters(List<string> cut) => cut.Where(w => w.Length >= 2);

    /// <summary>
    /// A short passage of <paramref name="text"/> around the first place where one of the words
    /// occurs, cut into parts that are and are not matches (the caller escapes each part), or
    /// null when none occurs. Matching ignores Latin case, as the index does.
    /// </summary>
    public static Snippet? Snippet(string? text, IReadOnlyList<string> words, int width = 60)
    {
        if (string.IsNullOrEmpty(text) || words.Count == 0)
        {
            return null;
        }

        var matches = new List<(int Start, int Length)>();
        foreach (var word in words.Where(w => w.Length > 0))
        {
            for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                matches.Add((at, word.Length));
            }
        }

        if (matches.Count == 0)
        {
            return null;
        }

        // Overlapping matches (欠薪 inside 拖欠薪资 and 拖欠) become one highlighted stretch.
        matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<(int Start, int End)>();
        foreach (var (start, length) in matches)
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, start + length));
            }
            else
            {
                merged.Add((start, start + length));
            }
        }

        var from = Math.Max(0, merged[0].Start - width / 3);
        var to = Math.Min(text.Length, from + width);
        from = Math.Max(0, Math.Min(from, to - width));
        var parts = new List<SnippetPart>();
        var cursor = from;
        foreach (var (start, end) in merged)
        {
            if (start >= to)
            {
                break;
            }

            if (start > cursor)
            {
                parts.Add(new SnippetPart(text[cursor..start], false));
            }

            var stop = Math.Min(end, to);
            parts.Add(new SnippetPart(text[Math.Max(start, cursor)..stop], true));
            cursor = stop;
        }

        if (cursor < to)
        {
            parts.Add(new SnippetPart(text[cursor..to], false));
        }

        return new Snippet(parts, from > 0, to < text.Length);
    }

    private static JiebaSegmenter Create()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, ResourceFolder);
        if (!File.Exists(Path.Combine(folder, "dict.txt")))
        {
            throw new FileNotFoundException($"jieba's dictionary is missing: {folder}/dict.txt (the build copies it from the jieba.NET package).");
        }

        ConfigManager.ConfigFileBaseDir = folder;
        var segmenter = new JiebaSegmenter();
        using var stream = typeof(ChineseText).Assembly.GetManifestResourceStream("Concord.Domain.Text.governance-words.txt")
            ?? throw new InvalidOperationException("governance-words.txt is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length >= 2 && !line.StartsWith('#'))
            {
                segmenter.AddWord(line);
            }
        }

        return segmenter;
    }

    private readonly record struct Run(string Text, bool Chinese);

    /// <summary>Splits a text into runs of Chinese characters and runs of other letters/digits (lower-cased); everything else separates.</summary>
    private static IEnumerable<Run> Runs(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var normalized = text.Normalize(NormalizationForm.FormKC);
        var current = new StringBuilder();
        bool? chinese = null;
        foreach (var rune in normalized.EnumerateRunes())
        {
            bool? kind = IsHan(rune) ? true : Rune.IsLetterOrDigit(rune) ? false : null;
            if (kind != chinese && current.Length > 0)
            {
                yield return new Run(chinese == true ? current.ToString() : current.ToString().ToLowerInvariant(), chinese == true);
                current.Clear();
            }

            chinese = kind;
            if (kind is not null)
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0 && chinese is not null)
        {
            yield return new Run(chinese == true ? current.ToString() : current.ToString().ToLowerInvariant(), chinese == true);
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c);

    private static bool IsHan(Rune rune) =>
        rune.Value is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F)
        || rune.Value == 0x3007; // 〇
}

/// <summary>A word of a query and the two-character pieces that must all occur when the word itself is not indexed whole.</summary>
public sealed record QueryWord(string Word, IReadOnlyList<string> Pieces);

/// <summary>A passage with its matches marked; <see cref="Before"/>/<see cref="After"/> say whether text was cut off.</summary>
public sealed record Snippet(IReadOnlyList<SnippetPart> Parts, bool Before, bool After)
{
    /// <summary>The passage as HTML: every part escaped, matches in &lt;mark&gt;, cut-offs as "…".</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        if (Before)
        {
            html.Append('…');
        }

        foreach (var part in Parts)
        {
            var escaped = System.Net.WebUtility.HtmlEncode(part.Text);
            html.Append(part.Matched ? $"<mark>{escaped}</mark>" : escaped);
        }

        if (After)
        {
            html.Append('…');
        }

        return html.ToString();
    }
}

public sealed record SnippetPart(string Text, bool Matched);
