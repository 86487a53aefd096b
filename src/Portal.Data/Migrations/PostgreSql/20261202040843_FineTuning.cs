using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class FineTuning : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fine_tuning_files",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Connection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    Method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Bytes = table.Column<long>(type: "bigint", nullable: false),
                    Examples = table.Column<int>(type: "integer", nullable: false),
                    EstimatedTokens = table.Column<long>(type: "bigint", nullable: false),
                    StatsJson = table.Column<string>(type: "text", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    ProviderFileId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    UploadError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UploadedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fine_tuning_files", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "fine_tuning_jobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    OwnerName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Connection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ProviderJobId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CatalogModelId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    BaseModel = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    HyperparametersJson = table.Column<string>(type: "text", nullable: false),
                    Seed = table.Column<long>(type: "bigint", nullable: true),
                    Suffix = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TrainingFileId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TrainingFileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: true),
                    ValidationFileId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ValidationFileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: true),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    FineTunedModel = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    TrainedTokens = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    FollowProblem = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    TrainingExamples = table.Column<int>(type: "integer", nullable: true),
                    TrainingTokens = table.Column<long>(type: "bigint", nullable: true),
                    EstimatedCostUsd = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    CostNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    MetricsJson = table.Column<string>(type: "text", nullable: false),
                    EventsJson = table.Column<string>(type: "text", nullable: false),
                    CheckpointsJson = table.Column<string>(type: "text", nullable: false),
                    CreatedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fine_tuning_jobs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_fine_tuning_files_OwnerId",
                table: "fine_tuning_files",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_fine_tuning_jobs_Connection_ProviderJobId",
                table: "fine_tuning_jobs",
                columns: new[] { "Connection", "ProviderJobId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_fine_tuning_jobs_State",
                table: "fine_tuning_jobs",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fine_tuning_files");

            migrationBuilder.DropTable(
                name: "fine_tuning_jobs");
        }
    }
}
