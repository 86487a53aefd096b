using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Portal.Data.Migrations.PostgreSql;

[DbContext(typeof(PostgreSqlPortalDbContext))]
[Migration("20261122010000_CatalogImports")]
public sealed class CatalogImports : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "catalog_imports",
            columns: table => new
            {
                Id = table.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                Version = table.Column<int>(type: "integer", nullable: false),
                FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                Content = table.Column<string>(type: "text", nullable: false),
                ModelCount = table.Column<int>(type: "integer", nullable: false),
                ImportedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_catalog_imports", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_catalog_imports_Name_Version", table: "catalog_imports", columns: ["Name", "Version"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "catalog_imports");
}
