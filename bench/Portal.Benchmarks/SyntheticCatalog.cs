using Portal.Catalog;
using Portal.Catalog.Sources;

namespace Portal.Benchmarks;

/// <summary>10,000 models synthesized from the 67 real ones: each copy keeps its facts and gets a distinct id.</summary>
public static class SyntheticCatalog
{
    public static IReadOnlyList<CatalogModel> Create(int count)
    {
        var real = EmbeddedCatalogSource.Models;
        var models = new List<CatalogModel>(count);
        for (var i = 0; i < count; i++)
        {
            var source = real[i % real.Count];
            var copy = i / real.Count;
            models.Add(copy == 0 ? source : source with { Id = $"{source.Id}-copy-{copy}", DisplayName = $"{source.DisplayName} (copy {copy})" });
        }

        return models;
    }
}
