using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Portal.Data.Migrations.PostgreSql;

[DbContext(typeof(PostgreSqlPortalDbContext))]
public sealed class PostgreSqlPortalDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder
            .HasAnnotation("ProductVersion", "10.0.14")
            .HasAnnotation("Relational:MaxIdentifierLength", 63);
        modelBuilder.UseIdentityByDefaultColumns();

        modelBuilder.Entity("Portal.Data.Preferences.UserPreference", b =>
        {
            b.Property<string>("UserId").HasMaxLength(200).HasColumnType("character varying(200)");
            b.Property<string>("Key").HasMaxLength(200).HasColumnType("character varying(200)");
            b.Property<DateTimeOffset>("UpdatedUtc").HasColumnType("timestamp with time zone");
            b.Property<string>("Value").IsRequired().HasMaxLength(4000).HasColumnType("character varying(4000)");
            b.HasKey("UserId", "Key");
            b.ToTable("user_preferences");
        });
    }
}
