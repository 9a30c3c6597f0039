using System.Globalization;
using Concord.Domain.Duplicates;

namespace Concord.Domain.Tests.Duplicates;

/// <summary>
/// The measured quality of the duplicate candidates on generated, labelled pairs (docs/duplicates.md).
/// Size and seed: CONCORD_DUPLICATES_PAIRS (default 3000), CONCORD_DUPLICATES_SEED (default 20261126).
/// </summary>
public sealed class DuplicateEvaluationTests(ITestOutputHelper output)
{
    private static int Pairs => int.TryParse(Environment.GetEnvironmentVariable("CONCORD_DUPLICATES_PAIRS"), out var n) && n > 0 ? n : 3000;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("CONCORD_DUPLICATES_SEED"), out var s) ? s : 20261126;

    [Fact]
    public void Precision_and_recall_at_the_default_thresholds_stay_above_their_floors()
    {
        var pairs = new DuplicateCorpus(Seed).Pairs(Pairs).ToList();
        var settings = new DuplicateSettings();
        var result = DuplicateEvaluation.Of(pairs, settings);
        output.WriteLine($"pairs {pairs.Count} (duplicates {pairs.Count(p => p.Duplicate)}), seed {Seed}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default (minText {settings.MinTextSimilarity}, minScore {settings.MinScore}): precision {result.Precision:0.000} recall {result.Recall:0.000}  tp {result.TruePositives} fp {result.FalsePositives} fn {result.FalseNegatives} tn {result.TrueNegatives}"));
        foreach (var kind in pairs.GroupBy(p => p.Kind))
        {
            var found = kind.Count(p => DuplicateScorer.Score(p.A, p.B, settings) is not null);
            output.WriteLine($"  {kind.Key}: {found} of {kind.Count()} suggested");
        }

        var similarities = pairs.Where(p => p.Duplicate).Select(p => p.A.Text.Similarity(p.B.Text)).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"text similarity of duplicates: p10 {similarities[similarities.Count / 10]:0.00} median {similarities[similarities.Count / 2]:0.00}"));
        var others = pairs.Where(p => p.Kind is "other_problem_same_place" or "same_category_other_problem").Select(p => p.A.Text.Similarity(p.B.Text)).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"text similarity of other problems at the same place (any category): median {others[others.Count / 2]:0.00} p99 {others[others.Count * 99 / 100]:0.00} max {others[^1]:0.00}"));

        output.WriteLine("sweep: minText minScore precision recall");
        foreach (var minText in new[] { 0.1, 0.15, 0.2, 0.25, 0.3 })
        {
            foreach (var minScore in new[] { 0.45, 0.5, 0.55, 0.6, 0.65 })
            {
                var swept = DuplicateEvaluation.Of(pairs, settings with { MinTextSimilarity = minText, MinScore = minScore });
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {minText:0.00} {minScore:0.00} {swept.Precision:0.000} {swept.Recall:0.000}"));
            }
        }

        // Floors measured on the default seed and size (docs/duplicates.md), a little below the measurement.
        Assert.True(result.Precision >= PrecisionFloor, $"precision {result.Precision:0.000} < {PrecisionFloor}");
        Assert.True(result.Recall >= RecallFloor, $"recall {result.Recall:0.000} < {RecallFloor}");
    }

    private const double PrecisionFloor = 0.98;

    private const double RecallFloor = 0.88;
}
