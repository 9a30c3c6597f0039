using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Bulletins;

/// <summary>
/// A bulletin: the weekly report (周报) of a territory and week, or a special report (专报) on one topic.
/// Drafted from live data (the figures are kept as computed, <see cref="Figures"/>), its text sections
/// edited by the analyst, then issued: numbered and immutable.
/// </summary>
public sealed class BulletinRow
{
    public long Id { get; set; }
    /// <summary>weekly|territory|monday for weekly reports (drafted once per territory and week, on any node); special|id otherwise.</summary>
    public required string Key { get; set; }
    /// <summary>weekly or special.</summary>
    public required string Kind { get; set; }
    public required string TerritoryCode { get; set; }
    /// <summary>A special report's topic: the category (domain) it is about; null for a territory's whole picture.</summary>
    public string? CategoryCode { get; set; }
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    public required string Title { get; set; }
    /// <summary>draft or issued.</summary>
    public string Status { get; set; } = "draft";
    public string? Number { get; set; }
    public int? Year { get; set; }
    public long? Sequence { get; set; }
    /// <summary>The figures as computed at drafting (JSON of <see cref="BulletinFigures"/>).</summary>
    public required string Figures { get; set; }
    // The text sections the analyst edits: 总体情况, 形势分析, 工作建议.
    public string Summary { get; set; } = "";
    public string Analysis { get; set; } = "";
    public string Suggestions { get; set; } = "";
    public DateTime DraftedAt { get; set; }
    public string DraftedBy { get; set; } = "system";
    public DateTime? EditedAt { get; set; }
    public string? EditedBy { get; set; }
    public DateTime? IssuedAt { get; set; }
    public string? IssuedBy { get; set; }
    public int Version { get; set; }
}

public sealed class BulletinRowConfiguration : IEntityTypeConfiguration<BulletinRow>
{
    public void Configure(EntityTypeBuilder<BulletinRow> e)
    {
        e.ToTable("bulletins");
        e.HasKey(x => x.Id);
        e.Property(x => x.Key).HasMaxLength(120);
        e.HasIndex(x => x.Key).IsUnique();
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.CategoryCode).HasMaxLength(16);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.Number).HasMaxLength(64);
        e.HasIndex(x => x.Number).IsUnique();
        e.Property(x => x.Figures).HasMaxLength(200_000);
        e.Property(x => x.Summary).HasMaxLength(8000);
        e.Property(x => x.Analysis).HasMaxLength(8000);
        e.Property(x => x.Suggestions).HasMaxLength(8000);
        e.Property(x => x.DraftedBy).HasMaxLength(64);
        e.Property(x => x.EditedBy).HasMaxLength(64);
        e.Property(x => x.IssuedBy).HasMaxLength(64);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.PeriodFrom, x.Id });
    }
}
