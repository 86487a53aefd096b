using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Portal.Data.Migrations.PostgreSql;

[DbContext(typeof(PostgreSqlPortalDbContext))]
[Migration("20261122020000_ConnectionsAndPlayground")]
public sealed class ConnectionsAndPlayground : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "connections",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                UserId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                Endpoint = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                Auth = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                ProtectedApiKey = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                KeyHint = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                Models = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                CreatedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                UpdatedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_connections", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_connections_UserId_Name", table: "connections", columns: ["UserId", "Name"], unique: true);

        migrationBuilder.CreateTable(
            name: "data_protection_keys",
            columns: table => new
            {
                Id = table.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                FriendlyName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                Xml = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_data_protection_keys", x => x.Id));

        migrationBuilder.CreateTable(
            name: "playground_sessions",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                UserId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                State = table.Column<string>(type: "text", nullable: false),
                CreatedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                UpdatedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_playground_sessions", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_playground_sessions_UserId", table: "playground_sessions", column: "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "playground_sessions");
        migrationBuilder.DropTable(name: "data_protection_keys");
        migrationBuilder.DropTable(name: "connections");
    }
}
