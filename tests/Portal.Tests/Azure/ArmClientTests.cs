using System.Diagnostics;
using Portal.Azure;
using Portal.TestPeers;

namespace Portal.Tests.Azure;

/// <summary>The ARM client against the loopback ARM peer: auth, paging, long-running operations and every error.</summary>
public sealed class ArmClientTests : IAsyncLifetime
{
    private ArmPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await ArmPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private AzureService Service(TestCredential? credential = null, int maxRetries = 2) => new(ArmTestClient.Create(_peer, credential, maxRetries), TimeProvider.System);

    [Fact]
    public async Task Discover_FollowsNextLink_AndSortsHubsProjectsAndRegistries()
    {
        var discovery = await Service().DiscoverAsync([ArmPeer.Subscription], refresh: true, CancellationToken.None);

        Assert.Empty(discovery.Problems);
        Assert.Equal(["team-hub"], discovery.Hubs.Select(h => h.Name));
        Assert.Equal(["locked-project", "team-project"], discovery.Projects.Select(p => p.Name));
        Assert.Equal("team-hub", discovery.Projects[1].HubName);
        Assert.Equal(ArmPeer.Location, discovery.Projects[1].Location);
        Assert.Equal(ArmPeer.ResourceGroup, discovery.Projects[1].ResourceGroup);
        Assert.Equal(["azureml", "azureml-meta"], discovery.Registries.Select(r => r.Name));
        Assert.Contains(_peer.Requests, r => r.Path.EndsWith("/workspaces", StringComparison.Ordinal) && r.Method == "GET");
        Assert.True(_peer.Requests.Count(r => r.Path.EndsWith("/workspaces", StringComparison.Ordinal)) >= 2, "the second page was not requested");
    }

    [Fact]
    public async Task Discover_IsCached_UntilRefreshed()
    {
        var service = Service();
        await service.DiscoverAsync([ArmPeer.Subscription], refresh: false, CancellationToken.None);
        var before = _peer.Requests.Count;

        await service.DiscoverAsync([ArmPeer.Subscription], refresh: false, CancellationToken.None);
        Assert.Equal(before, _peer.Requests.Count);

        await service.DiscoverAsync([ArmPeer.Subscription], refresh: true, CancellationToken.None);
        Assert.True(_peer.Requests.Count > before);
    }

    [Fact]
    public async Task Subscriptions_AreListedThroughArmClient()
    {
        var subscriptions = await Service().ListSubscriptionsAsync(CancellationToken.None);

        var only = Assert.Single(subscriptions);
        Assert.Equal(ArmPeer.Subscription, only.SubscriptionId);
        Assert.Equal("Team subscription", only.DisplayName);
    }

    [Fact]
    public async Task RegistryModels_AreListedWithTheirAssetIds()
    {
        var service = Service();
        var discovery = await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None);

        var models = await service.ListRegistryModelsAsync(discovery.Registries.Single(r => r.Name == "azureml-meta"), CancellationToken.None);

