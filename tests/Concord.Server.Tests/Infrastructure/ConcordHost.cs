using Concord.Server.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Server.Tests.Infrastructure;

/// <summary>
/// The real server (Program) over a real database: a fresh SQLite file or a fresh PostgreSQL
/// database, loaded with the Pingliang demo, with a fake clock. One per test class.
/// </summary>
public abstract class ConcordHost : IAsyncLifetime
{
    /// <summary>09:30 in Beijing on a Thursday.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 30, 0, TimeSpan.FromHours(8));

    private WebApplicationFactory<Program>? factory;
    private string? unavailable;

    public FakeTimeProvider Clock { get; } = new(Start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    public abstract string ProviderName { get; }

    /// <summary>The client; skips the calling test when the store could not be had (and is not required).</summary>
    public HttpClient Client
    {
        get
        {
            if (unavailable is not null)
            {
                Assert.Skip(unavailable);
            }

            return client ?? throw new InvalidOperationException("The host is not started.");
        }
    }

    private HttpClient? client;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual bool LoadDemo => true;

    protected abstract Task<string> CreateDatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        string connectionString;
        try
        {
            connectionString = await CreateDatabaseAsync();
        }
        catch (PostgresUnavailableException e) when (Environment.GetEnvironmentVariable(PostgresServer.RequireVariable) != "1")
        {
            unavailable = e.Message;
            return;
        }

        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Concord:Database:Provider", ProviderName);
            web.UseSetting("ConnectionStrings:Concord", connectionString);
            web.UseSetting("Concord:Demo", LoadDemo ? "true" : "false");
            foreach (var (key, value) in Settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        });
        client = factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        await DisposeDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual Task DisposeDatabaseAsync() => Task.CompletedTask;

    /// <summary>Runs a query against the server's own database (for "nothing was written" checks).</summary>
    public async Task<T> QueryAsync<T>(Func<ConcordDb, Task<T>> query)
    {
        _ = Client;
        await using var scope = factory!.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ConcordDb>());
    }

    /// <summary>Row counts of the tables an intake writes.</summary>
    public Task<(int Matters, int Events, int Keys)> CountRowsAsync() =>
        QueryAsync(async db => (await db.Matters.CountAsync(), await db.MatterEvents.CountAsync(), await db.IdempotencyKeys.CountAsync()));
}

public sealed class SqliteHost : ConcordHost
{
    private string? folder;

    public override string ProviderName => "Sqlite";

    /// <summary>The database file, so that tests can read it raw.</summary>
    public string? DatabaseFile { get; private set; }

    internal Task<string> CreateDatabaseAsyncForReuse() => CreateDatabaseAsync();

    internal Task DisposeDatabaseAsyncForReuse() => DisposeDatabaseAsync();

    protected override Task<string> CreateDatabaseAsync()
    {
        folder = Directory.CreateTempSubdirectory("concord-sqlite-").FullName;
        DatabaseFile = Path.Combine(folder, "concord.db");
        return Task.FromResult($"Data Source={DatabaseFile}");
    }

    protected override Task DisposeDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}

public sealed class PostgresHost : ConcordHost
{
    public override string ProviderName => "Postgres";

    protected override async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresServer.Shared;
        return await server.CreateDatabaseAsync("concord");
    }
}

/// <summary>A SQLite host started with Concord:Demo=false.</summary>
public abstract class ConcordHostWithoutDemo : ConcordHost
{
    private readonly SqliteHost files = new();

    public override string ProviderName => "Sqlite";

    protected override bool LoadDemo => false;

    protected override Task<string> CreateDatabaseAsync() => files.CreateDatabaseAsyncForReuse();

    protected override Task DisposeDatabaseAsync() => files.DisposeDatabaseAsyncForReuse();
}
