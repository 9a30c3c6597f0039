using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Duplicates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "matter_reporters",
                columns: table => new
                {
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    SurvivorId = table.Column<long>(type: "INTEGER", nullable: false),
                    MergedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MergedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PriorStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PriorNextCheckAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PriorClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_reporters", x => x.MatterId);
                    table.ForeignKey(
                        name: "FK_matter_reporters_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_matter_reporters_matters_SurvivorId",
                        column: x => x.SurvivorId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "matter_signatures",
                columns: table => new
                {
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Cell = table.Column<long>(type: "INTEGER", nullable: true),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MinHash = table.Column<byte[]>(type: "BLOB", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_signatures", x => x.MatterId);
                    table.ForeignKey(
                        name: "FK_matter_signatures_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_matter_reporters_SurvivorId",
                table: "matter_reporters",
                column: "SurvivorId");

            migrationBuilder.CreateIndex(
                name: "IX_matter_signatures_Cell_ReceivedAt",
                table: "matter_signatures",
                columns: new[] { "Cell", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_matter_signatures_TerritoryCode_ReceivedAt",
                table: "matter_signatures",
                columns: new[] { "TerritoryCode", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_matter_signatures_Version",
                table: "matter_signatures",
                column: "Version");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "matter_reporters");

            migrationBuilder.DropTable(
                name: "matter_signatures");
        }
    }
}
