using Portal.Catalog.Facts;

namespace Portal.Catalog.Sources;

/// <summary>The catalog shipped with the portal (a copy of shared/data/catalog-facts.json): always present, no network.</summary>
public sealed class EmbeddedCatalogSource : ICatalogSource
{
    public const string SourceId = "embedded";
    public const string ResourceName = "Portal.Catalog.catalog-facts.json";

    private static readonly Lazy<IReadOnlyList<CatalogModel>> Loaded = new(Load);

    public int Order => 0;

    public string Name => "Embedded catalog";

    public static Provenance Provenance { get; } = new(SourceId, "Embedded catalog (sourced facts shipped with the portal)", null, null);

    /// <summary>The models, read once per process; the file is validated like any import.</summary>
    public static IReadOnlyList<CatalogModel> Models => Loaded.Value;

    public Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Models);

    public static string ReadJson()
    {
        using var stream = typeof(EmbeddedCatalogSource).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded catalog resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IReadOnlyList<CatalogModel> Load()
    {
        var result = CatalogFileReader.Read(ReadJson(), Provenance);
        return result.IsValid
            ? result.Models
            : throw new InvalidOperationException("The embedded catalog is invalid: " + string.Join("; ", result.Errors.Take(5).Select(e => $"{e.Path}: {e.Reason}")));
    }
}
