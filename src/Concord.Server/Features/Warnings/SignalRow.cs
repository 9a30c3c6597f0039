using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Warnings;

/// <summary>
/// A warning signal (预警信号): raised once per series and period (the unique <see cref="Key"/>),
/// with everything needed to explain it, then confirmed or dismissed by an analyst. Dismissed signals
/// stay, with the reason: nothing is learned from them silently.
/// </summary>
public sealed class SignalRow
{
    public long Id { get; set; }
    /// <summary>method|step|territory|category|period (statistics) or rule|matter code (rules): unique, so that any number of nodes raise a signal once.</summary>
    public required string Key { get; set; }
    /// <summary>c1, c2, c3, group_dispute, repeat_complaint, burst.</summary>
    public required string Method { get; set; }
    /// <summary>day or hour for the statistics; null for the rules.</summary>
    public string? Step { get; set; }
    public required string TerritoryCode { get; set; }
    public required string TerritoryLevel { get; set; }
    /// <summary>The top-level category (domain) of the series; null for "every category".</summary>
    public string? CategoryCode { get; set; }
    /// <summary>Start of the period observed (UTC); for a rule, when the triggering matter was received.</summary>
    public DateTime PeriodStart { get; set; }
    public double Observed { get; set; }
    public double? Mean { get; set; }
    public double? StandardDeviation { get; set; }
    public double? Statistic { get; set; }
    public double? Threshold { get; set; }
    public DateTime? BaselineFrom { get; set; }
    /// <summary>End of the baseline (UTC, exclusive).</summary>
    public DateTime? BaselineTo { get; set; }
    /// <summary>The rule's reasoning in its own terms (e.g. "parties=6>=5"); for the statistics, the options used.</summary>
    public string Because { get; set; } = "";
    /// <summary>The matters counted, space-separated codes (at most <see cref="WarningEngine.MaxMattersKept"/>).</summary>
    public string MatterCodes { get; set; } = "";
    public DateTime RaisedAt { get; set; }

    /// <summary>open, confirmed or dismissed.</summary>
    public string Status { get; set; } = "open";
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    /// <summary>On confirmation: warning_letter, assignment or risk.</summary>
    public string? Decision { get; set; }
    /// <summary>The dismissal's reason, or the confirmation's note.</summary>
    public string? Reason { get; set; }
    public string? LetterNumber { get; set; }
    /// <summary>"As risk": the level and title the analyst gave; the risk register takes them from here.</summary>
    public string? RiskLevel { get; set; }
    public string? RiskTitle { get; set; }
    /// <summary>The risk listed in the register when the signal was confirmed as a risk.</summary>
    public string? RiskCode { get; set; }
    public int Version { get; set; }
}

public sealed class SignalRowConfiguration : IEntityTypeConfiguration<SignalRow>
{
    public void Configure(EntityTypeBuilder<SignalRow> e)
    {
        e.ToTable("warning_signals");
        e.HasKey(x => x.Id);
        e.Property(x => x.Key).HasMaxLength(200);
        e.HasIndex(x => x.Key).IsUnique();
        e.Property(x => x.Method).HasMaxLength(24);
        e.Property(x => x.Step).HasMaxLength(8);
        e.Property(x => x.TerritoryCode).HasMaxLength(32);
        e.Property(x => x.TerritoryLevel).HasMaxLength(16);
        e.Property(x => x.CategoryCode).HasMaxLength(16);
        e.Property(x => x.Because).HasMaxLength(400);
        e.Property(x => x.MatterCodes).HasMaxLength(8000);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.DecidedBy).HasMaxLength(64);
        e.Property(x => x.Decision).HasMaxLength(24);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.LetterNumber).HasMaxLength(64);
        e.Property(x => x.RiskLevel).HasMaxLength(8);
        e.Property(x => x.RiskTitle).HasMaxLength(200);
        e.Property(x => x.RiskCode).HasMaxLength(32);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.Status, x.RaisedAt });
        e.HasIndex(x => x.PeriodStart);
    }
}
