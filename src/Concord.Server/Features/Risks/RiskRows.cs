using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Risks;

/// <summary>A listed risk (风险隐患清单): one row per risk; measures, reviews and links in their own tables.</summary>
public sealed class RiskRow
{
    public long Id { get; set; }
    /// <summary>FX2026-0001: the year of listing and a number per year.</summary>
    public required string Code { get; set; }
    /// <summary>A key domain's wire name (<see cref="Concord.Domain.Risks.KeyDomains"/>).</summary>
    public required string Domain { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public required string TerritoryCode { get; set; }
    /// <summary>The territory and its ancestors, delimited (",620000,620800,620802,"): "in this subtree" is one Contains.</summary>
    public required string TerritoryPath { get; set; }
    public required string Level { get; set; }
    /// <summary>The level the grading rule gave; differs from <see cref="Level"/> when a user overrode it.</summary>
    public required string ComputedLevel { get; set; }
    /// <summary>The rule that decided (people>=50, domain_floor, override, none).</summary>
    public required string LevelRule { get; set; }
    public string? LevelOverrideReason { get; set; }
    public int? PeopleInvolved { get; set; }
    public decimal? AmountYuan { get; set; }
    public int? HouseholdsAffected { get; set; }
    public required string ResponsibleUnitCode { get; set; }
    /// <summary>The responsible leader by role or title (e.g. 区政府分管副区长), never a person's profile.</summary>
    public required string ResponsibleLeader { get; set; }
    public required string Status { get; set; }
    /// <summary>Where the risk came from: manual, report, signal, campaign.</summary>
    public required string Source { get; set; }
    public string? SourceRef { get; set; }
    public long? CampaignId { get; set; }
    public DateTime ListedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastReviewAt { get; set; }
    public DateTime? NextReviewDueAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public required string CreatedBy { get; set; }
    public int Version { get; set; }
}

/// <summary>A measure of the risk's plan (一案一策) with a deadline; overdue measures draw letters, once each.</summary>
public sealed class RiskMeasureRow
{
    public long Id { get; set; }
    public long RiskId { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? DoneAt { get; set; }
    public string? DoneNote { get; set; }
    /// <summary>When the sweep must look again (the yellow instant, then the deadline); null once done or red.</summary>
    public DateTime? NextCheckAt { get; set; }
    /// <summary>"", "yellow" (reminder sent), "red" (supervision letter sent).</summary>
    public string SweepStage { get; set; } = "";
}

/// <summary>A periodic review (定期研判) of a risk: what was found, and the level and status after it.</summary>
public sealed class RiskReviewRow
{
    public long Id { get; set; }
    public long RiskId { get; set; }
    public DateTime At { get; set; }
    public required string By { get; set; }
    public required string Note { get; set; }
    public required string LevelAfter { get; set; }
    public required string StatusAfter { get; set; }
    /// <summary>Whether it came after the review was due.</summary>
    public bool Late { get; set; }
}

public sealed class RiskMatterRow
{
    public long RiskId { get; set; }
    public long MatterId { get; set; }
}

/// <summary>The letters about a risk (the letter table itself is the letters feature's; this links, as letter_matters does).</summary>
public sealed class LetterRiskRow
{
    public long LetterId { get; set; }
    public long RiskId { get; set; }
    public LetterRow? Letter { get; set; }
}

/// <summary>A screening campaign (专项排查): a domain, a period, target units that must each answer.</summary>
public sealed class ScreeningCampaignRow
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Domain { get; set; }
    public DateTime PeriodStart { get; set; }
    public DateTime PeriodEnd { get; set; }
    /// <summary>Answers are due by then; a target without an answer after it is missing.</summary>
    public DateTime AnswerDueAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<CampaignTargetRow> Targets { get; set; } = [];
}

/// <summary>A target unit of a campaign and its answer: risks listed (linked by CampaignId) or "none found".</summary>
public sealed class CampaignTargetRow
{
    public long CampaignId { get; set; }
    public required string UnitCode { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public bool NoneFound { get; set; }
    public string? Note { get; set; }
    public string? AnsweredBy { get; set; }
}

/// <summary>An information report (信息报送) of a member unit: what, where, scale, trend, urgency.</summary>
public sealed class InfoReportRow
{
    public long Id { get; set; }
    /// <summary>XB2026-0001.</summary>
    public required string Code { get; set; }
    public required string UnitCode { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public required string TerritoryCode { get; set; }
    public required string TerritoryPath { get; set; }
    public string? Domain { get; set; }
    public required string Scale { get; set; }
    public int? PeopleInvolved { get; set; }
    public required string Trend { get; set; }
    public required string Urgency { get; set; }
    /// <summary>When the unit learned of the situation; timeliness is measured from here.</summary>
    public DateTime KnownAt { get; set; }
    public DateTime FiledAt { get; set; }
    public bool FiledOnTime { get; set; }
    public required string FiledBy { get; set; }
    /// <summary>filed, acknowledged, converted, assigned.</summary>
    public required string Status { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public long? RiskId { get; set; }
    public long? MatterId { get; set; }
    public long? AssignmentLetterId { get; set; }
    public DateTime? ConvertedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>The center asks a unit for more on a report (续报); the unit answers.</summary>
public sealed class InfoReportFollowUpRow
{
    public long Id { get; set; }
    public long ReportId { get; set; }
    public required string Question { get; set; }
    public DateTime AskedAt { get; set; }
    public required string AskedBy { get; set; }
    public DateTime DueAt { get; set; }
    public string? Answer { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public string? AnsweredBy { get; set; }
}

internal sealed class RiskRowConfiguration : IEntityTypeConfiguration<RiskRow>
{
    public void Configure(EntityTypeBuilder<RiskRow> e)
    {
        e.ToTable("risks");
        e.HasKey(x => x.Id);
        e.Property(x => x.Code).HasMaxLength(32);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Domain).HasMaxLength(32);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Description).HasMaxLength(8000);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.TerritoryPath).HasMaxLength(300);
        e.Property(x => x.Level).HasMaxLength(16);
        e.Property(x => x.ComputedLevel).HasMaxLength(16);
        e.Property(x => x.LevelRule).HasMaxLength(64);
        e.Property(x => x.LevelOverrideReason).HasMaxLength(1000);
        e.Property(x => x.AmountYuan).HasPrecision(18, 2);
        e.Property(x => x.ResponsibleUnitCode).HasMaxLength(64);
        e.Property(x => x.ResponsibleLeader).HasMaxLength(100);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.Source).HasMaxLength(16);
        e.Property(x => x.SourceRef).HasMaxLength(100);
        e.Property(x => x.CreatedBy).HasMaxLength(100);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.Status, x.Level });
        e.HasIndex(x => x.ResponsibleUnitCode);
        e.HasIndex(x => x.NextReviewDueAt);
        e.HasIndex(x => x.CampaignId);
    }
}

