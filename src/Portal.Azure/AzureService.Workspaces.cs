using System.Text.Json;
using Azure.Core;

namespace Portal.Azure;

/// <summary>
/// Creating hubs and projects: a hub (with a new resource group if asked, its storage account and key vault first), a
/// project under a hub, and a Foundry project under an AI services account. Each resource is a step with its
/// long-running operation's progress; a failure says which resources exist already.
/// </summary>
public sealed partial class AzureService
{
    public async Task<IReadOnlyList<ResourceGroupInfo>> ListResourceGroupsAsync(string subscriptionId, CancellationToken cancellationToken) =>
        [.. (await ListAllAsync<ResourceGroupInfo>($"subscriptions/{Segment(subscriptionId)}/resourcegroups?api-version={WorkspaceCreation.ResourcesVersion}", cancellationToken).ConfigureAwait(false))
            .Where(g => g.Name is not null).OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)];

    public async Task<IReadOnlyList<AzureLocation>> ListLocationsAsync(string subscriptionId, CancellationToken cancellationToken) =>
        [.. (await ListAllAsync<AzureLocation>($"subscriptions/{Segment(subscriptionId)}/locations?api-version={WorkspaceCreation.SubscriptionsVersion}", cancellationToken).ConfigureAwait(false))
            .Where(l => l.Name is not null).OrderBy(l => l.DisplayName ?? l.Name, StringComparer.OrdinalIgnoreCase)];

    /// <summary>Null when no workspace has the name in the resource group; otherwise a sentence saying it is taken.</summary>
    public async Task<string?> CheckWorkspaceNameTakenAsync(string subscriptionId, string resourceGroup, string name, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await client.GetAsync<ArmResource<WorkspaceProperties>>(
                $"subscriptions/{Segment(subscriptionId)}/resourceGroups/{Segment(resourceGroup)}/{Provider}/workspaces/{Segment(name)}", cancellationToken).ConfigureAwait(false);
            return $"The name {name} is taken: resource group {resourceGroup} already has a {existing.Kind ?? "workspace"} named {name}. Choose another name.";
        }
        catch (ArmException ex) when (ex.Error.Kind == ArmErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the signed-in identity may perform every one of the actions at a scope (a resource group, an account,
    /// a subscription). Returns the actions it lacks; null when Azure does not say (the creation's own 403 then tells).
    /// </summary>
    public async Task<IReadOnlyList<string>?> MissingPermissionsAsync(string scope, IReadOnlyList<string> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(actions);
        List<RoleActions> permissions = [];
        try
        {
            await foreach (var p in client.ListAsync<RoleActions>($"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01", cancellationToken).ConfigureAwait(false))
            {
                permissions.Add(p);
            }
        }
        catch (ArmException ex) when (ex.Error.Kind is ArmErrorKind.NotFound or ArmErrorKind.BadRequest or ArmErrorKind.ServerError)
        {
            return null;
        }

        return [.. actions.Where(action => !permissions.Any(p => (p.Actions ?? []).Any(a => Matches(a, action)) && !(p.NotActions ?? []).Any(a => Matches(a, action))))];
    }

    /// <summary>
    /// Creates a hub: the resource group when it is new (PUT <c>subscriptions/{id}/resourcegroups/{name}</c>), a storage
    /// account and a key vault, then the workspace of kind Hub that names them. Stops at the first failure, saying what exists.
    /// </summary>
    public async Task<AzureWorkspace> CreateHubAsync(HubPlan plan, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        Refuse(plan.Problems());
        var created = new List<PlannedResource>();
        var resources = plan.Resources;
        try
        {
            var tenant = (await client.GetAsync<SubscriptionDetail>($"subscriptions/{Segment(plan.SubscriptionId)}?api-version={WorkspaceCreation.SubscriptionsVersion}", cancellationToken).ConfigureAwait(false)).TenantId
                ?? throw new ArmException(new(ArmErrorKind.ServerError, $"Azure did not say which tenant subscription {plan.SubscriptionId} belongs to; the key vault needs it."));
            foreach (var resource in resources)
            {
                var path = resource.Kind switch
                {
                    "Resource group" => $"{resource.ResourceId}?api-version={WorkspaceCreation.ResourcesVersion}",
                    "Storage account" => $"{resource.ResourceId}?api-version={WorkspaceCreation.StorageVersion}",
                    "Key vault" => $"{resource.ResourceId}?api-version={WorkspaceCreation.KeyVaultVersion}",
                    _ => resource.ResourceId,
                };
                object body = resource.Kind switch
                {
                    "Resource group" => new ResourceGroupRequest(plan.Location),
                    "Storage account" => new StorageAccountRequest(plan.Location, "StorageV2", new ArmSku("Standard_LRS", null, null, null, null), new StorageAccountRequestProperties("TLS1_2", false, true)),
                    "Key vault" => new KeyVaultRequest(plan.Location, new KeyVaultRequestProperties(tenant, new KeyVaultSku("A", "standard"), true, [])),
                    _ => new WorkspaceRequest(plan.Location, "Hub", new ArmIdentity("SystemAssigned"),
                        new WorkspaceRequestProperties(Blank(plan.FriendlyName) ?? plan.Name, Blank(plan.Description), plan.StorageAccountId, plan.KeyVaultId)),
                };
                await StepAsync(resource, path, body, created, steps, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ForgetDiscovery();
        }

        return new(plan.HubId, plan.Name, "Hub", plan.Location, plan.ResourceGroup, plan.SubscriptionId, Blank(plan.FriendlyName) ?? plan.Name, null);
    }

    /// <summary>Creates a project (workspace of kind Project) under a hub, in the hub's resource group and region.</summary>
    public async Task<AzureWorkspace> CreateHubProjectAsync(HubProjectPlan plan, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        Refuse(plan.Problems());
        var hub = plan.Hub;
        try
        {
            await StepAsync(plan.Resources[0], plan.ProjectId, new WorkspaceRequest(hub.Location ?? "", "Project", new ArmIdentity("SystemAssigned"),
                new WorkspaceRequestProperties(Blank(plan.FriendlyName) ?? plan.Name, Blank(plan.Description), HubResourceId: hub.Id)), [], steps, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ForgetDiscovery();
        }

        return new(plan.ProjectId, plan.Name, "Project", hub.Location, hub.ResourceGroup, hub.SubscriptionId, Blank(plan.FriendlyName) ?? plan.Name, hub.Id);
    }

    /// <summary>Creates a Foundry project under an AI services account (<c>CognitiveProjectRequest</c>, as the published CreateProject example).</summary>
    public async Task<ArmResource<CognitiveProjectProperties>> CreateFoundryProjectAsync(FoundryProjectPlan plan, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        Refuse(plan.Problems());
        JsonElement? json;
        try
        {
            json = await StepAsync(plan.Resources[0], plan.ProjectId, new CognitiveProjectRequest(plan.Account.Location ?? "", new ArmIdentity("SystemAssigned"),
                new CognitiveProjectRequestProperties(Blank(plan.DisplayName) ?? plan.Name, Blank(plan.Description))), [], steps, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ForgetDiscovery();
        }

        return json?.Deserialize<ArmResource<CognitiveProjectProperties>>(Api.Json)
            ?? throw new ArmException(new(ArmErrorKind.ServerError, $"Azure created Foundry project {plan.Name} but returned no body; refresh Settings → Azure to see it."));
    }

    /// <summary>One resource's PUT and wait; on failure the error names the resource and what exists already.</summary>
    private async Task<JsonElement?> StepAsync(PlannedResource resource, string path, object body, List<PlannedResource> created, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        try
        {
            var json = await RunAsync(resource.ResourceId, resource.Label, () => client.BeginPutAsync(path, body, cancellationToken), steps, cancellationToken).ConfigureAwait(false);
            created.Add(resource);
            return json;
        }
        catch (ArmException ex)
        {
            throw new ArmException(ex.Error with { Message = CreationFailure(resource, ex.Error, created) }, ex);
        }
    }

    /// <summary>What went wrong creating a resource, in words a user can act on, and what exists in Azure now.</summary>
    public static string CreationFailure(PlannedResource resource, ArmError error, IReadOnlyList<PlannedResource> created)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(created);
        var scope = new ResourceIdentifier(resource.ResourceId);
        var group = scope.ResourceGroupName;
        var what = error.Code switch
        {
            "StorageAccountAlreadyTaken" or "StorageAccountAlreadyExists" or "VaultAlreadyExists" or "ConflictError" =>
                $"The name {resource.Name} is taken (storage account and key vault names are unique across Azure). Start again: the portal picks new names.",
            "ResourceGroupNotFound" => $"Resource group {group} does not exist in subscription {scope.SubscriptionId} (it may have been deleted). Choose another resource group or create a new one.",
            "AuthorizationFailed" => $"Your Azure identity may not create a {resource.Kind.ToLowerInvariant()} in resource group {group} (403 AuthorizationFailed). Ask an owner of the resource group for the Contributor role on it, then try again.",
            _ when error.Kind == ArmErrorKind.Conflict => $"A resource named {resource.Name} exists already or is being changed (409). Choose another name, or wait and try again.{Said(error)}",
            _ when error.Kind == ArmErrorKind.Throttled => error.Message,
            _ when error.Kind == ArmErrorKind.OperationFailed => $"Azure accepted it but the operation ended Failed{(error.Code is { } c ? $" ({c}: {error.ArmMessage})" : "")}. {resource.Label} exists in a failed state: delete it in the Azure portal, then try again.",
            _ => error.Message,
        };
        var exists = created.Count == 0
            ? " Nothing else was created."
            : $" Created before this and still in Azure: {string.Join(", ", created.Select(c => c.Label))}. Delete them in the Azure portal, or keep them for another try.";
        return $"Creating {resource.Label} failed. {what}{exists}";
    }

    private static string Said(ArmError error) => error.ArmMessage is { } m ? $" Azure said: {error.Code}: {m}" : "";

    private static void Refuse(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArmException(new(ArmErrorKind.BadRequest, "Nothing was created. " + string.Join(" ", problems)));
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A value put into a URL path: escaped, so it can never change the path.</summary>
    private static string Segment(string value) => Uri.EscapeDataString(value ?? "");
}
