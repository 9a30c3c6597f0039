using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Search;

/// <summary>
/// A matter's searchable words: its title, description, reply and address cut into index terms
/// (<see cref="Concord.Domain.Text.ChineseText.IndexDocument"/>), joined by spaces. The stores
/// index this column themselves: SQLite through the FTS5 table <c>matter_search_fts</c> (kept in
/// step by triggers), PostgreSQL through the generated tsvector column <c>document</c> with a GIN
/// index. Both are created by raw SQL in the migration, as EF cannot model them.
/// </summary>
public sealed class MatterSearchRow
{
    public long MatterId { get; set; }
    public required string Terms { get; set; }

    /// <summary>Lets a new matter and its terms be saved together: EF fills <see cref="MatterId"/> once the matter has its id.</summary>
    public MatterRow? Matter { get; set; }
}

public sealed class MatterSearchRowConfiguration : IEntityTypeConfiguration<MatterSearchRow>
{
    public void Configure(EntityTypeBuilder<MatterSearchRow> e)
    {
        e.ToTable("matter_search");
        e.HasKey(x => x.MatterId);
        e.Property(x => x.MatterId).ValueGeneratedNever();
        e.HasOne(x => x.Matter).WithOne().HasForeignKey<MatterSearchRow>(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>One match of a search: a matter and its relevance (higher is better on both stores). Read only through <see cref="SearchIndex.Ranked"/>.</summary>
public sealed class SearchHit
{
    public long MatterId { get; set; }
    public double Rank { get; set; }
}

public sealed class SearchHitConfiguration : IEntityTypeConfiguration<SearchHit>
{
    public void Configure(EntityTypeBuilder<SearchHit> e)
    {
        e.HasNoKey();
        e.ToView(null);
    }
}

/// <summary>One match of a search without its relevance. Read only through <see cref="SearchIndex.Matches"/>.</summary>
public sealed class SearchMatch
{
    public long MatterId { get; set; }
}

public sealed class SearchMatchConfiguration : IEntityTypeConfiguration<SearchMatch>
{
    public void Configure(EntityTypeBuilder<SearchMatch> e)
    {
        e.HasNoKey();
        e.ToView(null);
    }
}
