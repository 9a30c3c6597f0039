using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Risks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "info_reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TerritoryPath = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Scale = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    PeopleInvolved = table.Column<int>(type: "INTEGER", nullable: true),
                    Trend = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    KnownAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FiledAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FiledOnTime = table.Column<bool>(type: "INTEGER", nullable: false),
                    FiledBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RiskId = table.Column<long>(type: "INTEGER", nullable: true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: true),
                    AssignmentLetterId = table.Column<long>(type: "INTEGER", nullable: true),
                    ConvertedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_info_reports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "risks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TerritoryPath = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ComputedLevel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LevelRule = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LevelOverrideReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PeopleInvolved = table.Column<int>(type: "INTEGER", nullable: true),
                    AmountYuan = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    HouseholdsAffected = table.Column<int>(type: "INTEGER", nullable: true),
                    ResponsibleUnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResponsibleLeader = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceRef = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: true),
                    ListedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastReviewAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextReviewDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_risks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "screening_campaigns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PeriodStart = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PeriodEnd = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AnswerDueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_screening_campaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "info_report_follow_ups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReportId = table.Column<long>(type: "INTEGER", nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    AskedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AskedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AnsweredBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_info_report_follow_ups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_info_report_follow_ups_info_reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "info_reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "letter_risks",
                columns: table => new
                {
                    LetterId = table.Column<long>(type: "INTEGER", nullable: false),
                    RiskId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_letter_risks", x => new { x.LetterId, x.RiskId });
                    table.ForeignKey(
                        name: "FK_letter_risks_letters_LetterId",
                        column: x => x.LetterId,
                        principalTable: "letters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_letter_risks_risks_RiskId",
                        column: x => x.RiskId,
                        principalTable: "risks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "risk_matters",
                columns: table => new
                {
                    RiskId = table.Column<long>(type: "INTEGER", nullable: false),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_risk_matters", x => new { x.RiskId, x.MatterId });
                    table.ForeignKey(
                        name: "FK_risk_matters_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_risk_matters_risks_RiskId",
                        column: x => x.RiskId,
                        principalTable: "risks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "risk_measures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RiskId = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DoneNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    NextCheckAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SweepStage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_risk_measures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_risk_measures_risks_RiskId",
                        column: x => x.RiskId,
                        principalTable: "risks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "risk_reviews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RiskId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    By = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    LevelAfter = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StatusAfter = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Late = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_risk_reviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_risk_reviews_risks_RiskId",
                        column: x => x.RiskId,
                        principalTable: "risks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "campaign_targets",
                columns: table => new
                {
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NoneFound = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AnsweredBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaign_targets", x => new { x.CampaignId, x.UnitCode });
                    table.ForeignKey(
                        name: "FK_campaign_targets_screening_campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "screening_campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_campaign_targets_UnitCode",
                table: "campaign_targets",
                column: "UnitCode");

            migrationBuilder.CreateIndex(
                name: "IX_info_report_follow_ups_ReportId",
                table: "info_report_follow_ups",
                column: "ReportId");

            migrationBuilder.CreateIndex(
                name: "IX_info_reports_Code",
                table: "info_reports",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_info_reports_Status_FiledAt",
                table: "info_reports",
                columns: new[] { "Status", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_info_reports_UnitCode_FiledAt",
                table: "info_reports",
                columns: new[] { "UnitCode", "FiledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_letter_risks_RiskId",
                table: "letter_risks",
                column: "RiskId");

            migrationBuilder.CreateIndex(
                name: "IX_risk_matters_MatterId",
                table: "risk_matters",
                column: "MatterId");

            migrationBuilder.CreateIndex(
                name: "IX_risk_measures_NextCheckAt",
                table: "risk_measures",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_risk_measures_RiskId",
                table: "risk_measures",
                column: "RiskId");

            migrationBuilder.CreateIndex(
                name: "IX_risk_reviews_RiskId_At",
                table: "risk_reviews",
                columns: new[] { "RiskId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_risks_CampaignId",
                table: "risks",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_risks_Code",
                table: "risks",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_risks_NextReviewDueAt",
                table: "risks",
                column: "NextReviewDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_risks_ResponsibleUnitCode",
                table: "risks",
                column: "ResponsibleUnitCode");

            migrationBuilder.CreateIndex(
                name: "IX_risks_Status_Level",
                table: "risks",
                columns: new[] { "Status", "Level" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaign_targets");

            migrationBuilder.DropTable(
                name: "info_report_follow_ups");

            migrationBuilder.DropTable(
                name: "letter_risks");

            migrationBuilder.DropTable(
                name: "risk_matters");

            migrationBuilder.DropTable(
                name: "risk_measures");

            migrationBuilder.DropTable(
                name: "risk_reviews");

            migrationBuilder.DropTable(
                name: "screening_campaigns");

            migrationBuilder.DropTable(
                name: "info_reports");

            migrationBuilder.DropTable(
                name: "risks");
        }
    }
}
