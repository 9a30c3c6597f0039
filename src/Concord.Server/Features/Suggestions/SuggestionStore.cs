using System.Diagnostics;
using System.Text.Json;
using Concord.Domain.Suggestions;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Suggestions;

/// <summary>
/// The suggestion model of this node, kept in step with the dispatchers' decisions. Every dispatch
/// and re-dispatch is an event row written in the decision's own transaction, so no decision can be
/// lost; this store learns the events it has not seen yet (on every suggestion request, and in the
/// background), un-learning the decision a re-dispatch corrected. A checkpoint row spares the
/// retraining at start; without it (or when it is unreadable) the model retrains from the history.
/// </summary>
public sealed class SuggestionStore(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<SuggestionStore> logger)
{
    public const string ModelName = "default";
    public static readonly string[] DecisionTypes = ["dispatched", "redispatched"];
    private const int Batch = 5000;
    private const int MaxPending = 10_000;
    /// <summary>How long an id missing below the watermark is waited for (a PostgreSQL transaction still committing) before it counts as rolled back.</summary>
    private static readonly TimeSpan PendingPatience = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly object sync = new();
    private SuggestionModel model = new();
    private long through;
    private readonly Dictionary<long, long> pending = [];
    private bool loaded;
    private long learnedSinceCheckpoint;

    public double Threshold => Math.Clamp(configuration.GetValue("Concord:Suggestions:Threshold", SuggestionModel.DefaultThreshold), 0, 1);

    public long Decisions
    {
        get
        {
            lock (sync)
            {
                return model.Decisions;
            }
        }
    }

    /// <summary>The category and lead-unit suggestions for a matter's text and place.</summary>
    /// <remarks>
    /// A prediction scores every label against every feature of the text (~2 ms a matter), and the dispatch
    /// console shows a page of them at each read. The answer depends only on the matter's text and place (its
    /// version) and on the model's state (its generation), so it is kept until either changes: re-reading the
    /// queue costs nothing, and the first read after the model learned a decision recomputes.
    /// </remarks>
    public (Suggestion Category, Suggestion LeadUnit) Suggest(MatterRow matter, int k = 3)
    {
        var key = (matter.Id, matter.Version, k);
        long generationNow;
        lock (sync)
        {
            generationNow = generation;
        }

        if (matter.Id != 0 && answers.TryGetValue(key, out var kept) && kept.Generation == generationNow)
        {
            return kept.Answer;
        }

        (Suggestion, Suggestion) answer;
        lock (sync)
        {
            answer = model.Suggest(TextOf(matter.Title, matter.Description, matter.CountyCode, matter.TownshipCode), k);
            generationNow = generation;
        }

        if (matter.Id != 0)
        {
            if (answers.Count >= MaxKeptAnswers)
            {
                answers.Clear();
            }

            answers[key] = (generationNow, answer);
        }

        return answer;
    }

    /// <summary>Bumped (under <c>sync</c>) whenever the model learns, forgets or is replaced: kept answers of older generations are stale.</summary>
    private long generation;

    private const int MaxKeptAnswers = 20_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(long Id, int Version, int K), (long Generation, (Suggestion, Suggestion) Answer)> answers = new();

    public static MatterText TextOf(string title, string description, string? county, string? township) =>
        new(title + " " + description, county, township);

    /// <summary>Learns the decisions recorded since the last call (loading the checkpoint the first time).</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            if (!loaded)
            {
                await LoadCheckpointAsync(db, ct);
                loaded = true;
            }

