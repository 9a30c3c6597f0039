using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Features.Suggestions;
using Concord.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Suggestions;

/// <summary>The demo with its synthetic dispatch history (Demo/DemoHistory) to learn from.</summary>
public sealed class SqliteHistoryHost : SqliteHost
{
    protected override IDictionary<string, string?> Settings => HistoryHost.Settings;
}

public sealed class PostgresHistoryHost : PostgresHost
{
    protected override IDictionary<string, string?> Settings => HistoryHost.Settings;
}

public static class HistoryHost
{
    public const int History = 1500;

    public static Dictionary<string, string?> Settings => new()
    {
        ["Concord:Demo:History"] = History.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The tests checkpoint when they choose.
        ["Concord:Suggestions:CheckpointSeconds"] = "0",
    };
}

public sealed class SuggestionTestsOnSqlite(SqliteHistoryHost host) : SuggestionTests<SqliteHistoryHost>(host);

public sealed class SuggestionTestsOnPostgres(PostgresHistoryHost host) : SuggestionTests<PostgresHistoryHost>(host);

public abstract class SuggestionTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string Dongguan = "620802001"; // 东关街道, 崆峒区

    private async Task<string> IntakeAsync(string title, string description, string territory = Dongguan, string? category = null)
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title, description, territoryCode = territory, categoryCode = category,
        })));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Json.ReadAsync(response))["code"]!.GetValue<string>();
    }

    private async Task<JsonNode> SuggestionsAsync(string code)
    {
        var response = await host.Client.GetAsync($"/api/v1/matters/{code}/suggestions");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    private async Task StepAsync(string code, string step, object body)
    {
        var response = await host.Client.SendAsync(Json.Post($"/api/v1/matters/{code}/{step}", Json.Body(body)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{step}: {await response.Content.ReadAsStringAsync()}");
    }

    private static string? Suggested(JsonNode suggestions, string which) => suggestions[which]!["suggested"]?["code"]?.GetValue<string>();

    [Fact]
    public async Task Trained_on_the_history_the_queue_carries_suggestions_with_confidence_and_driving_words()
    {
        var queue = (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/dispatch/queue"))).AsArray();
        var waiting = queue.Where(i => i!["matter"]!["title"]!.GetValue<string>().StartsWith("〔合成示例〕", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, waiting.Count);
        var suggestions = waiting.Select(i => i!["suggestions"]!).ToList();
        Assert.All(suggestions, s => Assert.InRange(s["decisionsLearned"]!.GetValue<long>(), HistoryHost.History * 9 / 10, HistoryHost.History + 100)); // other tests of the class add their own decisions

        // Some are confident enough to be suggested; each of those says why; the others only rank.
        var made = suggestions.SelectMany(s => new[] { s["category"]!, s["leadUnit"]! }).Where(x => x["suggested"] is not null).ToList();
        Assert.NotEmpty(made);
        Assert.All(made, x =>
        {
            Assert.True(x["suggested"]!["confidence"]!.GetValue<double>() >= 0.5);
            Assert.NotEmpty(x["drivingWords"]!.AsArray());
            Assert.Equal(x["suggested"]!["code"]!.GetValue<string>(), x["top"]![0]!["code"]!.GetValue<string>());
        });
        Assert.All(suggestions, s => Assert.NotEmpty(s["leadUnit"]!["top"]!.AsArray()));

        // The matter's own endpoint answers the same.
        var first = waiting[0]!;
        var own = await SuggestionsAsync(first["matter"]!["code"]!.GetValue<string>());
        Assert.Equal(first["suggestions"]!.ToJsonString(), own.ToJsonString());
    }

    [Fact]
    public async Task Below_the_threshold_there_is_no_suggestion()
    {
        var code = await IntakeAsync("qqzx", "zzkv wqpj");
        var suggestions = await SuggestionsAsync(code);
        Assert.Null(suggestions["category"]!["suggested"]);
        Assert.Null(suggestions["leadUnit"]!["suggested"]);
        Assert.Empty(suggestions["category"]!["drivingWords"]!.AsArray());
    }

    [Fact]
    public async Task Dispatchers_corrections_change_later_suggestions()
    {
        var probe = await IntakeAsync("东关街道广场舞太吵", "每天晚上广场舞音响声音很大，跳舞音乐噪音扰民");
        Assert.NotEqual("620802.cgj", Suggested(await SuggestionsAsync(probe), "leadUnit"));

        // Square-dance noise goes to the police by the catalogue; the dispatchers keep correcting it to urban management.
        for (var i = 0; i < 8; i++)
        {
            var code = await IntakeAsync($"广场舞噪音扰民{i}", $"小区广场舞音响太吵，跳舞到很晚，第{i + 1}次反映");
            await StepAsync(code, "dispatch", new { categoryCode = "160201", leadUnit = "620802.gaj" });
            await StepAsync(code, "redispatch", new { leadUnit = "620802.cgj", reason = "广场舞噪声由城管执法部门处理" });
        }

        var after = await SuggestionsAsync(probe);
        Assert.Equal("620802.cgj", Suggested(after, "leadUnit"));
        Assert.Contains(after["leadUnit"]!["drivingWords"]!.AsArray().Select(w => w!.GetValue<string>()), w => w.Contains('舞') || w.Contains('广'));
        // The corrected decisions were taken back: the police are not second for these texts any more.
        Assert.DoesNotContain(after["leadUnit"]!["top"]!.AsArray().Take(2), t => t!["code"]!.GetValue<string>() == "620802.gaj");
        Assert.Equal("160201", Suggested(after, "category"));
    }

    [Fact]
    public async Task The_checkpoint_holds_the_model_another_node_would_start_from()
    {
        var code = await IntakeAsync("工地欠薪", "工地包工头拖欠农民工工资");
        var served = await SuggestionsAsync(code);
        await host.Services.GetRequiredService<SuggestionStore>().CheckpointAsync(CancellationToken.None);
        var restored = await host.QueryAsync(db => SuggestionStore.ReadCheckpointAsync(db, 0.5, CancellationToken.None));
        Assert.NotNull(restored);
        Assert.Equal(served["decisionsLearned"]!.GetValue<long>(), restored!.Decisions);
        var (category, unit) = restored.Suggest(SuggestionStore.TextOf("工地欠薪", "工地包工头拖欠农民工工资", "620802", Dongguan));
        Assert.Equal(served["category"]!["top"]![0]!["code"]!.GetValue<string>(), category.Top[0].Label);
        Assert.Equal(served["leadUnit"]!["top"]![0]!["code"]!.GetValue<string>(), unit.Top[0].Label);
    }

    [Fact]
    public async Task Suggestions_are_for_the_center_and_unknown_matters_are_not_found()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/v1/matters/PL-20260101-999999/suggestions")).StatusCode);
        var code = await IntakeAsync("工地欠薪", "工地拖欠工资");
        var handler = await host.ClientForAsync("handler");
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.GetAsync($"/api/v1/matters/{code}/suggestions")).StatusCode);
    }
}
