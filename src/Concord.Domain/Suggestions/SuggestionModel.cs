using System.Text.Json;

namespace Concord.Domain.Suggestions;

/// <summary>A matter as the model sees it: its text and its place.</summary>
public sealed record MatterText(string Text, string? CountyCode, string? TownshipCode);

/// <summary>A dispatcher's decision: the final category and lead unit chosen for a matter.</summary>
public sealed record DispatchDecision(MatterText Matter, string CategoryCode, string LeadUnitCode);

/// <summary>One suggestion (category or lead unit): the best labels, and the suggested one with its driving words, or none.</summary>
public sealed record Suggestion(ScoredLabel? Suggested, IReadOnlyList<ScoredLabel> Top, IReadOnlyList<string> DrivingWords);

/// <summary>智能分拨: category and lead-unit suggestions learned from the dispatchers' decisions.</summary>
public sealed class SuggestionModel
{
    public const double DefaultThreshold = 0.5;

    private readonly Tokenizer tokenizer;

    /// <param name="historyDamping">How many decisions make a model "grown up" (see <see cref="NaiveBayes.HistoryDamping"/>); 0 trusts even a tiny history.</param>
    public SuggestionModel(Tokenizer? tokenizer = null, double threshold = DefaultThreshold, double historyDamping = 100)
        : this(NaiveBayes.Create(historyDamping: historyDamping), NaiveBayes.Create(historyDamping: historyDamping), tokenizer, threshold)
    {
    }

    private SuggestionModel(NaiveBayes categories, NaiveBayes units, Tokenizer? tokenizer, double threshold)
    {
        if (threshold is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold is a confidence between 0 and 1.");
        }

        Categories = categories;
        Units = units;
        this.tokenizer = tokenizer ?? TextFeatures.CharacterGrams;
        Threshold = threshold;
    }

    public NaiveBayes Categories { get; }

    public NaiveBayes Units { get; }

    /// <summary>Below this confidence there is no suggestion, not a guess.</summary>
    public double Threshold { get; }

    public long Decisions => Categories.Examples;

    public IReadOnlyList<string> FeaturesOf(MatterText matter) =>
        TextFeatures.Of(matter.Text, matter.CountyCode, matter.TownshipCode, tokenizer);

    public void Learn(DispatchDecision decision)
    {
        var features = FeaturesOf(decision.Matter);
        Categories.Learn(decision.CategoryCode, features);
        Units.Learn(decision.LeadUnitCode, features);
    }

    /// <summary>Takes back a decision that a later one replaced (a re-dispatch corrects the earlier dispatch).</summary>
    public void Forget(DispatchDecision decision)
    {
        var features = FeaturesOf(decision.Matter);
        Categories.Forget(decision.CategoryCode, features);
        Units.Forget(decision.LeadUnitCode, features);
    }

    public (Suggestion Category, Suggestion LeadUnit) Suggest(MatterText matter, int k = 3)
    {
        var features = FeaturesOf(matter);
        return (Of(Categories.Predict(features, k, Threshold)), Of(Units.Predict(features, k, Threshold)));
    }

    /// <summary>Driving words are the text features, without their prefix; place features are shown as they are.</summary>
    private static Suggestion Of(Prediction prediction) => new(
        prediction.Suggestion,
        prediction.Top,
        prediction.DrivingFeatures.Select(d => d.Feature.StartsWith(TextFeatures.WordPrefix, StringComparison.Ordinal) ? d.Feature[TextFeatures.WordPrefix.Length..] : d.Feature).ToList());

    public string Serialize() => JsonSerializer.Serialize(new[] { Categories.Serialize(), Units.Serialize() });

    public static SuggestionModel Deserialize(string json, Tokenizer? tokenizer = null, double threshold = DefaultThreshold, double historyDamping = 100)
    {
        var parts = JsonSerializer.Deserialize<string[]>(json);
        if (parts is not { Length: 2 })
        {
            throw new InvalidDataException("A suggestion model state holds two classifiers.");
        }

        return new SuggestionModel(NaiveBayes.Deserialize(parts[0], historyDamping: historyDamping), NaiveBayes.Deserialize(parts[1], historyDamping: historyDamping), tokenizer, threshold);
    }
}
