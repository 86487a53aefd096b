using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Web.Access;

namespace Portal.Web.Components.Pages.Azure;

/// <summary>
/// /azure/projects/new[?parent=ID]: a project under a hub (kind Project, <c>hubResourceId</c>, the hub's region) or a
/// Foundry project under an AI services account; Azure's permission check; a summary to confirm; progress; the outcome.
/// </summary>
public sealed partial class NewProject
{
    /// <summary>A hub's or AI services account's resource id to preselect.</summary>
    [SupplyParameterFromQuery(Name = "parent")]
    public string? Parent { get; set; }

    private IReadOnlyList<AzureWorkspace> _hubs = [];
    private IReadOnlyList<AzureAIAccount> _accounts = [];
    private readonly List<string> _problems = [];
    private string? _parentId;
    private string _name = "";
    private string? _displayName;
    private string? _description;
    private string? _taken;
    private bool _loading = true;
    private string _scopeLabel = "";
    private bool _mayCreate = true;
    private string _roleNote = "";
    private IReadOnlyList<PlannedResource>? _summary;
    private string _where = "";
    private HubProjectPlan? _hubPlan;
    private FoundryProjectPlan? _foundryPlan;
    private string? _done;

    private AzureWorkspace? Hub => _hubs.FirstOrDefault(h => h.Id == _parentId);

    private AzureAIAccount? Account => _accounts.FirstOrDefault(a => a.Id == _parentId);

    private string NameRule => Account is not null
        ? "2–64 letters, digits, periods, hyphens and underscores, starting with a letter or digit."
        : "3–33 letters, digits, hyphens and underscores, starting with a letter or digit.";

    private string? NameProblem => Account is not null ? WorkspaceCreation.CheckFoundryProjectName(_name) : WorkspaceCreation.CheckWorkspaceName(_name);

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
            if (await Azure.DiscoverAsync(refresh: false, ComponentToken) is { } discovery)
            {
                _hubs = discovery.Hubs;
                _problems.AddRange(discovery.Problems);
            }

            if (await Azure.DiscoverAccountsAsync(refresh: false, ComponentToken) is { } accounts)
            {
                _accounts = [.. accounts.Accounts.Where(a => a.HostsProjects)];
                _problems.AddRange(accounts.Problems);
            }
        }
        catch (ArmException ex)
        {
            Error = ex.Error;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            _loading = false;
        }

        if (Parent is { } parent && (_hubs.Any(h => h.Id == parent) || _accounts.Any(a => a.Id == parent)))
        {
            _parentId = parent;
            await CheckAccessAsync();
        }
    }

    private async Task OnParentChangedAsync(ChangeEventArgs e)
    {
        var value = e.Value?.ToString();
        _parentId = string.IsNullOrEmpty(value) ? null : value;
        _taken = null;
        await CheckAccessAsync();
    }

    /// <summary>Workspaces write at the hub's resource group, or projects write on the account.</summary>
    private async Task CheckAccessAsync()
    {
        ForgetAccessCheck();
        string scope;
        string action;
        if (Hub is { } hub)
        {
            scope = $"/subscriptions/{Uri.EscapeDataString(hub.SubscriptionId)}/resourceGroups/{Uri.EscapeDataString(hub.ResourceGroup)}";
            action = WorkspaceCreation.WorkspaceWrite;
            _scopeLabel = $"resource group {hub.ResourceGroup}";
        }
        else if (Account is { } account)
        {
            scope = account.Id;
            action = WorkspaceCreation.CognitiveProjectWrite;
            _scopeLabel = $"account {account.Name}";
        }
        else
        {
            return;
        }

        await CheckAccessAtAsync(scope, [action]);
    }

    /// <summary>Checks the name is valid and free, then shows what will be created.</summary>
    private async Task ReviewAsync()
    {
        Error = null;
        _hubPlan = null;
        _foundryPlan = null;
        try
        {
            if (Hub is { } hub)
            {
                var plan = new HubProjectPlan(hub, _name, _displayName, _description);
                _taken = plan.Problems() is { Count: > 0 } problems ? string.Join(" ", problems)
                    : await Azure.Service.CheckWorkspaceNameTakenAsync(hub.SubscriptionId, hub.ResourceGroup, _name, ComponentToken);
                _hubPlan = _taken is null ? plan : null;
                _where = $"Under hub {hub.DisplayName}: subscription {hub.SubscriptionId}, resource group {hub.ResourceGroup}, region {hub.Location ?? "—"} (a project is always in its hub's region).";
            }
            else if (Account is { } account)
            {
                var plan = new FoundryProjectPlan(account, _name, _displayName, _description);
                _taken = plan.Problems() is { Count: > 0 } problems ? string.Join(" ", problems)
                    : (await Azure.Service.ListAccountProjectsAsync(account, ComponentToken)).Any(p => string.Equals(p.Name, _name, StringComparison.OrdinalIgnoreCase))
                        ? $"The name {_name} is taken: account {account.Name} already has a project named {_name}. Choose another name."
                        : null;
                _foundryPlan = _taken is null ? plan : null;
                _where = $"Under AI services account {account.Name}: subscription {account.SubscriptionId}, resource group {account.ResourceGroup}, region {account.Location ?? "—"}.";
            }
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

        _summary = _hubPlan?.Resources ?? _foundryPlan?.Resources;
    }

    private async Task CreateAsync()
    {
        await CreateWithProgressAsync(async (progress, token) =>
        {
            if (_hubPlan is { } hubPlan)
            {
                var project = await Actions.CreateHubProjectAsync(hubPlan, progress, token);
                _done = $"Project {project.Name} was created under hub {hubPlan.Hub.DisplayName} ({project.Location}).";
            }
            else if (_foundryPlan is { } foundryPlan)
            {
                var project = await Actions.CreateFoundryProjectAsync(foundryPlan, progress, token);
                _done = $"Foundry project {project.Name} was created under account {foundryPlan.Account.Name} ({project.Location ?? foundryPlan.Account.Location}).";
            }
        });
    }
}
