using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Suggestions;

/// <summary>
/// A checkpoint of the suggestion model: its state and the last dispatch event it learned. The
/// events themselves (matter_events, written in the dispatch's transaction) are the durable record
/// of every decision; this row only spares a retraining from the whole history at each start.
/// </summary>
public sealed class SuggestionModelRow
{
    public required string Name { get; set; }
    /// <summary>JSON of the model (see Concord.Domain.Suggestions.SuggestionModel.Serialize).</summary>
    public required string State { get; set; }
    /// <summary>The id of the last matter event learned; later ones are learned on load.</summary>
    public long ThroughEventId { get; set; }
    /// <summary>Event ids below ThroughEventId not yet seen committed (PostgreSQL ids commit out of order): comma-separated.</summary>
    public string PendingEventIds { get; set; } = "";
    public long Decisions { get; set; }
    public DateTime SavedAt { get; set; }
}

public sealed class SuggestionModelRowConfiguration : IEntityTypeConfiguration<SuggestionModelRow>
{
    public void Configure(EntityTypeBuilder<SuggestionModelRow> e)
    {
        e.ToTable("suggestion_models");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasMaxLength(32);
        e.Property(x => x.PendingEventIds).HasMaxLength(4000);
    }
}
