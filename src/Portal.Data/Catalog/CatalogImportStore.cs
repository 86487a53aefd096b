using Microsoft.EntityFrameworkCore;
using Portal.Catalog.Sources;
using Portal.Data.Instances;

namespace Portal.Data.Catalog;

internal sealed class CatalogImportStore(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : ICatalogImportStore
{
    public async Task<IReadOnlyList<CatalogImportRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.CatalogImports.AsNoTracking()
            .Select(i => new { i.Id, i.Name, i.Version, i.ImportedUtc, i.FileName, i.ModelCount })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var newest = rows.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.Max(r => r.Version));
        return [.. rows
            .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenByDescending(r => r.Version)
            .Select(r => new CatalogImportRecord(r.Id, r.Name, r.Version, r.ImportedUtc, r.FileName, r.ModelCount, newest[r.Name] == r.Version))];
    }

    public async Task<IReadOnlyList<(CatalogImportRecord Import, string Content)>> ListActiveWithContentAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var active = await db.CatalogImports.AsNoTracking()
            .Where(i => i.Version == db.CatalogImports.Where(o => o.Name == i.Name).Max(o => o.Version))
            .OrderBy(i => i.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. active.Select(i => (new CatalogImportRecord(i.Id, i.Name, i.Version, i.ImportedUtc, i.FileName, i.ModelCount, true), i.Content))];
    }

    /// <summary>How often an import retries when another import under the same name took its version number first.</summary>
    internal const int VersionAttempts = 20;

    /// <summary>
    /// Adds the next version of <paramref name="name"/>. Imports under one name at the same moment (several users, or
    /// several portal instances on one store) race for the same version number: the unique index refuses all but one,
    /// and each other import takes the next free number.
    /// </summary>
    public async Task<CatalogImportRecord> AddAsync(string name, string fileName, string content, int modelCount, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var version = 1 + (await db.CatalogImports.Where(i => i.Name == name).MaxAsync(i => (int?)i.Version, cancellationToken).ConfigureAwait(false) ?? 0);
            var row = new CatalogImport
            {
                Name = name,
                Version = version,
                FileName = fileName,
                Content = content,
                ModelCount = modelCount,
                ImportedUtc = time.GetUtcNow(),
            };
            db.CatalogImports.Add(row);
            try
            {
                // The import and the catalog's change counter in one transaction: another instance that sees the new
                // counter also reads the new import.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await StoreVersions.BumpAsync(db, StoreVersionKeys.Catalog, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new CatalogImportRecord(row.Id, row.Name, row.Version, row.ImportedUtc, row.FileName, row.ModelCount, true);
            }
            catch (DbUpdateException) when (attempt < VersionAttempts)
            {
                // Another import took this version: the next attempt reads the new highest number. Any other failure is thrown.
                if (!await VersionTakenAsync(name, version, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }
    }

    private async Task<bool> VersionTakenAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.CatalogImports.AnyAsync(i => i.Name == name && i.Version == version, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await db.CatalogImports.Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await StoreVersions.BumpAsync(db, StoreVersionKeys.Catalog, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
