using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Portal.Data.Migrations.Sqlite;

[DbContext(typeof(SqlitePortalDbContext))]
public sealed class SqlitePortalDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasAnnotation("ProductVersion", "10.0.14");

        modelBuilder.Entity("Portal.Data.Catalog.CatalogImport", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<string>("Content").IsRequired().HasColumnType("TEXT");
            b.Property<string>("FileName").IsRequired().HasMaxLength(260).HasColumnType("TEXT");
            b.Property<DateTimeOffset>("ImportedUtc").HasColumnType("TEXT");
            b.Property<int>("ModelCount").HasColumnType("INTEGER");
            b.Property<string>("Name").IsRequired().HasMaxLength(200).HasColumnType("TEXT");
            b.Property<int>("Version").HasColumnType("INTEGER");
            b.HasKey("Id");
            b.HasIndex("Name", "Version").IsUnique();
            b.ToTable("catalog_imports");
        });

        modelBuilder.Entity("Portal.Data.Preferences.UserPreference", b =>
        {
            b.Property<string>("UserId").HasMaxLength(200).HasColumnType("TEXT");
            b.Property<string>("Key").HasMaxLength(200).HasColumnType("TEXT");
            b.Property<DateTimeOffset>("UpdatedUtc").HasColumnType("TEXT");
            b.Property<string>("Value").IsRequired().HasMaxLength(4000).HasColumnType("TEXT");
            b.HasKey("UserId", "Key");
            b.ToTable("user_preferences");
        });
    }
}
