using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Web.Components.Controls;
using Portal.Azure;
using Portal.Web.Access;
using Portal.Web.Azure;

namespace Portal.Web.Components.Pages.Deployments;

/// <summary>
/// /deployments: serverless and managed online endpoints across the user's projects; reveal a key, make a connection,
/// delete. Everything it asks Azure stops when the page goes away (<see cref="PortalComponentBase.ComponentToken"/>).
/// </summary>
public sealed partial class Deployments
{
    [Inject]
    public required AzureContext Azure { get; init; }

    /// <summary>Revealing keys, making connections and deleting: checked against the user's role there.</summary>
    [Inject]
    public required AzureActions Actions { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    private AzureDiscovery? _discovery;
    private List<AzureDeployment> _items = [];
    private readonly List<string> _problems = [];
    private readonly Dictionary<string, string> _keys = [];
    private readonly Dictionary<string, string> _deleting = [];
    private string? _project;
    private string? _status;
    private bool _loading = true;
    private bool _mayUseKeys;
    private bool _mayDelete;
    private bool _mayDeploy;
    private int _generation;

    /// <summary>Azure is asked once the circuit is up, not also while prerendering (its answers are not cached).</summary>
    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        _mayUseKeys = role.Allows(PortalAction.UseDeploymentKeys);
        _mayDelete = role.Allows(PortalAction.DeleteDeployment);
        _mayDeploy = role.Allows(PortalAction.DeployModel);
    }

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        if (IsInteractive)
        {
            await LoadAsync(false);
        }
        else if ((await Azure.SubscriptionsAsync(ComponentToken)).Count == 0)
        {
            // Whether Azure is set up at all is in the store, not in Azure: say so at once.
            _loading = false;
        }
    }

    private async Task LoadAsync(bool refresh)
    {
        _loading = _discovery is null;
        _problems.Clear();
        if (refresh)
        {
            // The Azure OpenAI list reads its accounts again too.
            _generation++;
        }

        try
        {
            _discovery = await Azure.DiscoverAsync(refresh, ComponentToken);
            if (_discovery is not null)
            {
                var projects = _discovery.Projects.Where(p => _project is null || p.Id == _project);
                var (items, problems) = await Azure.Service.ListDeploymentsAsync(projects, ComponentToken);
                _items = [.. items];
                _problems.AddRange(problems);
            }
        }
        catch (ArmException ex)
        {
            _problems.Add(ex.Error.Message);
            _discovery ??= new AzureDiscovery([], [], [], [], DateTimeOffset.UtcNow);
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

    private async Task OnProjectChosenAsync(string? id)
    {
        _project = id is { Length: > 0 } ? id : null;
        await LoadAsync(false);
    }

    /// <summary>ARM's provisioning state as a colour: done, failed, or on its way.</summary>
    private static Color StateColor(string state) => state switch
    {
        _ when state is "Succeeded" or "Online" or "Running" => Color.Success,
        _ when state.Equals("Failed", StringComparison.OrdinalIgnoreCase) || state.Equals("Canceled", StringComparison.OrdinalIgnoreCase) => Color.Error,
        _ => Color.Info,
    };

    private static string StateIcon(string state) => StateColor(state) switch
    {
        Color.Success => Icons.Material.Filled.CheckCircle,
        Color.Error => Icons.Material.Filled.Error,
        _ => Icons.Material.Filled.HourglassTop,
    };

    /// <summary>Asks in a dialog first: nothing is deleted in Azure unless the user confirms.</summary>
    private async Task ConfirmDeleteAsync(AzureDeployment d)
    {
        if (await Dialogs.ConfirmAsync(
            $"Delete {d.Name} in Azure?",
            $"The endpoint {d.Name} in {d.Project.DisplayName} is deleted in Azure; apps that call it stop working."))
        {
            await DeleteAsync(d);
        }
    }

    private async Task RevealAsync(AzureDeployment d)
    {
        try
        {
            _keys[d.Id] = (await Actions.ListKeysAsync(d, ComponentToken)).PrimaryKey ?? "(no key: the endpoint does not use keys)";
        }
        catch (PortalAccessDeniedException ex)
        {
            _status = ex.Message;
        }
        catch (ArmException ex)
        {
            _status = $"The key of {d.Name} could not be read: {ex.Error.Message}";
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
    }

    private async Task CreateConnectionAsync(AzureDeployment d)
    {
        try
        {
            _status = (await Actions.CreateConnectionAsync(d, ComponentToken)).Message;
        }
        catch (PortalAccessDeniedException ex)
        {
            _status = ex.Message;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeleteAsync(AzureDeployment d)
    {
        _deleting[d.Id] = "requested";
        try
        {
            // Reports change page state on the renderer, and only while this delete is still shown as running.
            await Actions.DeleteAsync(d, ProgressOnRenderer<ArmProgress>(p =>
            {
                if (_deleting.ContainsKey(d.Id))
                {
                    _deleting[d.Id] = $"{p.Status} ({p.Elapsed.TotalSeconds:0} s)";
                }
            }), ComponentToken);
            _status = $"Deleted {d.Name}.";
        }
        catch (ArmException ex)
        {
            _status = $"{d.Name} was not deleted: {ex.Error.Message}";
        }
        catch (PortalAccessDeniedException ex)
        {
            _status = ex.Message;
            return;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away: stop polling Azure (the delete goes on there) and touch nothing.
            return;
        }
        finally
        {
            _deleting.Remove(d.Id);
        }

        await LoadAsync(true);
    }
}
