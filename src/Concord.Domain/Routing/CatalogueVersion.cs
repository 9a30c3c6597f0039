using Concord.Domain.Matters;
using Concord.Domain.Territories;

namespace Concord.Domain.Routing;

/// <summary>
/// One version of the dispatch catalogue (派单目录): the rules in force from <see cref="EffectiveFrom"/>
/// until the next version's date, with who published it and why. Versions are never edited: a change
/// of the rules is a new version, so that a past dispatch is explained by the catalogue of its day.
/// </summary>
public sealed record CatalogueVersion(
    int Number,
    DateTimeOffset EffectiveFrom,
    DateTimeOffset PublishedAt,
    string PublishedBy,
    string Reason,
    IReadOnlyList<RoutingRule> Rules);

/// <summary>The versions of the catalogue, and which one was in force when.</summary>
public sealed class CatalogueHistory
{
    public CatalogueHistory(IEnumerable<CatalogueVersion> versions)
    {
        Versions = versions.OrderBy(v => v.Number).ToList();
    }

    public IReadOnlyList<CatalogueVersion> Versions { get; }

    public CatalogueVersion? Latest => Versions.Count == 0 ? null : Versions[^1];

    public CatalogueVersion? Find(int number) => Versions.FirstOrDefault(v => v.Number == number);

    /// <summary>The version in force at an instant: the latest-effective one that had begun (on a tie, the later published).</summary>
    public CatalogueVersion? InForceAt(DateTimeOffset at) =>
        Versions.Where(v => v.EffectiveFrom <= at).OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Number).FirstOrDefault();

    /// <summary>
    /// Checks a version about to be published. The past is not rewritten: it takes effect no earlier
    /// than now and than the latest version's date. Field names are the JSON paths of the request.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(
        DateTimeOffset effectiveFrom,
        DateTimeOffset now,
        string? reason,
        IReadOnlyList<RoutingRule> rules,
        Func<string, bool> categoryExists,
        Func<string, bool> territoryExists,
        Func<string, bool> unitExists)
    {
        var errors = new List<FieldError>();
        // A minute of grace: "now" on the caller's clock.
        if (effectiveFrom < now.AddMinutes(-1))
        {
            errors.Add(new("effectiveFrom", "catalogue.not_in_past"));
        }
        else if (Latest is { } latest && effectiveFrom < latest.EffectiveFrom)
        {
            errors.Add(new("effectiveFrom", "catalogue.before_latest", latest.Number, latest.EffectiveFrom.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new("reason", "required"));
        }
        else if (reason.Length > 2000)
        {
            errors.Add(new("reason", "too_long", 2000, reason.Length));
        }

        if (rules.Count == 0)
        {
            errors.Add(new("rules", "required"));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = $"rules[{i}]";
            if (string.IsNullOrWhiteSpace(rule.Id) || rule.Id.Length > 32)
            {
                errors.Add(new($"{at}.id", "required"));
            }
            else if (!ids.Add(rule.Id))
            {
                errors.Add(new($"{at}.id", "catalogue.duplicate_rule", rule.Id));
            }

            if (rule.CategoryCode is { } category && !categoryExists(category))
            {
                errors.Add(new($"{at}.categoryCode", "unknown_category", category));
            }

            if (string.IsNullOrWhiteSpace(rule.TerritoryCode) || !territoryExists(rule.TerritoryCode))
            {
                errors.Add(new($"{at}.territoryCode", "unknown_territory", rule.TerritoryCode ?? ""));
            }

            if (string.IsNullOrWhiteSpace(rule.LeadUnitCode) || !unitExists(rule.LeadUnitCode))
            {
                errors.Add(new($"{at}.leadUnit", "unknown_unit", rule.LeadUnitCode ?? ""));
            }

            for (var j = 0; j < rule.AssistingUnitCodes.Count; j++)
            {
                var unit = rule.AssistingUnitCodes[j];
                if (!unitExists(unit) || unit == rule.LeadUnitCode)
                {
                    errors.Add(new($"{at}.assistingUnits[{j}]", "unknown_unit", unit));
                }
            }
        }

        return errors;
    }
}

/// <summary>
/// 部门事项不下沉 (2025 national opinion on 12345): a matter whose catalogue rule names a
/// department of a city or county as lead is not pushed down to a township or community unit,
/// unless the center overrides it explicitly, with a reason.
/// </summary>
public static class PushDownProtection
{
    public const string DepartmentKind = "department";

    /// <param name="ruleLeadKind">The kind of the unit the deciding rule names (null when no rule decided).</param>
    /// <param name="ruleLeadLevel">The level of that unit's territory.</param>
    /// <param name="newLeadLevel">The level of the territory of the unit the matter would go to.</param>
    public static bool Forbids(string? ruleLeadKind, TerritoryLevel? ruleLeadLevel, TerritoryLevel? newLeadLevel) =>
        ruleLeadKind == DepartmentKind
        && ruleLeadLevel is TerritoryLevel.City or TerritoryLevel.County
        && newLeadLevel is TerritoryLevel.Township or TerritoryLevel.Community or TerritoryLevel.Grid;
}
