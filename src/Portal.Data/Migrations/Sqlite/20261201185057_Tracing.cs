using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Tracing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "traces",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartedUtc = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Connection = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ServerAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Feature = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Messages = table.Column<string>(type: "TEXT", nullable: true),
                    Parameters = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Response = table.Column<string>(type: "TEXT", nullable: true),
                    ContentCaptured = table.Column<bool>(type: "INTEGER", nullable: false),
                    FinishReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ContentFilter = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    TimeToFirstTokenMs = table.Column<double>(type: "REAL", nullable: true),
                    TotalMs = table.Column<double>(type: "REAL", nullable: false),
                    InputTokens = table.Column<int>(type: "INTEGER", nullable: true),
                    OutputTokens = table.Column<int>(type: "INTEGER", nullable: true),
                    TokensEstimated = table.Column<bool>(type: "INTEGER", nullable: false),
                    CostLowUsd = table.Column<double>(type: "REAL", nullable: true),
                    CostHighUsd = table.Column<double>(type: "REAL", nullable: true),
                    CostModel = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ErrorType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_traces", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_traces_Model_StartedUtc",
                table: "traces",
                columns: new[] { "Model", "StartedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_traces_RunId",
                table: "traces",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_traces_StartedUtc",
                table: "traces",
                column: "StartedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_traces_UserId_StartedUtc",
                table: "traces",
                columns: new[] { "UserId", "StartedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "traces");
        }
    }
}
