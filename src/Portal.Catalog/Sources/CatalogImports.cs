using Portal.Catalog.Facts;

namespace Portal.Catalog.Sources;

/// <summary>A catalog file an administrator imported. Each import of the same name is a new version.</summary>
public sealed record CatalogImportRecord(int Id, string Name, int Version, DateTimeOffset ImportedUtc, string FileName, int ModelCount, bool IsActive);

/// <summary>Where imports are kept (the portal's store).</summary>
public interface ICatalogImportStore
{
    Task<IReadOnlyList<CatalogImportRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The active (newest) version of each imported catalog, with its file content.</summary>
    Task<IReadOnlyList<(CatalogImportRecord Import, string Content)>> ListActiveWithContentAsync(CancellationToken cancellationToken);

    Task<CatalogImportRecord> AddAsync(string name, string fileName, string content, int modelCount, CancellationToken cancellationToken);

    /// <summary>Removes one version; the previous version of the same name, if any, becomes active. False when it did not exist.</summary>
    Task<bool> RemoveAsync(int id, CancellationToken cancellationToken);
}

/// <summary>The models of every active import, each with the provenance "Import 'name' vN".</summary>
public sealed class ImportedCatalogSource(ICatalogImportStore store) : ICatalogSource
{
    public int Order => 100;

    public string Name => "Imported catalogs";

    public async Task<IReadOnlyList<CatalogModel>> LoadAsync(CancellationToken cancellationToken)
    {
        var models = new List<CatalogModel>();
        foreach (var (import, content) in await store.ListActiveWithContentAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = CatalogFileReader.Read(content, ProvenanceOf(import));
            if (!result.IsValid)
            {
                // Imports are validated before they are stored; a file that no longer reads is reported, not half-applied.
                throw new InvalidDataException($"Import '{import.Name}' v{import.Version} no longer validates: {result.Errors[0].Path}: {result.Errors[0].Reason}");
            }

            models.AddRange(result.Models);
        }

        return models;
    }

    public static Provenance ProvenanceOf(CatalogImportRecord import) =>
        new($"import:{import.Id}", $"Import '{import.Name}' v{import.Version} ({import.FileName})", null, import.ImportedUtc);
}
