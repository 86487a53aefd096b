using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Web.Catalog;

namespace Portal.Web.Hosting;

internal static class CatalogServiceCollectionExtensions
{
    /// <summary>The merged catalog: the embedded facts (always) and imported catalog files, loaded after migrations.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<ICatalogSource, EmbeddedCatalogSource>();
        services.AddSingleton<ICatalogSource, ImportedCatalogSource>();
        services.AddSingleton<CatalogService>();
        services.AddSingleton<ICatalogService>(sp => sp.GetRequiredService<CatalogService>());
        services.AddSingleton(_ => BenchmarkData.Embedded);
        services.AddScoped<Portal.Web.Benchmarks.CompareTray>();
        services.AddScoped<CatalogImporter>();
        services.AddHostedService<CatalogLoader>();
        services.AddOpenApi();
        return services;
    }
}
