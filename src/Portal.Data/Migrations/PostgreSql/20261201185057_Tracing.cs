using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.PostgreSql
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StartedUtc = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Connection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ServerAddress = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Provider = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Operation = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Feature = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: true),
                    Messages = table.Column<string>(type: "text", nullable: true),
                    Parameters = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Response = table.Column<string>(type: "text", nullable: true),
                    ContentCaptured = table.Column<bool>(type: "boolean", nullable: false),
                    FinishReason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ContentFilter = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    TimeToFirstTokenMs = table.Column<double>(type: "double precision", nullable: true),
                    TotalMs = table.Column<double>(type: "double precision", nullable: false),
                    InputTokens = table.Column<int>(type: "integer", nullable: true),
                    OutputTokens = table.Column<int>(type: "integer", nullable: true),
                    TokensEstimated = table.Column<bool>(type: "boolean", nullable: false),
                    CostLowUsd = table.Column<double>(type: "double precision", nullable: true),
                    CostHighUsd = table.Column<double>(type: "double precision", nullable: true),
                    CostModel = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ErrorType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
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
