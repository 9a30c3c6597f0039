using Concord.Domain.Duplicates;
using Concord.Domain.Matters;
using Concord.Domain.Workflow;
using Concord.Server.Access;
using Concord.Server.Data;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Concord.Server.Features.Duplicates;

/// <summary>A candidate twin of a matter, as the API and the console show it.</summary>
public sealed record DuplicateCandidate(
    string Code,
    string Title,
    string Status,
    double Score,
    IReadOnlyList<string> Reasons,
    DuplicateFactors Factors);

/// <summary>The facts behind a score, for clients that want to weigh them themselves.</summary>
public sealed record DuplicateFactors(double? DistanceMeters, double DaysApart, string Category, double TextSimilarity);

/// <summary>
/// 并单 candidates: signs matters (MinHash of title and description) and finds the open matters
/// near one in place, time, category and text, within the caller's scope. The search reads the
/// signatures through indexes only: an equality on the few ~1 km cells around the point (or the
/// territory without a point) and a range on the time window; the scoring is in the domain.
/// </summary>
public sealed class DuplicateSearch(ConcordDb db, IOptions<DuplicateSettings> options, Shingler shingler)
{
    /// <summary>At most this many signatures are scored for one matter (a busy cell in a busy month).</summary>
    public const int MaxScored = 2000;

    public DuplicateSettings Settings => options.Value;

    /// <summary>The text a matter is compared by.</summary>
    public static string TextOf(MatterRow matter) => $"{matter.Title}。{matter.Description}";

    /// <summary>A new signature row for the matter (added to the caller's unit of work; a new matter gets its id on insert).</summary>
    public MatterSignatureRow Sign(MatterRow matter)
    {
        var row = new MatterSignatureRow
        {
            MatterId = matter.Id,
            Matter = matter.Id == 0 ? matter : null,
            Version = MinHash.Version,
            Cell = matter.Lat is { } lat && matter.Lon is { } lon ? Geo.CellOf(lat, lon) : null,
            TerritoryCode = matter.TerritoryCode,
            ReceivedAt = matter.ReceivedAt,
            MinHash = MinHash.Of(TextOf(matter), shingler).ToBytes(),
        };
        db.Set<MatterSignatureRow>().Add(row);
        signed = (matter, row);
        return row;
    }

    /// <summary>The matter this request signed last and its signature, so that intake's candidate search does not hash its text again.</summary>
    private (MatterRow Matter, MatterSignatureRow Row)? signed;

    /// <summary>The candidates for a matter (saved or about to be), best first, in the caller's scope.</summary>
    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(MatterRow matter, AccessScope scope, CancellationToken ct)
    {
        var settings = Settings;
        var from = matter.ReceivedAt.AddDays(-settings.WindowDays);
        var to = matter.ReceivedAt.AddDays(settings.WindowDays);
        var signatures = db.Set<MatterSignatureRow>().AsNoTracking();
        IQueryable<MatterSignatureRow> near;
        if (matter.Lat is { } lat && matter.Lon is { } lon)
        {
            var cells = Geo.CellsAround(lat, lon, settings.RadiusMeters).ToList();
            var territory = matter.TerritoryCode;
            // Matters with a point in the cells around this one, and matters without a point in its territory.
            near = signatures.Where(s => s.ReceivedAt >= from && s.ReceivedAt <= to
                && ((s.Cell != null && cells.Contains(s.Cell.Value)) || (s.Cell == null && s.TerritoryCode == territory)));
        }
        else if (matter.TerritoryCode.Length > 0)
        {
            var territory = matter.TerritoryCode;
            near = signatures.Where(s => s.ReceivedAt >= from && s.ReceivedAt <= to && s.TerritoryCode == territory);
        }
        else
        {
            return [];
        }

        string[] ended = [MatterStatus.Merged.ToWire(), MatterStatus.Rejected.ToWire(), MatterStatus.Closed.ToWire()];
        var id = matter.Id;
        // Only the columns scoring and the answer use: a crowded cell returns up to MaxScored rows.
        var rows = await near
            .Join(scope.Apply(db.Matters.AsNoTracking()), s => s.MatterId, m => m.Id, (s, m) => new { s.MinHash, Matter = m })
            .Where(x => x.Matter.Id != id && !ended.Contains(x.Matter.Status))
            // In a crowded cell, the newest are scored first.
            .OrderByDescending(x => x.Matter.ReceivedAt)
            .Take(MaxScored)
            .Select(x => new Near(x.Matter.Code, x.Matter.Title, x.Matter.Status, x.Matter.Lat, x.Matter.Lon, x.Matter.TerritoryCode, x.Matter.ReceivedAt, x.Matter.CategoryCode, x.MinHash))
            .ToListAsync(ct);

        var text = signed is { } own && ReferenceEquals(own.Matter, matter) ? MinHash.FromBytes(own.Row.MinHash) : MinHash.Of(TextOf(matter), shingler);
        var probe = new DuplicateProbe(text, matter.Lat, matter.Lon, matter.TerritoryCode, matter.ReceivedAt, matter.CategoryCode);
        return rows
            .Select(x => (Matter: x, Match: DuplicateScorer.Score(probe, new DuplicateProbe(MinHash.FromBytes(x.MinHash), x.Lat, x.Lon, x.TerritoryCode, x.ReceivedAt, x.CategoryCode), settings)))
            .Where(x => x.Match is not null)
            .OrderByDescending(x => x.Match!.Score).ThenByDescending(x => x.Matter.ReceivedAt)
            .Take(settings.MaxCandidates)
            .Select(x => Candidate(x.Matter, x.Match!))
            .ToList();
    }

    /// <summary>A nearby matter as the candidate search reads it.</summary>
    private sealed record Near(string Code, string Title, string Status, double? Lat, double? Lon, string TerritoryCode, DateTime ReceivedAt, string? CategoryCode, byte[] MinHash);

    private static DuplicateCandidate Candidate(Near m, DuplicateMatch match) =>
        new(m.Code, m.Title, m.Status, match.Score, match.Reasons.Select(Words).ToList(),
            new DuplicateFactors(match.DistanceMeters is { } d ? Math.Round(d) : null, Math.Round(match.DaysApart, 1), CategoryName(match.Category), Math.Round(match.TextSimilarity, 2)));

    public static string CategoryName(CategoryRelation relation) => relation switch
    {
        CategoryRelation.Same => "same",
        CategoryRelation.SameParent => "same_parent",
        CategoryRelation.Unknown => "unknown",
        _ => "other",
    };

    /// <summary>A reason in the reader's language: 距离 80 米, 同一类别, 文字相似度 0.72.</summary>
    public static string Words(DuplicateReason reason) => Messages.Text($"duplicates.reason.{reason.Code}", reason.ValueText);
}
