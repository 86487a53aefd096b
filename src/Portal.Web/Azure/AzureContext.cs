using Portal.Web.Access;
using Portal.Azure;
using Portal.Data.Preferences;

namespace Portal.Web.Azure;

/// <summary>
/// The current user's Azure context: the subscriptions to use (configured ones plus the ones chosen in
/// Settings → Azure, kept in the store) and the discovery over them.
/// </summary>
public sealed class AzureContext(AzureService azure, IPreferenceStore preferences, ICurrentUser user, UserPreferences changes)
{
    public const string PreferenceKey = "azure-subscriptions";

    public AzureService Service => azure;

    public async Task<IReadOnlyList<string>> SubscriptionsAsync(CancellationToken cancellationToken = default)
    {
        var chosen = await preferences.GetAsync(user.Id, PreferenceKey, cancellationToken) ?? "";
        return [.. azure.Options.Subscriptions.Concat(chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Saves the chosen subscriptions (a preference: <see cref="PortalAction.SavePreferences"/>).</summary>
    public Task SaveChosenAsync(IEnumerable<string> subscriptions, CancellationToken cancellationToken = default) =>
        changes.SetAsync(PreferenceKey, string.Join(',', subscriptions.Except(azure.Options.Subscriptions, StringComparer.OrdinalIgnoreCase)), cancellationToken);

    /// <summary>Discovery over the user's subscriptions; null when none is chosen yet.</summary>
    public async Task<AzureDiscovery?> DiscoverAsync(bool refresh, CancellationToken cancellationToken = default)
    {
        var subscriptions = await SubscriptionsAsync(cancellationToken);
        return subscriptions.Count == 0 ? null : await azure.DiscoverAsync(subscriptions, refresh, cancellationToken);
    }

    /// <summary>Azure OpenAI and AI services accounts in the user's subscriptions; null when none is chosen yet.</summary>
    public async Task<AccountDiscovery?> DiscoverAccountsAsync(bool refresh, CancellationToken cancellationToken = default)
    {
        var subscriptions = await SubscriptionsAsync(cancellationToken);
        return subscriptions.Count == 0 ? null : await azure.DiscoverAccountsAsync(subscriptions, refresh, cancellationToken);
    }
}
