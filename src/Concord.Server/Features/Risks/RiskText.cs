using System.Globalization;
using Concord.Domain.Risks;
using Concord.Server.Components;
using Concord.Server.Problems;

namespace Concord.Server.Features.Risks;

/// <summary>Labels the risk and report pages share: domains, levels, statuses, the grading rule in words.</summary>
public static class RiskText
{
    public static string Domain(string? wire) => KeyDomains.Find(wire) is { } d ? (Messages.IsZh ? d.Name : d.NameEn) : wire ?? "";

    public static string Level(string level) => PageText.Label("risk.level", level);

    public static string Status(string status) => PageText.Label("risk.status", status);

    /// <summary>people>=50 → "涉及人数 ≥ 50"; override → "人工调整：reason".</summary>
    public static string Rule(string rule, string? overrideReason)
    {
        if (rule == RiskGrading.Override)
        {
            return Ui.T("ui.risk.rule.override", overrideReason ?? "");
        }

        var at = rule.IndexOf(">=", StringComparison.Ordinal);
        if (at < 0)
        {
            return PageText.Label("risk.rule", rule);
        }

        var threshold = decimal.TryParse(rule[(at + 2)..], NumberStyles.Number, CultureInfo.InvariantCulture, out var t) ? t.ToString("#,0", CultureInfo.InvariantCulture) : rule[(at + 2)..];
        return Ui.T($"ui.risk.rule.{rule[..at]}", threshold);
    }

    public static string Number(decimal? value) => value is { } v ? v.ToString("#,0.##", CultureInfo.InvariantCulture) : "—";

    public static string Number(int? value) => value is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : "—";

    public static string TerritoryName(Catalog.CatalogSnapshot catalog, string code) =>
        catalog.Tree.Find(code) is { } t ? string.Join(" › ", catalog.Tree.ChainOf(code).Skip(1).Select(c => c.Name).DefaultIfEmpty(t.Name)) : code;

    public static string UnitName(Catalog.CatalogSnapshot catalog, string code) => catalog.Units.TryGetValue(code, out var u) ? Ui.UnitName(u) : code;

    public static string Percent(double? value) => value is { } v ? v.ToString("0.#%", CultureInfo.InvariantCulture) : "—";
}
