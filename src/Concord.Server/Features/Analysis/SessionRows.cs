using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Analysis;

/// <summary>An analysis session (研判会): its kind, who took part (roles and units, not people's profiles), what it examined and concluded.</summary>
public sealed class AnalysisSessionRow
{
    public long Id { get; set; }
    /// <summary>instant (即时), periodic (定期), special_topic (专题), emergency (应急).</summary>
    public required string Kind { get; set; }
    public DateOnly HeldOn { get; set; }
    public required string Title { get; set; }
    /// <summary>Roles and units present, one a line.</summary>
    public string Participants { get; set; } = "";
    /// <summary>Items examined as plain references, space-separated: signal:12 matter:20261126-00000042 risk:R-7.</summary>
    public string Items { get; set; } = "";
    public string Conclusions { get; set; } = "";
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<SessionDecisionRow> Decisions { get; set; } = [];
}

/// <summary>A decision of a session: an assignment to an owner unit with a deadline, sent as an assignment letter (交办函).</summary>
public sealed class SessionDecisionRow
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public required string Text { get; set; }
    public required string OwnerUnitCode { get; set; }
    public DateOnly DueOn { get; set; }
    /// <summary>The assignment letter; the deadline sweep escalates it when unanswered after <see cref="DueOn"/>.</summary>
    public required string LetterNumber { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class AnalysisSessionRowConfiguration : IEntityTypeConfiguration<AnalysisSessionRow>
{
    public void Configure(EntityTypeBuilder<AnalysisSessionRow> e)
    {
        e.ToTable("analysis_sessions");
        e.HasKey(x => x.Id);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Participants).HasMaxLength(4000);
        e.Property(x => x.Items).HasMaxLength(4000);
        e.Property(x => x.Conclusions).HasMaxLength(8000);
        e.Property(x => x.CreatedBy).HasMaxLength(64);
        e.HasIndex(x => x.HeldOn);
        e.HasMany(x => x.Decisions).WithOne().HasForeignKey(d => d.SessionId);
    }
}

public sealed class SessionDecisionRowConfiguration : IEntityTypeConfiguration<SessionDecisionRow>
{
    public void Configure(EntityTypeBuilder<SessionDecisionRow> e)
    {
        e.ToTable("analysis_decisions");
        e.HasKey(x => x.Id);
        e.Property(x => x.Text).HasMaxLength(2000);
        e.Property(x => x.OwnerUnitCode).HasMaxLength(64);
        e.Property(x => x.LetterNumber).HasMaxLength(64);
        e.HasIndex(x => x.SessionId);
    }
}
