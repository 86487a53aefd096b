using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Catalog;
using Portal.Web.Access;

namespace Portal.Web.Components.Pages.Deployments;

/// <summary>
/// /deployments/new?model=ID: what stands in the way, then project, option, name, asset and size, what will be
/// created, and the deployment's progress. The rules are in <see cref="DeployWizardModel"/>; this class talks to Azure.
/// </summary>
public sealed partial class DeployWizard
{
    [Inject]
    public required ICatalogService Catalog { get; init; }

    [SupplyParameterFromQuery(Name = "model")]
    public string? Model { get; set; }

    private CatalogModel? _model;
    private DeployWizardModel? _wizard;
    private string? _assetSource;
    private DeployInputProblem? _problem;
    private bool _loading = true;
    private bool _checkingAccess;
    private int _accessCheck;
    private AzureDeployment? _done;
    private DeploymentConnectionResult? _connection;
    private bool _mayDeploy = true;

    protected override async Task OnAccessChangedAsync() =>
        _mayDeploy = await Access.CanAsync(PortalAction.DeployModel, ComponentToken);

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        _model = Model is { } id ? Catalog.Current.Find(id) : null;
        if (_model is null)
        {
            _loading = false;
            return;
        }

        if (OpenAIDeployModel.Applies(_model))
        {
            // Azure OpenAI models deploy into an account: OpenAIDeploy does that.
            _loading = false;
            return;
        }

        _wizard = new DeployWizardModel(_model);
        if (!IsInteractive)
        {
            // Azure is asked once the circuit is up, not also while prerendering.
            return;
        }

        try
        {
            var discovery = await Azure.DiscoverAsync(refresh: false, ComponentToken);
            _wizard.Discovered(discovery);
            if (discovery is not null)
            {
                await FindAssetAsync(discovery);
                if (discovery.Projects.Count == 1)
                {
                    await SelectProjectAsync(discovery.Projects[0]);
                }
            }
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
    }

    private async Task FindAssetAsync(AzureDiscovery discovery)
    {
        foreach (var registry in discovery.Registries)
        {
            try
            {
                if (_wizard!.FindAsset(await Azure.Service.ListRegistryModelsAsync(registry, ComponentToken)) is { } found)
                {
                    _wizard.AssetId = found.AssetId;
                    _assetSource = $"Found in your registry {registry.Name} (latest version {found.LatestVersion ?? "—"}).";
                    return;
                }
            }
            catch (ArmException ex)
            {
                _assetSource = $"Registry {registry.Name} could not be read: {ex.Error.Message}";
            }
        }
    }

    private async Task OnProjectChangedAsync(ChangeEventArgs e)
    {
        var project = _wizard?.Discovery?.Projects.FirstOrDefault(p => p.Id == e.Value?.ToString());
        if (project is null)
        {
            _wizard?.ChooseProject(null);
            _accessCheck++;
            _checkingAccess = false;
            return;
        }

        await SelectProjectAsync(project);
    }

    /// <summary>Selecting a project checks the identity's permissions there: a refusal is said before the user tries.</summary>
    private async Task SelectProjectAsync(AzureWorkspace project)
    {
        var wizard = _wizard!;
        wizard.ChooseProject(project);
        var check = ++_accessCheck;
        _checkingAccess = true;
        try
        {
            if (await Azure.Service.CanPerformAsync(project, wizard.RequiredAction, ComponentToken) == false && check == _accessCheck)
            {
                wizard.PermissionDenied();
            }
        }
        catch (ArmException ex) when (check == _accessCheck && ex.Error.Kind is ArmErrorKind.Forbidden or ArmErrorKind.Unauthorized)
        {
            wizard.PermissionDenied(ex.Error.Message);
        }
        catch (ArmException)
        {
            // An answer for a project no longer chosen, or a check that itself failed (throttled, unavailable): the
            // permission stays unknown, as when Azure cannot say, and Azure checks it again when the deployment starts.
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Only the latest choice's check says when checking is over.
            _checkingAccess &= check != _accessCheck;
        }
    }

    private async Task DeployAsync()
    {
        var wizard = _wizard!;
        var problems = wizard.Validate();
        _problem = problems.Count > 0 ? problems[0] : null;
        if (_problem is not null || !wizard.CanDeploy || wizard.Project is not { } project || wizard.Option is not { } option)
        {
            return;
        }

        // Deploying, then the connection; Cancel stops waiting, so does leaving the page. The deploy action checks
        // the user's role, Azure's answer is said on the page, and the form keeps what was entered.
        await CreateWithProgressAsync(async (progress, cancellationToken) =>
        {
            _done = option == DeployOption.Serverless
                ? await Actions.DeployServerlessAsync(project, wizard.AssetId, wizard.Name, wizard.NeedsMarketplace, progress, cancellationToken)
                : await Actions.DeployManagedAsync(project, wizard.AssetId, wizard.Name, wizard.InstanceType, wizard.InstanceCount, progress, cancellationToken);
            _connection = await Actions.CreateConnectionAsync(_done, cancellationToken);
        });
    }

    /// <summary>The VM sizes the wizard suggests, filtered by what the user typed (any other size may be typed too).</summary>
    private static Task<IEnumerable<string>> SearchVmSizes(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(string.IsNullOrWhiteSpace(text)
            ? DeployWizardModel.VmSizes.AsEnumerable()
            : DeployWizardModel.VmSizes.Where(s => s.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)));

    private static string OptionLabel(DeployOption option) => option == DeployOption.Serverless
        ? "Serverless API (pay per token, no infrastructure)"
        : "Managed compute (dedicated VMs you pay for by the hour)";
}
