using System.Text.Json.Nodes;
using Portal.Azure;
using Portal.TestPeers;

namespace Portal.Tests.Azure;

/// <summary>Creating hubs, projects and Foundry projects against the HTTPS ARM peer: the happy paths with their request bodies, and every fault.</summary>
public sealed class HubCreationTests : IAsyncLifetime
{
    private ArmPeer _peer = default!;
    private readonly List<DeployStep> _steps = [];

    public async Task InitializeAsync()
    {
        _peer = await ArmPeer.StartAsync();
        _peer.RetryAfterSeconds = 0;
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private AzureService Service() => new(ArmTestClient.Create(_peer), TimeProvider.System);

    private InlineProgress<DeployStep> Steps => new(_steps.Add);

    private static CancellationToken None => CancellationToken.None;

    private JsonNode? Body(string method, string pathEnd) =>
        _peer.Requests.Last(r => r.Method == method && r.Path.EndsWith(pathEnd, StringComparison.OrdinalIgnoreCase)).Body;

    [Fact]
    public async Task CreateHub_InANewResourceGroup_CreatesGroupStorageVaultThenHub_InThePublishedShapes()
    {
        var azure = Service();
        var plan = HubPlan.For(ArmPeer.Subscription, "ai-rg", newResourceGroup: true, "westeurope", "new-hub", "New hub", "For the team");

        var hub = await azure.CreateHubAsync(plan, Steps, None);

        Assert.Equal(("new-hub", "Hub", "westeurope"), (hub.Name, hub.Kind, hub.Location));
        Assert.True(_peer.ResourceGroupExists("ai-rg"));
        Assert.Equal(["PUT resourceGroups", "PUT storageAccounts", "PUT vaults", "PUT workspaces"],
            _peer.Requests.Where(r => r.Method == "PUT").Select(r => $"PUT {r.Path.Split('/')[^2]}"));
        Assert.Equal("westeurope", Body("PUT", "/resourcegroups/ai-rg")!["location"]!.GetValue<string>());
        var storage = Body("PUT", plan.StorageAccountName)!;
        Assert.Equal(("StorageV2", "Standard_LRS", "westeurope"), (storage["kind"]!.GetValue<string>(), storage["sku"]!["name"]!.GetValue<string>(), storage["location"]!.GetValue<string>()));
        var vault = Body("PUT", plan.KeyVaultName)!;
        Assert.Equal((ArmPeer.TenantId, "A", "standard"), (vault["properties"]!["tenantId"]!.GetValue<string>(), vault["properties"]!["sku"]!["family"]!.GetValue<string>(), vault["properties"]!["sku"]!["name"]!.GetValue<string>()));
        var workspace = Body("PUT", "/workspaces/new-hub")!;
        Assert.Equal(("Hub", "SystemAssigned", "New hub", "For the team"), (workspace["kind"]!.GetValue<string>(), workspace["identity"]!["type"]!.GetValue<string>(),
            workspace["properties"]!["friendlyName"]!.GetValue<string>(), workspace["properties"]!["description"]!.GetValue<string>()));
        Assert.Equal(plan.StorageAccountId, workspace["properties"]!["storageAccount"]!.GetValue<string>());
        Assert.Equal(plan.KeyVaultId, workspace["properties"]!["keyVault"]!.GetValue<string>());
        Assert.All(plan.Resources.Skip(1), r => Assert.True(_peer.Exists(r.ResourceId), r.Label));
        Assert.Equal(plan.Resources.Select(r => r.Label), _steps.Where(s => s.State == DeployStepState.Succeeded).Select(s => s.Resource));
        Assert.Contains(_steps, s => s.State == DeployStepState.Running);

        var discovery = await azure.DiscoverAsync([ArmPeer.Subscription], refresh: false, None);
        Assert.Contains(discovery.Hubs, h => h.Name == "new-hub" && h.ResourceGroup == "ai-rg");
    }

    [Fact]
    public async Task CreateProject_UnderAHub_IsAProjectWithHubResourceId_InTheHubsRegion()
    {
        var azure = Service();
        var hub = (await azure.DiscoverAsync([ArmPeer.Subscription], refresh: true, None)).Hubs.Single(h => h.Name == "team-hub");

        var project = await azure.CreateHubProjectAsync(new HubProjectPlan(hub, "new-project", "New project", null), Steps, None);

        Assert.Equal(hub.Id, project.HubId);
        var body = Body("PUT", "/workspaces/new-project")!;
        Assert.Equal(("Project", ArmPeer.Location, hub.Id), (body["kind"]!.GetValue<string>(), body["location"]!.GetValue<string>(), body["properties"]!["hubResourceId"]!.GetValue<string>()));
        Assert.Contains((await azure.DiscoverAsync([ArmPeer.Subscription], refresh: false, None)).Projects, p => p.Name == "new-project" && p.HubName == "team-hub");
    }

    [Fact]
    public async Task CreateFoundryProject_UnderTheAIServicesAccount_SendsTheCreateProjectShape()
    {
        var azure = Service();
        var account = await azure.GetAccountAsync(ArmPeer.AccountId(ArmPeer.AIServicesAccountName), None);

        var project = await azure.CreateFoundryProjectAsync(new FoundryProjectPlan(account, "new-foundry", "New Foundry project", "Made by a test"), Steps, None);

        Assert.Equal(("new-foundry", "Succeeded"), (project.Name, project.Properties!.ProvisioningState));
        var body = Body("PUT", "/projects/new-foundry")!;
        Assert.Equal((ArmPeer.AIServicesLocation, "SystemAssigned", "New Foundry project", "Made by a test"), (body["location"]!.GetValue<string>(), body["identity"]!["type"]!.GetValue<string>(),
            body["properties"]!["displayName"]!.GetValue<string>(), body["properties"]!["description"]!.GetValue<string>()));
        Assert.Contains(await azure.ListAccountProjectsAsync(account, None), p => p.Name == "new-foundry");
    }

    [Fact]
    public async Task CreateFoundryProject_UnderAnOpenAIAccount_IsRefusedBeforeAnyRequest()
    {
        var azure = Service();
        var account = await azure.GetAccountAsync(ArmPeer.AccountId(), None);
        _peer.Requests.Clear();

        var ex = await Assert.ThrowsAsync<ArmException>(() => azure.CreateFoundryProjectAsync(new FoundryProjectPlan(account, "p1", null, null), Steps, None));

        Assert.StartsWith("Nothing was created.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task CreateHub_WithAnInvalidName_SendsNothing()
    {
        var ex = await Assert.ThrowsAsync<ArmException>(() => Service().CreateHubAsync(HubPlan.For(ArmPeer.Subscription, ArmPeer.ResourceGroup, false, ArmPeer.Location, "-bad name"), Steps, None));

        Assert.Contains("3 to 33 letters, digits, hyphens and underscores", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_peer.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task CheckWorkspaceNameTaken_SaysWhenTheNameExists()
    {
        var azure = Service();

        Assert.Contains("The name team-hub is taken", await azure.CheckWorkspaceNameTakenAsync(ArmPeer.Subscription, ArmPeer.ResourceGroup, "team-hub", None), StringComparison.Ordinal);
        Assert.Null(await azure.CheckWorkspaceNameTakenAsync(ArmPeer.Subscription, ArmPeer.ResourceGroup, "free-name", None));
    }

    [Fact]
    public async Task CreateHub_WhenTheStorageNameIsTaken_SaysSo_AndThatNothingElseWasCreated()
    {
        var plan = HubPlan.For(ArmPeer.Subscription, ArmPeer.ResourceGroup, false, ArmPeer.Location, "taken-hub");
        _peer.TakenGlobalNames[plan.StorageAccountName] = true;

        var ex = await Assert.ThrowsAsync<ArmException>(() => Service().CreateHubAsync(plan, Steps, None));

        Assert.Equal(("StorageAccountAlreadyTaken", ArmErrorKind.Conflict), (ex.Error.Code, ex.Error.Kind));
        Assert.Contains($"The name {plan.StorageAccountName} is taken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing else was created.", ex.Message, StringComparison.Ordinal);
        Assert.False(_peer.Exists(plan.HubId));
    }

    [Fact]
    public async Task CreateHub_WhenTheKeyVaultNameIsTaken_ReportsTheStorageAccountThatExists()
    {
        var plan = HubPlan.For(ArmPeer.Subscription, "half-rg", true, ArmPeer.Location, "half-hub");
        _peer.TakenGlobalNames[plan.KeyVaultName] = true;

        var ex = await Assert.ThrowsAsync<ArmException>(() => Service().CreateHubAsync(plan, Steps, None));

        Assert.Equal("VaultAlreadyExists", ex.Error.Code);
        Assert.Contains($"Created before this and still in Azure: Resource group half-rg, Storage account {plan.StorageAccountName}.", ex.Message, StringComparison.Ordinal);
        Assert.True(_peer.Exists(plan.StorageAccountId));
        Assert.False(_peer.Exists(plan.HubId));
        Assert.Equal(DeployStepState.Failed, _steps.Last().State);
    }

    [Fact]
    public async Task CreateHub_InALockedResourceGroup_Is403_WithWhatToAskFor()
    {
        var plan = HubPlan.For(ArmPeer.Subscription, ArmPeer.LockedResourceGroup, false, "eastus2", "locked-hub");

        var ex = await Assert.ThrowsAsync<ArmException>(() => Service().CreateHubAsync(plan, Steps, None));

        Assert.Equal(("AuthorizationFailed", ArmErrorKind.Forbidden), (ex.Error.Code, ex.Error.Kind));
        Assert.Contains("Ask an owner of the resource group for the Contributor role on it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPermissions_InTheLockedResourceGroup_ListsTheWriteActions()
    {
        var azure = Service();
        string[] actions = [WorkspaceCreation.WorkspaceWrite, WorkspaceCreation.StorageWrite];

        Assert.Equal(actions, await azure.MissingPermissionsAsync(ArmPeer.ResourceGroupId(ArmPeer.LockedResourceGroup), actions, None));
        Assert.Empty((await azure.MissingPermissionsAsync(ArmPeer.ResourceGroupId(ArmPeer.ResourceGroup), actions, None))!);
    }

    [Fact]
    public async Task CreateHub_InAResourceGroupThatIsGone_SaysToChooseAnother()
    {
        var plan = HubPlan.For(ArmPeer.Subscription, "gone-rg", false, ArmPeer.Location, "orphan-hub");

        var ex = await Assert.ThrowsAsync<ArmException>(() => Service().CreateHubAsync(plan, Steps, None));

        Assert.Equal("ResourceGroupNotFound", ex.Error.Code);
        Assert.Contains("Resource group gone-rg does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Choose another resource group or create a new one.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateHub_WhenTheHubOperationEndsFailed_ReportsEveryResourceThatExists()
    {
        var plan = HubPlan.For(ArmPeer.Subscription, ArmPeer.ResourceGroup, false, ArmPeer.Location, "fail-hub");

        var ex = await Assert.ThrowsAsync<ArmException>(() => Service().CreateHubAsync(plan, Steps, None));

        Assert.Equal(ArmErrorKind.OperationFailed, ex.Error.Kind);
        Assert.Contains("the operation ended Failed (InternalServerError", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Hub fail-hub exists in a failed state", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Storage account {plan.StorageAccountName}, Key vault {plan.KeyVaultName}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProject_WhenThrottledPastTheRetries_SaysWhenToRetry()
    {
        var azure = Service();
        var hub = (await azure.DiscoverAsync([ArmPeer.Subscription], refresh: true, None)).Hubs.Single();
        _peer.RetryAfterSeconds = 1;
        _peer.ThrottleNext = 3;

        var ex = await Assert.ThrowsAsync<ArmException>(() => azure.CreateHubProjectAsync(new HubProjectPlan(hub, "busy-project", null, null), Steps, None));

        Assert.Equal((ArmErrorKind.Throttled, TimeSpan.FromSeconds(1)), (ex.Error.Kind, ex.Error.RetryAfter));
        Assert.Contains("Retry after 1 s.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing else was created.", ex.Message, StringComparison.Ordinal);
        Assert.False(_peer.Exists(ArmPeer.ProjectId("busy-project")));
    }

    [Fact]
    public async Task Peer_RefusesAHubWithoutItsResources_AndAProjectOutsideItsHubsRegion()
    {
        var client = ArmTestClient.Create(_peer);
        var hubId = ArmPeer.ProjectId("bare-hub");

        var bare = await Assert.ThrowsAsync<ArmException>(() => client.BeginPutAsync(hubId,
            new WorkspaceRequest(ArmPeer.Location, "Hub", new ArmIdentity("SystemAssigned"), new WorkspaceRequestProperties("Bare", null)), None));
        var elsewhere = await Assert.ThrowsAsync<ArmException>(() => client.BeginPutAsync(ArmPeer.ProjectId("far-project"),
            new WorkspaceRequest("eastus2", "Project", new ArmIdentity("SystemAssigned"), new WorkspaceRequestProperties("Far", null, HubResourceId: ArmPeer.ProjectId("team-hub"))), None));

        Assert.Contains("Missing dependent resources", bare.Error.ArmMessage, StringComparison.Ordinal);
        Assert.Contains("must be in its hub's region", elsewhere.Error.ArmMessage, StringComparison.Ordinal);
    }
}
