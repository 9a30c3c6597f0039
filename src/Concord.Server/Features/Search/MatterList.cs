using System.Text;
using Concord.Domain.Matters;
using Concord.Domain.Text;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Search;

/// <summary>The filters of the matter list (API, the /matters page and the export share them).</summary>
public sealed record MatterListFilter(
    string? Q = null, string? Territory = null, string? Kind = null, string? Status = null, string? Category = null,
    string? From = null, string? To = null, string? Sort = null);

/// <summary>A row of the list: the matter and, when searching, its rank and snippet.</summary>
public sealed record MatterListRow(MatterRow Matter, Snippet? Snippet);

/// <summary>
/// A page of the list. <see cref="RankedAmong"/> is set when a search matched more matters than it
/// ranks: the order is then by relevance among the newest <see cref="RankedAmong"/> matches only.
/// </summary>
public sealed record MatterListPage(IReadOnlyList<MatterListRow> Rows, string? Next, List<FieldError> Errors, int? RankedAmong = null)
{
    public void Deconstruct(out IReadOnlyList<MatterListRow> rows, out string? next, out List<FieldError> errors) => (rows, next, errors) = (Rows, Next, Errors);
}

/// <summary>How many matches of a search are ranked (Concord:Search:RankedAmong, default 2,000).</summary>
public sealed record SearchSettings(int RankedAmong)
{
    public const int DefaultRankedAmong = 2000;

    public static SearchSettings From(IConfiguration configuration) =>
        new(Math.Max(1, configuration.GetValue("Concord:Search:RankedAmong", DefaultRankedAmong)));
}

/// <summary>
/// The matter list: the caller's scope, every filter, and a search when <c>q</c> is given. Without
/// <c>q</c> (or with <c>sort=received</c>) it is newest first with a (ReceivedAt, Id) cursor; with
/// <c>q</c> most relevant first with a (rank, Id) cursor, so paging neither repeats nor skips a matter
/// while the index is unchanged.
/// </summary>
/// <remarks>
/// Ranking is bounded: bm25 / ts_rank cost grows with the number of matches (a common word matches
/// 12 % of all matters, 120,000 at 1M), and every match had to be ranked before the first page could
/// be cut. Only the newest <c>rankedAmong</c> matches in scope and filters are ranked (the stores
/// find them cheaply by walking the index by id, newest first); the cursor carries the lowest id of
/// that set, so every page ranks the same set. A query with no more matches than that ranks them all.
/// </remarks>
public static class MatterList
{
    public const string SortReceived = "received";
    public const string SortRelevance = "relevance";

    public static async Task<MatterListPage> ReadAsync(
        ConcordDb db, CatalogSnapshot snapshot, AccessScope scope, MatterListFilter filter, string? cursor, int size, int rankedAmong, CancellationToken ct)
    {
        var (query, search, errors) = Filter(db, snapshot, scope, filter);
        if (filter.Sort is not null and not SortReceived and not SortRelevance)
        {
            errors.Add(new("sort", "one_of", filter.Sort, $"{SortRelevance}, {SortReceived}"));
        }

        if (search is not null && filter.Sort == SortReceived)
        {
            // Newest first with the match as a filter: every match is reachable, page by page.
            var matches = SearchIndex.Matches(db, search).Select(h => h.MatterId);
            query = query.Where(m => matches.Contains(m.Id));
        }

        if (search is null || filter.Sort == SortReceived)
        {
            if (cursor is not null)
            {
                if (PageCursor.TryDecode(cursor, out var after))
                {
                    var (at, id) = (after.ReceivedAt, after.Id);
                    query = query.Where(m => m.ReceivedAt < at || (m.ReceivedAt == at && m.Id < id));
                }
                else
                {
                    errors.Add(new("cursor", "bad_filter", cursor));
                }
            }

            if (errors.Count > 0)
            {
                return new([], null, errors);
            }

            var rows = await query.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(size + 1).ToListAsync(ct);
            var page = rows.Take(size).ToList();
            var next = rows.Count > size ? PageCursor.Encode(new(page[^1].ReceivedAt, page[^1].Id)) : null;
            var marks = search is null ? null : Highlights(search);
            return new(page.Select(m => new MatterListRow(m, marks is null ? null : SnippetOf(m, marks))).ToList(), next, errors);
        }

        RankCursor? resume = null;
        if (cursor is not null)
        {
            if (RankCursor.TryDecode(cursor, out var after))
            {
                resume = after;
            }
            else
            {
                errors.Add(new("cursor", "bad_filter", cursor));
            }
        }

        if (errors.Count > 0)
        {
            return new([], null, errors);
        }

        // The ranked set: matches with id ≥ fromId. On the first page, fromId is the id of the
        // rankedAmong-th newest match in scope and filters when there are more matches than that, else 0 (all).
        // Both statements are driven by the search index (newest first, or the ranked range), the scope
        // and filters checked per match (EXISTS): a plan driven by a filter's index would probe the
        // search index once per matter of, say, a county.
        var fromId = resume?.FromId ?? 0;
        if (resume is null)
        {
            var newest = await SearchIndex.Matches(db, search).Select(h => h.MatterId).Where(id => query.Any(m => m.Id == id))
                .OrderByDescending(id => id).Skip(rankedAmong - 1).Take(2).ToListAsync(ct);
            fromId = newest.Count == 2 ? newest[0] : 0;
        }

        var ranked = SearchIndex.Ranked(db, search, fromId).Where(h => query.Any(m => m.Id == h.MatterId));
        if (resume is { } r)
        {
            var (rank, id) = (r.Rank, r.Id);
            ranked = ranked.Where(h => h.Rank < rank || (h.Rank == rank && h.MatterId < id));
        }

        var hits = await ranked.OrderByDescending(h => h.Rank).ThenByDescending(h => h.MatterId).Take(size + 1).ToListAsync(ct);
        var hitPage = hits.Take(size).ToList();
        var ids = hitPage.Select(h => h.MatterId).ToList();
        var matters = await query.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var nextHit = hits.Count > size ? RankCursor.Encode(new(hitPage[^1].Rank, hitPage[^1].MatterId, fromId)) : null;
        var highlights = Highlights(search);
        // A matter deleted between the two reads is left out of the page; the cursor still moves past it.
        return new(hitPage.Where(h => matters.ContainsKey(h.MatterId)).Select(h => matters[h.MatterId]).Select(m => new MatterListRow(m, SnippetOf(m, highlights))).ToList(), nextHit, errors, fromId > 0 ? rankedAmong : null);
    }

