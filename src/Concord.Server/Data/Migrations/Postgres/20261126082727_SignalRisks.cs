using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SignalRisks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RiskCode",
                table: "warning_signals",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RiskCode",
                table: "warning_signals");
        }
    }
}
