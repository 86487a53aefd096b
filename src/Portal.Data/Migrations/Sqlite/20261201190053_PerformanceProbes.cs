using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CatalogModelId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Connection = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Requests = table.Column<int>(type: "INTEGER", nullable: false),
                    Concurrency = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxTokens = table.Column<int>(type: "INTEGER", nullable: false),
                    Succeeded = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    TtftP50Ms = table.Column<double>(type: "REAL", nullable: true),
                    TtftP90Ms = table.Column<double>(type: "REAL", nullable: true),
                    TtftP99Ms = table.Column<double>(type: "REAL", nullable: true),
                    TotalP50Ms = table.Column<double>(type: "REAL", nullable: true),
                    TotalP90Ms = table.Column<double>(type: "REAL", nullable: true),
                    TotalP99Ms = table.Column<double>(type: "REAL", nullable: true),
                    TokensPerSecond = table.Column<double>(type: "REAL", nullable: true),
                    TokensEstimated = table.Column<bool>(type: "INTEGER", nullable: false),
                    Failures = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Cancelled = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartedUtc = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedUtc = table.Column<long>(type: "INTEGER", nullable: false)
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
