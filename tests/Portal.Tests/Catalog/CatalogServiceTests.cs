using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog;
using Portal.Catalog.Sources;

namespace Portal.Tests.Catalog;

public sealed class CatalogServiceTests
{
    [Fact]
    public async Task Reload_SourceFails_ReportsItAndKeepsTheRest()
    {
        using var service = new CatalogService([new EmbeddedCatalogSource(), new FailingSource()], NullLogger<CatalogService>.Instance);

        await service.ReloadAsync(CancellationToken.None);

        Assert.Equal(67, service.Current.Count);
        var failed = Assert.Single(service.Sources, s => s.Error is not null);
        Assert.Contains("Broken source could not be loaded", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_AddsModelsOfLaterSourcesAndRaisesChanged()
    {
        using var service = new CatalogService([new EmbeddedCatalogSource(), new OneModelSource()], NullLogger<CatalogService>.Instance);
        var changed = 0;
        service.Changed += () => changed++;

        await service.ReloadAsync(CancellationToken.None);

        Assert.Equal(68, service.Current.Count);
        Assert.NotNull(service.Current.Find("extra-model"));
        Assert.Equal(1, changed);
    }

    private sealed class FailingSource : ICatalogSource
    {
        public int Order => 1;

        public string Name => "Broken source";

        public Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken) => throw new IOException("disk gone");
    }

    private sealed class OneModelSource : ICatalogSource
    {
        public int Order => 1;

        public string Name => "One model";

        public Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CatalogModel>>([new CatalogModel { Id = "extra-model", DisplayName = "Extra", Provenance = [new("one", "One model", null, null)] }]);
    }
}
