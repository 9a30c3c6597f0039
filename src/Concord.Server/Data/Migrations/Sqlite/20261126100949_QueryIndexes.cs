using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QueryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_matters_CommunityCode_ReceivedAt_Id",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_CountyCode_ReceivedAt_Id",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_TownshipCode_ReceivedAt_Id",
                table: "matters");

            migrationBuilder.CreateIndex(
                name: "IX_matters_CommunityCode_ReceivedAt_Id_CategoryCode_Status",
                table: "matters",
                columns: new[] { "CommunityCode", "ReceivedAt", "Id", "CategoryCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_CountyCode_ReceivedAt_Id_CategoryCode_Status",
                table: "matters",
                columns: new[] { "CountyCode", "ReceivedAt", "Id", "CategoryCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_TownshipCode_ReceivedAt_Id_CategoryCode_Status",
                table: "matters",
                columns: new[] { "TownshipCode", "ReceivedAt", "Id", "CategoryCode", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_matters_CommunityCode_ReceivedAt_Id_CategoryCode_Status",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_CountyCode_ReceivedAt_Id_CategoryCode_Status",
                table: "matters");

            migrationBuilder.DropIndex(
                name: "IX_matters_TownshipCode_ReceivedAt_Id_CategoryCode_Status",
                table: "matters");

            migrationBuilder.CreateIndex(
                name: "IX_matters_CommunityCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "CommunityCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_CountyCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "CountyCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_TownshipCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "TownshipCode", "ReceivedAt", "Id" });
        }
    }
}
