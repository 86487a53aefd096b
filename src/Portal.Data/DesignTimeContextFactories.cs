using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build each provider's context without starting the portal (see
/// <c>Migrations/README.md</c>). Generating a migration needs no running server; the addresses below are never used
/// to connect.
/// </summary>
internal sealed class SqliteDesignTimeContextFactory : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <inheritdoc cref="SqliteDesignTimeContextFactory"/>
internal sealed class PostgreSqlDesignTimeContextFactory : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    public PostgreSqlPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql("Host=localhost;Database=portal_design_time").Options);
}
