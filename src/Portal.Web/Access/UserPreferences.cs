using Portal.Data.Preferences;

namespace Portal.Web.Access;

/// <summary>
/// The current user's preferences (the sidebar, the chosen Azure subscriptions, the theme): reading is open, changing
/// one is <see cref="PortalAction.SavePreferences"/>, which every signed-in user has for their own.
/// </summary>
public sealed class UserPreferences(IPreferenceStore store, AccessControl access)
{
    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => store.GetAsync(access.User.Id, key, cancellationToken);

    public async Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await access.DemandAsync(PortalAction.SavePreferences, $"preference:{key}", cancellationToken);
        await store.SetAsync(access.User.Id, key, value, cancellationToken);
        await access.SucceededAsync(PortalAction.SavePreferences, $"preference:{key}");
    }

    /// <summary>
    /// For a preference the browser keeps (the theme, in a cookie): checks that the user may change preferences before the
    /// page writes it, and records the change.
    /// </summary>
    public async Task SetInBrowserAsync(string key, Func<Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(write);
        await access.DemandAsync(PortalAction.SavePreferences, $"preference:{key}", cancellationToken);
        await write();
        await access.SucceededAsync(PortalAction.SavePreferences, $"preference:{key}");
    }
}
