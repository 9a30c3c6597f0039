namespace Concord.Domain.Risks;

/// <summary>What a risk involves: people (e.g. workers owed), money in yuan (e.g. arrears), households (e.g. of a stalled housing project).</summary>
public sealed record RiskScale(int? People, decimal? AmountYuan, int? Households);

/// <summary>
/// The rule that gave a level: which measure crossed which threshold (<c>people ≥ 50</c>), a domain's
/// floor, or a user's override with its reason. Shown beside the level so nobody has to guess.
/// </summary>
public sealed record RiskGrade(RiskLevel Level, string Criterion, decimal? Threshold, decimal? Value, string? OverrideReason = null)
{
    public bool Overridden => Criterion == RiskGrading.Override;

    /// <summary>A short machine-readable form: <c>people>=50</c>, <c>domain_floor:work_safety</c>, <c>override</c>, <c>none</c>.</summary>
    public string Rule => Criterion switch
    {
        RiskGrading.Override or RiskGrading.None => Criterion,
        RiskGrading.DomainFloor => $"{Criterion}",
        _ => $"{Criterion}>={Threshold:0.##}",
    };
}

/// <summary>
/// The grading rule (分级标准) for listed risks, pure so that it can be read and tested. Each measure
/// has thresholds for red, orange and yellow; the most severe level any measure reaches wins. Domains
/// where a single incident endangers life (campus safety, work safety) are never below yellow. Money
/// thresholds in economy and finance are five times higher, because sums there are large by nature.
/// </summary>
public static class RiskGrading
{
    public const string People = "people";
    public const string Amount = "amount";
    public const string Households = "households";
    public const string DomainFloor = "domain_floor";
    public const string Override = "override";
    public const string None = "none";

    /// <summary>Thresholds for red, orange, yellow.</summary>
    public static readonly IReadOnlyList<decimal> PeopleThresholds = [100, 50, 10];

    public static readonly IReadOnlyList<decimal> AmountThresholds = [10_000_000, 5_000_000, 1_000_000];

    public static readonly IReadOnlyList<decimal> HouseholdThresholds = [300, 100, 30];

    /// <summary>The factor on money thresholds in economy and finance.</summary>
    public const decimal FinanceAmountFactor = 5;

    public static readonly IReadOnlySet<string> LifeSafetyDomains = new HashSet<string>(StringComparer.Ordinal) { "campus_safety", "work_safety" };

    public static RiskGrade Grade(string domain, RiskScale scale)
    {
        var amountFactor = domain == "economy_finance" ? FinanceAmountFactor : 1;
        var candidates = new List<RiskGrade>();
        Consider(candidates, People, scale.People, PeopleThresholds, 1);
        Consider(candidates, Amount, scale.AmountYuan, AmountThresholds, amountFactor);
        Consider(candidates, Households, scale.Households, HouseholdThresholds, 1);
        if (LifeSafetyDomains.Contains(domain))
        {
            candidates.Add(new RiskGrade(RiskLevel.Yellow, DomainFloor, null, null));
        }

        // Most severe first; on a tie the measure named first (people, money, households, domain) explains it.
        return candidates.Count == 0
            ? new RiskGrade(RiskLevel.Blue, None, null, null)
            : candidates.OrderBy(c => (int)c.Level).First();
    }

    private static void Consider(List<RiskGrade> into, string criterion, decimal? value, IReadOnlyList<decimal> thresholds, decimal factor)
    {
        if (value is not { } v)
        {
            return;
        }

        for (var i = 0; i < thresholds.Count; i++)
        {
            var threshold = thresholds[i] * factor;
            if (v >= threshold)
            {
                into.Add(new RiskGrade((RiskLevel)i, criterion, threshold, v));
                return;
            }
        }
    }

    /// <summary>The grade to record: the computed one, or the user's level when they give one with a reason.</summary>
    public static RiskGrade Decide(RiskGrade computed, RiskLevel? chosen, string? reason) =>
        chosen is { } level && level != computed.Level
            ? new RiskGrade(level, Override, null, null, reason?.Trim())
            : computed;

    /// <summary>An override needs a reason of at least this many characters.</summary>
    public const int MinOverrideReason = 4;

    public static bool NeedsReason(RiskGrade computed, RiskLevel? chosen, string? reason) =>
        chosen is { } level && level != computed.Level && (reason?.Trim().Length ?? 0) < MinOverrideReason;
}
