namespace Concord.Server.Features.Search;

/// <summary>
/// The parts of the search index EF cannot model, run by the Search migration of each provider
/// (kept here so that a regenerated migration only has to call them again).
/// </summary>
public static class SearchIndexSql
{
    /// <summary>
    /// SQLite: an FTS5 table over matter_search.Terms (external content, so the terms are stored
    /// once), rowid = matter id, the unicode61 tokenizer splitting the pre-cut terms at spaces;
    /// triggers keep it in step with every insert, update and delete of matter_search.
    /// </summary>
    public const string SqliteUp = """
        CREATE VIRTUAL TABLE matter_search_fts USING fts5(Terms, content='matter_search', content_rowid='MatterId', tokenize='unicode61');
        CREATE TRIGGER matter_search_ai AFTER INSERT ON matter_search BEGIN
          INSERT INTO matter_search_fts(rowid, Terms) VALUES (new.MatterId, new.Terms);
        END;
        CREATE TRIGGER matter_search_ad AFTER DELETE ON matter_search BEGIN
          INSERT INTO matter_search_fts(matter_search_fts, rowid, Terms) VALUES ('delete', old.MatterId, old.Terms);
        END;
        CREATE TRIGGER matter_search_au AFTER UPDATE ON matter_search BEGIN
          INSERT INTO matter_search_fts(matter_search_fts, rowid, Terms) VALUES ('delete', old.MatterId, old.Terms);
          INSERT INTO matter_search_fts(rowid, Terms) VALUES (new.MatterId, new.Terms);
        END;
        """;

    public const string SqliteDown = """
        DROP TRIGGER IF EXISTS matter_search_au;
        DROP TRIGGER IF EXISTS matter_search_ad;
        DROP TRIGGER IF EXISTS matter_search_ai;
        DROP TABLE IF EXISTS matter_search_fts;
        """;

    /// <summary>
    /// PostgreSQL: a generated tsvector of the pre-cut terms with the 'simple' configuration (no
    /// stemming, no stop words: the words are already cut) and a GIN index; nothing outside core PostgreSQL.
    /// </summary>
    public const string PostgresUp = """
        ALTER TABLE matter_search ADD COLUMN document tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "Terms")) STORED;
        CREATE INDEX ix_matter_search_document ON matter_search USING GIN (document);
        """;

    public const string PostgresDown = """
        DROP INDEX IF EXISTS ix_matter_search_document;
        ALTER TABLE matter_search DROP COLUMN IF EXISTS document;
        """;
}
