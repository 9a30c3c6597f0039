using Concord.Server.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Startup;

/// <summary>
/// Chooses the store: SQLite by default (a file under ./data, WAL), PostgreSQL with
/// <c>Concord:Database:Provider=Postgres</c>; both read <c>ConnectionStrings:Concord</c>.
/// </summary>
public static class DatabaseSetup
{
    public const string DefaultSqlite = "Data Source=data/concord.db";

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var name = configuration["Concord:Database:Provider"] ?? "Sqlite";
        return name.Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException($"Concord:Database:Provider is '{name}'; use Sqlite or Postgres."),
        };
    }

    public static IServiceCollection AddConcordDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ProviderFrom(configuration);
        var connectionString = configuration.GetConnectionString("Concord");
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("PostgreSQL needs ConnectionStrings:Concord (e.g. ConnectionStrings__Concord=\"Host=localhost;Database=concord;Username=concord;Password=…\").");
            }

            services.AddDbContextPool<ConcordDb, PostgresConcordDb>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            var sqlite = PrepareSqlite(string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString);
            services.AddDbContextPool<ConcordDb, SqliteConcordDb>(o => o.UseSqlite(sqlite));
        }

        return services;
    }

    /// <summary>Creates the database folder and switches the file to WAL (a persistent setting of the file).</summary>
    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        // Writers queue behind each other for up to 30 s rather than failing with "database is locked".
        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 30;
        }

        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // synchronous=FULL: an acknowledged matter survives a power loss, not only a crash of the process.
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
        command.ExecuteNonQuery();
        return builder.ToString();
    }
}
