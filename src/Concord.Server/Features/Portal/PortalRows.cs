using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Portal;

/// <summary>
/// A photo a resident attached (照片), already cleaned: decoded and re-encoded, so no metadata
/// (EXIF GPS, camera serials) survives. The bytes live in the database, capped by the photo limits.
/// </summary>
public sealed class PortalAttachmentRow
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    /// <summary>1..6 within the matter, as the resident gave them.</summary>
    public int Ordinal { get; set; }
    public required string ContentType { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public required byte[] Bytes { get; set; }
    public required byte[] Thumbnail { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// Who-sent-what at the residents' door, for grouping spam-like repeats: keyed hashes of the client
/// address and phone (never the values), the text, and the group (the earliest matter of the group,
/// or the matter itself). One row per matter submitted through the portal or Open311.
/// </summary>
public sealed class PortalSubmissionRow
{
    public long MatterId { get; set; }
    public required string ClientHash { get; set; }
    public string? PhoneHash { get; set; }
    public required string Text { get; set; }
    public long GroupId { get; set; }
    /// <summary>True when the submission joined an earlier one's group.</summary>
    public bool Repeat { get; set; }
    public DateTime SubmittedAt { get; set; }
}

public sealed class PortalAttachmentConfiguration : IEntityTypeConfiguration<PortalAttachmentRow>
{
    public void Configure(EntityTypeBuilder<PortalAttachmentRow> b)
    {
        b.ToTable("portal_attachments");
        b.HasKey(x => x.Id);
        b.Property(x => x.ContentType).HasMaxLength(32);
        b.HasIndex(x => new { x.MatterId, x.Ordinal }).IsUnique();
        b.HasOne<MatterRow>().WithMany().HasForeignKey(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PortalSubmissionConfiguration : IEntityTypeConfiguration<PortalSubmissionRow>
{
    public void Configure(EntityTypeBuilder<PortalSubmissionRow> b)
    {
        b.ToTable("portal_submissions");
        b.HasKey(x => x.MatterId);
        b.Property(x => x.ClientHash).HasMaxLength(128);
        b.Property(x => x.PhoneHash).HasMaxLength(128);
        b.HasIndex(x => x.SubmittedAt);
        b.HasIndex(x => x.GroupId);
        b.HasOne<MatterRow>().WithMany().HasForeignKey(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}