            var started = Stopwatch.GetTimestamp();
            var learned = await LearnNewAsync(db, ct);
            if (learned > 1000)
            {
                logger.LogInformation("Suggestions learned {Count} dispatch decisions in {Elapsed:F0} ms ({Total} in the model)",
                    learned, Stopwatch.GetElapsedTime(started).TotalMilliseconds, Decisions);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Saves the model when it learned something since the last save; never overwrites a newer checkpoint of another node.</summary>
    public async Task CheckpointAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (!loaded || learnedSinceCheckpoint == 0)
            {
                return;
            }

            string state;
            string pendingIds;
            long decisions;
            lock (sync)
            {
                state = model.Serialize();
                decisions = model.Decisions;
                pendingIds = string.Join(',', pending.Keys.Order().Take(300));
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
            var now = DateTime.UtcNow;
            var mine = through;
            var updated = await db.Set<SuggestionModelRow>()
                .Where(r => r.Name == ModelName && r.ThroughEventId < mine)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.State, state)
                    .SetProperty(r => r.ThroughEventId, mine)
                    .SetProperty(r => r.PendingEventIds, pendingIds)
                    .SetProperty(r => r.Decisions, decisions)
                    .SetProperty(r => r.SavedAt, now), ct);
            if (updated == 0 && !await db.Set<SuggestionModelRow>().AnyAsync(r => r.Name == ModelName, ct))
            {
                db.Add(new SuggestionModelRow { Name = ModelName, State = state, ThroughEventId = mine, PendingEventIds = pendingIds, Decisions = decisions, SavedAt = now });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another node saved its checkpoint first: as good as ours.
                }
            }

            learnedSinceCheckpoint = 0;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reads the saved checkpoint into a fresh model, as another node (or a restart) would.</summary>
    public static async Task<SuggestionModel?> ReadCheckpointAsync(ConcordDb db, double threshold, CancellationToken ct)
    {
        var row = await db.Set<SuggestionModelRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Name == ModelName, ct);
        return row is null ? null : SuggestionModel.Deserialize(row.State, threshold: threshold);
    }

    private async Task LoadCheckpointAsync(ConcordDb db, CancellationToken ct)
    {
        var row = await db.Set<SuggestionModelRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Name == ModelName, ct);
        if (row is null)
        {
            logger.LogInformation("No suggestion checkpoint: training from the dispatch history");
            return;
        }

        try
        {
            var restored = SuggestionModel.Deserialize(row.State, threshold: Threshold);
            lock (sync)
            {
                model = restored;
                generation++;
            }

            through = row.ThroughEventId;
            foreach (var id in row.PendingEventIds.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                pending[long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)] = Stopwatch.GetTimestamp();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException)
        {
            logger.LogWarning(e, "The suggestion checkpoint is unreadable: retraining from the dispatch history");
        }
    }

    private sealed record NewEvent(long Id, long MatterId, string Type, string? Data);

    private async Task<int> LearnNewAsync(ConcordDb db, CancellationToken ct)
    {
        var learned = 0;
        while (true)
        {
            ExpirePending();
            var waiting = pending.Keys.ToList();
            var from = through;
            var batch = await db.MatterEvents.AsNoTracking()
                .Where(e => e.Id > from || waiting.Contains(e.Id))
                .OrderBy(e => e.Id)
                .Take(Batch)
                .Select(e => new NewEvent(e.Id, e.MatterId, e.Type, e.Type == "dispatched" || e.Type == "redispatched" ? e.Data : null))
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return learned;
            }

            learned += await LearnAsync(db, batch.Where(e => e.Data is not null).ToList(), ct);
            foreach (var e in batch)
            {
                pending.Remove(e.Id);
                if (e.Id > through)
                {
                    // Ids skipped on the way up may belong to transactions that commit later.
                    for (var gap = through + 1; gap < e.Id && pending.Count < MaxPending; gap++)
                    {
                        pending.TryAdd(gap, Stopwatch.GetTimestamp());
                    }

                    through = e.Id;
                }
            }

            if (batch.Count < Batch)
            {
                return learned;
            }
        }
    }

    private void ExpirePending()
    {
        foreach (var (id, since) in pending.ToList())
        {
            if (Stopwatch.GetElapsedTime(since) > PendingPatience)
            {
                pending.Remove(id);
            }
        }
    }

    private async Task<int> LearnAsync(ConcordDb db, List<NewEvent> decisions, CancellationToken ct)
    {
        if (decisions.Count == 0)
        {
            return 0;
        }

        var matterIds = decisions.Select(d => d.MatterId).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Where(m => matterIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Title, m.Description, m.CountyCode, m.TownshipCode })
            .ToDictionaryAsync(m => m.Id, ct);
        // The decisions these matters had before, so that a correction replaces what it corrects.
        var last = decisions.Max(d => d.Id);
        var earlier = await db.MatterEvents.AsNoTracking()
            .Where(e => matterIds.Contains(e.MatterId) && DecisionTypes.Contains(e.Type) && e.Id <= last)
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.MatterId, e.Data })
            .ToListAsync(ct);
        var history = earlier.GroupBy(e => e.MatterId).ToDictionary(g => g.Key, g => g.Select(e => (e.Id, Label: LabelOf(e.Data))).ToList());

        var count = 0;
        lock (sync)
        {
            foreach (var decision in decisions)
            {
                if (LabelOf(decision.Data!) is not { } label || !matters.TryGetValue(decision.MatterId, out var m))
                {
                    continue;
                }

                var text = TextOf(m.Title, m.Description, m.CountyCode, m.TownshipCode);
                var previous = history.GetValueOrDefault(decision.MatterId)?.LastOrDefault(h => h.Id < decision.Id && h.Label is not null).Label;
                if (previous is { } p)
                {
                    model.Forget(new DispatchDecision(text, p.Category, p.Unit));
                }

                model.Learn(new DispatchDecision(text, label.Category, label.Unit));
                generation++;
                count++;
            }
        }

        learnedSinceCheckpoint += count;
        return count;
    }

    /// <summary>
    /// The category and lead unit a decision event records; none for an automatic dispatch at intake
    /// (a rule decided, not a dispatcher) or an event without both.
    /// </summary>
    private static (string Category, string Unit)? LabelOf(string data)
    {
        using var json = JsonDocument.Parse(data);
        var root = json.RootElement;
        if (root.TryGetProperty("automatic", out var automatic) && automatic.ValueKind == JsonValueKind.True)
        {
            return null;
        }

        return root.TryGetProperty("categoryCode", out var c) && c.ValueKind == JsonValueKind.String
            && root.TryGetProperty("leadUnit", out var u) && u.ValueKind == JsonValueKind.String
            ? (c.GetString()!, u.GetString()!)
            : null;
    }
}

/// <summary>Trains from the history at start, then keeps learning and checkpoints now and then.</summary>
public sealed class SuggestionTrainer(SuggestionStore store, Startup.Readiness readiness, IConfiguration configuration, ILogger<SuggestionTrainer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!readiness.IsReady)
        {
            await Task.Delay(200, stoppingToken);
        }

        var seconds = configuration.GetValue("Concord:Suggestions:CheckpointSeconds", 60);
        do
        {
            try
            {
                await store.CatchUpAsync(stoppingToken);
                await store.CheckpointAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not bring the suggestion model up to date; trying again later");
            }
        }
        while (seconds > 0 && await Delay(seconds, stoppingToken));
    }

    private static async Task<bool> Delay(int seconds, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
        return true;
    }
}
