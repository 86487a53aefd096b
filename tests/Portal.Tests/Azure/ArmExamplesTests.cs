using System.Text.Json;
using Portal.Azure;
using Portal.Tests.Support;

namespace Portal.Tests.Azure;

/// <summary>
/// Every published 2025-12-01 example payload (the in-repo copies of shared/data/api-examples/arm) parses into the portal's typed models
/// without losing a field the UI shows.
/// </summary>
public sealed class ArmExamplesTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Azure", "Examples");

    private static IEnumerable<(string File, string Status, JsonElement Body)> Bodies(string file) => ExampleJson.Bodies(Folder, file);

    private static void Same(JsonElement raw, string path, object? typed) => ExampleJson.Same(raw, path, typed);

    private static IEnumerable<(JsonElement Raw, ArmResource<T> Typed)> Resources<T>(string file)
    {
        foreach (var (_, _, body) in Bodies(file))
        {
            if (body.TryGetProperty("value", out var list))
            {
                foreach (var item in list.EnumerateArray())
                {
                    yield return (item, item.Deserialize<ArmResource<T>>(Api.Json)!);
                }

                Same(body, "nextLink", body.Deserialize<ArmList<ArmResource<T>>>(Api.Json)!.NextLink);
            }
            else
            {
                yield return (body, body.Deserialize<ArmResource<T>>(Api.Json)!);
            }
        }
    }

    private static void Common<T>(JsonElement raw, ArmResource<T> typed) => ExampleJson.Common(raw, typed);

    [Fact]
    public void Workspaces()
    {
        foreach (var file in new[] { "workspace_get.json", "workspace_listByResourceGroup.json", "workspace_listBySubscription.json", "workspace_create_lro.json" })
        {
            foreach (var (raw, typed) in Resources<WorkspaceProperties>(file))
            {
                Common(raw, typed);
                Same(raw, "properties.friendlyName", typed.Properties?.FriendlyName);
                Same(raw, "properties.description", typed.Properties?.Description);
                Same(raw, "properties.hubResourceId", typed.Properties?.HubResourceId);
                Same(raw, "properties.discoveryUrl", typed.Properties?.DiscoveryUrl);
            }
        }
    }

    [Fact]
    public void Registries_ModelContainers_AndVersions()
    {
        foreach (var file in new[] { "registry_get.json", "registry_list.json", "registry_listBySubscription.json" })
        {
            Assert.All(Resources<RegistryProperties>(file), r => Common(r.Raw, r.Typed));
        }

        foreach (var (raw, typed) in Resources<ModelContainerProperties>("registry_modelContainer_list.json"))
        {
            Common(raw, typed);
            Same(raw, "properties.description", typed.Properties?.Description);
            Same(raw, "properties.latestVersion", typed.Properties?.LatestVersion);
            Assert.Equal(raw.GetProperty("properties").GetProperty("tags").EnumerateObject().Count(), typed.Properties!.Tags!.Count);
        }

        foreach (var file in new[] { "registry_modelVersion_get.json", "registry_modelVersion_list.json" })
        {
            foreach (var (raw, typed) in Resources<ModelVersionProperties>(file))
            {
                Common(raw, typed);
                Same(raw, "properties.description", typed.Properties?.Description);
                Same(raw, "properties.modelUri", typed.Properties?.ModelUri);
                Same(raw, "properties.modelType", typed.Properties?.ModelType);
            }
        }
    }

    [Fact]
    public void ServerlessEndpoints()
    {
        foreach (var file in new[] { "serverlessEndpoint_get.json", "serverlessEndpoint_list.json", "serverlessEndpoint_createOrUpdate.json", "serverlessEndpoint_update_lro.json" })
        {
            foreach (var (raw, typed) in Resources<ServerlessEndpointProperties>(file))
            {
                Common(raw, typed);
                Same(raw, "properties.modelSettings.modelId", typed.Properties?.ModelSettings?.ModelId);
                Same(raw, "properties.inferenceEndpoint.uri", typed.Properties?.InferenceEndpoint?.Uri);
                Same(raw, "properties.provisioningState", typed.Properties?.ProvisioningState);
                Same(raw, "properties.endpointState", typed.Properties?.EndpointState);
                Same(raw, "properties.authMode", typed.Properties?.AuthMode);
                Same(raw, "properties.marketplaceSubscriptionId", typed.Properties?.MarketplaceSubscriptionId);
            }
        }
    }

    [Fact]
    public void MarketplaceSubscriptions()
    {
        foreach (var file in new[] { "marketplaceSubscription_get.json", "marketplaceSubscription_list.json", "marketplaceSubscription_createOrUpdate.json" })
        {
            foreach (var (raw, typed) in Resources<MarketplaceSubscriptionProperties>(file))
            {
                Common(raw, typed);
                Same(raw, "properties.modelId", typed.Properties?.ModelId);
                Same(raw, "properties.marketplaceSubscriptionStatus", typed.Properties?.MarketplaceSubscriptionStatus);
                Same(raw, "properties.provisioningState", typed.Properties?.ProvisioningState);
                Same(raw, "properties.marketplacePlan.offerId", typed.Properties?.MarketplacePlan?.OfferId);
            }
        }
    }

    [Fact]
    public void OnlineEndpoints_AndDeployments()
    {
        foreach (var file in new[] { "onlineEndpoint_get.json", "onlineEndpoint_list.json", "onlineEndpoint_createOrUpdate.json" })
        {
            foreach (var (raw, typed) in Resources<OnlineEndpointProperties>(file))
            {
                Common(raw, typed);
                Same(raw, "properties.scoringUri", typed.Properties?.ScoringUri);
                Same(raw, "properties.provisioningState", typed.Properties?.ProvisioningState);
                Same(raw, "properties.authMode", typed.Properties?.AuthMode);
            }
        }

        foreach (var file in new[] { "onlineDeployment_managed_get.json", "onlineDeployment_list.json" })
        {
            foreach (var (raw, typed) in Resources<OnlineDeploymentProperties>(file))
            {
                Common(raw, typed);
                Same(raw, "properties.model", typed.Properties?.Model);
                Same(raw, "properties.instanceType", typed.Properties?.InstanceType);
                Same(raw, "properties.provisioningState", typed.Properties?.ProvisioningState);
                Same(raw, "properties.endpointComputeType", typed.Properties?.EndpointComputeType);
            }
        }
    }

    [Fact]
    public void ManagedOnlineDeployment_IsListedWithItsVmSize_AndInstanceCount()
    {
        var (_, endpoint) = Resources<OnlineEndpointProperties>("onlineEndpoint_get.json").Single();
        var project = new AzureWorkspace("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/p", "p", "Project", "westus", "rg", "s", null, null);
        foreach (var file in new[] { "onlineDeployment_managed_get.json", "onlineDeployment_list.json" })
        {
            foreach (var (raw, typed) in Resources<OnlineDeploymentProperties>(file))
            {
                // Azure names a managed deployment's SKU "Default"; its VM size is properties.instanceType and sku.capacity the instance count.
                var managed = typed with { Sku = typed.Sku! with { Name = "Default" } };

                var row = AzureService.ManagedOnline(project, endpoint, managed);

                Same(raw, "properties.instanceType", row.Size);
                Same(raw, "sku.capacity", row.InstanceCount);
            }
        }
    }

    [Fact]
    public void Keys()
    {
        foreach (var file in new[] { "serverlessEndpoint_listKeys.json", "onlineEndpoint_listKeys.json" })
        {
            foreach (var (_, _, body) in Bodies(file))
            {
                var keys = body.Deserialize<EndpointKeys>(Api.Json)!;
                Same(body, "primaryKey", keys.PrimaryKey);
                Same(body, "secondaryKey", keys.SecondaryKey);
            }
        }
    }

    [Fact]
    public void LongRunningOperations_NameTheirPollingHeaders()
    {
        using var delete = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "serverlessEndpoint_delete.json")));
        var headers = delete.RootElement.GetProperty("responses").GetProperty("202").GetProperty("headers");
        Assert.True(headers.TryGetProperty("Azure-AsyncOperation", out _));
        Assert.True(headers.TryGetProperty("Location", out _));

        using var online = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "onlineEndpoint_delete_lro.json")));
        Assert.True(online.RootElement.GetProperty("responses").GetProperty("202").GetProperty("headers").TryGetProperty("Location", out _));
    }

    [Fact]
    public void EveryExampleFile_IsCovered()
    {
        var covered = new[]
        {
            "workspace_get.json", "workspace_listByResourceGroup.json", "workspace_listBySubscription.json", "workspace_create_lro.json",
            "registry_get.json", "registry_list.json", "registry_listBySubscription.json", "registry_modelContainer_list.json",
            "registry_modelVersion_get.json", "registry_modelVersion_list.json", "serverlessEndpoint_get.json", "serverlessEndpoint_list.json",
            "serverlessEndpoint_createOrUpdate.json", "serverlessEndpoint_update_lro.json", "serverlessEndpoint_listKeys.json", "serverlessEndpoint_delete.json",
            "marketplaceSubscription_get.json", "marketplaceSubscription_list.json", "marketplaceSubscription_createOrUpdate.json",
            "onlineEndpoint_get.json", "onlineEndpoint_list.json", "onlineEndpoint_createOrUpdate.json", "onlineEndpoint_listKeys.json", "onlineEndpoint_delete_lro.json",
            "onlineDeployment_managed_get.json", "onlineDeployment_list.json",
        };

        // connection_list.json describes workspace connections, which the portal does not use.
        var files = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Where(f => f != "connection_list.json");
        Assert.Empty(files.Except(covered));
    }

    [SharedDataFact]
    public void Copies_AreTheSharedOnes()
    {
        var shared = Path.Combine(SharedData.Directory!, "data", "api-examples", "arm");
        var names = Directory.GetFiles(shared, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(names, Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(names, name => Assert.Equal(File.ReadAllText(Path.Combine(shared, name!)), File.ReadAllText(Path.Combine(Folder, name!))));
    }
}
