using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Domain.Suggestions;

/// <summary>A label with its confidence (0..1).</summary>
public sealed record ScoredLabel(string Label, double Confidence);

/// <summary>A feature that pushed the suggested label up, with its weight (log-odds against the pooled history).</summary>
public sealed record DrivingFeature(string Feature, double Weight);

/// <summary>What the model would say: the best labels and, when the best is confident enough, the suggestion and why.</summary>
public sealed record Prediction(IReadOnlyList<ScoredLabel> Top, ScoredLabel? Suggestion, IReadOnlyList<DrivingFeature> DrivingFeatures)
{
    public static readonly Prediction None = new([], null, []);
}

/// <summary>
/// An online multinomial naive Bayes classifier over binary (present/absent) features: learns or
/// forgets one example at a time (a dispatcher's decision, or its correction), and serializes to
/// JSON so that a server can persist it. Posteriors of naive Bayes are overconfident (features are
/// not independent): confidences are softened by dividing the log-scores by √(features used), and
/// discounted for little evidence (few examples of the label, a young model). The evaluation
/// (docs/suggestions.md) checks them against observed accuracy: when suggested, mostly right.
/// </summary>
public sealed class NaiveBayes
{
    /// <summary>The settings measured in docs/suggestions.md.</summary>
    public static NaiveBayes Create(double smoothing = 0.1, double evidenceDamping = 2, double historyDamping = 100) =>
        new(smoothing) { EvidenceDamping = evidenceDamping, HistoryDamping = historyDamping };

    private readonly Dictionary<string, LabelCounts> labels = new(StringComparer.Ordinal);
    /// <summary>In how many examples each feature occurs (all labels): the vocabulary and the background.</summary>
    private readonly Dictionary<string, long> featureTotals = new(StringComparer.Ordinal);
    private long examples;
    private long featureOccurrences;

