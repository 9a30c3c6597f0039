using System.Text;
using Concord.Domain.Text;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concord.Server.Features.Search;

/// <summary>The search index of matters in each store, and the query that reads it.</summary>
public static class SearchIndex
{
    /// <summary>The fields a search looks in; a change to any of them re-indexes the matter.</summary>
    public static readonly string[] IndexedFields = [nameof(MatterRow.Title), nameof(MatterRow.Description), nameof(MatterRow.ReplyText), nameof(MatterRow.Address)];

    public static string Document(MatterRow m) => ChineseText.IndexDocument(m.Title, m.Description, m.ReplyText, m.Address);

    /// <summary>
    /// The statements behind <see cref="Matches"/> and <see cref="Ranked"/>, {0} the store's query
    /// syntax and {1} the lowest matter id to rank (public so that the bench times the server's own SQL).
    /// Matches only: no rank is computed, so the store can walk its index newest first and stop.
    /// </summary>
    public const string SqliteMatchesSql = "SELECT rowid AS \"MatterId\" FROM matter_search_fts WHERE matter_search_fts MATCH {0}";

    public const string PostgresMatchesSql = "SELECT \"MatterId\" FROM matter_search WHERE document @@ to_tsquery('simple', {0})";

    /// <summary>bm25 is lower for better matches; negated so that both stores sort the same way. FTS5 seeks the rowid range itself.</summary>
    public const string SqliteRankedSql = "SELECT rowid AS \"MatterId\", -bm25(matter_search_fts) AS \"Rank\" FROM matter_search_fts WHERE matter_search_fts MATCH {0} AND rowid >= {1}";

    /// <summary>ts_rank is real; float8 makes the rank compare exactly when it comes back in a cursor.</summary>
    public const string PostgresRankedSql = "SELECT \"MatterId\", ts_rank(document, to_tsquery('simple', {0}))::float8 AS \"Rank\" FROM matter_search WHERE document @@ to_tsquery('simple', {0}) AND \"MatterId\" >= {1}";

    /// <summary>The store's syntax of a query.</summary>
    public static string Syntax(ConcordDb db, SearchQuery query) => db.Provider == DatabaseProvider.Postgres ? TsQuery(query) : Fts5Query(query);

    /// <summary>The ids of the matters that match, unranked, as a query EF can join to the list's filters and scope.</summary>
    public static IQueryable<SearchMatch> Matches(ConcordDb db, SearchQuery query) =>
        db.Set<SearchMatch>().FromSqlRaw(db.Provider == DatabaseProvider.Postgres ? PostgresMatchesSql : SqliteMatchesSql, Syntax(db, query));

    /// <summary>
    /// The matters with id ≥ <paramref name="fromId"/> that match, with their relevance, as a query EF can
    /// join to the list's filters and scope (so the store filters, ranks and pages in one statement).
    /// Both ranks are per matter (corpus-wide statistics), so a matter's rank does not depend on the range.
    /// </summary>
    public static IQueryable<SearchHit> Ranked(ConcordDb db, SearchQuery query, long fromId) =>
        db.Set<SearchHit>().FromSqlRaw(db.Provider == DatabaseProvider.Postgres ? PostgresRankedSql : SqliteRankedSql, Syntax(db, query), fromId);

    /// <summary>FTS5 syntax: every word must occur, a longer word whole or as all of its two-character pieces.</summary>
    public static string Fts5Query(SearchQuery query) =>
        string.Join(" AND ", query.Words.Select(w =>
            w.Pieces.Count == 1 && w.Pieces[0] == w.Word
                ? Quote(w.Word)
                : $"({Quote(w.Word)} OR ({string.Join(" AND ", w.Pieces.Select(Quote))}))"));

