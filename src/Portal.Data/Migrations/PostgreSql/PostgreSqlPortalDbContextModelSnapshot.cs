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

        modelBuilder.Entity("Portal.Data.Connections.DataProtectionKeyRow", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("integer");
            b.Property<int>("Id").UseIdentityByDefaultColumn();
            b.Property<string>("FriendlyName").HasMaxLength(200).HasColumnType("character varying(200)");
            b.Property<string>("Xml").IsRequired().HasColumnType("text");
            b.HasKey("Id");
            b.ToTable("data_protection_keys");
        });

        modelBuilder.Entity("Portal.Data.Connections.StoredConnection", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd().HasColumnType("uuid");
            b.Property<string>("Auth").IsRequired().HasMaxLength(20).HasColumnType("character varying(20)");
            b.Property<DateTimeOffset>("CreatedUtc").HasColumnType("timestamp with time zone");
            b.Property<string>("Endpoint").IsRequired().HasMaxLength(2000).HasColumnType("character varying(2000)");
            b.Property<string>("KeyHint").HasMaxLength(8).HasColumnType("character varying(8)");
            b.Property<string>("Kind").IsRequired().HasMaxLength(40).HasColumnType("character varying(40)");
            b.Property<string>("Models").IsRequired().HasMaxLength(4000).HasColumnType("character varying(4000)");
            b.Property<string>("Name").IsRequired().HasMaxLength(100).HasColumnType("character varying(100)");
            b.Property<string>("ProtectedApiKey").HasMaxLength(4000).HasColumnType("character varying(4000)");
            b.Property<DateTimeOffset>("UpdatedUtc").HasColumnType("timestamp with time zone");
            b.Property<string>("UserId").IsRequired().HasMaxLength(200).HasColumnType("character varying(200)");
            b.HasKey("Id");
            b.HasIndex("UserId", "Name").IsUnique();
            b.ToTable("connections");
        });

        modelBuilder.Entity("Portal.Data.Playground.PlaygroundSessionRow", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd().HasColumnType("uuid");
            b.Property<DateTimeOffset>("CreatedUtc").HasColumnType("timestamp with time zone");
            b.Property<string>("Kind").IsRequired().HasMaxLength(20).HasColumnType("character varying(20)");
            b.Property<string>("State").IsRequired().HasColumnType("text");
            b.Property<string>("Title").IsRequired().HasMaxLength(200).HasColumnType("character varying(200)");
            b.Property<DateTimeOffset>("UpdatedUtc").HasColumnType("timestamp with time zone");
            b.Property<string>("UserId").IsRequired().HasMaxLength(200).HasColumnType("character varying(200)");
            b.HasKey("Id");
            b.HasIndex("UserId");
            b.ToTable("playground_sessions");
        });
    }
}