    public NaiveBayes(double smoothing = 0.1)
    {
        if (smoothing <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), "Smoothing must be positive.");
        }

        Smoothing = smoothing;
    }

    /// <summary>Additive (Lidstone) smoothing of feature counts.</summary>
    public double Smoothing { get; }

    /// <summary>m in the evidence factor n / (n + m) applied to a label's confidence (n: its examples).</summary>
    public double EvidenceDamping { get; init; } = 2;

    /// <summary>M in the factor D / (D + M) (D: all examples): a young model is not sure of anything yet.</summary>
    public double HistoryDamping { get; init; } = 100;

    public long Examples => examples;

    public int LabelCount => labels.Count(l => l.Value.Examples > 0);

    public int VocabularySize => featureTotals.Count;

    /// <summary>How many examples taught this label.</summary>
    public long ExamplesOf(string label) => labels.TryGetValue(label, out var counts) ? counts.Examples : 0;

    public void Learn(string label, IEnumerable<string> features) => Apply(label, features, +1);

    /// <summary>Takes back an example learned before (a decision that was corrected): the model is as if it had never seen it.</summary>
    public void Forget(string label, IEnumerable<string> features)
    {
        if (ExamplesOf(label) > 0)
        {
            Apply(label, features, -1);
        }
    }

    private void Apply(string label, IEnumerable<string> features, int sign)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        if (!labels.TryGetValue(label, out var counts))
        {
            counts = new LabelCounts();
            labels[label] = counts;
        }

        counts.Examples += sign;
        examples += sign;
        foreach (var feature in features.Distinct(StringComparer.Ordinal))
        {
            var n = counts.Features.GetValueOrDefault(feature) + sign;
            if (n <= 0)
            {
                counts.Features.Remove(feature);
            }
            else
            {
                counts.Features[feature] = n;
            }

            // A feature never learned for this label cannot be forgotten for it.
            if (n < 0)
            {
                continue;
            }

            counts.Total += sign;
            featureOccurrences += sign;
            var total = featureTotals.GetValueOrDefault(feature) + sign;
            if (total <= 0)
            {
                featureTotals.Remove(feature);
            }
            else
            {
                featureTotals[feature] = total;
            }
        }

        if (counts.Examples <= 0)
        {
            labels.Remove(label);
        }
    }

    /// <summary>
    /// The <paramref name="k"/> most likely labels; the first becomes the suggestion only when its
    /// confidence reaches <paramref name="threshold"/>, and then comes with the features that drove it.
    /// </summary>
    public Prediction Predict(IEnumerable<string> features, int k = 3, double threshold = 0.5, int driving = 5)
    {
        var known = features.Distinct(StringComparer.Ordinal).Where(featureTotals.ContainsKey).ToList();
        var live = labels.Where(l => l.Value.Examples > 0).ToList();
        if (known.Count == 0 || live.Count == 0)
        {
            return Prediction.None;
        }

        var vocabulary = featureTotals.Count;
        var scores = new double[live.Count];
        for (var i = 0; i < live.Count; i++)
        {
            var counts = live[i].Value;
            var score = Math.Log((counts.Examples + 1.0) / (examples + live.Count));
            var denominator = Math.Log(counts.Total + Smoothing * vocabulary);
            foreach (var feature in known)
            {
                score += Math.Log(counts.Features.GetValueOrDefault(feature) + Smoothing) - denominator;
            }

            scores[i] = score;
        }

        // Softened softmax: see the class comment.
        var temperature = Math.Sqrt(known.Count);
        var max = scores.Max();
        var weights = scores.Select(s => Math.Exp((s - max) / temperature)).ToArray();
        var sum = weights.Sum();
        // Evidence: a label learned from few decisions cannot be suggested with much confidence,
        // whatever the posterior says (n / (n + m) of it; what is left is "do not know").
        var top = Enumerable.Range(0, live.Count)
            .Select(i => new ScoredLabel(live[i].Key, weights[i] / sum * live[i].Value.Examples / (live[i].Value.Examples + EvidenceDamping) * examples / (examples + HistoryDamping)))
            .OrderByDescending(s => s.Confidence).ThenBy(s => s.Label, StringComparer.Ordinal)
            .Take(Math.Max(1, k))
            .ToList();
        var best = top[0];
        if (best.Confidence < threshold)
        {
            return new Prediction(top, null, []);
        }

        return new Prediction(top, best, Drivers(labels[best.Label], known, vocabulary, driving));
    }

    /// <summary>
    /// The features that argue most for the label: log P(f | label) − log P(f | all history).
    /// Only positive weights count; a place feature may be among them.
    /// </summary>
    private List<DrivingFeature> Drivers(LabelCounts counts, List<string> features, int vocabulary, int take)
    {
        var labelDenominator = counts.Total + Smoothing * vocabulary;
        var pooledDenominator = featureOccurrences + Smoothing * vocabulary;
        return features
            .Where(f => counts.Features.ContainsKey(f))
            .Select(f => new DrivingFeature(f,
                Math.Log((counts.Features[f] + Smoothing) / labelDenominator) - Math.Log((featureTotals[f] + Smoothing) / pooledDenominator)))
            .Where(d => d.Weight > 0)
            .OrderByDescending(d => d.Weight).ThenBy(d => d.Feature, StringComparer.Ordinal)
            .Take(take)
            .ToList();
    }

    // ------------------------------------------------------------------ persistence

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Serialize() => JsonSerializer.Serialize(
        new State(1, Smoothing, labels.ToDictionary(l => l.Key, l => new LabelState(l.Value.Examples, l.Value.Features))), Json);

    public static NaiveBayes Deserialize(string json, double evidenceDamping = 2, double historyDamping = 100)
    {
        var state = JsonSerializer.Deserialize<State>(json, Json) ?? throw new InvalidDataException("Empty model state.");
        if (state.Format != 1)
        {
            throw new InvalidDataException($"Unknown model state format {state.Format}.");
        }

        var model = new NaiveBayes(state.Smoothing) { EvidenceDamping = evidenceDamping, HistoryDamping = historyDamping };
        foreach (var (label, saved) in state.Labels)
        {
            var counts = new LabelCounts { Examples = saved.Examples };
            foreach (var (feature, n) in saved.Features)
            {
                counts.Features[feature] = n;
                counts.Total += n;
                model.featureTotals[feature] = model.featureTotals.GetValueOrDefault(feature) + n;
                model.featureOccurrences += n;
            }

            model.labels[label] = counts;
            model.examples += saved.Examples;
        }

        return model;
    }

    private sealed record State(int Format, double Smoothing, Dictionary<string, LabelState> Labels);

    private sealed record LabelState(long Examples, Dictionary<string, long> Features);

    private sealed class LabelCounts
    {
        public long Examples { get; set; }
        public long Total { get; set; }
        public Dictionary<string, long> Features { get; } = new(StringComparer.Ordinal);
    }
}
