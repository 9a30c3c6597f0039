namespace Concord.Domain.Warnings;

/// <summary>What the rules need of a matter; no personal data, only how many parties it has.</summary>
public sealed record MatterFact(
    long Id,
    string Code,
    string Kind,
    string? CategoryCode,
    string TerritoryCode,
    double? Lat,
    double? Lon,
    DateTime ReceivedAt,
    bool Open,
    bool Dissatisfied,
    int Parties,
    bool GroupFlagged);

/// <param name="GroupParties">A dispute with at least this many parties is a group dispute (群体性纠纷).</param>
/// <param name="RepeatWithinDays">A new matter about the same place and category within this many days of an earlier one still open or left dissatisfied is a repeat complaint.</param>
/// <param name="BurstMatters">At least this many matters …</param>
/// <param name="BurstMetres">… within this distance of one another …</param>
/// <param name="BurstHours">… and this many hours make a burst at one place.</param>
public sealed record RuleOptions(int GroupParties = 5, int RepeatWithinDays = 30, int BurstMatters = 5, double BurstMetres = 300, double BurstHours = 6)
{
    public static readonly RuleOptions Default = new();
}

public enum RuleKind
{
    GroupDispute,
    RepeatComplaint,
    Burst,
}

/// <summary>A rule's finding: the matter that triggered it (its key) and every matter it rests on.</summary>
public sealed record RuleFinding(RuleKind Rule, MatterFact Trigger, IReadOnlyList<MatterFact> Matters, string Because);

/// <summary>
/// The early-warning rules beside the statistics: group disputes, repeat complaints about one unresolved
/// problem, and a burst at one place. They look at matters, never at who complained: a repeat complaint
/// is the same problem at the same place, whoever reports it.
/// </summary>
public static class WarningRules
{
    public static IEnumerable<RuleFinding> GroupDisputes(IEnumerable<MatterFact> recent, RuleOptions options) =>
        recent.Where(m => m.Kind == "dispute" && (m.GroupFlagged || m.Parties >= options.GroupParties))
            .Select(m => new RuleFinding(RuleKind.GroupDispute, m, [m],
                m.GroupFlagged ? "flagged" : $"parties={m.Parties}>={options.GroupParties}"));

    /// <summary>Each recent matter whose place (deepest territory) and category already had an earlier matter, open or left dissatisfied, within the window.</summary>
    public static IEnumerable<RuleFinding> RepeatComplaints(IEnumerable<MatterFact> recent, IReadOnlyList<MatterFact> history, RuleOptions options)
    {
        foreach (var m in recent.Where(m => m.CategoryCode is not null))
        {
            var earlier = history
                .Where(h => h.Id != m.Id && h.TerritoryCode == m.TerritoryCode && h.CategoryCode == m.CategoryCode
                    && h.ReceivedAt < m.ReceivedAt && h.ReceivedAt >= m.ReceivedAt.AddDays(-options.RepeatWithinDays)
                    && (h.Open || h.Dissatisfied))
                .OrderBy(h => h.ReceivedAt)
                .ToList();
            if (earlier.Count > 0)
            {
                yield return new RuleFinding(RuleKind.RepeatComplaint, m, [.. earlier, m], $"earlier={earlier.Count},days<={options.RepeatWithinDays}");
            }
        }
    }

    /// <summary>
    /// For each recent located matter, the matters within the distance in the hours up to it; when they reach the count,
    /// a burst. A matter near one already part of a finding in this pass (or <paramref name="alreadyFound"/>) does not start another.
    /// </summary>
    public static IEnumerable<RuleFinding> Bursts(IEnumerable<MatterFact> recent, IReadOnlyList<MatterFact> history, RuleOptions options, IEnumerable<long>? alreadyFound = null)
    {
        var used = new HashSet<long>(alreadyFound ?? []);
        foreach (var m in recent.Where(m => m.Lat is not null && m.Lon is not null).OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id))
        {
            if (used.Contains(m.Id))
            {
                continue;
            }

            var near = history
                .Where(h => h.Lat is not null && h.Lon is not null && h.ReceivedAt <= m.ReceivedAt
                    && h.ReceivedAt >= m.ReceivedAt.AddHours(-options.BurstHours)
                    && Metres(m.Lat!.Value, m.Lon!.Value, h.Lat!.Value, h.Lon!.Value) <= options.BurstMetres)
                .OrderBy(h => h.ReceivedAt).ThenBy(h => h.Id)
                .ToList();
            if (near.Any(n => used.Contains(n.Id)))
            {
                // The same burst going on: it joins the finding already made, it does not start another.
                used.Add(m.Id);
                continue;
            }

            if (near.Count >= options.BurstMatters)
            {
                used.UnionWith(near.Select(n => n.Id));
                yield return new RuleFinding(RuleKind.Burst, m, near, $"matters={near.Count}>={options.BurstMatters},metres<={options.BurstMetres},hours<={options.BurstHours}");
            }
        }
    }

    /// <summary>Great-circle distance (haversine) in metres.</summary>
    public static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        const double earth = 6371008.8;
        double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * earth * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
