using System.Net;
using Concord.Server.Data;
using Concord.Server.Startup;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Startup;

/// <summary>SQLite's writers queue in the process: none is refused, and a transaction abandoned by an exception frees the gate.</summary>
public sealed class SqliteWriteGateTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task Concurrent_intakes_all_succeed_and_the_gate_is_free_afterwards()
    {
        var client = host.Client;
        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title = $"小区噪音扰民 {i}", description = "夜间施工噪音很大。", categoryCode = "020101",
            location = new { lat = 35.54, lon = 106.68 },
        })))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        // Nothing leaked: another writer gets the gate (a leak would time out here instead).
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_or_rollback_releases_the_gate()
    {
        var gate = host.Services.GetRequiredService<SqliteWriteGate>();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                Assert.True(gate.Held);
                await db.Database.ExecuteSqlRawAsync("UPDATE counters SET value = value WHERE name = 'none'");
                throw new InvalidOperationException("abandoned");
            }
            catch (InvalidOperationException)
            {
            }
        }

        await using var next = host.Services.CreateAsyncScope();
        var other = next.ServiceProvider.GetRequiredService<ConcordDb>();
        await using var second = await other.Database.BeginTransactionAsync();
        Assert.True(gate.Held);
        await second.CommitAsync();
    }
}
