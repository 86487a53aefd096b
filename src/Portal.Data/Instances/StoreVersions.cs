using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Instances;

/// <summary>The shared data whose changes other instances must notice.</summary>
public static class StoreVersionKeys
{
    /// <summary>The imported catalogs (<c>catalog_imports</c>): raised by every import and removal.</summary>
    public const string Catalog = "catalog";
}

/// <summary>Reads the change counters of <c>store_versions</c>.</summary>
public interface IStoreVersions
{
    /// <summary>The counter of <paramref name="key"/> now (0 when it was never raised).</summary>
    Task<long> GetAsync(string key, CancellationToken cancellationToken);
}

internal sealed class StoreVersions(IDbContextFactory<PortalDbContext> contexts) : IStoreVersions
{
    public async Task<long> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.StoreVersions.AsNoTracking().Where(v => v.Key == key).OrderBy(v => v.Key).Select(v => (long?)v.Version)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>
    /// Raises the counter of <paramref name="key"/> by one in <paramref name="db"/>'s current transaction (one atomic
    /// UPDATE, so two changes at once raise it twice and no reader misses the second).
    /// </summary>
    internal static async Task BumpAsync(PortalDbContext db, string key, CancellationToken cancellationToken)
    {
        var updated = await db.StoreVersions.Where(v => v.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            // The migration seeds the row; a store whose row was deleted by hand gets it back.
            db.StoreVersions.Add(new StoreVersionRow { Key = key, Version = 1 });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
