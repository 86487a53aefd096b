using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Preferences;

public interface IPreferenceStore
{
    Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken);

    Task SetAsync(string userId, string key, string value, CancellationToken cancellationToken);
}

/// <remarks>
/// Preferences are read on every page (layout, compare tray), and no page depends on them: reads are quick reads
/// (<see cref="QuickReads"/>) that throw <see cref="StoreUnavailableException"/> instead of waiting for a stuck store.
/// </remarks>
internal sealed class PreferenceStore(IDbContextFactory<PortalDbContext> contexts, QuickReads quickReads, TimeProvider time) : IPreferenceStore
{
    public Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken) =>
        quickReads.RunAsync(
            (db, token) => db.UserPreferences.AsNoTracking()
                .Where(p => p.UserId == userId && p.Key == key)
                .Select(p => p.Value)
                .FirstOrDefaultAsync(token),
            skipWhenRecentlyFailed: true,
            cancellationToken);

    public async Task SetAsync(string userId, string key, string value, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.UserPreferences.FindAsync([userId, key], cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            db.UserPreferences.Add(new UserPreference { UserId = userId, Key = key, Value = value, UpdatedUtc = time.GetUtcNow() });
        }
        else
        {
            existing.Value = value;
            existing.UpdatedUtc = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
