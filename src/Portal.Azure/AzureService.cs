using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Core;

namespace Portal.Azure;

public sealed record AzureWorkspace(string Id, string Name, string Kind, string? Location, string ResourceGroup, string SubscriptionId, string? FriendlyName, string? HubId)
{
    public string? HubName => HubId is null ? null : new ResourceIdentifier(HubId).Name;

    public string DisplayName => FriendlyName is { Length: > 0 } f ? f : Name;
}

public sealed record AzureRegistry(string Id, string Name, string? Location, string ResourceGroup, string SubscriptionId);

public sealed record AzureDiscovery(
    IReadOnlyList<AzureWorkspace> Hubs,
    IReadOnlyList<AzureWorkspace> Projects,
    IReadOnlyList<AzureRegistry> Registries,
    IReadOnlyList<string> Problems,
    DateTimeOffset At);

public enum AzureDeploymentKind
{
    Serverless,
    ManagedOnline,
}

/// <summary>
/// A serverless endpoint, or a managed online endpoint with one of its deployments, as the Deployments page lists it.
/// <c>Size</c> is a managed deployment's VM size (<c>properties.instanceType</c>; its <c>sku.name</c> is just "Default")
/// or a serverless endpoint's SKU (<c>Consumption</c>); <c>InstanceCount</c> is a managed deployment's <c>sku.capacity</c>.
/// </summary>
public sealed record AzureDeployment(
    string Id,
    string Name,
    AzureDeploymentKind Kind,
    AzureWorkspace Project,
    string? State,
    string? Model,
    string? Location,
    string? Size,
    int? InstanceCount,
    string? EndpointUrl,
    DateTimeOffset? Created,
    string? EndpointId,
    string? DeploymentName);

public sealed record RegistryModel(AzureRegistry Registry, string Name, string? LatestVersion, string? Description, IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The asset id a deployment names: <c>azureml://registries/{registry}/models/{name}</c>.</summary>
    public string AssetId => $"azureml://registries/{Registry.Name}/models/{Name}";
}

public sealed record ProjectModel(AzureWorkspace Project, string Name, string? LatestVersion, string? Description);

/// <summary>Where a step of a deployment stands (for logic; <see cref="DeployStep.Status"/> is the words shown).</summary>
public enum DeployStepState
{
    Requested,
    Running,
    Succeeded,
    Failed,
    StillRunningInAzure,
}

/// <summary>
/// One step of a deployment, for the progress list and for reporting what exists after a failure or a cancel.
/// <c>Status</c> is ARM's own status while it runs (InProgress, Accepted…), otherwise the state in words.
/// </summary>
public sealed record DeployStep(string Resource, string ResourceId, DeployStepState State, string Status, TimeSpan Elapsed, string? Detail = null);

/// <summary>
/// The portal's Azure operations over Resource Manager: discovery of hubs, projects and registries (cached briefly),
/// the deployments in projects, their keys, deleting them, and deploying catalog models.
/// </summary>
public sealed partial class AzureService(ArmRestClient client, TimeProvider time)
{
    private const string Provider = "providers/Microsoft.MachineLearningServices";
    private readonly ConcurrentDictionary<string, AzureDiscovery> _cache = new();

    public AzureOptions Options => client.Options;

