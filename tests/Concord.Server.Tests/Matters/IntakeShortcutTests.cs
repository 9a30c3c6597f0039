using System.Globalization;
using System.Net;
using System.Text;
using Concord.Server.Data;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Matters;

public sealed class IntakeShortcutTestsOnSqlite(SqliteHost host) : IntakeShortcutTests<SqliteHost>(host);

public sealed class IntakeShortcutTestsOnPostgres(PostgresHost host) : IntakeShortcutTests<PostgresHost>(host);

/// <summary>
/// What intake's cheaper path (issue 8) must not change: matter numbers drawn in blocks stay unique
/// and rising, and a retried Idempotency-Key is still recognised on every way out, not only when a
/// new matter would be written (the usual request no longer looks its key up first).
/// </summary>
public abstract class IntakeShortcutTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static object Draft(string title) => new
    {
        kind = "appeal",
        channel = "hotline",
        title,
        description = "小区楼下夜间施工噪音扰民，影响休息。",
        categoryCode = "020101",
        location = new { lat = 35.54, lon = 106.68 },
    };

    private static long NumberOf(string code) => long.Parse(code[(code.IndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    private async Task<string> TakeInAsync(string title)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Draft(title))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    [Fact]
    public async Task Matter_numbers_rise_across_a_block_and_stay_unique_under_concurrency()
    {
        // More than one block of the PostgreSQL sequence, one after the other: every number above the last.
        var sequential = new List<long>();
        for (var i = 0; i < MatterNumberBlocks.BlockSize + 5; i++)
        {
            sequential.Add(NumberOf(await TakeInAsync($"编号递增{i}")));
        }

        Assert.Equal(sequential.Order(), sequential);
        Assert.Equal(sequential.Count, sequential.Distinct().Count());

        // Many at once, crossing a refill: no number twice, none reused from before.
        var concurrent = (await Task.WhenAll(Enumerable.Range(0, 40).Select(i => TakeInAsync($"编号并发{i}")))).Select(NumberOf).ToList();
        Assert.Equal(concurrent.Count, concurrent.Distinct().Count());
        Assert.All(concurrent, n => Assert.True(n > sequential[^1], $"{n} after {sequential[^1]}"));
    }

    [Fact]
    public async Task A_used_key_is_answered_as_before_even_when_the_new_body_would_be_refused()
    {
        var key = $"refused-{Guid.NewGuid()}";
        var first = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Draft("先受理的")), idempotencyKey: key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await host.CountRowsAsync();

        // Not an object, and invalid fields: the key's earlier use decides (422 mismatch), not the body's fault.
        var notObject = await host.Client.SendAsync(Json.Post("/api/v1/matters", new StringContent("[1,2]", Encoding.UTF8, "application/json"), idempotencyKey: key));
        Assert.Equal((HttpStatusCode)422, notObject.StatusCode);
        Assert.EndsWith("idempotency-mismatch", (await Json.ReadAsync(notObject))["type"]!.GetValue<string>());

        var invalid = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new { kind = "appeal", channel = "hotline", title = "", categoryCode = "777777" }), idempotencyKey: key));
        Assert.Equal((HttpStatusCode)422, invalid.StatusCode);
        Assert.EndsWith("idempotency-mismatch", (await Json.ReadAsync(invalid))["type"]!.GetValue<string>());

        // The same body again is replayed after going all the way to the insert, and writes nothing.
        var again = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(Draft("先受理的")), idempotencyKey: key));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(before, await host.CountRowsAsync());
    }
}
