using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Web.Access;

namespace Portal.Web.Components.Pages.Azure;

/// <summary>
/// /azure/hubs/new: subscription, resource group (existing or new), region and name; Azure's permission check; a
/// summary of what will be created to confirm; then each resource's progress and, at the end, what exists.
/// </summary>
public sealed partial class NewHub
{
    private const string NewGroupValue = "+new";

    private IReadOnlyList<string> _subscriptions = [];
    private IReadOnlyList<ResourceGroupInfo> _groups = [];
    private IReadOnlyList<AzureLocation> _locations = [];
    private string _subscription = "";
    private string? _group;
    private bool _newGroup;
    private string _newGroupName = "";
    private string _location = "";
    private string _name = "";
    private string? _friendlyName;
    private string? _description;
    private string? _taken;
    private bool _loading = true;
    private string _scopeLabel = "";
    private bool _mayCreate = true;
    private string _roleNote = "";
    private HubPlan? _plan;
    private AzureWorkspace? _done;

    private string GroupName => _newGroup ? _newGroupName : _group ?? "";

    private bool FormComplete =>
        _subscription.Length > 0 && GroupName.Length > 0 && WorkspaceCreation.CheckResourceGroupName(GroupName) is null
        && _location.Length > 0 && WorkspaceCreation.CheckWorkspaceName(_name) is null;

    protected override async Task OnAccessChangedAsync()
    {
        _mayCreate = await Access.CanAsync(PortalAction.CreateAzureResource, ComponentToken);
        var role = await Access.RoleAsync(ComponentToken);
        _roleNote = $"Creating hubs and projects needs the {PortalRole.Contributor.Label()} role{(role is { } r ? $"; your role is {r.Label()}" : "")}. Ask an Owner of the portal.";
    }

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        if (!IsInteractive)
        {
            return;
        }

        try
        {
            _subscriptions = await Azure.SubscriptionsAsync(ComponentToken);
            if (_subscriptions.Count > 0)
            {
                await LoadSubscriptionAsync(_subscriptions[0]);
            }
        }
        catch (ArmException ex)
        {
            Error = ex.Error;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task LoadSubscriptionAsync(string subscription)
    {
        _subscription = subscription;
        _group = null;
        _newGroup = false;
        ForgetAccessCheck();
        _groups = await Azure.Service.ListResourceGroupsAsync(subscription, ComponentToken);
        _locations = await Azure.Service.ListLocationsAsync(subscription, ComponentToken);
    }

    private async Task OnSubscriptionChangedAsync(ChangeEventArgs e)
    {
        Error = null;
        try
        {
            await LoadSubscriptionAsync(e.Value?.ToString() ?? "");
        }
        catch (ArmException ex)
        {
            Error = ex.Error;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
    }

    private async Task OnGroupChangedAsync(ChangeEventArgs e)
    {
        var value = e.Value?.ToString() ?? "";
        _newGroup = value == NewGroupValue;
        _group = _newGroup || value.Length == 0 ? null : value;
        _taken = null;
        if (_group is not null && _groups.FirstOrDefault(g => g.Name == _group)?.Location is { } location)
        {
            // A hub usually lives in its resource group's region; the user may choose another.
            _location = location;
        }

        await CheckAccessAsync();
    }

    private void OnNewGroupNameChanged(string? value) => _newGroupName = value?.Trim() ?? string.Empty;

    /// <summary>
    /// Asks Azure whether the user may create what the hub needs: in an existing resource group the workspace, storage
    /// account and key vault writes there; for a new one the resource group write on the subscription.
    /// </summary>
    private async Task CheckAccessAsync()
    {
        ForgetAccessCheck();
        if (!_newGroup && _group is null)
        {
            return;
        }

        var subscription = Uri.EscapeDataString(_subscription);
        var scope = _newGroup ? $"/subscriptions/{subscription}" : $"/subscriptions/{subscription}/resourceGroups/{Uri.EscapeDataString(_group!)}";
        string[] actions = _newGroup
            ? [WorkspaceCreation.ResourceGroupWrite]
            : [WorkspaceCreation.WorkspaceWrite, WorkspaceCreation.StorageWrite, WorkspaceCreation.KeyVaultWrite];
        _scopeLabel = _newGroup ? $"subscription {_subscription}" : $"resource group {_group}";
        await CheckAccessAtAsync(scope, actions);
    }

    /// <summary>Checks the names (and that the hub name is free in the resource group), then shows what will be created.</summary>
    private async Task ReviewAsync()
    {
        Error = null;
        var plan = HubPlan.For(_subscription, GroupName, _newGroup, _location, _name, _friendlyName, _description);
        if (plan.Problems() is { Count: > 0 } problems)
        {
            _taken = string.Join(" ", problems);
            return;
        }

        try
        {
            _taken = _newGroup && _groups.Any(g => string.Equals(g.Name, GroupName, StringComparison.OrdinalIgnoreCase))
                ? $"Resource group {GroupName} exists already; choose it in the list instead of creating it."
                : _newGroup ? null : await Azure.Service.CheckWorkspaceNameTakenAsync(_subscription, GroupName, _name, ComponentToken);
        }
        catch (ArmException ex)
        {
            Error = ex.Error;
            return;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return;
        }

        _plan = _taken is null ? plan : null;
    }

    private async Task CreateAsync()
    {
        if (_plan is not { } plan)
        {
            return;
        }

        await CreateWithProgressAsync(async (progress, token) =>
        {
            _done = await Actions.CreateHubAsync(plan, progress, token);
        });
    }

    private static string Where(HubPlan plan) =>
        $"In subscription {plan.SubscriptionId}, resource group {plan.ResourceGroup}{(plan.NewResourceGroup ? " (new)" : "")}, region {plan.Location}.";
}
