using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Mediation;

// The stored shape of mediation. Instants are UTC; lists are comma-separated wire names.

/// <summary>A mediation organization (调解组织): a people's mediation committee, an industry body, a studio or the center.</summary>
public sealed class MediationOrganizationRow
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string TerritoryCode { get; set; }
    public string Specialties { get; set; } = "";
    /// <summary>How many open cases it can carry at once.</summary>
    public int Capacity { get; set; }
    /// <summary>The staff unit whose mediators work here (e.g. 620800.mtzx), when it has one.</summary>
    public string? UnitCode { get; set; }
    public bool Synthetic { get; set; }
}

/// <summary>A mediator: specialties and languages only; their load is counted from open cases, never stored as a profile.</summary>
public sealed class MediatorRow
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string OrganizationCode { get; set; }
    public string Specialties { get; set; } = "";
    /// <summary>Languages and dialects, e.g. 普通话,平凉话.</summary>
    public string Languages { get; set; } = "";
    /// <summary>The staff account (user name) when the mediator signs in.</summary>
    public string? UserName { get; set; }
    public bool Synthetic { get; set; }
}

/// <summary>A referral target: a psychological service expert, legal aid or a public legal service provider.</summary>
public sealed class ReferralProviderRow
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string TerritoryCode { get; set; }
    public string Specialties { get; set; } = "";
    public bool Synthetic { get; set; }
}

/// <summary>A dispute's mediation case (one per dispute matter).</summary>
public sealed class MediationCaseRow
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public required string MatterCode { get; set; }
    public required string Status { get; set; }
    public string? Specialty { get; set; }
    /// <summary>The deepest territory of the dispute; county and township copied for the figures' grouping.</summary>
    public required string TerritoryCode { get; set; }
    public string? CountyCode { get; set; }
    public string? TownshipCode { get; set; }
    public int PartyCount { get; set; }
    /// <summary>群体性纠纷: many parties; shown to the center at once.</summary>
    public bool HighRisk { get; set; }
    public DateTime ReceivedAt { get; set; }

    // 诉前委派调解.
    public bool FromCourt { get; set; }
    public string? CourtName { get; set; }
    public string? CourtReference { get; set; }
    public DateTime? DueAt { get; set; }

    public string? OrganizationCode { get; set; }
    public string? MediatorCode { get; set; }
    public DateTime? AssignedAt { get; set; }

    public DateTime? ConsentedAt { get; set; }
    public DateTime? RefusedAt { get; set; }
    /// <summary>Which party refused, by role (申请人 / 被申请人); never a name.</summary>
    public string? RefusedBy { get; set; }
    public string? RefusalNextStep { get; set; }

    public DateTime? EndedAt { get; set; }
    /// <summary>What the handling unit may read: the outcome in a line, no notes, no names.</summary>
    public string? OutcomeSummary { get; set; }
    public string? FailureReferral { get; set; }
    public string? FailureReason { get; set; }

    // The agreement: its number, and its facts and terms encrypted (they carry the parties' affairs).
    public string? AgreementNumber { get; set; }
    public string? AgreementFacts { get; set; }
    public DateTime? AgreedAt { get; set; }

    // 司法确认.
    public string? JudicialState { get; set; }
    public DateTime? JudicialAppliedAt { get; set; }
    public DateTime? JudicialDueAt { get; set; }
    public DateTime? JudicialDecidedAt { get; set; }
    public string? JudicialCourt { get; set; }

    public int Version { get; set; }
}

public sealed class MediationSessionRow
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public DateTime ScheduledAt { get; set; }
    public required string Place { get; set; }
    public string? PlaceDetail { get; set; }
    /// <summary>Encrypted: the participants' names.</summary>
    public string? Participants { get; set; }
    /// <summary>Encrypted: what was said and done; visible to the organization and the center's mediators only.</summary>
    public string? Notes { get; set; }
    public DateTime? HeldAt { get; set; }
    public required string RecordedBy { get; set; }
}

/// <summary>An obligation of an agreement, with its deadline and its performance follow-up (履行回访).</summary>
public sealed class MediationObligationRow
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    /// <summary>The obliged party by role (甲方/乙方…).</summary>
    public required string Party { get; set; }
    /// <summary>Encrypted description.</summary>
    public required string Description { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? FollowedUpAt { get; set; }
    public bool? Performed { get; set; }
    public DateTime? PerformedAt { get; set; }
    public string? FollowUpNote { get; set; }
}

/// <summary>A referral to psychological counselling or legal aid, followed to completion.</summary>
public sealed class MediationReferralRow
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public required string Kind { get; set; }
    public required string ProviderCode { get; set; }
    public required string Reason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? Result { get; set; }
}

