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

            services.AddDbContextPool<ConcordDb, PostgresConcordDb>((sp, o) => o.UseNpgsql(connectionString).AddInterceptors(Features.Search.SearchIndexInterceptor.Instance, Queues(sp))); // search: index kept current on save
        }
        else
        {
            var sqlite = WithBusyTimeout(string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString);
            // One gate per database file of this process: writers queue here instead of retrying BEGIN.
            var gate = new SqliteWriteGate(TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(sqlite).DefaultTimeout));
            services.AddSingleton(gate);
            // The search index is kept current on save, in the same transaction (Features/Search).
            services.AddDbContextPool<ConcordDb, SqliteConcordDb>((sp, o) => o.UseSqlite(sqlite).AddInterceptors(gate, Features.Search.SearchIndexInterceptor.Instance, Queues(sp)));
        }

        return services;
    }

    /// <summary>Queues (paged in the database): the queue columns kept current on save, by the center's working calendar.</summary>
    private static Features.Handling.QueueColumnsInterceptor Queues(IServiceProvider services) =>
        new(services.GetRequiredService<Concord.Domain.Calendar.WorkingCalendar>());

    /// <summary>Writers queue behind each other for up to 30 s rather than failing with "database is locked".</summary>
    private static string WithBusyTimeout(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 30;
        }

        return builder.ToString();
    }

    /// <summary>
    /// Creates the database file's folder and switches the file to WAL (a persistent setting of the
    /// file). Runs at start-up, not at registration, so that tools that only build the host
    /// (dotnet ef) leave no file behind.
    /// </summary>
    public static async Task PrepareSqliteFileAsync(ConcordDb db, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        // Every connection keeps SQLite's default synchronous=FULL (a test checks it): in WAL mode an
        // acknowledged matter then survives a power loss, not only a crash of the process.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
