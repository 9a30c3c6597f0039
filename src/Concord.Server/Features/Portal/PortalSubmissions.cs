using Concord.Domain.Matters;
using Concord.Domain.Portal;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Portal;

/// <summary>What a submission through the residents' door (or Open311) gave back.</summary>
public sealed record SubmissionOutcome(MatterRow? Matter, string? Secret, IReadOnlyList<FieldError> Errors, bool Repeat);

/// <summary>
/// One way in for residents and third-party reporting apps: photos checked and cleaned, the matter
/// taken in, a tracking code and secret issued, the submission compared with the recent ones for
/// spam-like repeats (grouped and flagged for the dispatcher, never dropped), the audit entry —
/// all in one transaction, so nothing is half-written.
/// </summary>
public sealed class PortalSubmissions(ConcordDb db, MatterIntake intake, PersonalDataProtector protector, TimeProvider clock, IConfiguration configuration)
{
    public PhotoLimits Limits { get; } = PhotoLimits.From(configuration);

    /// <summary>How far back a submission is compared for repeats (Concord:Portal:RepeatWindowHours).</summary>
    public TimeSpan RepeatWindow { get; } = TimeSpan.FromHours(configuration.GetValue("Concord:Portal:RepeatWindowHours", 24));

    /// <summary>The keyed hash of a client address: grouping needs "same client", never the address itself.</summary>
    public string ClientHash(HttpContext http) =>
        protector.KeyedHash(System.Text.Encoding.UTF8.GetBytes("client:" + (http.Connection.RemoteIpAddress?.ToString() ?? "local")));

    public async Task<SubmissionOutcome> SubmitAsync(MatterDraft draft, IReadOnlyList<UploadedPhoto> uploads, string clientHash, Actor actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (draft.Kind == "report")
        {
            errors.Add(new("kind", "one_of", "report", "appeal, dispute, hazard"));
        }

        var (photos, photoErrors) = PortalPhotos.Clean(uploads, Limits);
        errors.AddRange(photoErrors);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await intake.TakeInAsync(draft, actor: "resident", ct);
        errors.AddRange(outcome.Errors);
        if (errors.Count > 0)
        {
            return new(null, null, errors, false);
        }

        var matter = outcome.Matter!;
        var secret = Tracking.NewSecret();
        matter.TrackingCode = Tracking.NewCode();
        matter.TrackingSecretHash = Tracking.Hash(secret);
        // The matter's id is needed for its photos and its group: save it first, inside the transaction.
        await db.SaveChangesAsync(ct);

        var at = clock.GetUtcNow();
        for (var i = 0; i < photos.Count; i++)
        {
            var p = photos[i];
            db.Set<PortalAttachmentRow>().Add(new PortalAttachmentRow
            {
                MatterId = matter.Id, Ordinal = i + 1, ContentType = p.ContentType, Width = p.Width, Height = p.Height,
                Bytes = p.Bytes, Thumbnail = p.Thumbnail, CreatedAt = at.UtcDateTime,
            });
        }

        var text = $"{matter.Title}\n{matter.Description}";
        var since = at.UtcDateTime - RepeatWindow;
        var recent = await db.Set<PortalSubmissionRow>().AsNoTracking()
            .Where(s => s.SubmittedAt >= since).OrderByDescending(s => s.SubmittedAt).Take(500).ToListAsync(ct);
        var group = RepeatRule.GroupOf(clientHash, matter.ReporterPhoneHash, text, at, RepeatWindow,
            recent.Select(s => new EarlierSubmission(s.MatterId, s.GroupId, s.ClientHash, s.PhoneHash, s.Text, new DateTimeOffset(s.SubmittedAt, TimeSpan.Zero))));
        db.Set<PortalSubmissionRow>().Add(new PortalSubmissionRow
        {
            MatterId = matter.Id, ClientHash = clientHash, PhoneHash = matter.ReporterPhoneHash, Text = text,
            GroupId = group ?? matter.Id, Repeat = group is not null, SubmittedAt = at.UtcDateTime,
        });
        if (group is { } groupId)
        {
            MatterEvents.Record(db, matter, "repeat_submission", at.UtcDateTime, "resident", new { groupOf = await db.Matters.Where(m => m.Id == groupId).Select(m => m.Code).SingleOrDefaultAsync(ct) });
        }

        AuditLog.Append(db, actor, "matter.created", "matter", matter.Code,
            new { matter.Kind, matter.Channel, matter.TerritoryCode, matter.CategoryCode, matter.LeadUnitCode, matter.Confidential, photos = photos.Count, repeat = group is not null }, matter.ReceivedAt);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(matter, secret, [], group is not null);
    }

    /// <summary>The repeat groups of the given matters (matter id → the group's first matter code and size), for the dispatcher.</summary>
    public static async Task<Dictionary<long, RepeatGroup>> RepeatGroupsAsync(ConcordDb db, IReadOnlyCollection<long> matterIds, CancellationToken ct)
    {
        var mine = await db.Set<PortalSubmissionRow>().AsNoTracking().Where(s => matterIds.Contains(s.MatterId)).ToListAsync(ct);
        var groupIds = mine.Select(s => s.GroupId).Distinct().ToList();
        var sizes = await db.Set<PortalSubmissionRow>().AsNoTracking().Where(s => groupIds.Contains(s.GroupId))
            .GroupBy(s => s.GroupId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var codes = await db.Matters.AsNoTracking().Where(m => groupIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Code, ct);
        return mine.Where(s => sizes.GetValueOrDefault(s.GroupId) > 1)
            .ToDictionary(s => s.MatterId, s => new RepeatGroup(codes.GetValueOrDefault(s.GroupId) ?? "", sizes[s.GroupId], s.Repeat));
    }
}

/// <summary>A matter's spam-like repeat group: the group's first matter, how many submissions it holds, and whether this one repeats.</summary>
public sealed record RepeatGroup(string FirstMatter, int Size, bool Repeat);
