using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Portal.Data.Migrations.Sqlite;

[DbContext(typeof(SqlitePortalDbContext))]
[Migration("20261122010000_CatalogImports")]
public sealed class CatalogImports : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "catalog_imports",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                Version = table.Column<int>(type: "INTEGER", nullable: false),
                FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                Content = table.Column<string>(type: "TEXT", nullable: false),
                ModelCount = table.Column<int>(type: "INTEGER", nullable: false),
                ImportedUtc = table.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_catalog_imports", x => x.Id));

        migrationBuilder.CreateIndex(name: "IX_catalog_imports_Name_Version", table: "catalog_imports", columns: ["Name", "Version"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "catalog_imports");
}