    /// <summary>PostgreSQL tsquery syntax, the same logic; terms are letters and digits only, so they need no quoting.</summary>
    public static string TsQuery(SearchQuery query) =>
        string.Join(" & ", query.Words.Select(w =>
            w.Pieces.Count == 1 && w.Pieces[0] == w.Word
                ? w.Word
                : $"({w.Word} | ({string.Join(" & ", w.Pieces)}))"));

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Rebuilds the index of every matter in one transaction (readers see the old index until it commits).
    /// Returns the number of matters indexed.
    /// </summary>
    public static async Task<int> RebuildAsync(ConcordDb db, CancellationToken ct, int batch = 1000)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Set<MatterSearchRow>().ExecuteDeleteAsync(ct);
        var count = 0;
        long after = 0;
        while (true)
        {
            var matters = await db.Matters.AsNoTracking().Where(m => m.Id > after).OrderBy(m => m.Id).Take(batch)
                .Select(m => new { m.Id, m.Title, m.Description, m.ReplyText, m.Address }).ToListAsync(ct);
            if (matters.Count == 0)
            {
                break;
            }

            db.Set<MatterSearchRow>().AddRange(matters.Select(m => new MatterSearchRow { MatterId = m.Id, Terms = ChineseText.IndexDocument(m.Title, m.Description, m.ReplyText, m.Address) }));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            count += matters.Count;
            after = matters[^1].Id;
        }

        await transaction.CommitAsync(ct);
        return count;
    }

    /// <summary>At start-up: a database from before search (or restored without its index) gets one.</summary>
    public static async Task<int> RebuildIfEmptyAsync(ConcordDb db, Catalog.CatalogStore catalog, ILogger logger, CancellationToken ct)
    {
        // Territory names of the catalogue (imported ones too) are words: a query 柳湖 keeps 柳湖社区 whole.
        ChineseText.AddWords(catalog.Current.Tree.All.Select(t => t.Name));
        if (!await db.Set<MatterSearchRow>().AnyAsync(ct) && await db.Matters.AnyAsync(ct))
        {
            var count = await RebuildAsync(db, ct);
            logger.LogInformation("Search index built for {Count} matters", count);
            return count;
        }

        return 0;
    }
}

/// <summary>
/// Keeps the index current in the same SaveChanges (hence the same transaction) as every write
/// that adds a matter or changes an indexed field: intake, reply, and whatever later feature
/// edits those fields, without each of them having to remember.
/// </summary>
public sealed class SearchIndexInterceptor : SaveChangesInterceptor
{
    public static readonly SearchIndexInterceptor Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is ConcordDb db)
        {
            foreach (var (entry, row) in Changed(db))
            {
                Apply(db, entry, row ?? db.Set<MatterSearchRow>().Find(entry.Entity.Id));
            }
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is ConcordDb db)
        {
            foreach (var (entry, row) in Changed(db))
            {
                Apply(db, entry, row ?? await db.Set<MatterSearchRow>().FindAsync([entry.Entity.Id], cancellationToken));
            }
        }

        return result;
    }

    /// <summary>Matters added, or with an indexed field changed; for added ones a new row to fill (nothing to look up).</summary>
    private static List<(EntityEntry<MatterRow> Entry, MatterSearchRow? Row)> Changed(ConcordDb db)
    {
        db.ChangeTracker.DetectChanges();
        var changed = new List<(EntityEntry<MatterRow>, MatterSearchRow?)>();
        foreach (var entry in db.ChangeTracker.Entries<MatterRow>().ToList())
        {
            if (entry.State == EntityState.Added)
            {
                var row = new MatterSearchRow { Terms = "", Matter = entry.Entity };
                db.Set<MatterSearchRow>().Add(row);
                changed.Add((entry, row));
            }
            else if (entry.State == EntityState.Modified && SearchIndex.IndexedFields.Any(f => entry.Property(f).IsModified))
            {
                changed.Add((entry, null));
            }
        }

        return changed;
    }

    private static void Apply(ConcordDb db, EntityEntry<MatterRow> entry, MatterSearchRow? row)
    {
        var terms = SearchIndex.Document(entry.Entity);
        if (row is null)
        {
            // Indexed before this matter existed in the index (e.g. an index rebuilt while it was written): add it now.
            db.Set<MatterSearchRow>().Add(new MatterSearchRow { MatterId = entry.Entity.Id, Terms = terms });
        }
        else
        {
            row.Terms = terms;
        }
    }
}
