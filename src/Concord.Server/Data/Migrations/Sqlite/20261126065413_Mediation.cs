using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Mediation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mediation_cases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Specialty = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CountyCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    TownshipCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    PartyCount = table.Column<int>(type: "INTEGER", nullable: false),
                    HighRisk = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FromCourt = table.Column<bool>(type: "INTEGER", nullable: false),
                    CourtName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CourtReference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OrganizationCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MediatorCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConsentedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RefusedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RefusedBy = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    RefusalNextStep = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OutcomeSummary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    FailureReferral = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AgreementNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AgreementFacts = table.Column<string>(type: "TEXT", nullable: true),
                    AgreedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    JudicialState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    JudicialAppliedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    JudicialDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    JudicialDecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    JudicialCourt = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediation_cases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mediation_cases_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mediation_organizations",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Specialties = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Synthetic = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediation_organizations", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "mediators",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OrganizationCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Specialties = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Languages = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Synthetic = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediators", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "referral_providers",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Specialties = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Synthetic = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_referral_providers", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "mediation_obligations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    Party = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FollowedUpAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Performed = table.Column<bool>(type: "INTEGER", nullable: true),
                    PerformedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FollowUpNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediation_obligations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mediation_obligations_mediation_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "mediation_cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mediation_referrals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ProviderCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Result = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediation_referrals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mediation_referrals_mediation_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "mediation_cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mediation_sessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    ScheduledAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PlaceDetail = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Participants = table.Column<string>(type: "TEXT", nullable: true),
                    Notes = table.Column<string>(type: "TEXT", nullable: true),
                    HeldAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediation_sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mediation_sessions_mediation_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "mediation_cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mediation_cases_MatterCode",
                table: "mediation_cases",
                column: "MatterCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mediation_cases_MatterId",
                table: "mediation_cases",
                column: "MatterId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mediation_cases_MediatorCode_Status",
                table: "mediation_cases",
                columns: new[] { "MediatorCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_mediation_cases_OrganizationCode_Status",
                table: "mediation_cases",
                columns: new[] { "OrganizationCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_mediation_cases_ReceivedAt",
                table: "mediation_cases",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_mediation_obligations_CaseId",
                table: "mediation_obligations",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_mediation_obligations_FollowedUpAt_DueAt",
                table: "mediation_obligations",
                columns: new[] { "FollowedUpAt", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mediation_organizations_TerritoryCode",
                table: "mediation_organizations",
                column: "TerritoryCode");

            migrationBuilder.CreateIndex(
                name: "IX_mediation_organizations_UnitCode",
                table: "mediation_organizations",
                column: "UnitCode");

            migrationBuilder.CreateIndex(
                name: "IX_mediation_referrals_CaseId",
                table: "mediation_referrals",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_mediation_sessions_CaseId_ScheduledAt",
                table: "mediation_sessions",
                columns: new[] { "CaseId", "ScheduledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mediation_sessions_ScheduledAt",
                table: "mediation_sessions",
                column: "ScheduledAt");

            migrationBuilder.CreateIndex(
                name: "IX_mediators_OrganizationCode",
                table: "mediators",
                column: "OrganizationCode");

            migrationBuilder.CreateIndex(
                name: "IX_mediators_UserName",
                table: "mediators",
                column: "UserName");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mediation_obligations");

            migrationBuilder.DropTable(
                name: "mediation_organizations");

            migrationBuilder.DropTable(
                name: "mediation_referrals");

            migrationBuilder.DropTable(
                name: "mediation_sessions");

            migrationBuilder.DropTable(
                name: "mediators");

            migrationBuilder.DropTable(
                name: "referral_providers");

            migrationBuilder.DropTable(
                name: "mediation_cases");
        }
    }
}
