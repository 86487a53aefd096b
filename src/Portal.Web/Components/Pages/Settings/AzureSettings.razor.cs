using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Web.Access;
using Portal.Web.Azure;

namespace Portal.Web.Components.Pages.Settings;

/// <summary>Settings → Azure: the sign-in check, the chosen subscriptions, and the hubs, projects and registries found in them.</summary>
public sealed partial class AzureSettings
{
    [Inject]
    public required AzureContext Azure { get; init; }

    private IReadOnlyList<SubscriptionInfo>? _subscriptions;
    private readonly HashSet<string> _chosen = new(StringComparer.OrdinalIgnoreCase);
    private AzureDiscovery? _discovery;
    private List<(AzureAIAccount Account, ArmResource<CognitiveProjectProperties> Project)>? _foundryProjects;
    private readonly List<string> _foundryProblems = [];
    private ArmError? _error;
    private string? _denied;
    private bool _busy;

    /// <summary>Bumped when the chosen subscriptions are saved, so the accounts section looks them up again.</summary>
    private int _accountsVersion;

    /// <summary>Azure is asked once the circuit is up, not also while prerendering.</summary>
    protected override async Task OnInitializedAsync()
    {
        if (!IsInteractive)
        {
            return;
        }

        try
        {
            _chosen.UnionWith(await Azure.SubscriptionsAsync(ComponentToken));
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return;
        }

        if (_chosen.Count > 0)
        {
            await DiscoverAsync(false);
        }
    }

    private async Task CheckAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            _subscriptions = await Azure.Service.ListSubscriptionsAsync(ComponentToken);
        }
        catch (ArmException ex)
        {
            _error = ex.Error;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _busy = false;
        }
    }

    private void Toggle(string id, bool on)
    {
        if (on)
        {
            _chosen.Add(id);
        }
        else
        {
            _chosen.Remove(id);
        }
    }

    private async Task SaveAsync()
    {
        try
        {
            await Azure.SaveChosenAsync(_chosen, ComponentToken);
            _denied = null;
        }
        catch (PortalAccessDeniedException ex)
        {
            // The choice stays on the page; it is not saved.
            _denied = ex.Message;
            return;
        }

        _accountsVersion++;
        await DiscoverAsync(true);
    }

    /// <summary>The Foundry projects of the AI services accounts in the chosen subscriptions; an account that fails is a problem.</summary>
    private async Task DiscoverFoundryProjectsAsync(bool refresh)
    {
        _foundryProblems.Clear();
        if (await Azure.DiscoverAccountsAsync(refresh, ComponentToken) is not { } accounts)
        {
            _foundryProjects = null;
            return;
        }

        _foundryProblems.AddRange(accounts.Problems);
        var found = new List<(AzureAIAccount, ArmResource<CognitiveProjectProperties>)>();
        foreach (var account in accounts.Accounts.Where(a => a.HostsProjects))
        {
            try
            {
                found.AddRange((await Azure.Service.ListAccountProjectsAsync(account, ComponentToken)).Select(p => (account, p)));
            }
            catch (ArmException ex)
            {
                _foundryProblems.Add($"{account.Name}: {ex.Error.Message}");
            }
        }

        _foundryProjects = found;
    }

    private async Task DiscoverAsync(bool refresh)
    {
        _busy = true;
        try
        {
            _discovery = await Azure.DiscoverAsync(refresh, ComponentToken);
            await DiscoverFoundryProjectsAsync(refresh);
        }
        catch (ArmException ex)
        {
            _error = ex.Error;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _busy = false;
        }
    }
}
