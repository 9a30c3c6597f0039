using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Data;

/// <summary>Hands out the number in a matter's code, inside the caller's transaction.</summary>
public static class MatterNumbers
{
    public const string PostgresSequence = "matter_number_seq";

    public static async Task<long> NextAsync(ConcordDb db, CancellationToken cancellationToken)
    {
        // SQLite has one writer at a time, so a counter row costs nothing there; PostgreSQL uses a sequence.
        var sql = db.Provider == DatabaseProvider.Postgres
            ? $"SELECT nextval('{PostgresSequence}') AS \"Value\""
            : $"UPDATE counters SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = '{CounterNames.MatterNumber}' RETURNING \"Value\"";
        var values = await db.Database.SqlQueryRaw<long>(sql).ToListAsync(cancellationToken);
        return values.Single();
    }
}
