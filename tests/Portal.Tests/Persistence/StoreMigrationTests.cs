using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Catalog.Sources;
using Portal.Data.Preferences;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

public sealed class StoreMigrationTests
{
    [Fact]
    public void Snapshots_MatchTheModel_ForBothProviders()
    {
        using var sqlite = new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql("Host=127.0.0.1;Database=none").Options);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "The SQLite model snapshot no longer matches PortalDbContext: add a migration.");
        Assert.False(postgres.Database.HasPendingModelChanges(), "The PostgreSQL model snapshot no longer matches PortalDbContext: add a migration.");
    }

    [Fact]
    public void MigrationSets_HaveTheSameMigrations_ForBothProviders()
    {
        using var sqlite = new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql("Host=127.0.0.1;Database=none").Options);

        var sqliteIds = sqlite.GetService<IMigrationsAssembly>().Migrations.Keys;
        var postgresIds = postgres.GetService<IMigrationsAssembly>().Migrations.Keys;

        Assert.NotEmpty(sqliteIds);
        Assert.Equal(sqliteIds, postgresIds);
    }

    [Fact]
    public async Task Sqlite_FirstRun_CreatesFolderAppliesMigrationsAndRoundTripsPreferences()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "nested", "portal.db");

        await using var provider = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?>
        {
            ["Portal:Storage:SqlitePath"] = path,
        });

        Assert.True(File.Exists(path));
        Assert.Contains("20261122000000_InitialCreate", await StoreFactory.AppliedMigrationsAsync(provider));
        await AssertPreferencesRoundTripAsync(provider.GetRequiredService<IPreferenceStore>());
        await AssertImportsRoundTripAsync(provider.GetRequiredService<ICatalogImportStore>());
    }

    [Fact]
    public async Task Sqlite_SecondStart_KeepsData()
    {
        using var temp = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = temp.File("portal.db") };

        await using (var first = await StoreFactory.CreateMigratedAsync(settings))
        {
            await first.GetRequiredService<IPreferenceStore>().SetAsync("u", "k", "kept", CancellationToken.None);
        }

        await using var second = await StoreFactory.CreateMigratedAsync(settings);
        Assert.Equal("kept", await second.GetRequiredService<IPreferenceStore>().GetAsync("u", "k", CancellationToken.None));
    }

    [PostgreSqlFact]
    public async Task PostgreSql_Migrations_ApplyAndRoundTripPreferences()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        try
        {
            await using var provider = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?>
            {
                ["Portal:Storage:Provider"] = "PostgreSQL",
                ["Portal:Storage:ConnectionString"] = server.ConnectionString("portal_test"),
            });

            await using (var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            {
                Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
            }

            Assert.Contains("20261122000000_InitialCreate", await StoreFactory.AppliedMigrationsAsync(provider));
            await AssertPreferencesRoundTripAsync(provider.GetRequiredService<IPreferenceStore>());
            await AssertImportsRoundTripAsync(provider.GetRequiredService<ICatalogImportStore>());

            var health = await provider.GetRequiredService<StoreHealthCheck>().CheckHealthAsync(new());
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, health.Status);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task AssertImportsRoundTripAsync(ICatalogImportStore store)
    {
        var v1 = await store.AddAsync("team-models", "team.json", "{\"models\":[{\"id\":\"a\"}]}", 1, CancellationToken.None);
        var v2 = await store.AddAsync("team-models", "team-2.json", "{\"models\":[{\"id\":\"b\"}]}", 1, CancellationToken.None);
        await store.AddAsync("other", "other.json", "{\"models\":[{\"id\":\"c\"}]}", 1, CancellationToken.None);

        Assert.Equal((1, 2), (v1.Version, v2.Version));
        var all = await store.ListAsync(CancellationToken.None);
        Assert.Equal(3, all.Count);
        Assert.True(all.Single(i => i.Id == v2.Id).IsActive);
        Assert.False(all.Single(i => i.Id == v1.Id).IsActive);
        var active = await store.ListActiveWithContentAsync(CancellationToken.None);
        Assert.Equal(["b", "c"], active.Select(a => a.Content[^5..^4]));

        Assert.True(await store.RemoveAsync(v2.Id, CancellationToken.None));
        Assert.False(await store.RemoveAsync(v2.Id, CancellationToken.None));
        var afterRemove = await store.ListActiveWithContentAsync(CancellationToken.None);
        Assert.Contains(afterRemove, a => a.Import.Id == v1.Id && a.Import.Version == 1);
    }

    private static async Task AssertPreferencesRoundTripAsync(IPreferenceStore store)
    {
        Assert.Null(await store.GetAsync("local", "layout.sidebar-expanded", CancellationToken.None));

        await store.SetAsync("local", "layout.sidebar-expanded", "False", CancellationToken.None);
        Assert.Equal("False", await store.GetAsync("local", "layout.sidebar-expanded", CancellationToken.None));

        await store.SetAsync("local", "layout.sidebar-expanded", "True", CancellationToken.None);
        Assert.Equal("True", await store.GetAsync("local", "layout.sidebar-expanded", CancellationToken.None));
        Assert.Null(await store.GetAsync("someone-else", "layout.sidebar-expanded", CancellationToken.None));
    }
}