internal sealed class RiskMeasureRowConfiguration : IEntityTypeConfiguration<RiskMeasureRow>
{
    public void Configure(EntityTypeBuilder<RiskMeasureRow> e)
    {
        e.ToTable("risk_measures");
        e.HasKey(x => x.Id);
        e.Property(x => x.Text).HasMaxLength(2000);
        e.Property(x => x.DoneNote).HasMaxLength(2000);
        e.Property(x => x.SweepStage).HasMaxLength(16);
        e.HasOne<RiskRow>().WithMany().HasForeignKey(x => x.RiskId).OnDelete(DeleteBehavior.Cascade);
        // The sweep finds due measures through this index, as it does matters.
        e.HasIndex(x => x.NextCheckAt);
        e.HasIndex(x => x.RiskId);
    }
}

internal sealed class RiskReviewRowConfiguration : IEntityTypeConfiguration<RiskReviewRow>
{
    public void Configure(EntityTypeBuilder<RiskReviewRow> e)
    {
        e.ToTable("risk_reviews");
        e.HasKey(x => x.Id);
        e.Property(x => x.By).HasMaxLength(100);
        e.Property(x => x.Note).HasMaxLength(4000);
        e.Property(x => x.LevelAfter).HasMaxLength(16);
        e.Property(x => x.StatusAfter).HasMaxLength(16);
        e.HasOne<RiskRow>().WithMany().HasForeignKey(x => x.RiskId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.RiskId, x.At });
    }
}

