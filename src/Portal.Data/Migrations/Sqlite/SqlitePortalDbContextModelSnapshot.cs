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

        modelBuilder.Entity("Portal.Data.Connections.DataProtectionKeyRow", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<string>("FriendlyName").HasMaxLength(200).HasColumnType("TEXT");
            b.Property<string>("Xml").IsRequired().HasColumnType("TEXT");
            b.HasKey("Id");
            b.ToTable("data_protection_keys");
        });

        modelBuilder.Entity("Portal.Data.Connections.StoredConnection", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd().HasColumnType("TEXT");
            b.Property<string>("Auth").IsRequired().HasMaxLength(20).HasColumnType("TEXT");
            b.Property<DateTimeOffset>("CreatedUtc").HasColumnType("TEXT");
            b.Property<string>("Endpoint").IsRequired().HasMaxLength(2000).HasColumnType("TEXT");
            b.Property<string>("KeyHint").HasMaxLength(8).HasColumnType("TEXT");
            b.Property<string>("Kind").IsRequired().HasMaxLength(40).HasColumnType("TEXT");
            b.Property<string>("Models").IsRequired().HasMaxLength(4000).HasColumnType("TEXT");
            b.Property<string>("Name").IsRequired().HasMaxLength(100).HasColumnType("TEXT");
            b.Property<string>("ProtectedApiKey").HasMaxLength(4000).HasColumnType("TEXT");
            b.Property<DateTimeOffset>("UpdatedUtc").HasColumnType("TEXT");
            b.Property<string>("UserId").IsRequired().HasMaxLength(200).HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("UserId", "Name").IsUnique();
            b.ToTable("connections");
        });

        modelBuilder.Entity("Portal.Data.Playground.PlaygroundSessionRow", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd().HasColumnType("TEXT");
            b.Property<DateTimeOffset>("CreatedUtc").HasColumnType("TEXT");
            b.Property<string>("Kind").IsRequired().HasMaxLength(20).HasColumnType("TEXT");
            b.Property<string>("State").IsRequired().HasColumnType("TEXT");
            b.Property<string>("Title").IsRequired().HasMaxLength(200).HasColumnType("TEXT");
            b.Property<DateTimeOffset>("UpdatedUtc").HasColumnType("TEXT");
            b.Property<string>("UserId").IsRequired().HasMaxLength(200).HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("UserId");
            b.ToTable("playground_sessions");
        });
    }
}
