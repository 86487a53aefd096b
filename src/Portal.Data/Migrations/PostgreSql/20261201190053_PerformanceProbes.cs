using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class PerformanceProbes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "performance_probes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CatalogModelId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Connection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UserId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Requests = table.Column<int>(type: "integer", nullable: false),
                    Concurrency = table.Column<int>(type: "integer", nullable: false),
                    MaxTokens = table.Column<int>(type: "integer", nullable: false),
                    Succeeded = table.Column<int>(type: "integer", nullable: false),
                    Failed = table.Column<int>(type: "integer", nullable: false),
                    TtftP50Ms = table.Column<double>(type: "double precision", nullable: true),
                    TtftP90Ms = table.Column<double>(type: "double precision", nullable: true),
                    TtftP99Ms = table.Column<double>(type: "double precision", nullable: true),
                    TotalP50Ms = table.Column<double>(type: "double precision", nullable: true),
                    TotalP90Ms = table.Column<double>(type: "double precision", nullable: true),
                    TotalP99Ms = table.Column<double>(type: "double precision", nullable: true),
                    TokensPerSecond = table.Column<double>(type: "double precision", nullable: true),
                    TokensEstimated = table.Column<bool>(type: "boolean", nullable: false),
                    Failures = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    StartedUtc = table.Column<long>(type: "bigint", nullable: false),
                    FinishedUtc = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_performance_probes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_performance_probes_CatalogModelId_FinishedUtc",
                table: "performance_probes",
                columns: new[] { "CatalogModelId", "FinishedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "performance_probes");
        }
    }
}
