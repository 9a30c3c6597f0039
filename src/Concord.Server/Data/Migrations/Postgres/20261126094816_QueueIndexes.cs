using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "QueueDueAt",
                table: "matters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "QueueYellowAt",
                table: "matters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "WaitingForCenter",
                table: "matters",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_matters_dispatch_queue",
                table: "matters",
                columns: new[] { "ReceivedAt", "Id" },
                filter: "\"WaitingForCenter\"");

            migrationBuilder.CreateIndex(
                name: "IX_matters_unit_queue",
                table: "matters",
                columns: new[] { "LeadUnitCode", "QueueDueAt", "Id", "QueueYellowAt" },
                filter: "\"QueueDueAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_matters_dispatch_queue",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_unit_queue",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "QueueDueAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "QueueYellowAt",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "WaitingForCenter",
                table: "matters");
        }
    }
}
