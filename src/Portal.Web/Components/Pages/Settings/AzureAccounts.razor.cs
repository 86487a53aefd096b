using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.AiServices;
using Portal.Web.Azure;

namespace Portal.Web.Components.Pages.Settings;

/// <summary>
/// Settings → Azure, accounts: the Azure OpenAI and AI services accounts in the chosen subscriptions, with their kind in
/// words, region, SKU, endpoints and state; an account's key revealed on request (never in the page before), and an
/// Azure OpenAI connection made on its <c>/openai/v1/</c> address. Both go through <see cref="AzureActions"/>, which
/// checks the role; the buttons are also hidden, with a note, for roles that may not use them.
/// </summary>
public sealed partial class AzureAccounts
{
    [Inject]
    public required AzureContext Azure { get; init; }

    [Inject]
    public required AzureActions Actions { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required AiServicesDirectory Directory { get; init; }

    /// <summary>Changed by Settings → Azure when the chosen subscriptions change: the accounts are looked up again.</summary>
    [Parameter]
    public int Version { get; set; }

    private sealed record Message(bool Success, string Text);

    private sealed class ConnectionForm(AzureAIAccount account)
    {
        public AzureAIAccount Account { get; } = account;

        public string Name { get; set; } = account.Name;

        public ConnectionAuth Auth { get; set; } = account.LocalAuthDisabled ? ConnectionAuth.EntraId : ConnectionAuth.ApiKey;

        public bool Saving { get; set; }
    }

    private AccountDiscovery? _discovery;
    private readonly Dictionary<string, string> _keys = [];
    private readonly Dictionary<string, Message> _messages = [];
    private ConnectionForm? _form;
    private bool _loading;
    private bool _mayUseKeys;
    private int _loadedVersion = -1;

    protected override async Task OnAccessChangedAsync() =>
        _mayUseKeys = (await Access.RoleAsync(ComponentToken)).Allows(PortalAction.UseDeploymentKeys);

    /// <summary>Azure is asked once the circuit is up, not also while prerendering.</summary>
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedVersion == Version)
        {
            return;
        }

        var refresh = _loadedVersion >= 0;
        _loadedVersion = Version;
        await OnAccessChangedAsync();
        if (IsInteractive)
        {
            await LoadAsync(refresh);
        }
    }

    private async Task LoadAsync(bool refresh)
    {
        _loading = true;
        try
        {
            _discovery = await Azure.DiscoverAccountsAsync(refresh, ComponentToken);
        }
        catch (ArmException ex)
        {
            _discovery = new AccountDiscovery([], [ex.Error.Message], DateTimeOffset.UtcNow);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away: nobody is waiting for the list.
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task RevealAsync(AzureAIAccount account)
    {
        _messages.Remove(account.Id);
        try
        {
            if (await Actions.RevealAccountKeyAsync(account, ComponentToken) is { Length: > 0 } key)
            {
                _keys[account.Id] = key;
            }
            else
            {
                _messages[account.Id] = new(false, $"{account.Name} has no key to reveal: it accepts Microsoft Entra ID only.");
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            _messages[account.Id] = new(false, ex.Message);
        }
        catch (ArmException ex)
        {
            _messages[account.Id] = new(false, $"The key of {account.Name} could not be read: {ex.Error.Message}");
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
    }

    private void OpenForm(AzureAIAccount account)
    {
        _messages.Remove(account.Id);
        _form = new ConnectionForm(account);
    }

    private async Task CreateConnectionAsync(ConnectionForm form)
    {
        form.Saving = true;
        try
        {
            var result = await Actions.CreateAccountConnectionAsync(form.Account, form.Name, form.Auth, ComponentToken);
            _messages[form.Account.Id] = new(result.Created, result.Message);
            if (result.Created)
            {
                _form = null;
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            _messages[form.Account.Id] = new(false, ex.Message);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            form.Saving = false;
        }
    }
}
