using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Concord.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "categories",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NameEn = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    KeyDomain = table.Column<bool>(type: "INTEGER", nullable: false),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AcceptWithin = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ReplyWithin = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Keywords = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_categories", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "counters",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_counters", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: false),
                    Location = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_keys", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "matters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ProvinceCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CityCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CountyCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    TownshipCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CommunityCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    LocationMatch = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LocationUnmatched = table.Column<bool>(type: "INTEGER", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReporterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReporterPhone = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Parties = table.Column<string>(type: "TEXT", nullable: true),
                    LeadUnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AssistingUnitCodes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RoutingBasis = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    RoutingRuleId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matters", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "routing_rules",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LeadUnitCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AssistingUnitCodes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    AutoDispatch = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "territories",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ParentCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Geometry = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Synthetic = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_territories", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "units",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NameEn = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TerritoryCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_units", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "matter_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterId = table.Column<long>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Data = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matter_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_matter_events_matters_MatterId",
                        column: x => x.MatterId,
                        principalTable: "matters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "counters",
                columns: new[] { "Name", "Value" },
                values: new object[,]
                {
                    { "catalog_revision", 0L },
                    { "matter_number", 0L }
                });

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_keys_CreatedAt",
                table: "idempotency_keys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_matter_events_MatterId_Id",
                table: "matter_events",
                columns: new[] { "MatterId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_CategoryCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "CategoryCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_CityCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "CityCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_Code",
                table: "matters",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_CommunityCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "CommunityCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_CountyCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "CountyCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_GridCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "GridCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_LeadUnitCode_Status",
                table: "matters",
                columns: new[] { "LeadUnitCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_ProvinceCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "ProvinceCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_Status_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "Status", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_matters_TownshipCode_ReceivedAt_Id",
                table: "matters",
                columns: new[] { "TownshipCode", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_territories_ParentCode",
                table: "territories",
                column: "ParentCode");

            migrationBuilder.CreateIndex(
                name: "IX_units_TerritoryCode",
                table: "units",
                column: "TerritoryCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "categories");

            migrationBuilder.DropTable(
                name: "counters");

            migrationBuilder.DropTable(
                name: "idempotency_keys");

            migrationBuilder.DropTable(
                name: "matter_events");

            migrationBuilder.DropTable(
                name: "routing_rules");

            migrationBuilder.DropTable(
                name: "territories");

            migrationBuilder.DropTable(
                name: "units");

            migrationBuilder.DropTable(
                name: "matters");
        }
    }
}
