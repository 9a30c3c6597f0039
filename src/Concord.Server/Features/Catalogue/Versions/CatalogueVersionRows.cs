using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Catalogue.Versions;

/// <summary>A published version of the dispatch catalogue (派单目录); never updated, only followed by newer ones.</summary>
public sealed class CatalogueVersionRow
{
    public int Number { get; set; }
    public DateTime EffectiveFrom { get; set; }
    public DateTime PublishedAt { get; set; }
    public required string PublishedBy { get; set; }
    public required string Reason { get; set; }
    /// <summary>JSON array of the rules (the shape of GET /api/v1/routing/rules).</summary>
    public required string Rules { get; set; }
}

public sealed class CatalogueVersionRowConfiguration : IEntityTypeConfiguration<CatalogueVersionRow>
{
    public void Configure(EntityTypeBuilder<CatalogueVersionRow> e)
    {
        e.ToTable("catalogue_versions");
        e.HasKey(x => x.Number);
        e.Property(x => x.Number).ValueGeneratedNever();
        e.Property(x => x.PublishedBy).HasMaxLength(100);
        e.Property(x => x.Reason).HasMaxLength(2000);
    }
}