internal sealed class MediationOrganizationConfiguration : IEntityTypeConfiguration<MediationOrganizationRow>
{
    public void Configure(EntityTypeBuilder<MediationOrganizationRow> e)
    {
        e.ToTable("mediation_organizations");
        e.HasKey(x => x.Code);
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.Specialties).HasMaxLength(400);
        e.Property(x => x.UnitCode).HasMaxLength(64);
        e.HasIndex(x => x.TerritoryCode);
        e.HasIndex(x => x.UnitCode);
    }
}

internal sealed class MediatorConfiguration : IEntityTypeConfiguration<MediatorRow>
{
    public void Configure(EntityTypeBuilder<MediatorRow> e)
    {
        e.ToTable("mediators");
        e.HasKey(x => x.Code);
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.OrganizationCode).HasMaxLength(64);
        e.Property(x => x.Specialties).HasMaxLength(400);
        e.Property(x => x.Languages).HasMaxLength(200);
        e.Property(x => x.UserName).HasMaxLength(256);
        e.HasIndex(x => x.OrganizationCode);
        e.HasIndex(x => x.UserName);
    }
}

internal sealed class ReferralProviderConfiguration : IEntityTypeConfiguration<ReferralProviderRow>
{
    public void Configure(EntityTypeBuilder<ReferralProviderRow> e)
    {
        e.ToTable("referral_providers");
        e.HasKey(x => x.Code);
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.Specialties).HasMaxLength(400);
    }
}

internal sealed class MediationCaseConfiguration : IEntityTypeConfiguration<MediationCaseRow>
{
    public void Configure(EntityTypeBuilder<MediationCaseRow> e)
    {
        e.ToTable("mediation_cases");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.MatterId).IsUnique();
        e.HasIndex(x => x.MatterCode).IsUnique();
        e.HasIndex(x => new { x.OrganizationCode, x.Status });
        e.HasIndex(x => new { x.MediatorCode, x.Status });
        e.HasIndex(x => x.ReceivedAt);
        e.Property(x => x.MatterCode).HasMaxLength(32);
        e.Property(x => x.Status).HasMaxLength(32);
        e.Property(x => x.Specialty).HasMaxLength(32);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.CountyCode).HasMaxLength(32);
        e.Property(x => x.TownshipCode).HasMaxLength(32);
        e.Property(x => x.CourtName).HasMaxLength(200);
        e.Property(x => x.CourtReference).HasMaxLength(100);
        e.Property(x => x.OrganizationCode).HasMaxLength(64);
        e.Property(x => x.MediatorCode).HasMaxLength(64);
        e.Property(x => x.RefusedBy).HasMaxLength(50);
        e.Property(x => x.RefusalNextStep).HasMaxLength(32);
        e.Property(x => x.OutcomeSummary).HasMaxLength(1000);
        e.Property(x => x.FailureReferral).HasMaxLength(32);
        e.Property(x => x.FailureReason).HasMaxLength(2000);
        e.Property(x => x.AgreementNumber).HasMaxLength(64);
        e.Property(x => x.JudicialState).HasMaxLength(32);
        e.Property(x => x.JudicialCourt).HasMaxLength(200);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasOne<Concord.Server.Data.MatterRow>().WithMany().HasForeignKey(x => x.MatterId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MediationSessionConfiguration : IEntityTypeConfiguration<MediationSessionRow>
{
    public void Configure(EntityTypeBuilder<MediationSessionRow> e)
    {
        e.ToTable("mediation_sessions");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CaseId, x.ScheduledAt });
        e.HasIndex(x => x.ScheduledAt);
        e.Property(x => x.Place).HasMaxLength(32);
        e.Property(x => x.PlaceDetail).HasMaxLength(200);
        e.Property(x => x.RecordedBy).HasMaxLength(200);
        e.HasOne<MediationCaseRow>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MediationObligationConfiguration : IEntityTypeConfiguration<MediationObligationRow>
{
    public void Configure(EntityTypeBuilder<MediationObligationRow> e)
    {
        e.ToTable("mediation_obligations");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.CaseId);
        // The follow-ups due: obligations past their deadline not yet followed up.
        e.HasIndex(x => new { x.FollowedUpAt, x.DueAt });
        e.Property(x => x.Party).HasMaxLength(50);
        e.Property(x => x.FollowUpNote).HasMaxLength(2000);
        e.HasOne<MediationCaseRow>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MediationReferralConfiguration : IEntityTypeConfiguration<MediationReferralRow>
{
    public void Configure(EntityTypeBuilder<MediationReferralRow> e)
    {
        e.ToTable("mediation_referrals");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.CaseId);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.ProviderCode).HasMaxLength(64);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.Result).HasMaxLength(2000);
        e.HasOne<MediationCaseRow>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
