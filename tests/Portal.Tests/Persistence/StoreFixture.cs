using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Data;

namespace Portal.Tests.Persistence;

/// <summary>Builds the store exactly as the portal does, from configuration, and applies its migrations.</summary>
internal static class StoreFactory
{
    public static async Task<ServiceProvider> CreateMigratedAsync(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPortalStorage(configuration);
        var provider = services.BuildServiceProvider(validateScopes: true);

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return provider;
    }

    public static async Task<IReadOnlyList<string>> AppliedMigrationsAsync(ServiceProvider provider)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return [.. await db.Database.GetAppliedMigrationsAsync()];
    }
}
