using Concord.Server.Audit;
using Concord.Server.Data;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Audit;

public sealed class AuditChainTestsOnSqlite(SqliteHost host) : AuditChainTests<SqliteHost>(host);

public sealed class AuditChainTestsOnPostgres(PostgresHost host) : AuditChainTests<PostgresHost>(host);

/// <summary>
/// The audit hash chain against each real store: sealing, verifying, tampering, concurrency. The
/// sealer and verifier are built over the server's own database (not through HTTP). Other code
/// (the demo, a background sealer) may write or seal entries too: the tests look at their own
/// entries and at the verdict over the whole chain. Tamper tests put every row back as it was.
/// </summary>
public abstract class AuditChainTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string Action = "test.appended";

    [Fact]
    public async Task Appended_entries_are_sealed_in_order_and_the_chain_verifies()
    {
        var ids = await AppendAsync(count: 25, perTransaction: 7);

        await SealAsync();
        var report = await VerifyAsync();

        Assert.True(report.Intact, Describe(report));
        Assert.Null(report.FirstBroken);
        Assert.True(report.CheckedEntries >= 25, Describe(report));
        Assert.Equal(0, report.PendingEntries);

        var rows = await RowsAsync(ids);
        Assert.All(rows, r =>
        {
            Assert.NotNull(r.ChainSeq);
            Assert.Matches("^[0-9a-f]{64}$", r.Hash!);
            Assert.Equal(r.Hash, AuditChain.ComputeHash(r));
        });
        // Committed before the seal, so sealed in Id order.
        Assert.Equal(rows.OrderBy(r => r.Id).Select(r => r.Id), rows.OrderBy(r => r.ChainSeq).Select(r => r.Id));
        Assert.Equal(report.Head!.ChainSeq, await host.QueryAsync(db => db.AuditEntries.MaxAsync(e => e.ChainSeq)));

        // The first entry of the chain links to the genesis value.
        var first = await host.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.ChainSeq == 1));
        Assert.Equal(AuditChain.Genesis, first.PreviousHash);
    }

    [Fact]
    public async Task Appending_after_sealing_continues_the_chain_from_its_head()
    {
        await AppendAsync(count: 5, perTransaction: 5);
        await SealAsync();
        var head = await HeadAsync();

        var later = await AppendAsync(count: 5, perTransaction: 2);
        await SealAsync();

        var rows = await RowsAsync(later);
        Assert.All(rows, r => Assert.True(r.ChainSeq > head.ChainSeq));
        var next = await host.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.ChainSeq == head.ChainSeq + 1));
        Assert.Equal(head.Hash, next.PreviousHash);
        var report = await VerifyAsync();
        Assert.True(report.Intact, Describe(report));
    }

    [Fact]
    public async Task An_edited_row_is_reported_as_exactly_that_entry()
    {
        var ids = await AppendAsync(count: 10, perTransaction: 4);
        await SealAsync();
        Assert.True((await VerifyAsync()).Intact);

        var victim = (await RowsAsync(ids))[4];
        await ExecuteAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE audit_entries SET \"Details\" = '{{\"index\":4,\"note\":\"改过了\"}}' WHERE \"Id\" = {0}", victim.Id));
        try
        {
            var report = await VerifyAsync();
            Assert.False(report.Intact);
            Assert.Equal(new AuditBreak(victim.ChainSeq, victim.Id, AuditBreakReasons.ContentChanged), report.FirstBroken);
            // The walk goes on past the break: every sealed entry is still counted.
            Assert.True(report.CheckedEntries >= 10);
        }
        finally
        {
            await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"Details\" = {victim.Details} WHERE \"Id\" = {victim.Id}"));
        }

        var restored = await VerifyAsync();
        Assert.True(restored.Intact, Describe(restored));
    }

    [Fact]
    public async Task A_deleted_row_is_reported_as_the_gap_at_its_chain_position()
    {
        var ids = await AppendAsync(count: 10, perTransaction: 10);
        await SealAsync();
        Assert.True((await VerifyAsync()).Intact);

        var victim = (await RowsAsync(ids))[5];
        var after = await host.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.ChainSeq == victim.ChainSeq + 1));
        await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM audit_entries WHERE \"Id\" = {victim.Id}"));
        try
        {
            var report = await VerifyAsync();
            Assert.False(report.Intact);
            Assert.Equal(new AuditBreak(victim.ChainSeq, after.Id, AuditBreakReasons.EntryMissing), report.FirstBroken);
        }
        finally
        {
            // Put the very row back, Id and all.
            await ExecuteAsync(async db =>
            {
                db.AuditEntries.Add(Copy(victim));
                return await db.SaveChangesAsync();
            });
        }

        var restored = await VerifyAsync();
        Assert.True(restored.Intact, Describe(restored));
    }

    [Fact]
    public async Task A_changed_link_is_reported_at_the_entry_that_carries_it()
    {
        var ids = await AppendAsync(count: 6, perTransaction: 3);
        await SealAsync();

        var victim = (await RowsAsync(ids))[3];
        var forged = new string('f', 64);
        await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"PreviousHash\" = {forged} WHERE \"Id\" = {victim.Id}"));
        try
        {
            var report = await VerifyAsync();
            Assert.False(report.Intact);
            Assert.Equal(new AuditBreak(victim.ChainSeq, victim.Id, AuditBreakReasons.LinkBroken), report.FirstBroken);
        }
        finally
        {
            await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"PreviousHash\" = {victim.PreviousHash} WHERE \"Id\" = {victim.Id}"));
        }

        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task A_sealed_row_stripped_of_its_position_is_reported_and_never_sealed_again()
    {
        var ids = await AppendAsync(count: 6, perTransaction: 6);
        await SealAsync();

        var victim = (await RowsAsync(ids))[2];
        await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"ChainSeq\" = NULL WHERE \"Id\" = {victim.Id}"));
        try
        {
            var expected = new AuditBreak(victim.ChainSeq, victim.Id, AuditBreakReasons.EntryUnsealed);
            var report = await VerifyAsync();
            Assert.False(report.Intact);
            Assert.Equal(expected, report.FirstBroken);

            // The sealer leaves it alone (re-sealing it at the head would hide the evidence).
            await SealAsync();
            Assert.Null((await RowsAsync([victim.Id])).Single().ChainSeq);
            Assert.Equal(expected, (await VerifyAsync()).FirstBroken);
        }
        finally
        {
            await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"ChainSeq\" = {victim.ChainSeq} WHERE \"Id\" = {victim.Id}"));
        }

        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Two_sealers_started_at_once_never_share_a_chain_position()
    {
        var ids = new List<long>();
        for (var round = 0; round < 3; round++)
        {
            ids.AddRange(await AppendAsync(count: 240, perTransaction: 60));
            await Task.WhenAll(SealAsync(batchSize: 25), SealAsync(batchSize: 25));
        }

        var rows = await RowsAsync(ids);
        Assert.All(rows, r => Assert.NotNull(r.ChainSeq));
        await AssertNoDuplicatePositionsAsync();
        var report = await VerifyAsync();
        Assert.True(report.Intact, Describe(report));
        Assert.True(report.CheckedEntries >= ids.Count);
    }

    [Fact]
    public async Task Sealers_racing_with_writers_keep_the_chain_whole()
    {
        using var done = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var written = new List<long>();
            for (var i = 0; i < 12; i++)
            {
                written.AddRange(await AppendAsync(count: 15, perTransaction: 15));
            }

            return written;
        });
        var sealers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!writer.IsCompleted)
            {
                await SealAsync(batchSize: 7);
            }
        })).ToArray();

        var ids = await writer;
        await Task.WhenAll(sealers);
        await SealAsync();

        Assert.All(await RowsAsync(ids), r => Assert.NotNull(r.ChainSeq));
        await AssertNoDuplicatePositionsAsync();
        var report = await VerifyAsync();
        Assert.True(report.Intact, Describe(report));
    }

    [Fact]
    public async Task The_command_line_verifies_with_exit_codes_and_ignores_other_arguments()
    {
        var ids = await AppendAsync(count: 3, perTransaction: 3);
        var (connectionString, provider) = await host.QueryAsync(db => Task.FromResult((db.Database.GetConnectionString()!, db.Provider)));
        var services = new ServiceCollection().AddLogging();
        if (provider == DatabaseProvider.Postgres)
        {
            services.AddDbContext<ConcordDb, PostgresConcordDb>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            services.AddDbContext<ConcordDb, SqliteConcordDb>(o => o.UseSqlite(connectionString));
        }

        services.AddAudit();
        await using var provided = services.BuildServiceProvider();

        Assert.Null(await AuditCommand.TryRunAsync([], provided));
        Assert.Null(await AuditCommand.TryRunAsync(["--urls", "http://127.0.0.1:5999"], provided));
        var (usage, _, usageError) = await RunAsync(provided, "audit", "unknown");
        Assert.Equal(AuditCommand.Usage, usage);
        Assert.Contains("audit verify", usageError);

        var (code, output, _) = await RunAsync(provided, "audit", "verify");
        Assert.True(code == AuditCommand.Intact, output);
        Assert.Contains("INTACT", output);
        Assert.Contains("Pending entries: 0", output);
        Assert.All(await RowsAsync(ids), r => Assert.NotNull(r.ChainSeq)); // verify sealed them first

        var victim = (await RowsAsync(ids))[1];
        await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"Actor\" = {"someone-else"} WHERE \"Id\" = {victim.Id}"));
        try
        {
            var (broken, text, _) = await RunAsync(provided, "audit", "verify");
            Assert.Equal(AuditCommand.Broken, broken);
            Assert.Contains("BROKEN", text);
            Assert.Contains($"entry id {victim.Id}: content changed", text);
        }
        finally
        {
            await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"Actor\" = {victim.Actor} WHERE \"Id\" = {victim.Id}"));
        }

        var (sealCode, sealText, _) = await RunAsync(provided, "audit", "seal");
        Assert.Equal(0, sealCode);
        Assert.StartsWith("Sealed ", sealText);
    }

    [Fact]
    public async Task The_sealer_leaves_the_callers_context_usable()
    {
        // Append and seal through one context: the tracked rows get their chain columns, nothing else is disturbed.
        var (inMemory, tracked) = await host.QueryAsync(async db =>
        {
            var rows = Enumerable.Range(0, 3).Select(i => Append(db, i)).ToList();
            await db.SaveChangesAsync();
            await new AuditSealer(db).SealPendingAsync();
            return (rows, db.ChangeTracker.Entries<AuditEntryRow>().Count(e => e.State == EntityState.Unchanged));
        });
        Assert.Equal(3, tracked);
        var stored = await RowsAsync(inMemory.Select(r => r.Id).ToList());
        Assert.All(stored, r => Assert.NotNull(r.Hash));
        // Unless another sealer got there first, the caller's instances carry what was stored.
        Assert.All(inMemory.Where(r => r.Hash is not null), r => Assert.Equal(stored.Single(s => s.Id == r.Id).Hash, r.Hash));

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.QueryAsync(async db =>
        {
            Append(db, 0);
            return await new AuditSealer(db).SealPendingAsync();
        }));
        Assert.True((await VerifyAsync()).Intact);
    }

    private string Tag { get; } = Guid.NewGuid().ToString("N")[..8];

    private AuditEntryRow Append(ConcordDb db, int index) =>
        AuditLog.Append(
            db, new Actor($"test-{Tag}", "192.0.2.7"), Action, "matter", $"{Tag}-{index}",
            new { index, note = "测试 \"quoted\"\n line" },
            // 100 ns precision on purpose: PostgreSQL keeps microseconds only.
            host.Clock.GetUtcNow().UtcDateTime.AddTicks(1234567));

    /// <summary>Appends entries through AuditLog in a few transactions; returns their Ids in order.</summary>
    private async Task<List<long>> AppendAsync(int count, int perTransaction)
    {
        var ids = new List<long>(count);
        for (var start = 0; start < count; start += perTransaction)
        {
            var from = start;
            var end = Math.Min(count, start + perTransaction);
            ids.AddRange(await host.QueryAsync(async db =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                var rows = Enumerable.Range(from, end - from).Select(i => Append(db, i)).ToList();
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
                return rows.Select(r => r.Id).ToList();
            }));
        }

        return ids;
    }

    private Task<int> SealAsync(int batchSize = AuditSealer.DefaultBatchSize) =>
        host.QueryAsync(db => new AuditSealer(db) { BatchSize = batchSize }.SealPendingAsync());

    private Task<AuditReport> VerifyAsync() =>
        host.QueryAsync(db => new AuditVerifier(db) { PageSize = 17 }.VerifyAsync());

    private Task<AuditHead> HeadAsync() =>
        host.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.ChainSeq != null)
            .OrderByDescending(e => e.ChainSeq)
            .Select(e => new AuditHead(e.ChainSeq!.Value, e.Hash))
            .FirstAsync());

    private Task<List<AuditEntryRow>> RowsAsync(IReadOnlyCollection<long> ids) =>
        host.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => ids.Contains(e.Id)).OrderBy(e => e.Id).ToListAsync());

    private Task<int> ExecuteAsync(Func<ConcordDb, Task<int>> change) => host.QueryAsync(change);

    private async Task AssertNoDuplicatePositionsAsync()
    {
        var duplicates = await host.QueryAsync(db => db.AuditEntries
            .Where(e => e.ChainSeq != null)
            .GroupBy(e => e.ChainSeq)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToListAsync());
        Assert.Empty(duplicates);
    }

    private static async Task<(int? Code, string Output, string Error)> RunAsync(IServiceProvider services, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AuditCommand.TryRunAsync(args, services, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static AuditEntryRow Copy(AuditEntryRow row) => new()
    {
        Id = row.Id,
        At = row.At,
        Actor = row.Actor,
        Action = row.Action,
        TargetType = row.TargetType,
        TargetId = row.TargetId,
        Source = row.Source,
        Details = row.Details,
        ChainSeq = row.ChainSeq,
        PreviousHash = row.PreviousHash,
        Hash = row.Hash,
    };

    private static string Describe(AuditReport report) => AuditCommand.Describe(report);
}
