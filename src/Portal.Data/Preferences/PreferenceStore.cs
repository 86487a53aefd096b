using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Preferences;

public interface IPreferenceStore
{
    Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken);

    Task SetAsync(string userId, string key, string value, CancellationToken cancellationToken);
}

internal sealed class PreferenceStore(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : IPreferenceStore
{
    public PreferenceStore(IDbContextFactory<PortalDbContext> contexts) : this(contexts, TimeProvider.System)
    {
    }

    public async Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserPreferences.AsNoTracking()
            .Where(p => p.UserId == userId && p.Key == key)
            .Select(p => p.Value)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

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
