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

        modelBuilder.Entity("Portal.Data.Catalog.CatalogImport", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("integer");
            b.Property<int>("Id").UseIdentityByDefaultColumn();
            b.Property<string>("Content").IsRequired().HasColumnType("text");
            b.Property<string>("FileName").IsRequired().HasMaxLength(260).HasColumnType("character varying(260)");
            b.Property<DateTimeOffset>("ImportedUtc").HasColumnType("timestamp with time zone");
            b.Property<int>("ModelCount").HasColumnType("integer");
            b.Property<string>("Name").IsRequired().HasMaxLength(200).HasColumnType("character varying(200)");
            b.Property<int>("Version").HasColumnType("integer");
            b.HasKey("Id");
            b.HasIndex("Name", "Version").IsUnique();
            b.ToTable("catalog_imports");
        });

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