internal sealed class RiskMatterRowConfiguration : IEntityTypeConfiguration<RiskMatterRow>
{
    public void Configure(EntityTypeBuilder<RiskMatterRow> e)
    {
        e.ToTable("risk_matters");
        e.HasKey(x => new { x.RiskId, x.MatterId });
        e.HasOne<RiskRow>().WithMany().HasForeignKey(x => x.RiskId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<MatterRow>().WithMany().HasForeignKey(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.MatterId);
    }
}

internal sealed class LetterRiskRowConfiguration : IEntityTypeConfiguration<LetterRiskRow>
{
    public void Configure(EntityTypeBuilder<LetterRiskRow> e)
    {
        e.ToTable("letter_risks");
        e.HasKey(x => new { x.LetterId, x.RiskId });
        e.HasOne(x => x.Letter).WithMany().HasForeignKey(x => x.LetterId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<RiskRow>().WithMany().HasForeignKey(x => x.RiskId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.RiskId);
    }
}

internal sealed class ScreeningCampaignRowConfiguration : IEntityTypeConfiguration<ScreeningCampaignRow>
{
    public void Configure(EntityTypeBuilder<ScreeningCampaignRow> e)
    {
        e.ToTable("screening_campaigns");
        e.HasKey(x => x.Id);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Domain).HasMaxLength(32);
        e.Property(x => x.CreatedBy).HasMaxLength(100);
        e.HasMany(x => x.Targets).WithOne().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CampaignTargetRowConfiguration : IEntityTypeConfiguration<CampaignTargetRow>
{
    public void Configure(EntityTypeBuilder<CampaignTargetRow> e)
    {
        e.ToTable("campaign_targets");
        e.HasKey(x => new { x.CampaignId, x.UnitCode });
        e.Property(x => x.UnitCode).HasMaxLength(64);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.AnsweredBy).HasMaxLength(100);
        e.HasIndex(x => x.UnitCode);
    }
}

internal sealed class InfoReportRowConfiguration : IEntityTypeConfiguration<InfoReportRow>
{
    public void Configure(EntityTypeBuilder<InfoReportRow> e)
    {
        e.ToTable("info_reports");
        e.HasKey(x => x.Id);
        e.Property(x => x.Code).HasMaxLength(32);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.UnitCode).HasMaxLength(64);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.Description).HasMaxLength(8000);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.TerritoryPath).HasMaxLength(300);
        e.Property(x => x.Domain).HasMaxLength(32);
        e.Property(x => x.Scale).HasMaxLength(500);
        e.Property(x => x.Trend).HasMaxLength(16);
        e.Property(x => x.Urgency).HasMaxLength(16);
        e.Property(x => x.FiledBy).HasMaxLength(100);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.UnitCode, x.FiledAt });
        e.HasIndex(x => new { x.Status, x.FiledAt });
    }
}

internal sealed class InfoReportFollowUpRowConfiguration : IEntityTypeConfiguration<InfoReportFollowUpRow>
{
    public void Configure(EntityTypeBuilder<InfoReportFollowUpRow> e)
    {
        e.ToTable("info_report_follow_ups");
        e.HasKey(x => x.Id);
        e.Property(x => x.Question).HasMaxLength(2000);
        e.Property(x => x.Answer).HasMaxLength(4000);
        e.Property(x => x.AskedBy).HasMaxLength(100);
        e.Property(x => x.AnsweredBy).HasMaxLength(100);
        e.HasOne<InfoReportRow>().WithMany().HasForeignKey(x => x.ReportId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.ReportId);
    }
}
