using Concord.Server.Access;
using Concord.Server.Audit;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Data;

/// <summary>
/// The one database model. Each provider has a subclass so that each keeps its own migrations
/// (Data/Migrations/Sqlite, Data/Migrations/Postgres); the model itself is shared.
/// </summary>
public abstract class ConcordDb(DbContextOptions options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<StaffGridRow> StaffGrids => Set<StaffGridRow>();
    public DbSet<ApiTokenRow> ApiTokens => Set<ApiTokenRow>();
    public DbSet<AuditEntryRow> AuditEntries => Set<AuditEntryRow>();

    /// <summary>ASP.NET Data Protection's key ring (cookies, antiforgery), shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<TerritoryRow> Territories => Set<TerritoryRow>();
    public DbSet<CategoryRow> Categories => Set<CategoryRow>();
    public DbSet<UnitRow> Units => Set<UnitRow>();
    public DbSet<RoutingRuleRow> RoutingRules => Set<RoutingRuleRow>();
    public DbSet<MatterRow> Matters => Set<MatterRow>();
    public DbSet<MatterEventRow> MatterEvents => Set<MatterEventRow>();
    public DbSet<IdempotencyRow> IdempotencyKeys => Set<IdempotencyRow>();
    public DbSet<CounterRow> Counters => Set<CounterRow>();
    public DbSet<LetterRow> Letters => Set<LetterRow>();
    public DbSet<LetterMatterRow> LetterMatters => Set<LetterMatterRow>();

    public abstract DatabaseProvider Provider { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Instants are UTC everywhere; SQLite hands them back unspecified, PostgreSQL's timestamptz wants Kind=Utc.
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<StaffUser>(e =>
        {
            e.ToTable("users");
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.UnitCode).HasMaxLength(64);
        });
        model.Entity<IdentityRole>().ToTable("roles");
        model.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        model.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        model.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        model.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        model.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");
        model.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        model.Entity<StaffGridRow>(e =>
        {
            e.ToTable("staff_grids");
            e.HasKey(x => new { x.UserId, x.GridCode });
            e.Property(x => x.GridCode).HasMaxLength(32);
        });

        model.Entity<ApiTokenRow>(e =>
        {
            e.ToTable("api_tokens");
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Prefix).HasMaxLength(16);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.Property(x => x.Scopes).HasMaxLength(500);
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasIndex(x => x.UserId);
        });

        model.Entity<AuditEntryRow>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.Action).HasMaxLength(64);
            e.Property(x => x.TargetType).HasMaxLength(32);
            e.Property(x => x.TargetId).HasMaxLength(100);
            e.Property(x => x.Source).HasMaxLength(64);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.HasIndex(x => x.ChainSeq).IsUnique();
            e.HasIndex(x => new { x.TargetType, x.TargetId });
        });

        model.Entity<TerritoryRow>(e =>
        {
            e.ToTable("territories");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Level).HasMaxLength(16);
            e.Property(x => x.ParentCode).HasMaxLength(32);
            e.HasIndex(x => x.ParentCode);
        });

        model.Entity<CategoryRow>(e =>
        {
            e.ToTable("categories");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.NameEn).HasMaxLength(200);
            e.Property(x => x.Urgency).HasMaxLength(16);
            e.Property(x => x.AcceptWithin).HasMaxLength(8);
            e.Property(x => x.ReplyWithin).HasMaxLength(8);
        });

        model.Entity<UnitRow>(e =>
        {
            e.ToTable("units");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.NameEn).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.TerritoryCode).HasMaxLength(32);
            e.HasIndex(x => x.TerritoryCode);
        });

        model.Entity<RoutingRuleRow>(e =>
        {
            e.ToTable("routing_rules");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.CategoryCode).HasMaxLength(16);
            e.Property(x => x.TerritoryCode).HasMaxLength(32);
            e.Property(x => x.LeadUnitCode).HasMaxLength(64);
            e.Property(x => x.AssistingUnitCodes).HasMaxLength(1000);
            e.Property(x => x.Note).HasMaxLength(500);
        });

        model.Entity<MatterRow>(e =>
        {
            e.ToTable("matters");
            e.HasKey(x => x.Id);
            e.Property(x => x.Code).HasMaxLength(32);
            e.HasIndex(x => x.Code).IsUnique();
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Channel).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(8000);
            e.Property(x => x.CategoryCode).HasMaxLength(16);
            e.Property(x => x.Urgency).HasMaxLength(16);
            e.Property(x => x.Address).HasMaxLength(400);
            e.Property(x => x.TerritoryCode).HasMaxLength(32);
            e.Property(x => x.ProvinceCode).HasMaxLength(32);
            e.Property(x => x.CityCode).HasMaxLength(32);
            e.Property(x => x.CountyCode).HasMaxLength(32);
            e.Property(x => x.TownshipCode).HasMaxLength(32);
            e.Property(x => x.CommunityCode).HasMaxLength(32);
            e.Property(x => x.GridCode).HasMaxLength(32);
            e.Property(x => x.LocationMatch).HasMaxLength(16);
            // Personal data is stored encrypted (see Access/PersonalData); the phone also as a keyed hash for lookups.
            e.Property(x => x.ReporterName).HasMaxLength(400);
            e.Property(x => x.ReporterPhone).HasMaxLength(400);
            e.Property(x => x.ReporterIdNumber).HasMaxLength(400);
            e.Property(x => x.ReporterPhoneHash).HasMaxLength(64);
            e.HasIndex(x => x.ReporterPhoneHash);
            e.Property(x => x.LeadUnitCode).HasMaxLength(64);
            e.Property(x => x.AssistingUnitCodes).HasMaxLength(1000);
            e.Property(x => x.RoutingBasis).HasMaxLength(24);
            e.Property(x => x.RoutingRuleId).HasMaxLength(32);
            e.Property(x => x.Version).IsConcurrencyToken();

            // The list's order is (ReceivedAt desc, Id desc); each territory level filters by equality on its own column.
            e.HasIndex(x => new { x.ReceivedAt, x.Id });
            e.HasIndex(x => new { x.ProvinceCode, x.ReceivedAt, x.Id });
            e.HasIndex(x => new { x.CityCode, x.ReceivedAt, x.Id });
            e.HasIndex(x => new { x.GridCode, x.ReceivedAt, x.Id });
            e.HasIndex(x => new { x.Status, x.ReceivedAt, x.Id });
            e.HasIndex(x => new { x.CategoryCode, x.ReceivedAt, x.Id });
            e.HasIndex(x => new { x.LeadUnitCode, x.Status });

            // ---- Queues paged in the database (Features/Handling/QueueColumns): each queue's filter and order from one index.
            // A unit's queue: (unit, due, id) in order, the yellow instant along so that counts read the index only.
            e.HasIndex(x => new { x.LeadUnitCode, x.QueueDueAt, x.Id, x.QueueYellowAt }, "IX_matters_unit_queue")
                .HasFilter("\"QueueDueAt\" IS NOT NULL");
            // The dispatcher's queue: oldest first, only the matters waiting for the center.
            e.HasIndex(x => new { x.ReceivedAt, x.Id }, "IX_matters_dispatch_queue")
                .HasFilter("\"WaitingForCenter\"");
            // ---- end queues
            // QueryIndexes (issue 8: the township list at 10M): a county's, a township's and a community's list order by
            // (ReceivedAt, Id) from these indexes, and the category subtree (a code range) and the status sit behind as key
            // columns, so the store tests them on the index entry and reads only the matching rows — a rare category over a
            // year no longer reads thousands of other rows. They replace the (level, ReceivedAt, Id) indexes, their prefix.
            // A county's also carries (on PostgreSQL; SQLite has no INCLUDE) every column the situation figures and a city-wide scope read, so a
            // county-month's dashboard is an index-only scan of ~1,200 pages instead of ~20,000 heap pages (docs/benchmarks.md).
            e.HasIndex(x => new { x.CountyCode, x.ReceivedAt, x.Id, x.CategoryCode, x.Status })
                .IncludeProperties(x => new
                {
                    x.AcceptDueAt, x.AcceptedAt, x.ReplyDueAt, x.RepliedAt, x.Verdict, x.Items, x.LeadUnitCode, x.Lat, x.Lon, x.TownshipCode, x.ProvinceCode, x.CityCode,
                });
            e.HasIndex(x => new { x.TownshipCode, x.ReceivedAt, x.Id, x.CategoryCode, x.Status });
            e.HasIndex(x => new { x.CommunityCode, x.ReceivedAt, x.Id, x.CategoryCode, x.Status });
            // End QueryIndexes.

            e.Property(x => x.ReplyText).HasMaxLength(8000);
            e.Property(x => x.Verdict).HasMaxLength(24);
            e.Property(x => x.SweepStage).HasMaxLength(16);
            e.HasIndex(x => x.NextCheckAt);
            e.Property(x => x.TrackingCode).HasMaxLength(16);
            e.Property(x => x.TrackingSecretHash).HasMaxLength(64);
            e.HasIndex(x => x.TrackingCode).IsUnique();
            e.HasIndex(x => x.MergedIntoId);
            e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<LetterRow>(e =>
        {
            e.ToTable("letters");
            e.HasKey(x => x.Id);
            e.Property(x => x.Number).HasMaxLength(64);
            e.HasIndex(x => x.Number).IsUnique();
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.IssuerUnitCode).HasMaxLength(64);
            e.Property(x => x.AddresseeUnitCode).HasMaxLength(64);
            e.Property(x => x.Title).HasMaxLength(300);
            e.Property(x => x.Body).HasMaxLength(8000);
            e.Property(x => x.ReplyText).HasMaxLength(8000);
            e.Property(x => x.OnceKey).HasMaxLength(200);
            e.Property(x => x.IssuedBy).HasMaxLength(100);
            // Exactly once, whichever node's sweep gets there first: a second insert of the same key fails.
            e.HasIndex(x => x.OnceKey).IsUnique();
            e.HasIndex(x => new { x.AddresseeUnitCode, x.IssuedAt });
            e.HasIndex(x => new { x.ReplyDueAt, x.RepliedAt });
            e.HasMany(x => x.Matters).WithOne().HasForeignKey(x => x.LetterId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<LetterMatterRow>(e =>
        {
            e.ToTable("letter_matters");
            e.HasKey(x => new { x.LetterId, x.MatterId });
            e.HasIndex(x => x.MatterId);
        });

        model.Entity<MatterEventRow>(e =>
        {
            e.ToTable("matter_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Type).HasMaxLength(32);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.HasIndex(x => new { x.MatterId, x.Id });
        });

        model.Entity<IdempotencyRow>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(200);
            e.Property(x => x.RequestHash).HasMaxLength(64);
            e.Property(x => x.Location).HasMaxLength(200);
            e.HasIndex(x => x.CreatedAt);
        });

        model.Entity<CounterRow>(e =>
        {
            e.ToTable("counters");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasData(new CounterRow { Name = CounterNames.MatterNumber, Value = 0 }, new CounterRow { Name = CounterNames.CatalogRevision, Value = 0 });
        });

        // Each feature slice maps its own tables next to its code (an IEntityTypeConfiguration in its
        // folder, reached with db.Set<TRow>()), so a new capability does not edit this file.
        model.ApplyConfigurationsFromAssembly(typeof(ConcordDb).Assembly);
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public static class CounterNames
{
    public const string MatterNumber = "matter_number";
    public const string CatalogRevision = "catalog_revision";
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class SqliteConcordDb(DbContextOptions<SqliteConcordDb> options) : ConcordDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresConcordDb(DbContextOptions<PostgresConcordDb> options) : ConcordDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // A sequence lets concurrent intakes on many nodes number matters without a hot counter row.
        model.HasSequence<long>(MatterNumbers.PostgresSequence);
    }
}