    /// <summary>The scoped, filtered matters and the parsed search (null without q); errors name the field.</summary>
    public static (IQueryable<MatterRow> Query, SearchQuery? Search, List<FieldError> Errors) Filter(
        ConcordDb db, CatalogSnapshot snapshot, AccessScope scope, MatterListFilter filter)
    {
        var errors = new List<FieldError>();
        var query = scope.Apply(db.Matters.AsNoTracking());
        SearchQuery? search = null;
        if (filter.Q is not null)
        {
            var (parsed, error) = SearchQuery.Parse(filter.Q);
            switch (error)
            {
                case null:
                    search = parsed;
                    break;
                case "too_long":
                    errors.Add(new("q", "too_long", SearchQuery.MaxLength, filter.Q.Trim().Length));
                    break;
                case "required":
                    errors.Add(new("q", "required"));
                    break;
                default:
                    errors.Add(new("q", "search.no_terms"));
                    break;
            }
        }

        if (filter.Territory is not null)
        {
            if (snapshot.Tree.Find(filter.Territory) is not { } t)
            {
                errors.Add(new("territory", "unknown_territory", filter.Territory));
            }
            else
            {
                query = query.Where(AccessScope.InTerritory(t));
            }
        }

        if (filter.Kind is not null)
        {
            if (WireNames.TryParseKind(filter.Kind, out var k))
            {
                var wire = k.ToWire();
                query = query.Where(m => m.Kind == wire);
            }
            else
            {
                errors.Add(new("kind", "one_of", filter.Kind, string.Join(", ", WireNames.KindNames)));
            }
        }

        if (filter.Status is not null)
        {
            if (WireNames.TryParseStatus(filter.Status, out var s))
            {
                var wire = s.ToWire();
                query = query.Where(m => m.Status == wire);
            }
            else
            {
                errors.Add(new("status", "one_of", filter.Status, string.Join(", ", WireNames.StatusNames)));
            }
        }

        if (filter.Category is { } category)
        {
            if (snapshot.Categories.Find(category) is null)
            {
                errors.Add(new("category", "unknown_category", category));
            }
            else
            {
                // Codes are fixed-width per level, so a category's subtree is a code range: index-friendly on both stores.
                var upper = category + "\uffff";
                query = query.Where(m => m.CategoryCode != null && string.Compare(m.CategoryCode, category) >= 0 && string.Compare(m.CategoryCode, upper) < 0);
            }
        }

        if (ParseInstant(filter.From, "from", errors) is { } fromUtc)
        {
            query = query.Where(m => m.ReceivedAt >= fromUtc);
        }

        if (ParseInstant(filter.To, "to", errors) is { } toUtc)
        {
            query = query.Where(m => m.ReceivedAt < toUtc);
        }

        return (query, search, errors);
    }

    /// <summary>Words and their pieces: a match found through pieces is highlighted too.</summary>
    public static IReadOnlyList<string> Highlights(SearchQuery search) =>
        search.Words.SelectMany(w => w.Pieces.Prepend(w.Word)).Distinct().ToList();

    /// <summary>The first indexed field with a match, in the order a reader cares about. Only rows already in the caller's scope get here.</summary>
    public static Snippet? SnippetOf(MatterRow m, IReadOnlyList<string> highlights) =>
        ChineseText.Snippet(m.Description, highlights)
        ?? ChineseText.Snippet(m.ReplyText, highlights)
        ?? ChineseText.Snippet(m.Title, highlights)
        ?? ChineseText.Snippet(m.Address, highlights);

    private static DateTime? ParseInstant(string? text, string field, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.UtcDateTime;
        }

        errors.Add(new(field, "bad_datetime"));
        return null;
    }
}

/// <summary>
/// An opaque cursor of a ranked page: the last row's rank (its exact bits) and id, and the lowest
/// matter id of the ranked set (0: every match), so that every page ranks the same set.
/// </summary>
public readonly record struct RankCursor(double Rank, long Id, long FromId)
{
    private const string Prefix = "r";

    public static string Encode(RankCursor cursor) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Prefix}.{BitConverter.DoubleToInt64Bits(cursor.Rank)}.{cursor.Id}.{cursor.FromId}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out RankCursor cursor)
    {
        cursor = default;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
            // A cursor of three parts predates the bounded ranking: it ranked every match.
            long fromId = 0;
            if (parts.Length is 3 or 4 && parts[0] == Prefix && long.TryParse(parts[1], out var bits) && long.TryParse(parts[2], out var id)
                && (parts.Length == 3 || (long.TryParse(parts[3], out fromId) && fromId >= 0))
                && BitConverter.Int64BitsToDouble(bits) is var rank && double.IsFinite(rank))
            {
                cursor = new RankCursor(rank, id, fromId);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
