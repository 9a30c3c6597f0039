using System.Globalization;

namespace Concord.Domain.Duplicates;

/// <summary>What the duplicate measure needs to know about a matter.</summary>
public sealed record DuplicateProbe(
    MinHash Text,
    double? Lat,
    double? Lon,
    string TerritoryCode,
    DateTime ReceivedAt,
    string? CategoryCode);

/// <summary>The thresholds and weights of the candidate score (appsettings <c>Concord:Duplicates</c>).</summary>
public sealed record DuplicateSettings
{
    /// <summary>Farther apart than this (both with a point) is never a duplicate.</summary>
    public double RadiusMeters { get; init; } = 250;

    /// <summary>Received further apart than this is never a duplicate.</summary>
    public int WindowDays { get; init; } = 30;

    /// <summary>Below this text similarity, the same place and time alone do not make a duplicate (two problems in one street).</summary>
    public double MinTextSimilarity { get; init; } = 0.25;

    /// <summary>The combined score a candidate needs.</summary>
    public double MinScore { get; init; } = 0.5;

    public double TextWeight { get; init; } = 0.5;

    public double PlaceWeight { get; init; } = 0.2;

    public double TimeWeight { get; init; } = 0.1;

    public double CategoryWeight { get; init; } = 0.2;

    /// <summary>At most this many candidates, best first.</summary>
    public int MaxCandidates { get; init; } = 5;
}

/// <summary>How the categories of two matters relate.</summary>
public enum CategoryRelation
{
    Same,
    /// <summary>Siblings under one parent, or one the ancestor of the other.</summary>
    SameParent,
    Other,
    /// <summary>At least one matter is not categorized yet.</summary>
    Unknown,
}

/// <summary>One reason of a score, as data (the server words it in the reader's language).</summary>
public sealed record DuplicateReason(string Code, double? Value = null)
{
    public string ValueText => Value is { } v ? (Code == "text_similarity" ? v.ToString("0.00", CultureInfo.InvariantCulture) : Math.Round(v).ToString(CultureInfo.InvariantCulture)) : "";
}

/// <summary>A candidate's score in [0, 1] and the facts behind it.</summary>
public sealed record DuplicateMatch(
    double Score,
    double TextSimilarity,
    double? DistanceMeters,
    double DaysApart,
    CategoryRelation Category,
    IReadOnlyList<DuplicateReason> Reasons);

/// <summary>
/// 并单 candidates: two matters are candidates when they are near in place and time, their texts
/// are alike, and the weighted sum of the four closenesses reaches the threshold. Place and time
/// are hard limits (beyond them nothing is a duplicate, which is what lets the server prefilter by
/// index); text must reach a floor, because one street has many different problems.
/// </summary>
public static class DuplicateScorer
{
    public static DuplicateMatch? Score(DuplicateProbe a, DuplicateProbe b, DuplicateSettings settings)
    {
        var reasons = new List<DuplicateReason>();

        // Place: the distance when both have a point; else the same deepest territory counts half.
        double place;
        double? distance = null;
        if (a.Lat is { } lat1 && a.Lon is { } lon1 && b.Lat is { } lat2 && b.Lon is { } lon2)
        {
            distance = Geo.DistanceMeters(lat1, lon1, lat2, lon2);
            if (distance > settings.RadiusMeters)
            {
                return null;
            }

            place = 1 - distance.Value / settings.RadiusMeters;
            reasons.Add(new("distance", distance));
        }
        else if (a.TerritoryCode.Length > 0 && a.TerritoryCode == b.TerritoryCode)
        {
            place = 0.5;
            reasons.Add(new("same_territory"));
        }
        else
        {
            return null;
        }

        var days = Math.Abs((a.ReceivedAt - b.ReceivedAt).TotalDays);
        if (days > settings.WindowDays)
        {
            return null;
        }

        var time = settings.WindowDays <= 0 ? 1 : 1 - days / settings.WindowDays;
        reasons.Add(new("days_apart", Math.Floor(days)));

        var relation = Relate(a.CategoryCode, b.CategoryCode);
        var category = relation switch
        {
            CategoryRelation.Same => 1,
            CategoryRelation.SameParent => 0.6,
            CategoryRelation.Unknown => 0.5,
            _ => 0,
        };
        reasons.Add(new(relation switch
        {
            CategoryRelation.Same => "same_category",
            CategoryRelation.SameParent => "same_parent_category",
            CategoryRelation.Unknown => "category_unknown",
            _ => "other_category",
        }));

        var text = a.Text.Similarity(b.Text);
        reasons.Add(new("text_similarity", text));
        if (text < settings.MinTextSimilarity)
        {
            return null;
        }

        var totalWeight = settings.TextWeight + settings.PlaceWeight + settings.TimeWeight + settings.CategoryWeight;
        var score = totalWeight <= 0 ? 0
            : (settings.TextWeight * text + settings.PlaceWeight * place + settings.TimeWeight * time + settings.CategoryWeight * category) / totalWeight;
        score = Math.Clamp(score, 0, 1);
        return score < settings.MinScore ? null : new DuplicateMatch(Math.Round(score, 3), text, distance, days, relation, reasons);
    }

    /// <summary>Codes are 2 digits a level (domain, category, subcategory); a child's code starts with its parent's.</summary>
    public static CategoryRelation Relate(string? a, string? b)
    {
        if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b))
        {
            return CategoryRelation.Unknown;
        }

        if (a == b)
        {
            return CategoryRelation.Same;
        }

        if (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal))
        {
            return CategoryRelation.SameParent;
        }

        return a.Length == b.Length && a.Length > 2 && a[..^2] == b[..^2] ? CategoryRelation.SameParent : CategoryRelation.Other;
    }
}
