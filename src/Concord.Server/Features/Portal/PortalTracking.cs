using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Portal;

public sealed record PublicEvent(string Type, DateTime At, string? Unit);

public sealed record PublicPhoto(int Ordinal, string ContentType, int Width, int Height);

/// <summary>What a resident sees of their matter: no staff names, no internal notes, no personal data.</summary>
public sealed record PublicMatterView(
    string TrackingCode, bool MergedIntoAnother, string Status, string Kind, string Title, string? Category, string? Place, string? LeadUnit,
    DateTime ReceivedAt, DateTime? ReplyDueAt, DateTime? RepliedAt, string? Reply, bool CanGiveVerdict, string? Verdict,
    IReadOnlyList<PublicPhoto> Photos, IReadOnlyList<PublicEvent> Timeline);

/// <summary>
/// The resident's view of a matter, for the API and the track page alike. A wrong secret reads
/// exactly like an unknown code (null). A merged matter shows the surviving one.
/// </summary>
public static class PortalTracking
{
    /// <summary>Events a resident sees, and only these.</summary>
    public static readonly HashSet<string> PublicEvents =
        ["received", "dispatched", "redispatched", "accepted", "progress", "replied", "verdict", "reopened", "closed", "rejected", "merged", "repeat_complaint", "unmerged", "merge_undone"];

    public static async Task<PublicMatterView?> ReadAsync(ConcordDb db, CatalogStore catalog, string trackingCode, string? secret, CancellationToken ct)
    {
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.TrackingCode == trackingCode, ct);
        if (matter is null || !Tracking.SecretMatches(secret, matter.TrackingSecretHash))
        {
            return null;
        }

        // A merged matter's reporter follows the survivor: its status, reply and verdict request.
        var followed = await Duplicates.MatterReporters.SurvivorOfAsync(db, matter, ct);

        var snapshot = catalog.Current;
        var events = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId == followed.Id && PublicEvents.Contains(e.Type)).OrderBy(e => e.Id).ToListAsync(ct);
        var photos = await db.Set<PortalAttachmentRow>().AsNoTracking().Where(p => p.MatterId == matter.Id).OrderBy(p => p.Ordinal)
            .Select(p => new PublicPhoto(p.Ordinal, p.ContentType, p.Width, p.Height)).ToListAsync(ct);
        return new PublicMatterView(
            trackingCode,
            followed.Id != matter.Id,
            followed.Status,
            followed.Kind,
            matter.Title,
            Views.Category(followed.CategoryCode, snapshot)?.Name,
            snapshot.Tree.AncestorAt(followed.TerritoryCode, Concord.Domain.Territories.TerritoryLevel.Township)?.Name ?? snapshot.Tree.Find(followed.TerritoryCode)?.Name,
            Views.UnitOf(followed.LeadUnitCode, snapshot)?.Name,
            matter.ReceivedAt,
            followed.ReplyDueAt,
            followed.RepliedAt,
            followed.ReplyText,
            followed.Status == MatterStatus.Replied.ToWire(),
            followed.Verdict,
            photos,
            events.Select(e => new PublicEvent(e.Type, e.At, UnitOfEvent(e, snapshot))).ToList());
    }

    /// <summary>The unit an event names (for dispatches), never the staff member who acted.</summary>
    private static string? UnitOfEvent(MatterEventRow e, CatalogSnapshot snapshot)
    {
        if (e.Type is not ("dispatched" or "redispatched" or "reopened"))
        {
            return null;
        }

        using var data = JsonDocument.Parse(e.Data);
        return data.RootElement.TryGetProperty("leadUnit", out var unit) && unit.ValueKind == JsonValueKind.String
            ? Views.UnitOf(unit.GetString(), snapshot)?.Name
            : null;
    }
}
