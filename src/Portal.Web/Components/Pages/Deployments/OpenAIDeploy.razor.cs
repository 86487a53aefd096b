using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Catalog;
using Portal.Web.Access;

namespace Portal.Web.Components.Pages.Deployments;

/// <summary>
/// The Azure OpenAI flow of the deploy wizard: reads the accounts, then for the chosen one its models, the quota in
/// its region, its deployments and the identity's permission; the user confirms a summary; then the deployment is
/// PUT and followed, and a connection is made. The rules are in <see cref="OpenAIDeployModel"/>.
/// </summary>
public sealed partial class OpenAIDeploy
{
    [Inject]
    public required TimeProvider Time { get; init; }

    [Parameter, EditorRequired]
    public CatalogModel Model { get; set; } = default!;

    private OpenAIDeployModel _wizard = default!;
    private bool _loading = true;
    private bool _readingAccount;
    private int _accountRead;
    private bool _confirming;
    private bool _mayDeploy = true;
    private OpenAIInputProblem? _problem;
    private OpenAIDeployment? _done;
    private DeploymentConnectionResult? _connection;

    protected override async Task OnAccessChangedAsync() =>
        _mayDeploy = await Access.CanAsync(PortalAction.DeployModel, ComponentToken);

    protected override async Task OnInitializedAsync()
    {
        _wizard = new OpenAIDeployModel(Model, Time.GetUtcNow());
        await OnAccessChangedAsync();
        if (!IsInteractive)
        {
            // Azure is asked once the circuit is up, not also while prerendering.
            return;
        }

        try
        {
            _wizard.Discovered(await Azure.DiscoverAccountsAsync(refresh: false, ComponentToken));
        }
        catch (ArmException ex)
        {
            _wizard.AzureProblems.Add(ex.Error.Message);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _loading = false;
        }

        if (_wizard.Accounts is [var only])
        {
            await SelectAccountAsync(only);
        }
    }

    private async Task OnAccountChangedAsync(ChangeEventArgs e)
    {
        var account = _wizard.Accounts?.FirstOrDefault(a => a.Id == e.Value?.ToString());
        if (account is null)
        {
            _wizard.ChooseAccount(null);
            _accountRead++;
            _readingAccount = false;
            return;
        }

        await SelectAccountAsync(account);
    }

    /// <summary>Reads what the account offers, the quota in its region, its deployments' names and the identity's permission there.</summary>
    private async Task SelectAccountAsync(AzureAIAccount account)
    {
        _wizard.ChooseAccount(account);
        _problem = null;
        var read = ++_accountRead;
        _readingAccount = true;
        try
        {
            var models = await Azure.Service.ListAccountModelsAsync(account, ComponentToken);
            IReadOnlyList<CognitiveUsage>? usages = null;
            try
            {
                usages = account.Location is { } location ? await Azure.Service.ListUsagesAsync(account.SubscriptionId, location, ComponentToken) : null;
            }
            catch (ArmException)
            {
                // The quota line says it could not be read; Azure still checks quota when the deployment starts.
            }

            var deployments = await Azure.Service.ListAccountDeploymentsAsync(account, ComponentToken);
            var allowed = await Azure.Service.CanPerformAsync(account.Id, AzureService.OpenAIDeploymentWrite, ComponentToken);
            if (read != _accountRead)
            {
                return;
            }

            _wizard.AccountRead(models, usages, deployments.Select(d => d.Name ?? ""));
            if (allowed == false)
            {
                _wizard.PermissionDenied();
            }
        }
        catch (ArmException) when (read != _accountRead)
        {
            // An answer about an account no longer chosen is dropped, error or not.
        }
        catch (ArmException ex)
        {
            if (ex.Error.Kind is ArmErrorKind.Forbidden or ArmErrorKind.Unauthorized)
            {
                _wizard.PermissionDenied(ex.Error.Message);
            }
            else
            {
                _wizard.AzureProblems.Add($"Account {account.Name}: {ex.Error.Message}");
            }
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _readingAccount &= read != _accountRead;
        }
    }

    private void OnVersionChanged(string? version)
    {
        _wizard.ChooseVersion(version);
        _problem = null;
    }

    private void OnSkuChanged(string? sku)
    {
        _wizard.ChooseSku(sku);
        _problem = null;
    }

    /// <summary>Checks the form, then shows what will be created; nothing is sent to Azure before "Create deployment".</summary>
    private void Review()
    {
        var problems = _wizard.Validate();
        _problem = problems.Count > 0 ? problems[0] : null;
        _confirming = _problem is null && _wizard.CanDeploy;
    }

    private async Task DeployAsync()
    {
        var wizard = _wizard;
        if (!_confirming || !wizard.CanDeploy || wizard.Account is not { } account || wizard.Validate().Count > 0)
        {
            return;
        }

        // The deploy action checks the user's role; Azure's answer is said on the page.
        await CreateWithProgressAsync(async (progress, cancellationToken) =>
        {
            _done = await Actions.DeployOpenAIAsync(account, wizard.Spec(), progress, cancellationToken);
            _connection = await Actions.CreateOpenAIConnectionAsync(_done, cancellationToken);
        });
        if (Error is not null && Steps.Count == 0)
        {
            // Refused before Azure was asked to create anything (a taken name, say): the form stays to correct it.
            _confirming = false;
        }
    }
}
