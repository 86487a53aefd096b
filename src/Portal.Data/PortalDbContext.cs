using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Access;
using Portal.Data.Catalog;
using Portal.Data.Connections;
using Portal.Data.Evaluations;
using Portal.Data.FineTuning;
using Portal.Data.Instances;
using Portal.Data.Playground;
using Portal.Data.Preferences;
using Portal.Data.Probes;
using Portal.Data.Tracing;

namespace Portal.Data;

/// <summary>
/// The portal's store. One model, two providers: <see cref="SqlitePortalDbContext"/> and
/// <see cref="PostgreSqlPortalDbContext"/> each carry their own migrations.
/// </summary>
/// <remarks>It also keeps the Data Protection key ring (<see cref="IDataProtectionKeyContext"/>), so every instance
/// shares the keys that encrypt connection API keys.</remarks>
public abstract class PortalDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();

    public DbSet<CatalogImport> CatalogImports => Set<CatalogImport>();

    public DbSet<StoredConnection> Connections => Set<StoredConnection>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<PlaygroundSessionRow> PlaygroundSessions => Set<PlaygroundSessionRow>();

    public DbSet<PortalUserRow> PortalUsers => Set<PortalUserRow>();

    public DbSet<UserSessionRow> UserSessions => Set<UserSessionRow>();

    public DbSet<ApiTokenRow> ApiTokens => Set<ApiTokenRow>();

    public DbSet<AuditEntryRow> AuditEntries => Set<AuditEntryRow>();

    public DbSet<PerformanceProbeRow> PerformanceProbes => Set<PerformanceProbeRow>();
    public DbSet<TraceRow> Traces => Set<TraceRow>();
    public DbSet<StoredDataset> Datasets => Set<StoredDataset>();

    public DbSet<StoredDatasetVersion> DatasetVersions => Set<StoredDatasetVersion>();

    public DbSet<EvaluationRunRow> EvaluationRuns => Set<EvaluationRunRow>();

    public DbSet<EvaluationCellRow> EvaluationCells => Set<EvaluationCellRow>();

    public DbSet<StoreVersionRow> StoreVersions => Set<StoreVersionRow>();

    public DbSet<FineTuningJobRow> FineTuningJobs => Set<FineTuningJobRow>();

    public DbSet<FineTuningFileRow> FineTuningFiles => Set<FineTuningFileRow>();

    public DbSet<WorkLeaseRow> WorkLeases => Set<WorkLeaseRow>();

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

        modelBuilder.Entity<StoredConnection>(connection =>
        {
            connection.ToTable("connections");
            connection.HasKey(c => c.Id);
            connection.Property(c => c.UserId).HasMaxLength(200);
            connection.Property(c => c.Name).HasMaxLength(100);
            connection.Property(c => c.Kind).HasMaxLength(40);
            connection.Property(c => c.Endpoint).HasMaxLength(2000);
            connection.Property(c => c.Auth).HasMaxLength(20);
            connection.Property(c => c.ProtectedApiKey).HasMaxLength(4000);
            connection.Property(c => c.KeyHint).HasMaxLength(8);
            connection.Property(c => c.Models).HasMaxLength(4000);
            connection.HasIndex(c => new { c.UserId, c.Name }).IsUnique();
        });

        // The table the portal kept its key ring in before it used the Data Protection package; same columns.
        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.FriendlyName).HasMaxLength(200);
        });

        modelBuilder.Entity<PlaygroundSessionRow>(session =>
        {
            session.ToTable("playground_sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.UserId).HasMaxLength(200);
            session.Property(s => s.Kind).HasMaxLength(20);
            session.Property(s => s.Title).HasMaxLength(200);
            session.HasIndex(s => s.UserId);
        });

        modelBuilder.Entity<PortalUserRow>(user =>
        {
            user.ToTable("portal_users");
            user.HasKey(u => u.UserId);
            user.Property(u => u.UserId).HasMaxLength(200);
            user.Property(u => u.Email).HasMaxLength(320);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.AssignedRole).HasMaxLength(40);
            user.Property(u => u.ProviderRole).HasMaxLength(40);
            user.Property(u => u.RoleChangedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<UserSessionRow>(session =>
        {
            session.ToTable("user_sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.UserId).HasMaxLength(200);
            session.HasIndex(s => s.UserId);
        });

        modelBuilder.Entity<ApiTokenRow>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.UserId).HasMaxLength(200);
            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.Hash).HasMaxLength(64);
            token.Property(t => t.Prefix).HasMaxLength(16);
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasIndex(t => t.UserId);
        });

        modelBuilder.Entity<AuditEntryRow>(entry =>
        {
            entry.ToTable("audit_log");
            entry.HasKey(e => e.Id);
            // UTC ticks: both providers compare and order them as numbers (SQLite cannot compare DateTimeOffset text).
            entry.Property(e => e.WhenUtc).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            entry.Property(e => e.UserId).HasMaxLength(200);
            entry.Property(e => e.UserName).HasMaxLength(200);
            entry.Property(e => e.Action).HasMaxLength(60);
            entry.Property(e => e.Target).HasMaxLength(500);
            entry.Property(e => e.Outcome).HasMaxLength(20);
            entry.Property(e => e.ClientAddress).HasMaxLength(64);
            entry.Property(e => e.Detail).HasMaxLength(1000);
            entry.HasIndex(e => e.WhenUtc);
        });

        PerformanceProbeRow.Configure(modelBuilder);
        modelBuilder.Entity<TraceRow>(trace =>
        {
            trace.ToTable("traces");
            trace.HasKey(t => t.Id);
            // UTC ticks, as in the audit log: both providers compare and order them as numbers.
            trace.Property(t => t.StartedUtc).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            trace.Property(t => t.UserId).HasMaxLength(200);
            trace.Property(t => t.Connection).HasMaxLength(100);
            trace.Property(t => t.ServerAddress).HasMaxLength(300);
            trace.Property(t => t.Provider).HasMaxLength(60);
            trace.Property(t => t.Model).HasMaxLength(200);
            trace.Property(t => t.Operation).HasMaxLength(40);
            trace.Property(t => t.Feature).HasMaxLength(40);
            trace.Property(t => t.Parameters).HasMaxLength(4000);
            trace.Property(t => t.FinishReason).HasMaxLength(40);
            trace.Property(t => t.ContentFilter).HasMaxLength(4000);
            trace.Property(t => t.CostModel).HasMaxLength(200);
            trace.Property(t => t.Status).HasMaxLength(20);
            trace.Property(t => t.ErrorType).HasMaxLength(40);
            trace.Property(t => t.ErrorMessage).HasMaxLength(2000);
            trace.HasIndex(t => t.StartedUtc);
            trace.HasIndex(t => new { t.UserId, t.StartedUtc });
            trace.HasIndex(t => new { t.Model, t.StartedUtc });
            trace.HasIndex(t => t.RunId);
        });
        EvaluationModel.Configure(modelBuilder);
        InstanceModel.Configure(modelBuilder);
        FineTuningModel.Configure(modelBuilder);
    }
}

public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

public sealed class PostgreSqlPortalDbContext(DbContextOptions<PostgreSqlPortalDbContext> options) : PortalDbContext(options);
