using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Azure;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Azure;

/// <summary>
/// Every published Microsoft.CognitiveServices example (the in-repo copies of shared/data/api-examples/cognitiveservices)
/// parses into the portal's typed models without losing a field the UI shows; the reads are checked end to end by having
/// the HTTPS ARM peer serve each example's body at the example's own address, and the request bodies the portal sends
/// have the examples' shape.
/// </summary>
public sealed class CognitiveExamplesTests : IAsyncLifetime
{
    private ArmPeer _peer = default!;

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Azure", "CognitiveExamples");

    public async Task InitializeAsync() => _peer = await ArmPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private AzureService Service() => new(ArmTestClient.Create(_peer), TimeProvider.System);

    private static JsonElement Parameters(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file)));
        return document.RootElement.GetProperty("parameters").Clone();
    }

    private static string P(JsonElement parameters, string name) => parameters.GetProperty(name).GetString()!;

    private static string AccountPath(JsonElement p) =>
        $"/subscriptions/{P(p, "subscriptionId")}/resourceGroups/{P(p, "resourceGroupName")}/providers/Microsoft.CognitiveServices/accounts/{P(p, "accountName")}";

    private static JsonElement Body(string file, string status = "200") => ExampleJson.Bodies(Folder, file).Single(b => b.Status == status).Body;

    /// <summary>Has the peer serve the example's 200 body at its address.</summary>
    private void Serve(string method, string path, string file) => _peer.Serve(method, path, 200, JsonNode.Parse(Body(file).GetRawText())!);

    private static void Same(JsonElement raw, string path, object? typed) => ExampleJson.Same(raw, path, typed);

    private static IEnumerable<(JsonElement Raw, ArmResource<T> Typed)> Resources<T>(string file)
    {
        foreach (var (_, _, body) in ExampleJson.Bodies(Folder, file))
        {
            var items = body.TryGetProperty("value", out var list) ? list.EnumerateArray().ToList() : [body];
            foreach (var item in items)
            {
                yield return (item, item.Deserialize<ArmResource<T>>(Api.Json)!);
            }
        }
    }

    private static void Common<T>(JsonElement raw, ArmResource<T> typed) => ExampleJson.Common(raw, typed);

    private static void Account(JsonElement raw, AzureAIAccount account)
    {
        Same(raw, "id", account.Id);
        Same(raw, "name", account.Name);
        Same(raw, "kind", account.Kind);
        Same(raw, "location", account.Location);
        Same(raw, "sku.name", account.Sku);
        Same(raw, "properties.endpoint", account.Endpoint);
        Same(raw, "properties.provisioningState", account.ProvisioningState);
    }

    [Fact]
    public async Task Accounts_AreDiscoveredAndRead_AsTheExamplesSay()
    {
        var list = Parameters("ListAccountsBySubscription.json");
        Serve("GET", $"/subscriptions/{P(list, "subscriptionId")}/providers/Microsoft.CognitiveServices/accounts", "ListAccountsBySubscription.json");
        var get = Parameters("GetAccount.json");
        Serve("GET", AccountPath(get), "GetAccount.json");
        var azure = Service();

        var discovery = await azure.DiscoverAccountsAsync([P(list, "subscriptionId")], refresh: true, CancellationToken.None);
        var raw = Body("ListAccountsBySubscription.json").GetProperty("value").EnumerateArray().ToList();
        Assert.Empty(discovery.Problems);
        Assert.Equal(raw.Count, discovery.Accounts.Count);
        foreach (var item in raw)
        {
            Account(item, Assert.Single(discovery.Accounts, a => a.Id == item.GetProperty("id").GetString()));
        }

        Account(Body("GetAccount.json"), await azure.GetAccountAsync(AccountPath(get), CancellationToken.None));

        foreach (var file in new[] { "ListAccountsByResourceGroup.json", "CreateAccount.json", "CreateAccountMin.json" })
        {
            foreach (var (item, typed) in Resources<CognitiveAccountProperties>(file))
            {
                Common(item, typed);
                Same(item, "properties.endpoint", typed.Properties?.Endpoint);
                Same(item, "properties.provisioningState", typed.Properties?.ProvisioningState);
                Same(item, "properties.customSubDomainName", typed.Properties?.CustomSubDomainName);
                Same(item, "properties.publicNetworkAccess", typed.Properties?.PublicNetworkAccess);
            }
        }
    }

    [Fact]
    public async Task Keys_AreRead()
    {
        var p = Parameters("ListKeys.json");
        Serve("POST", $"{AccountPath(p)}/listKeys", "ListKeys.json");
        var account = new AzureAIAccount(AccountPath(p), P(p, "accountName"), "OpenAI", "westus", P(p, "resourceGroupName"), P(p, "subscriptionId"), "S0", null, new Dictionary<string, string>(), "Succeeded", false);

        var keys = await Service().ListAccountKeysAsync(account, CancellationToken.None);

        Same(Body("ListKeys.json"), "key1", keys.Key1);
        Same(Body("ListKeys.json"), "key2", keys.Key2);
    }

    [Fact]
    public async Task Deployments_AreListed_AndPutPatchBodiesHaveThePublishedShape()
    {
        var p = Parameters("ListDeployments.json");
        Serve("GET", $"{AccountPath(p)}/deployments", "ListDeployments.json");
        var account = new AzureAIAccount(AccountPath(p), P(p, "accountName"), "OpenAI", "westus", P(p, "resourceGroupName"), P(p, "subscriptionId"), "S0", null, new Dictionary<string, string>(), "Succeeded", false);

        var listed = await Service().ListAccountDeploymentsAsync(account, CancellationToken.None);
        var raw = Body("ListDeployments.json").GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(raw.Count, listed.Count);

        foreach (var file in new[] { "ListDeployments.json", "GetDeployment.json", "PutDeployment.json", "UpdateDeployment.json" })
        {
            foreach (var (item, typed) in Resources<CognitiveDeploymentProperties>(file))
            {
                Common(item, typed);
                Same(item, "properties.model.name", typed.Properties?.Model?.Name);
                Same(item, "properties.model.format", typed.Properties?.Model?.Format);
                Same(item, "properties.model.version", typed.Properties?.Model?.Version);
                Same(item, "properties.provisioningState", typed.Properties?.ProvisioningState);
                Same(item, "properties.deploymentState", typed.Properties?.DeploymentState);
                Same(item, "properties.serviceTier", typed.Properties?.ServiceTier);
            }
        }

        // What the portal sends is a subset of the published request, value for value.
        var put = Parameters("PutDeployment.json").GetProperty("deployment");
        var model = put.GetProperty("properties").GetProperty("model");
        var request = new CognitiveDeploymentRequest(
            new CognitiveDeploymentRequestProperties(new CognitiveDeploymentModel(P(model, "format"), P(model, "name"), P(model, "version"))),
            new ArmSku(P(put.GetProperty("sku"), "name"), null, null, null, put.GetProperty("sku").GetProperty("capacity").GetInt32()));
        AssertSubset(JsonSerializer.SerializeToElement(request, Api.Json), put);

        var patch = Parameters("UpdateDeployment.json").GetProperty("deployment");
        var sku = patch.GetProperty("sku");
        var body = JsonSerializer.SerializeToElement(new CognitiveDeploymentPatch(new ArmSku(P(sku, "name"), null, null, null, sku.GetProperty("capacity").GetInt32())), Api.Json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(patch.GetRawText()), JsonNode.Parse(body.GetRawText())), body.GetRawText());
    }

    [Fact]
    public async Task Models_Usages_AndSkus_AreRead_AsTheExamplesSay()
    {
        var azure = Service();
        var p = Parameters("ListAccountModels.json");
        Serve("GET", $"{AccountPath(p)}/models", "ListAccountModels.json");
        var account = new AzureAIAccount(AccountPath(p), P(p, "accountName"), "OpenAI", P(p, "location"), P(p, "resourceGroupName"), P(p, "subscriptionId"), "S0", null, new Dictionary<string, string>(), "Succeeded", false);
        var models = await azure.ListAccountModelsAsync(account, CancellationToken.None);
        var raw = Body("ListAccountModels.json").GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(raw.Count, models.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            ModelFields(raw[i], models[i]);
        }

        var l = Parameters("ListLocationModels.json");
        Serve("GET", $"/subscriptions/{P(l, "subscriptionId")}/providers/Microsoft.CognitiveServices/locations/{P(l, "location")}/models", "ListLocationModels.json");
        var located = await azure.ListLocationModelsAsync(P(l, "subscriptionId"), P(l, "location"), CancellationToken.None);
        var rawLocated = Body("ListLocationModels.json").GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(rawLocated.Count, located.Count);
        for (var i = 0; i < rawLocated.Count; i++)
        {
            Same(rawLocated[i], "kind", located[i].Kind);
            Same(rawLocated[i], "skuName", located[i].SkuName);
            ModelFields(rawLocated[i].GetProperty("model"), located[i].Model!);
        }

        foreach (var file in new[] { "ListUsages.json", "ListUsagesGlobalScope.json" })
        {
            var u = Parameters(file);
            var path = $"/subscriptions/{P(u, "subscriptionId")}/providers/Microsoft.CognitiveServices/locations/{P(u, "location")}/usages";
            Serve("GET", path, file);
            var usages = await azure.ListUsagesAsync(P(u, "subscriptionId"), P(u, "location"), CancellationToken.None);
            var rawUsages = Body(file).GetProperty("value").EnumerateArray().ToList();
            Assert.Equal(rawUsages.Count, usages.Count);
            for (var i = 0; i < rawUsages.Count; i++)
            {
                Same(rawUsages[i], "name.value", usages[i].Name?.Value);
                Same(rawUsages[i], "name.localizedValue", usages[i].Name?.LocalizedValue);
                Same(rawUsages[i], "currentValue", usages[i].CurrentValue);
                Same(rawUsages[i], "limit", usages[i].Limit);
                Same(rawUsages[i], "unit", usages[i].Unit);
                Same(rawUsages[i], "scopeType", usages[i].ScopeType);
                Same(rawUsages[i], "scopeId", usages[i].ScopeId);
            }
        }

        var s = Parameters("ListSkus.json");
        Serve("GET", $"{AccountPath(s)}/skus", "ListSkus.json");
        var skuAccount = account with { Id = AccountPath(s) };
        var skus = await azure.ListAccountSkusAsync(skuAccount, CancellationToken.None);
        var rawSkus = Body("ListSkus.json").GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(rawSkus.Count, skus.Count);
        for (var i = 0; i < rawSkus.Count; i++)
        {
            Same(rawSkus[i], "resourceType", skus[i].ResourceType);
            Same(rawSkus[i], "sku.name", skus[i].Sku?.Name);
            Same(rawSkus[i], "sku.tier", skus[i].Sku?.Tier);
        }

        var d = Parameters("ListDeploymentSkus.json");
        var deploymentId = $"{AccountPath(d)}/deployments/{P(d, "deploymentName")}";
        Serve("GET", $"{deploymentId}/skus", "ListDeploymentSkus.json");
        var deploymentSkus = await azure.ListDeploymentSkusAsync(deploymentId, CancellationToken.None);
        var rawDeploymentSku = Body("ListDeploymentSkus.json").GetProperty("value")[0];
        var first = Assert.Single(deploymentSkus);
        Same(rawDeploymentSku, "sku.name", first.Sku?.Name);
        Same(rawDeploymentSku, "capacity.default", first.Capacity?.Default);
        Same(rawDeploymentSku, "capacity.minimum", first.Capacity?.Minimum);
        Same(rawDeploymentSku, "capacity.maximum", first.Capacity?.Maximum);
        Same(rawDeploymentSku, "capacity.step", first.Capacity?.Step);
        Assert.Equal(rawDeploymentSku.GetProperty("capacity").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetInt32()), first.Capacity!.AllowedValues!);
    }

    private static void ModelFields(JsonElement raw, CognitiveModel model)
    {
        Same(raw, "name", model.Name);
        Same(raw, "format", model.Format);
        Same(raw, "version", model.Version);
        Same(raw, "lifecycleStatus", model.LifecycleStatus);
        Same(raw, "isDefaultVersion", model.IsDefaultVersion?.ToString().ToLowerInvariant());
        Same(raw, "maxCapacity", model.MaxCapacity);
        Same(raw, "modelCatalogAssetId", model.ModelCatalogAssetId);
        Same(raw, "deprecation.inference", model.Deprecation?.Inference);
        Same(raw, "deprecation.fineTune", model.Deprecation?.FineTune);
        Same(raw, "deprecation.deprecationStatus", model.Deprecation?.DeprecationStatus);
        Same(raw, "baseModel.name", model.BaseModel?.Name);
        Same(raw, "replacementConfig.targetModelName", model.ReplacementConfig?.TargetModelName);
        Same(raw, "replacementConfig.targetModelVersion", model.ReplacementConfig?.TargetModelVersion);
        Same(raw, "replacementConfig.autoUpgradeStartDate", model.ReplacementConfig?.AutoUpgradeStartDate);
        Assert.Equal(raw.TryGetProperty("capabilities", out var capabilities) ? capabilities.EnumerateObject().Count() : 0, model.Capabilities?.Count ?? 0);
        Assert.Equal(raw.TryGetProperty("finetuneCapabilities", out var fine) ? fine.EnumerateObject().Count() : 0, model.FinetuneCapabilities?.Count ?? 0);
        var rawSkus = raw.TryGetProperty("skus", out var skus) ? skus.EnumerateArray().ToList() : [];
        Assert.Equal(rawSkus.Count, model.Skus?.Count ?? 0);
        for (var i = 0; i < rawSkus.Count; i++)
        {
            Same(rawSkus[i], "name", model.Skus![i].Name);
            Same(rawSkus[i], "usageName", model.Skus[i].UsageName);
            Same(rawSkus[i], "deprecationDate", model.Skus[i].DeprecationDate);
            Same(rawSkus[i], "capacity.maximum", model.Skus[i].Capacity?.Maximum);
            Same(rawSkus[i], "capacity.default", model.Skus[i].Capacity?.Default);
        }
    }

    [Fact]
    public async Task FoundryProjects_AreRead_AndTheCreateBodyHasThePublishedShape()
    {
        var p = Parameters("ListProjects.json");
        Serve("GET", $"{AccountPath(p)}/projects", "ListProjects.json");
        var account = new AzureAIAccount(AccountPath(p), P(p, "accountName"), "AIServices", "westus", P(p, "resourceGroupName"), P(p, "subscriptionId"), "S0", null, new Dictionary<string, string>(), "Succeeded", false);
        var listed = await Service().ListAccountProjectsAsync(account, CancellationToken.None);
        Assert.Equal(Body("ListProjects.json").GetProperty("value").GetArrayLength(), listed.Count);

        foreach (var file in new[] { "ListProjects.json", "GetProject.json", "CreateProject.json" })
        {
            foreach (var (item, typed) in Resources<CognitiveProjectProperties>(file))
            {
                Common(item, typed);
                Same(item, "properties.displayName", typed.Properties?.DisplayName);
                Same(item, "properties.description", typed.Properties?.Description);
                Same(item, "properties.isDefault", typed.Properties?.IsDefault?.ToString().ToLowerInvariant());
                Same(item, "properties.provisioningState", typed.Properties?.ProvisioningState);
                Assert.Equal(item.GetProperty("properties").GetProperty("endpoints").EnumerateObject().Count(), typed.Properties!.Endpoints!.Count);
            }
        }

        var create = Parameters("CreateProject.json").GetProperty("project");
        var request = new CognitiveProjectRequest(P(create, "location"), new ArmIdentity(P(create.GetProperty("identity"), "type")),
            new CognitiveProjectRequestProperties(P(create.GetProperty("properties"), "displayName"), P(create.GetProperty("properties"), "description")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(create.GetRawText()), JsonNode.Parse(JsonSerializer.Serialize(request, Api.Json))));
    }

    [Fact]
    public void LongRunningOperations_NameTheirPollingHeaders()
    {
        using var delete = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "DeleteDeployment.json")));
        var responses = delete.RootElement.GetProperty("responses");
        Assert.True(responses.GetProperty("202").GetProperty("headers").TryGetProperty("azure-asyncoperation", out _));
        Assert.True(responses.TryGetProperty("204", out _));

        using var update = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "UpdateDeployment.json")));
        Assert.True(update.RootElement.GetProperty("responses").GetProperty("202").GetProperty("headers").TryGetProperty("azure-asyncoperation", out _));
    }

    [Fact]
    public void EveryExampleFile_IsCovered()
    {
        var covered = new[]
        {
            "ListAccountsBySubscription.json", "ListAccountsByResourceGroup.json", "GetAccount.json", "CreateAccount.json", "CreateAccountMin.json",
            "ListKeys.json", "ListDeployments.json", "GetDeployment.json", "PutDeployment.json", "UpdateDeployment.json", "DeleteDeployment.json",
            "ListAccountModels.json", "ListLocationModels.json", "ListUsages.json", "ListUsagesGlobalScope.json", "ListSkus.json", "ListDeploymentSkus.json",
            "GetProject.json", "ListProjects.json", "CreateProject.json",
        };

        Assert.Empty(Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Except(covered));
    }

    [SharedDataFact]
    public void Copies_AreTheSharedOnes()
    {
        var shared = Path.Combine(SharedData.Directory!, "data", "api-examples", "cognitiveservices");
        var names = Directory.GetFiles(shared, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(names, Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(names, name => Assert.Equal(File.ReadAllText(Path.Combine(shared, name!)), File.ReadAllText(Path.Combine(Folder, name!))));
    }

    /// <summary>Every value in <paramref name="sent"/> is in <paramref name="published"/> at the same place.</summary>
    private static void AssertSubset(JsonElement sent, JsonElement published)
    {
        foreach (var property in sent.EnumerateObject())
        {
            Assert.True(published.TryGetProperty(property.Name, out var expected), $"'{property.Name}' is not in the published request");
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                AssertSubset(property.Value, expected);
            }
            else
            {
                Assert.Equal(expected.GetRawText(), property.Value.GetRawText());
            }
        }
    }
}
