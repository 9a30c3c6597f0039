using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Workflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AcceptDueAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AcceptedAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClosedAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DispatchedAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Dissatisfactions",
                table: "matters",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExtensionRequestedUntil",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Items",
                table: "matters",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "MergedIntoId",
                table: "matters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextCheckAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RepliedAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReplyDueAt",
                table: "matters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplyText",
                table: "matters",
                type: "TEXT",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SweepStage",
                table: "matters",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Verdict",
                table: "matters",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "letters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IssuerUnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    AddresseeUnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReplyDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RepliedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReplyText = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    EscalatedToId = table.Column<long>(type: "INTEGER", nullable: true),
                    OnceKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IssuedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_letters", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "letter_matters",
                columns: table => new
                {
                    LetterId = table.Column<long>(type: "INTEGER", nullable: false),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_letter_matters", x => new { x.LetterId, x.MatterId });
                    table.ForeignKey(
                        name: "FK_letter_matters_letters_LetterId",
                        column: x => x.LetterId,
                        principalTable: "letters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_matters_MergedIntoId",
                table: "matters",
                column: "MergedIntoId");

            migrationBuilder.CreateIndex(
                name: "IX_matters_NextCheckAt",
                table: "matters",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_letter_matters_MatterId",
                table: "letter_matters",
                column: "MatterId");

            migrationBuilder.CreateIndex(
                name: "IX_letters_AddresseeUnitCode_IssuedAt",
                table: "letters",
                columns: new[] { "AddresseeUnitCode", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_letters_Number",
                table: "letters",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_letters_OnceKey",
                table: "letters",
                column: "OnceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_letters_ReplyDueAt_RepliedAt",
                table: "letters",
                columns: new[] { "ReplyDueAt", "RepliedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "letter_matters");

            migrationBuilder.DropTable(
                name: "letters");

            migrationBuilder.DropIndex(
                name: "IX_matters_MergedIntoId",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_NextCheckAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "AcceptDueAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "AcceptedAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "DispatchedAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Dissatisfactions",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ExtensionRequestedUntil",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Items",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "NextCheckAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "RepliedAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ReplyDueAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ReplyText",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "SweepStage",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "Verdict",
                table: "matters");
        }
    }
}
