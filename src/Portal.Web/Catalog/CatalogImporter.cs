using Portal.Catalog;
using Portal.Catalog.Facts;
using Portal.Catalog.Sources;
using Portal.Web.Access;
using Portal.Web.Hosting;

namespace Portal.Web.Catalog;

public sealed record CatalogImportOutcome(CatalogImportRecord? Import, IReadOnlyList<CatalogFileError> Errors)
{
    public bool Succeeded => Import is not null;
}

/// <summary>
/// Validates a whole catalog file, stores it as a new version only when it is entirely valid, and reloads the catalog.
/// Importing and removing need the Contributor role (<see cref="PortalAction.ImportCatalog"/>,
/// <see cref="PortalAction.RemoveCatalogImport"/>); listing is open to everyone.
/// </summary>
public sealed partial class CatalogImporter(ICatalogImportStore store, ICatalogService catalog, AccessControl access, ILogger<CatalogImporter> logger)
{
    public const long MaxFileBytes = 5 * 1024 * 1024;

    public Task<IReadOnlyList<CatalogImportRecord>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<CatalogImportOutcome> ImportAsync(string name, string fileName, string content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        var trimmedName = name.Trim();
        var target = $"catalog-import:{(trimmedName.Length > 200 ? trimmedName[..200] : trimmedName)}";
        await access.DemandAsync(PortalAction.ImportCatalog, target, cancellationToken);
        if (trimmedName.Length is 0 or > 200)
        {
            return new(null, [new CatalogFileError("name", "Give the imported catalog a name of 1 to 200 characters.")]);
        }

        var read = CatalogFileReader.Read(content, new Provenance("import", trimmedName, null, null));
        if (!read.IsValid)
        {
            // Escaping is a scan of a short string, copied only when there is something to escape.
            #pragma warning disable CA1873
            LogRejected(logger, LogText.Escape(fileName), read.Errors.Count);
            #pragma warning restore CA1873

            return new(null, read.Errors);
        }

        var import = await store.AddAsync(trimmedName, Path.GetFileName(fileName), content, read.Models.Count, cancellationToken);
        // Escaping is a scan of a short string, copied only when there is something to escape.
        #pragma warning disable CA1873
        LogImported(logger, LogText.Escape(trimmedName), import.Version, read.Models.Count);
        #pragma warning restore CA1873

        await access.SucceededAsync(PortalAction.ImportCatalog, target, $"v{import.Version}, {read.Models.Count} model(s) from {Path.GetFileName(fileName)}");
        await catalog.ReloadAsync(cancellationToken);
        return new(import, []);
    }

    public async Task<bool> RemoveAsync(int id, CancellationToken cancellationToken)
    {
        var target = $"catalog-import:{id}";
        await access.DemandAsync(PortalAction.RemoveCatalogImport, target, cancellationToken);
        var removed = await store.RemoveAsync(id, cancellationToken);
        if (removed)
        {
            await access.SucceededAsync(PortalAction.RemoveCatalogImport, target);
            await catalog.ReloadAsync(cancellationToken);
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog file {FileName} rejected with {Count} error(s)")]
    private static partial void LogRejected(ILogger logger, string fileName, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported catalog {Name} v{Version} with {Count} model(s)")]
    private static partial void LogImported(ILogger logger, string name, int version, int count);
}