        Assert.Contains(models, m => m.AssetId == "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct" && m.LatestVersion == "3");
    }

    [Fact]
    public async Task DeployServerless_SubscribesToTheMarketplaceFirst_ThenCreatesTheEndpoint_PollingAzureAsyncOperation()
    {
        var service = Service();
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        var steps = new List<DeployStep>();

        var deployment = await service.DeployServerlessAsync(project, "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct", "llama3-team", marketplace: true, new InlineProgress<DeployStep>(steps.Add), CancellationToken.None);

        Assert.Equal("Online", deployment.State);
        Assert.Equal(_peer.InferenceUri.AbsoluteUri, deployment.EndpointUrl);
        var puts = _peer.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.EndsWith("/marketplaceSubscriptions/Meta-Llama-3-8B-Instruct", puts[0].Path, StringComparison.Ordinal);
        Assert.Equal("azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct", puts[0].Body!["properties"]!["modelId"]!.GetValue<string>());
        Assert.EndsWith("/serverlessEndpoints/llama3-team", puts[1].Path, StringComparison.Ordinal);
        Assert.Equal("azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct", puts[1].Body!["properties"]!["modelSettings"]!["modelId"]!.GetValue<string>());
        Assert.Contains(steps, s => s.Status == "InProgress");
        Assert.Equal("Succeeded", steps[^1].Status);
        Assert.True(_peer.Requests.Count(r => r.Path.StartsWith("/operations/", StringComparison.Ordinal)) >= 4);
    }

    [Fact]
    public async Task DeployServerless_FailedOperation_CarriesArmsCodeAndMessage()
    {
        var service = Service();
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        var steps = new List<DeployStep>();

        var error = await Assert.ThrowsAsync<ArmException>(() => service.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "fail-phi", false, new InlineProgress<DeployStep>(steps.Add), CancellationToken.None));

        Assert.Equal(ArmErrorKind.OperationFailed, error.Error.Kind);
        Assert.Equal("ModelNotAvailable", error.Error.Code);
        Assert.Contains("not available for serverless deployment", error.Error.Message, StringComparison.Ordinal);
        Assert.Equal("Failed", steps[^1].Status);
        Assert.DoesNotContain(_peer.Requests, r => r.Path.Contains("marketplaceSubscriptions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeployManaged_CreatesEndpointDeploymentAndTraffic()
    {
        var service = Service();
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");

        var deployment = await service.DeployManagedAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct/versions/3", "phi-managed", "Standard_NC24ads_A100_v4", 2, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);

        Assert.Equal(AzureDeploymentKind.ManagedOnline, deployment.Kind);
        Assert.Equal(2, deployment.InstanceCount);
        var puts = _peer.Requests.Where(r => r.Method == "PUT").Select(r => r.Path).ToList();
        Assert.Equal(3, puts.Count);
        Assert.EndsWith("/onlineEndpoints/phi-managed/deployments/default", puts[1], StringComparison.Ordinal);
        var deploymentBody = _peer.Requests.Where(r => r.Method == "PUT").ElementAt(1).Body!;
        Assert.Equal("Standard_NC24ads_A100_v4", deploymentBody["properties"]!["instanceType"]!.GetValue<string>());
        Assert.Equal(2, deploymentBody["sku"]!["capacity"]!.GetValue<int>());
        Assert.Equal(100, _peer.Requests.Where(r => r.Method == "PUT").Last().Body!["properties"]!["traffic"]!["default"]!.GetValue<int>());
    }

    [Fact]
    public async Task ListDeployments_ManagedDeployment_HasItsVmSizeAndInstanceCount()
    {
        var service = Service();
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        await service.DeployManagedAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct/versions/3", "phi-sized", "Standard_NC48ads_A100_v4", 2, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);

        var (items, _) = await service.ListDeploymentsAsync([project], CancellationToken.None);

        var deployment = Assert.Single(items);
        Assert.Equal("phi-sized/default", deployment.Name);
        Assert.Equal("Standard_NC48ads_A100_v4", deployment.Size);
        Assert.Equal(2, deployment.InstanceCount);
    }

    [Fact]
    public async Task ListDeployments_Keys_AndDelete_PollingLocation()
    {
        var service = Service();
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        await service.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "phi-serverless", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);

        var (items, problems) = await service.ListDeploymentsAsync([project], CancellationToken.None);
        var endpoint = Assert.Single(items);
        Assert.Empty(problems);
        Assert.Equal("azureml://registries/azureml/models/Phi-3-mini-4k-instruct", endpoint.Model);
        Assert.Equal(DateTimeOffset.Parse("2026-11-22T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), endpoint.Created);

        var keys = await service.ListKeysAsync(endpoint, CancellationToken.None);
        Assert.Equal(_peer.InferenceKey, keys.PrimaryKey);

        var progress = new List<ArmProgress>();
        await service.DeleteAsync(endpoint, new InlineProgress<ArmProgress>(progress.Add), CancellationToken.None);
        Assert.False(_peer.Exists(endpoint.Id));
        Assert.Contains(progress, p => p.Status == "InProgress");
    }

    [Fact]
    public async Task Forbidden_IsTranslated_AuthorizationFailed()
    {
        var service = Service();
        var locked = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "locked-project");

        var error = await Assert.ThrowsAsync<ArmException>(() => service.DeployServerlessAsync(locked, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "phi", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None));

        Assert.Equal(ArmErrorKind.Forbidden, error.Error.Kind);
        Assert.Equal("AuthorizationFailed", error.Error.Code);
        Assert.Contains("lacks permission", error.Error.Message, StringComparison.Ordinal);
        Assert.Contains("does not have authorization", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conflict_IsTranslated()
    {
        var service = Service();
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        await service.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "taken", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArmException>(() => service.DeployServerlessAsync(project, "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct", "taken", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None));

        Assert.Equal(ArmErrorKind.Conflict, error.Error.Kind);
        Assert.Equal(409, error.Error.Status);
    }

    [Fact]
    public async Task NotFound_IsTranslated()
    {
        var error = await Assert.ThrowsAsync<ArmException>(() => ArmTestClient.Create(_peer).GetAsync<ArmResource<WorkspaceProperties>>(ArmPeer.ProjectId("gone"), CancellationToken.None));

        Assert.Equal(ArmErrorKind.NotFound, error.Error.Kind);
        Assert.Equal("ResourceNotFound", error.Error.Code);
    }

    [Fact]
    public async Task WrongToken_Is401()
    {
        var discovery = await Service(new TestCredential("expired")).DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None);
        var direct = await Assert.ThrowsAsync<ArmException>(() => ArmTestClient.Create(_peer, new TestCredential("expired")).GetAsync<ArmResource<WorkspaceProperties>>(ArmPeer.ProjectId(), CancellationToken.None));

        Assert.Contains("did not accept the sign-in (401)", Assert.Single(discovery.Problems), StringComparison.Ordinal);
        Assert.Equal(ArmErrorKind.Unauthorized, direct.Error.Kind);
        Assert.Equal("InvalidAuthenticationToken", direct.Error.Code);
    }

    [Fact]
    public async Task NoCredential_SaysWhatToConfigure()
    {
        var service = Service(new TestCredential(failure: new global::Azure.Identity.CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token.")));

        var error = await Assert.ThrowsAsync<ArmException>(() => service.ListSubscriptionsAsync(CancellationToken.None));

        Assert.Equal(ArmErrorKind.NoCredential, error.Error.Kind);
        Assert.Contains("az login", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_IsRetriedAfterRetryAfter_ThenSucceeds()
    {
        _peer.ThrottleNext = 1;
        var clock = Stopwatch.StartNew();

        var workspace = await ArmTestClient.Create(_peer).GetAsync<ArmResource<WorkspaceProperties>>(ArmPeer.ProjectId(), CancellationToken.None);

        Assert.Equal("team-project", workspace.Name);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task Throttled_BeyondTheRetries_SaysWhenToRetry()
    {
        _peer.ThrottleNext = 10;

        var error = await Assert.ThrowsAsync<ArmException>(() => ArmTestClient.Create(_peer, maxRetries: 1).GetAsync<ArmResource<WorkspaceProperties>>(ArmPeer.ProjectId(), CancellationToken.None));

        Assert.Equal(ArmErrorKind.Throttled, error.Error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), error.Error.RetryAfter);
        _peer.ThrottleNext = 0;
    }

    [Fact]
    public async Task CancellingTheWait_LeavesTheResourceInAzure_AndSaysSo()
    {
        _peer.PollsToFinish = 1000;
        var service = Service();
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        var steps = new List<DeployStep>();
        using var cancel = new CancellationTokenSource();

        var deploy = service.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "slow-phi", false, new InlineProgress<DeployStep>(s =>
        {
            steps.Add(s);
            if (s.State == DeployStepState.Running)
            {
                cancel.Cancel();
            }
        }), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deploy);
        Assert.True(_peer.Exists($"{ArmPeer.ProjectId()}/serverlessEndpoints/slow-phi"));
        Assert.Equal(DeployStepState.StillRunningInAzure, steps[^1].State);
        Assert.Contains("Still running in Azure", steps[^1].Status, StringComparison.Ordinal);
    }
}
