using Microsoft.EntityFrameworkCore;
using Portal.Data.Catalog;
using Portal.Data.Preferences;

namespace Portal.Data;

/// <summary>
/// The portal's store. One model, two providers: <see cref="SqlitePortalDbContext"/> and
/// <see cref="PostgreSqlPortalDbContext"/> each carry their own migrations.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();

    public DbSet<CatalogImport> CatalogImports => Set<CatalogImport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<UserPreference>(preference =>
        {
            preference.ToTable("user_preferences");
            preference.HasKey(p => new { p.UserId, p.Key });
            preference.Property(p => p.UserId).HasMaxLength(200);
            preference.Property(p => p.Key).HasMaxLength(200);
            preference.Property(p => p.Value).HasMaxLength(4000);
        });

        modelBuilder.Entity<CatalogImport>(import =>
        {
            import.ToTable("catalog_imports");
            import.HasKey(i => i.Id);
            import.Property(i => i.Name).HasMaxLength(200);
            import.Property(i => i.FileName).HasMaxLength(260);
            import.HasIndex(i => new { i.Name, i.Version }).IsUnique();
        });
    }
}

public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

public sealed class PostgreSqlPortalDbContext(DbContextOptions<PostgreSqlPortalDbContext> options) : PortalDbContext(options);
