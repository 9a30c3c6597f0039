using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Concord.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "matter_search",
                columns: table => new
                {
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    Terms = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_search", x => x.MatterId);
                    table.ForeignKey(
                        name: "FK_matter_search_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The index itself (FTS5 / tsvector + GIN): raw SQL, as EF cannot model it.
            migrationBuilder.Sql(Concord.Server.Features.Search.SearchIndexSql.SqliteUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Concord.Server.Features.Search.SearchIndexSql.SqliteDown);
            migrationBuilder.DropTable(
                name: "matter_search");
        }
    }
}