    public async Task<IReadOnlyList<SubscriptionInfo>> ListSubscriptionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = new List<SubscriptionInfo>();
            await foreach (var subscription in client.Arm.GetSubscriptions().GetAllAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new(subscription.Data.SubscriptionId, subscription.Data.DisplayName, subscription.Data.State?.ToString()));
            }

            return list;
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status > 0)
        {
            throw new ArmException(ArmRestClient.FromDetail(ex.Status, new ArmErrorDetail(ex.ErrorCode, FirstLine(ex.Message), null, null)), ex);
        }
        catch (Exception ex) when (ex is global::Azure.Identity.CredentialUnavailableException or global::Azure.Identity.AuthenticationFailedException)
        {
            throw new ArmException(new(ArmErrorKind.NoCredential,
                "No Azure credential is available. Sign in with the Azure CLI (az login), set AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET, or run where a managed identity is assigned."), ex);
        }
        catch (global::Azure.RequestFailedException ex)
        {
            throw new ArmException(new(ArmErrorKind.Unreachable, $"Azure Resource Manager at {client.Options.Endpoint} could not be reached: {FirstLine(ex.Message)}"), ex);
        }
    }

    /// <summary>Hubs, projects and registries in the subscriptions; reused for <see cref="AzureOptions.CacheDuration"/> unless refreshed.</summary>
    public async Task<AzureDiscovery> DiscoverAsync(IReadOnlyList<string> subscriptions, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        var key = string.Join(',', subscriptions.Order(StringComparer.OrdinalIgnoreCase));
        if (!refresh && _cache.TryGetValue(key, out var cached) && time.GetUtcNow() - cached.At < client.Options.CacheDuration)
        {
            return cached;
        }

        var workspaces = new List<AzureWorkspace>();
        var registries = new List<AzureRegistry>();
        var problems = new List<string>();
        foreach (var subscription in subscriptions)
        {
            try
            {
                await foreach (var w in client.ListAsync<ArmResource<WorkspaceProperties>>($"subscriptions/{subscription}/{Provider}/workspaces", cancellationToken).ConfigureAwait(false))
                {
                    if (w.Id is null || w.Name is null)
                    {
                        continue;
                    }

                    var id = new ResourceIdentifier(w.Id);
                    workspaces.Add(new(w.Id, w.Name, w.Kind ?? "Default", w.Location, id.ResourceGroupName ?? "", id.SubscriptionId ?? subscription, w.Properties?.FriendlyName, w.Properties?.HubResourceId));
                }

                await foreach (var r in client.ListAsync<ArmResource<RegistryProperties>>($"subscriptions/{subscription}/{Provider}/registries", cancellationToken).ConfigureAwait(false))
                {
                    if (r.Id is null || r.Name is null)
                    {
                        continue;
                    }

                    var id = new ResourceIdentifier(r.Id);
                    registries.Add(new(r.Id, r.Name, r.Location, id.ResourceGroupName ?? "", id.SubscriptionId ?? subscription));
                }
            }
            catch (ArmException ex)
            {
                problems.Add($"Subscription {subscription}: {ex.Error.Message}");
            }
        }

        var discovery = new AzureDiscovery(
            [.. workspaces.Where(w => string.Equals(w.Kind, "Hub", StringComparison.OrdinalIgnoreCase)).OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase)],
            [.. workspaces.Where(w => string.Equals(w.Kind, "Project", StringComparison.OrdinalIgnoreCase)).OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase)],
            [.. registries.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)],
            problems,
            time.GetUtcNow());
        if (problems.Count == 0)
        {
            _cache[key] = discovery;
        }

        return discovery;
    }

    public async Task<IReadOnlyList<RegistryModel>> ListRegistryModelsAsync(AzureRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var models = new List<RegistryModel>();
        await foreach (var m in client.ListAsync<ArmResource<ModelContainerProperties>>($"{registry.Id}/models", cancellationToken).ConfigureAwait(false))
        {
            if (m.Name is not null && m.Properties?.IsArchived != true)
            {
                models.Add(new(registry, m.Name, m.Properties?.LatestVersion, m.Properties?.Description, m.Properties?.Tags ?? new Dictionary<string, string>()));
            }
        }

        return models;
    }

    public async Task<IReadOnlyList<ProjectModel>> ListProjectModelsAsync(AzureWorkspace project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var models = new List<ProjectModel>();
        await foreach (var m in client.ListAsync<ArmResource<ModelContainerProperties>>($"{project.Id}/models", cancellationToken).ConfigureAwait(false))
        {
            if (m.Name is not null && m.Properties?.IsArchived != true)
            {
                models.Add(new(project, m.Name, m.Properties?.LatestVersion, m.Properties?.Description));
            }
        }

        return models;
    }

    /// <summary>Serverless endpoints and managed online endpoints (with their deployments) in the projects. Problems per project are returned, not thrown.</summary>
    public async Task<(IReadOnlyList<AzureDeployment> Items, IReadOnlyList<string> Problems)> ListDeploymentsAsync(IEnumerable<AzureWorkspace> projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var items = new List<AzureDeployment>();
        var problems = new List<string>();
        foreach (var project in projects)
        {
            try
            {
                await foreach (var e in client.ListAsync<ArmResource<ServerlessEndpointProperties>>($"{project.Id}/serverlessEndpoints", cancellationToken).ConfigureAwait(false))
                {
                    items.Add(Serverless(project, e));
                }

                await foreach (var e in client.ListAsync<ArmResource<OnlineEndpointProperties>>($"{project.Id}/onlineEndpoints", cancellationToken).ConfigureAwait(false))
                {
                    var any = false;
                    await foreach (var d in client.ListAsync<ArmResource<OnlineDeploymentProperties>>($"{e.Id}/deployments", cancellationToken).ConfigureAwait(false))
                    {
                        any = true;
                        items.Add(ManagedOnline(project, e, d));
                    }

                    if (!any)
                    {
                        items.Add(new(e.Id ?? "", e.Name ?? "", AzureDeploymentKind.ManagedOnline, project, e.Properties?.ProvisioningState, null, e.Location, null, null, e.Properties?.ScoringUri, e.SystemData?.CreatedAt, e.Id, null));
                    }
                }
            }
            catch (ArmException ex)
            {
                problems.Add($"{project.DisplayName}: {ex.Error.Message}");
            }
        }

        return (items, problems);
    }

    /// <summary>The endpoint's keys: asked for only when the user reveals them or creates a connection. Never logged.</summary>
    public Task<EndpointKeys> ListKeysAsync(AzureDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return client.PostAsync<EndpointKeys>($"{(deployment.Kind == AzureDeploymentKind.Serverless ? deployment.Id : deployment.EndpointId)}/listKeys", cancellationToken);
    }

    /// <summary>Deletes a serverless endpoint, or a managed online endpoint with its deployments, waiting for Azure.</summary>
    public async Task DeleteAsync(AzureDeployment deployment, IProgress<ArmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var target = deployment.Kind == AzureDeploymentKind.Serverless ? deployment.Id : deployment.EndpointId ?? deployment.Id;
        using var operation = await client.BeginDeleteAsync(target, cancellationToken).ConfigureAwait(false);
        await operation.WaitAsync(progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serverless API: a marketplace subscription first when the offer is a third party's, then the serverless
    /// endpoint with <c>modelSettings.modelId</c> = the model's registry asset id. Each step is reported.
    /// </summary>
    public async Task<AzureDeployment> DeployServerlessAsync(AzureWorkspace project, string assetId, string endpointName, bool marketplace, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(steps);
        if (marketplace)
        {
            var subscriptionName = ResourceName(assetId.Split('/')[^1]);
            var subscriptionId = $"{project.Id}/marketplaceSubscriptions/{subscriptionName}";
            await RunAsync(subscriptionId, $"Marketplace subscription {subscriptionName}", () => client.BeginPutAsync(subscriptionId,
                new MarketplaceSubscriptionRequest(new MarketplaceSubscriptionRequestProperties(assetId)), cancellationToken), steps, cancellationToken).ConfigureAwait(false);
        }

        var endpointId = $"{project.Id}/serverlessEndpoints/{endpointName}";
        var json = await RunAsync(endpointId, $"Serverless endpoint {endpointName}", () => client.BeginPutAsync(endpointId,
            new ServerlessEndpointRequest(project.Location ?? "", new ServerlessEndpointRequestProperties(new ModelSettings(assetId), "Key"), new ArmSku("Consumption", null, null, null, null)), cancellationToken),
            steps, cancellationToken).ConfigureAwait(false);
        return Serverless(project, json!.Value.Deserialize<ArmResource<ServerlessEndpointProperties>>(Api.Json)!);
    }

    /// <summary>Managed compute: an online endpoint, a deployment of the model on the chosen VM SKU and count, then all traffic to it.</summary>
    public async Task<AzureDeployment> DeployManagedAsync(AzureWorkspace project, string assetId, string endpointName, string instanceType, int instanceCount, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(steps);
        var endpointId = $"{project.Id}/onlineEndpoints/{endpointName}";
        await RunAsync(endpointId, $"Online endpoint {endpointName}", () => client.BeginPutAsync(endpointId,
            new OnlineEndpointRequest(project.Location ?? "", new OnlineEndpointRequestProperties("Key", "Created by the Model Catalog Portal"), new ArmIdentity("SystemAssigned")), cancellationToken),
            steps, cancellationToken).ConfigureAwait(false);

        const string deploymentName = "default";
        var deploymentId = $"{endpointId}/deployments/{deploymentName}";
        var json = await RunAsync(deploymentId, $"Deployment {endpointName}/{deploymentName} ({instanceCount} × {instanceType})", () => client.BeginPutAsync(deploymentId,
            new OnlineDeploymentRequest(project.Location ?? "", new OnlineDeploymentRequestProperties("Managed", assetId, instanceType, new ScaleSettings("Default")), new ArmSku("Default", null, null, null, instanceCount)), cancellationToken),
            steps, cancellationToken).ConfigureAwait(false);
        var deployment = json!.Value.Deserialize<ArmResource<OnlineDeploymentProperties>>(Api.Json)!;

        var endpoint = await RunAsync(endpointId, $"Traffic of {endpointName}: 100% to {deploymentName}", () => client.BeginPutAsync(endpointId,
            new OnlineEndpointRequest(project.Location ?? "", new OnlineEndpointRequestProperties("Key", "Created by the Model Catalog Portal", new Dictionary<string, int> { [deploymentName] = 100 }), new ArmIdentity("SystemAssigned")), cancellationToken),
            steps, cancellationToken).ConfigureAwait(false);
        var e = endpoint!.Value.Deserialize<ArmResource<OnlineEndpointProperties>>(Api.Json)!;
        return new(deployment.Id ?? deploymentId, $"{endpointName}/{deploymentName}", AzureDeploymentKind.ManagedOnline, project, deployment.Properties?.ProvisioningState, deployment.Properties?.Model ?? assetId,
            project.Location, instanceType, instanceCount, e.Properties?.ScoringUri, deployment.SystemData?.CreatedAt, endpointId, deploymentName);
    }

    public const string ServerlessEndpointWrite = "Microsoft.MachineLearningServices/workspaces/serverlessEndpoints/write";
    public const string OnlineEndpointWrite = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/write";

    /// <summary>
    /// Whether the signed-in identity may perform an action on a project, from Microsoft.Authorization's permissions
    /// (actions minus notActions, with wildcards). Null when Azure does not say (the deployment's own 403 then tells).
    /// </summary>
    public Task<bool?> CanPerformAsync(AzureWorkspace project, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        return CanPerformAsync(project.Id, action, cancellationToken);
    }

    private static bool Matches(string pattern, string action) =>
        Regex.IsMatch(action, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    /// <summary>Endpoint names: 3 to 32 letters, digits and hyphens, starting with a letter.</summary>
    public static string? CheckEndpointName(string? name) =>
        name is not null && EndpointName().IsMatch(name) ? null : "Use 3 to 32 letters, digits and hyphens, starting with a letter (Azure's rule for endpoint names).";

    public static string ResourceName(string text)
    {
        var cleaned = new string([.. text.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '-')]).Trim('-');
        return cleaned.Length > 50 ? cleaned[..50] : cleaned;
    }

    private async Task<JsonElement?> RunAsync(string resourceId, string label, Func<Task<ArmOperation>> begin, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        steps.Report(new(label, resourceId, DeployStepState.Requested, "Requested", TimeSpan.Zero));
        try
        {
            using var operation = await begin().ConfigureAwait(false);
            var result = await operation.WaitAsync(new InlineProgress<ArmProgress>(p => steps.Report(new(label, resourceId, DeployStepState.Running, p.Status, time.GetElapsedTime(started), p.Detail))), cancellationToken).ConfigureAwait(false);
            steps.Report(new(label, resourceId, DeployStepState.Succeeded, "Succeeded", time.GetElapsedTime(started)));
            return result;
        }
        catch (ArmException ex)
        {
            steps.Report(new(label, resourceId, DeployStepState.Failed, "Failed", time.GetElapsedTime(started), ex.Error.Message));
            throw;
        }
        catch (OperationCanceledException)
        {
            steps.Report(new(label, resourceId, DeployStepState.StillRunningInAzure, "Still running in Azure (the portal stopped waiting)", time.GetElapsedTime(started)));
            throw;
        }
    }

    /// <summary>A managed online deployment as the Deployments page lists it, with its endpoint's address.</summary>
    public static AzureDeployment ManagedOnline(AzureWorkspace project, ArmResource<OnlineEndpointProperties> endpoint, ArmResource<OnlineDeploymentProperties> deployment)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(deployment);
        return new(deployment.Id ?? "", $"{endpoint.Name}/{deployment.Name}", AzureDeploymentKind.ManagedOnline, project, deployment.Properties?.ProvisioningState, deployment.Properties?.Model,
            deployment.Location ?? endpoint.Location, deployment.Properties?.InstanceType ?? deployment.Sku?.Name, deployment.Sku?.Capacity, endpoint.Properties?.ScoringUri,
            deployment.SystemData?.CreatedAt ?? endpoint.SystemData?.CreatedAt, endpoint.Id, deployment.Name);
    }

    private static AzureDeployment Serverless(AzureWorkspace project, ArmResource<ServerlessEndpointProperties> e) => new(
        e.Id ?? "", e.Name ?? "", AzureDeploymentKind.Serverless, project, e.Properties?.EndpointState ?? e.Properties?.ProvisioningState, e.Properties?.ModelSettings?.ModelId,
        e.Location, e.Sku?.Name, null, e.Properties?.InferenceEndpoint?.Uri, e.SystemData?.CreatedAt, e.Id, null);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{2,31}$")]
    private static partial Regex EndpointName();
}
