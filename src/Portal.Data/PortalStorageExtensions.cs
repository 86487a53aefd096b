using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Catalog.Sources;
using Portal.Data.Access;
using Portal.Data.Catalog;
using Portal.Data.Connections;
using Portal.Data.Playground;
using Portal.Data.Preferences;
using Portal.Data.Tracing;

namespace Portal.Data;

public static class PortalStorageExtensions
{
    /// <summary>
    /// Registers the store selected by <c>Portal:Storage:Provider</c>, validated at start, migrated by
    /// <see cref="StoreMigrator"/> and checked by <see cref="StoreHealthCheck"/>.
    /// </summary>
    public static IServiceCollection AddPortalStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        // Every command is timed into the portal's meter (exported only when an exporter is configured).
        services.AddMetrics();
        services.TryAddSingleton<StoreMetricsInterceptor>();

        // The provider is chosen once, from configuration as it is when the app is built.
        var options = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        if (options.Provider == StorageProvider.PostgreSql)
        {
            services.AddPooledDbContextFactory<PostgreSqlPortalDbContext>((sp, builder) =>
                builder.UseNpgsql(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString)
                    .AddInterceptors(sp.GetRequiredService<StoreMetricsInterceptor>()));
            services.AddSingleton<IDbContextFactory<PortalDbContext>, DbContextFactoryAdapter<PostgreSqlPortalDbContext>>();
        }
        else
        {
            services.AddPooledDbContextFactory<SqlitePortalDbContext>((sp, builder) =>
                builder.UseSqlite(SqliteConnectionString(sp.GetRequiredService<IOptions<StorageOptions>>().Value))
                    .AddInterceptors(sp.GetRequiredService<StoreMetricsInterceptor>()));
            services.AddSingleton<IDbContextFactory<PortalDbContext>, DbContextFactoryAdapter<SqlitePortalDbContext>>();
        }

        // Data Protection's key ring is read through this scoped context (PersistKeysToDbContext).
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());

        // Migrations run before any other hosted service (Data Protection's reads its key ring at start), so nothing
        // reads a table that a fresh store does not have yet.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StoreMigrator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<QuickReads>();
        services.AddSingleton<StoreHealthCheck>();
        services.AddSingleton<IPreferenceStore, PreferenceStore>();
        services.AddSingleton<ICatalogImportStore, CatalogImportStore>();
        services.AddSingleton<IConnectionStore, ConnectionStore>();
        services.AddSingleton<IPlaygroundSessionStore, PlaygroundSessionStore>();
        services.AddSingleton<IUserDirectoryStore, UserDirectoryStore>();
        services.AddSingleton<IApiTokenStore, ApiTokenStore>();
        services.AddSingleton<IAuditStore, AuditStore>();
        services.AddSingleton<Probes.IPerformanceProbeStore, Probes.PerformanceProbeStore>();
        services.AddSingleton<ITraceStore, TraceStore>();
        services.AddSingleton<Evaluations.IEvaluationStore, Evaluations.EvaluationStore>();
        services.AddSingleton<FineTuning.IFineTuningStore, FineTuning.FineTuningStore>();
        services.TryAddSingleton<Instances.InstanceIdentity>();
        services.AddSingleton<Instances.IStoreVersions, Instances.StoreVersions>();
        services.AddSingleton<Instances.IWorkLeases, Instances.WorkLeases>();
        return services;
    }

    internal static string SqliteConnectionString(StorageOptions options)
    {
        var path = options.ResolveSqlitePath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return $"Data Source={path}";
    }

    private sealed class DbContextFactoryAdapter<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
        where TContext : PortalDbContext
    {
        public PortalDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
    }
}
