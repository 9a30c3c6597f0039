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

    public FakeTimeProvider Clock => clock ??= new(StartAt) { AutoAdvanceAmount = AutoAdvance };

    /// <summary>How far the clock moves on each reading; zero where tests compare deadlines to the instant.</summary>
    protected virtual TimeSpan AutoAdvance => TimeSpan.FromMilliseconds(1);

    private FakeTimeProvider? clock;

    /// <summary>Where the fake clock starts; a host for deadline tests starts before a holiday.</summary>
    protected virtual DateTimeOffset StartAt => Start;

    public abstract string ProviderName { get; }

    /// <summary>The demo dispatcher's token (configured, so tests know it).</summary>
    public const string DispatcherToken = "cct_dispatcher-token-for-tests-0000000000000";

    /// <summary>
    /// A client acting as the demo dispatcher (city center: every matter in scope) with the demo
    /// token; skips the calling test when the store could not be had (and is not required).
    /// </summary>
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

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous
    {
        get
        {
            _ = Client;
            return factory!.CreateClient();
        }
    }

    public IServiceProvider Services
    {
        get
        {
            _ = Client;
            return factory!.Services;
        }
    }

    private HttpClient? client;
    private readonly Dictionary<string, HttpClient> clients = [];

    /// <summary>
    /// A client acting as a demo user through a personal access token created for it, with the
    /// given scopes or (by default) every scope the user's roles can grant.
    /// </summary>
    public async Task<HttpClient> ClientForAsync(string userName, params string[] scopes)
    {
        var key = $"{userName}|{string.Join(' ', scopes)}";
        if (clients.TryGetValue(key, out var existing))
        {
            return existing;
        }

        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Concord.Server.Access.StaffUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No demo user {userName}.");
        var roles = await users.GetRolesAsync(user);
        var granted = scopes.Length > 0 ? scopes
            : Concord.Server.Access.Permissions.Table.Values.Where(g => g.Scope is not null && g.Roles.Any(roles.Contains)).Select(g => g.Scope!).Distinct().ToArray();
        var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
        var (_, token) = await Concord.Server.Access.ApiTokens.CreateAsync(db, user, Concord.Server.Access.ApiTokens.PersonalKind, $"test {key}", granted, Clock.GetUtcNow().UtcDateTime, Clock.GetUtcNow().UtcDateTime.AddYears(1));
        var result = factory!.CreateClient();
        result.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        clients[key] = result;
        return result;
    }

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
            web.UseSetting("Concord:Demo:Token", DispatcherToken);
            // Fixed test keys: every host (and a second server on the same database) reads what the first wrote.
            foreach (var (key, value) in Concord.Server.Tests.PersonalData.TestPersonalDataKeys.Settings)
            {
                web.UseSetting(key, value);
            }
            // Many clients share one address in tests; the rate-limit tests use their own host.
            web.UseSetting("Concord:RateLimits:SignInPerMinute", "10000");
            web.UseSetting("Concord:RateLimits:PublicPerMinute", "10000");
            // No synthetic dispatch history (Demo/DemoHistory) unless a host asks for it: most tests count matters.
            web.UseSetting("Concord:Demo:History", "0");
            // Tests run the deadline sweep themselves, at the instants they choose.
            web.UseSetting("Concord:Handling:SweepSeconds", "0");
            foreach (var (key, value) in Settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        });
        client = factory.CreateClient();
        if (LoadDemo)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DispatcherToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        foreach (var c in clients.Values)
        {
            c.Dispose();
        }

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

public class SqliteHost : ConcordHost
{
    private string? folder;

    public override string ProviderName => "Sqlite";

    /// <summary>The database file, so that tests can read it raw.</summary>
    public string? DatabaseFile { get; private set; }

    /// <summary>The connection string of this host's database, to start a second server on it.</summary>
    public string ConnectionString => $"Data Source={DatabaseFile}";

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

public class PostgresHost : ConcordHost
{
    public override string ProviderName => "Postgres";

    protected override async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresServer.Shared;
        return await server.CreateDatabaseAsync("concord");
    }
}

/// <summary>A SQLite host started with Concord:Demo=false: no territories, units or accounts; cheap to start.</summary>
public sealed class NoDemoHost : SqliteHost
{
    protected override bool LoadDemo => false;
}

/// <summary>A SQLite host without the demo whose sign-in allows three attempts a minute per client.</summary>
public sealed class StrictRateLimitHost : SqliteHost
{
    protected override bool LoadDemo => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concord:RateLimits:SignInPerMinute"] = "3" };
}

/// <summary>A SQLite demo host whose clock starts on Tuesday 2026-09-29 10:00 in Beijing, before 国庆 2026.</summary>
public sealed class SqliteHolidayHost : SqliteHost
{
    public static readonly DateTimeOffset BeforeNationalDay = new(2026, 9, 29, 9, 0, 0, TimeSpan.FromHours(8));

    protected override DateTimeOffset StartAt => BeforeNationalDay;

    protected override TimeSpan AutoAdvance => TimeSpan.Zero;
}

/// <summary>The PostgreSQL twin of <see cref="SqliteHolidayHost"/>.</summary>
public sealed class PostgresHolidayHost : PostgresHost
{
    protected override DateTimeOffset StartAt => SqliteHolidayHost.BeforeNationalDay;

    protected override TimeSpan AutoAdvance => TimeSpan.Zero;

    /// <summary>This host's database, so that a second server can share it.</summary>
    public string? ConnectionString { get; private set; }

    protected override async Task<string> CreateDatabaseAsync() => ConnectionString = await base.CreateDatabaseAsync();
}

/// <summary>A PostgreSQL demo host for the two-server sweep test (its own database and clock).</summary>
public sealed class PostgresSweepHost : PostgresHost
{
    protected override DateTimeOffset StartAt => SqliteHolidayHost.BeforeNationalDay;

    protected override TimeSpan AutoAdvance => TimeSpan.Zero;

    public string? ConnectionString { get; private set; }

    protected override async Task<string> CreateDatabaseAsync() => ConnectionString = await base.CreateDatabaseAsync();
}
