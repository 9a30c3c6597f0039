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
    string? From = null, string? To = null);

/// <summary>A row of the list: the matter and, when searching, its rank and snippet.</summary>
public sealed record MatterListRow(MatterRow Matter, Snippet? Snippet);

/// <summary>
/// The matter list: the caller's scope, every filter, and a search when <c>q</c> is given. Without
/// <c>q</c> it is newest first with a (ReceivedAt, Id) cursor; with <c>q</c> most relevant first
/// with a (rank, Id) cursor, so paging neither repeats nor skips a matter while the index is unchanged.
/// </summary>
public static class MatterList
{
    public static async Task<(IReadOnlyList<MatterListRow> Rows, string? Next, List<FieldError> Errors)> ReadAsync(
        ConcordDb db, CatalogSnapshot snapshot, AccessScope scope, MatterListFilter filter, string? cursor, int size, CancellationToken ct)
    {
        var (query, search, errors) = Filter(db, snapshot, scope, filter);
        if (search is null)
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
                return ([], null, errors);
            }

            var rows = await query.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(size + 1).ToListAsync(ct);
            var page = rows.Take(size).ToList();
            var next = rows.Count > size ? PageCursor.Encode(new(page[^1].ReceivedAt, page[^1].Id)) : null;
            return (page.Select(m => new MatterListRow(m, null)).ToList(), next, errors);
        }

        var ranked = query.Join(SearchIndex.Hits(db, search), m => m.Id, h => h.MatterId, (m, h) => new { Matter = m, h.Rank });
        if (cursor is not null)
        {
            if (RankCursor.TryDecode(cursor, out var after))
            {
                var (rank, id) = (after.Rank, after.Id);
                ranked = ranked.Where(x => x.Rank < rank || (x.Rank == rank && x.Matter.Id < id));
            }
            else
            {
                errors.Add(new("cursor", "bad_filter", cursor));
            }
        }

        if (errors.Count > 0)
        {
            return ([], null, errors);
        }

        var hits = await ranked.OrderByDescending(x => x.Rank).ThenByDescending(x => x.Matter.Id).Take(size + 1).ToListAsync(ct);
        var hitPage = hits.Take(size).ToList();
        var nextHit = hits.Count > size ? RankCursor.Encode(new(hitPage[^1].Rank, hitPage[^1].Matter.Id)) : null;
        var highlights = Highlights(search);
        return (hitPage.Select(x => new MatterListRow(x.Matter, SnippetOf(x.Matter, highlights))).ToList(), nextHit, errors);
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

/// <summary>An opaque cursor of a ranked page: the last row's rank (its exact bits) and id.</summary>
public readonly record struct RankCursor(double Rank, long Id)
{
    private const string Prefix = "r";

    public static string Encode(RankCursor cursor) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Prefix}.{BitConverter.DoubleToInt64Bits(cursor.Rank)}.{cursor.Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out RankCursor cursor)
    {
        cursor = default;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
            if (parts.Length == 3 && parts[0] == Prefix && long.TryParse(parts[1], out var bits) && long.TryParse(parts[2], out var id)
                && BitConverter.Int64BitsToDouble(bits) is var rank && double.IsFinite(rank))
            {
                cursor = new RankCursor(rank, id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
