using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Concord.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EarlyWarningAndBulletins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "analysis_sessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    HeldOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Participants = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Items = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Conclusions = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_analysis_sessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "bulletins",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TerritoryCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PeriodFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodTo = table.Column<DateOnly>(type: "date", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Year = table.Column<int>(type: "integer", nullable: true),
                    Sequence = table.Column<long>(type: "bigint", nullable: true),
                    Figures = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: false),
                    Summary = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Analysis = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Suggestions = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    DraftedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DraftedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EditedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EditedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    IssuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    IssuedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bulletins", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "warning_signals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Method = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Step = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    TerritoryCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    TerritoryLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PeriodStart = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Observed = table.Column<double>(type: "double precision", nullable: false),
                    Mean = table.Column<double>(type: "double precision", nullable: true),
                    StandardDeviation = table.Column<double>(type: "double precision", nullable: true),
                    Statistic = table.Column<double>(type: "double precision", nullable: true),
                    Threshold = table.Column<double>(type: "double precision", nullable: true),
                    BaselineFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    BaselineTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Because = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    MatterCodes = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    RaisedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Decision = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LetterNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RiskLevel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    RiskTitle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_warning_signals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "analysis_decisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SessionId = table.Column<long>(type: "bigint", nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    OwnerUnitCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    LetterNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_analysis_decisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_analysis_decisions_analysis_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "analysis_sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_analysis_decisions_SessionId",
                table: "analysis_decisions",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_analysis_sessions_HeldOn",
                table: "analysis_sessions",
                column: "HeldOn");

            migrationBuilder.CreateIndex(
                name: "IX_bulletins_Key",
                table: "bulletins",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_bulletins_Number",
                table: "bulletins",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_bulletins_PeriodFrom_Id",
                table: "bulletins",
                columns: new[] { "PeriodFrom", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_warning_signals_Key",
                table: "warning_signals",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_warning_signals_PeriodStart",
                table: "warning_signals",
                column: "PeriodStart");

            migrationBuilder.CreateIndex(
                name: "IX_warning_signals_Status_RaisedAt",
                table: "warning_signals",
                columns: new[] { "Status", "RaisedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analysis_decisions");

            migrationBuilder.DropTable(
                name: "bulletins");

            migrationBuilder.DropTable(
                name: "warning_signals");

            migrationBuilder.DropTable(
                name: "analysis_sessions");
        }
    }
}
