using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Duplicates;

/// <summary>
/// A matter's near-duplicate signature (MinHash of its title and description) with what the
/// candidate search filters on: the index cell of its point (or its territory when it has no point)
/// and its time. Written with the matter at intake; a start-up backfill signs older matters.
/// </summary>
public sealed class MatterSignatureRow
{
    public long MatterId { get; set; }
    /// <summary><see cref="Concord.Domain.Duplicates.MinHash.Version"/> of the signature: another version is re-signed by the backfill.</summary>
    public int Version { get; set; }
    /// <summary>The ~1 km cell of the matter's point (<see cref="Concord.Domain.Duplicates.Geo.CellOf"/>); null without a point.</summary>
    public long? Cell { get; set; }
    /// <summary>The deepest territory of the matter: the place filter of matters without a point.</summary>
    public required string TerritoryCode { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary>128 × 32-bit minimums, 512 bytes.</summary>
    public required byte[] MinHash { get; set; }

    public MatterRow? Matter { get; set; }
}

/// <summary>
/// 并单: which merged matter (and so its reporter and tracking code) now follows which surviving
/// matter, and the merged matter's state before the merge, so that an unmerge restores it. A merge
/// of a survivor carries its followers along: <see cref="SurvivorId"/> is always the last one.
/// </summary>
public sealed class MatterReporterRow
{
    /// <summary>The merged matter.</summary>
    public long MatterId { get; set; }
    /// <summary>The matter it now follows (the end of the MergedIntoId chain).</summary>
    public long SurvivorId { get; set; }
    public DateTime MergedAt { get; set; }
    public required string MergedBy { get; set; }
    public required string PriorStatus { get; set; }
    public DateTime? PriorNextCheckAt { get; set; }
    public DateTime? PriorClosedAt { get; set; }
}

public sealed class MatterSignatureConfiguration : IEntityTypeConfiguration<MatterSignatureRow>
{
    public void Configure(EntityTypeBuilder<MatterSignatureRow> e)
    {
        e.ToTable("matter_signatures");
        e.HasKey(x => x.MatterId);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.MinHash).HasMaxLength(Concord.Domain.Duplicates.MinHash.Size * 4);
        // The candidate search: equality on the cell (or territory), a range on the time.
        e.HasIndex(x => new { x.Cell, x.ReceivedAt });
        e.HasIndex(x => new { x.TerritoryCode, x.ReceivedAt });
        e.HasIndex(x => x.Version);
        e.HasOne(x => x.Matter).WithOne().HasForeignKey<MatterSignatureRow>(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MatterReporterConfiguration : IEntityTypeConfiguration<MatterReporterRow>
{
    public void Configure(EntityTypeBuilder<MatterReporterRow> e)
    {
        e.ToTable("matter_reporters");
        e.HasKey(x => x.MatterId);
        e.Property(x => x.MergedBy).HasMaxLength(100);
        e.Property(x => x.PriorStatus).HasMaxLength(16);
        e.HasIndex(x => x.SurvivorId);
        e.HasOne<MatterRow>().WithMany().HasForeignKey(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<MatterRow>().WithMany().HasForeignKey(x => x.SurvivorId).OnDelete(DeleteBehavior.Restrict);
    }
}
