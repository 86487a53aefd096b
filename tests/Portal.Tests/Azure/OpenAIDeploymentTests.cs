using System.Text.Json.Nodes;
using Portal.Azure;
using Portal.TestPeers;

namespace Portal.Tests.Azure;

/// <summary>Azure OpenAI deployments against the HTTPS ARM peer: the happy path, then each fault with its sentence.</summary>
public sealed class OpenAIDeploymentTests : IAsyncLifetime
{
    private ArmPeer _peer = default!;

    public async Task InitializeAsync()
    {
        _peer = await ArmPeer.StartAsync();
        _peer.RetryAfterSeconds = 0;
        _peer.PollsToFinish = 2;
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The request body of the published PutDeployment example (shared/data/api-examples/cognitiveservices/PutDeployment.json, 2026-09-01).</summary>
    private const string PutDeploymentExample = """
        { "properties": { "deploymentState": "Running", "model": { "name": "ada", "format": "OpenAI", "version": "1" }, "serviceTier": "Priority" }, "sku": { "name": "Standard", "capacity": 1 } }
        """;

    private AzureService Service(int maxRetries = 2) => new(ArmTestClient.Create(_peer, maxRetries: maxRetries), TimeProvider.System);

    private static Task<AzureAIAccount> AccountAsync(AzureService azure, string name = ArmPeer.OpenAIAccountName) => azure.GetAccountAsync(ArmPeer.AccountId(name), None);

    private static OpenAIDeploymentSpec Spec(string name = "gpt-4o-chat", string sku = "GlobalStandard", int capacity = 20, string version = "2024-08-06", string model = "gpt-4o") =>
        new(name, model, version, sku, capacity, "OnceNewDefaultVersionAvailable");

    private static async Task<(ArmException Error, List<DeployStep> Steps)> FailAsync(AzureService azure, AzureAIAccount account, OpenAIDeploymentSpec spec)
    {
        var steps = new List<DeployStep>();
        var ex = await Assert.ThrowsAsync<ArmException>(() => azure.DeployOpenAIAsync(account, spec, new InlineProgress<DeployStep>(steps.Add), None));
        return (ex, steps);
    }

    [Fact]
    public async Task Deploy_PutsThePublishedShape_FollowsProgress_AndCountsAgainstQuotaAfterwards()
    {
        var azure = Service();
        var account = await AccountAsync(azure);
        var steps = new List<DeployStep>();

        var deployment = await azure.DeployOpenAIAsync(account, Spec(), new InlineProgress<DeployStep>(steps.Add), None);

        Assert.Equal(("gpt-4o-chat", "gpt-4o", "2024-08-06", "GlobalStandard", 20, "Succeeded"),
            (deployment.Name, deployment.ModelName, deployment.ModelVersion, deployment.Sku, deployment.Capacity, deployment.ProvisioningState));
        Assert.Equal([DeployStepState.Requested, DeployStepState.Running, DeployStepState.Succeeded], steps.Select(s => s.State).Distinct());
        Assert.StartsWith("Azure OpenAI deployment gpt-4o-chat (gpt-4o 2024-08-06, GlobalStandard × 20)", steps[0].Resource, StringComparison.Ordinal);

        // The body has the published PutDeployment example's shape: properties.model {format, name, version} and sku {name, capacity}.
        var put = Assert.Single(_peer.Requests, r => r.Method == "PUT");
        Assert.Equal($"{ArmPeer.AccountId()}/deployments/gpt-4o-chat", put.Path);
        var example = JsonNode.Parse(PutDeploymentExample)!;
        Assert.Equal(Keys(example["sku"]), Keys(put.Body!["sku"]));
        Assert.Equal(Keys(example["properties"]!["model"]), Keys(put.Body!["properties"]!["model"]));
        Assert.Equal(("OpenAI", "GlobalStandard", 20), (put.Body!["properties"]!["model"]!["format"]!.GetValue<string>(), put.Body["sku"]!["name"]!.GetValue<string>(), put.Body["sku"]!["capacity"]!.GetValue<int>()));
        Assert.Equal("OnceNewDefaultVersionAvailable", put.Body["properties"]!["versionUpgradeOption"]!.GetValue<string>());

        Assert.Equal(1900 - 20, _peer.QuotaLeft(ArmPeer.OpenAILocation, "OpenAI.GlobalStandard.gpt-4o"));
        var listed = (await azure.ListOpenAIDeploymentsAsync([account], None)).Items;
        Assert.Equal(["gpt-4o-chat", "gpt-4o-mini"], listed.Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CapacityAboveQuota_Is400InsufficientQuota_SaidWithWhatToDo_AndNothingIsCreated()
    {
        var azure = Service();
        var account = await AccountAsync(azure);

        var (ex, steps) = await FailAsync(azure, account, Spec(sku: "Standard", capacity: 11));

        Assert.Equal(("InsufficientQuota", 400), (ex.Error.Code, ex.Error.Status));
        Assert.Contains("Not enough quota for gpt-4o Standard in swedencentral: lower the capacity", ex.Error.Message, StringComparison.Ordinal);
        Assert.Contains("current available capacity 10", ex.Error.Message, StringComparison.Ordinal);
        Assert.Equal(DeployStepState.Failed, steps[^1].State);
        Assert.False(_peer.Exists($"{ArmPeer.AccountId()}/deployments/gpt-4o-chat"));
    }

    [Fact]
    public async Task QuotaIsCounted_OnlyAfterSuccess_SoASecondDeploymentCanExceedIt()
    {
        var azure = Service();
        var account = await AccountAsync(azure);
        await azure.DeployOpenAIAsync(account, Spec("first", "Standard", 6), new InlineProgress<DeployStep>(_ => { }), None);

        var (ex, _) = await FailAsync(azure, account, Spec("second", "Standard", 6));

        Assert.Equal("InsufficientQuota", ex.Error.Code);
        Assert.Contains("current available capacity 4", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockedAccount_Is403_WithTheRoleToAskFor_AndThePermissionCheckSaysSoBefore()
    {
        var azure = Service();
        var account = await AccountAsync(azure, "locked-openai");

        Assert.False(await azure.CanPerformAsync(account.Id, AzureService.OpenAIDeploymentWrite, None));
        Assert.True(await azure.CanPerformAsync(ArmPeer.AccountId(), AzureService.OpenAIDeploymentWrite, None));
        var (ex, _) = await FailAsync(azure, account, Spec());

        Assert.Equal(ArmErrorKind.Forbidden, ex.Error.Kind);
        Assert.Contains("may not change deployments in account locked-openai (swedencentral) (403)", ex.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Cognitive Services Contributor", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatingWhileADeploymentIsUpdating_Is409_SaidAsWaitThenRetry()
    {
        var azure = Service();
        var account = await AccountAsync(azure);
        var deployment = (await azure.ListOpenAIDeploymentsAsync([account], None)).Items.Single(d => d.Name == "gpt-4o-mini");
        _peer.Resource(deployment.Id)!["properties"]!["provisioningState"] = "Updating";

        var ex = await Assert.ThrowsAsync<ArmException>(() => azure.UpdateOpenAICapacityAsync(deployment, 20, null, None));

        Assert.Equal(("RequestConflict", 409), (ex.Error.Code, ex.Error.Status));
        Assert.Contains("is being changed by another operation (409). Wait until its state is Succeeded", ex.Error.Message, StringComparison.Ordinal);
        Assert.Equal(10, _peer.Resource(deployment.Id)!["sku"]!["capacity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Throttled_Is429_WithRetryAfter_InTheSentence()
    {
        var azure = Service(maxRetries: 1);
        var account = await AccountAsync(azure);
        _peer.RetryAfterSeconds = 1;
        _peer.ThrottleNext = 5;

        var (ex, _) = await FailAsync(azure, account, Spec());

        Assert.Equal(ArmErrorKind.Throttled, ex.Error.Kind);
        Assert.Contains("throttling requests to account team-openai (swedencentral) (429)", ex.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Try again in 1 s", ex.Error.Message, StringComparison.Ordinal);
        _peer.ThrottleNext = 0;
    }

    [Fact]
    public async Task ADeploymentEndingFailed_SaysItExistsAsFailed_AndHowToClearIt()
    {
        var azure = Service();
        var account = await AccountAsync(azure);

        var (ex, steps) = await FailAsync(azure, account, Spec("fail-chat"));

        Assert.Equal(ArmErrorKind.OperationFailed, ex.Error.Kind);
        Assert.Contains("Deployment fail-chat ended Failed in Azure; it exists in account team-openai (swedencentral) with state Failed. Delete it on the Deployments page", ex.Error.Message, StringComparison.Ordinal);
        Assert.Contains("DeploymentFailed", ex.Error.Message, StringComparison.Ordinal);
        Assert.Equal("Failed", _peer.Resource($"{ArmPeer.AccountId()}/deployments/fail-chat")!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(DeployStepState.Failed, steps[^1].State);
        Assert.Equal(1900, _peer.QuotaLeft(ArmPeer.OpenAILocation, "OpenAI.GlobalStandard.gpt-4o"));
    }

    [Fact]
    public async Task InvalidOrTakenNames_AreRefusedBeforeAnythingIsSent()
    {
        var azure = Service();
        var account = await AccountAsync(azure);

        var (invalid, _) = await FailAsync(azure, account, Spec("bad name!"));
        var (taken, _) = await FailAsync(azure, account, Spec("gpt-4o-mini"));

        Assert.Contains("'bad name!' cannot be a deployment name. Use 2 to 64 letters", invalid.Error.Message, StringComparison.Ordinal);
        Assert.Contains("already has a deployment named gpt-4o-mini (gpt-4o-mini 2024-07-18); choose another name. Nothing was changed.", taken.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_peer.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task ThePeer_RefusesInvalidNames_ModelsNotOffered_AndSkusNotAllowed_AsAzureDoes()
    {
        var azure = Service();
        var client = ArmTestClient.Create(_peer);
        var eastUs = await AccountAsync(azure, ArmPeer.AIServicesAccountName);

        var name = await Assert.ThrowsAsync<ArmException>(() => client.BeginPutAsync($"{ArmPeer.AccountId()}/deployments/-bad", new CognitiveDeploymentRequest(new(new("OpenAI", "gpt-4o", "2024-08-06")), new ArmSku("GlobalStandard", null, null, null, 1)), None));
        var (model, _) = await FailAsync(azure, eastUs, Spec("preview", version: "2024-11-20"));
        var (sku, _) = await FailAsync(azure, await AccountAsync(azure), Spec("preview", sku: "Standard", version: "2024-11-20"));

        Assert.Equal("InvalidResourceName", name.Error.Code);
        Assert.Equal("DeploymentModelNotSupported", model.Error.Code);
        Assert.Contains("'gpt-4o' version '2024-11-20' is not supported by this account in region 'eastus2'", model.Error.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidResourceProperties", sku.Error.Code);
    }

    [Fact]
    public async Task UpdateCapacity_Patches_AndDelete_FreesTheQuota()
    {
        var azure = Service();
        var account = await AccountAsync(azure);
        var deployment = await azure.DeployOpenAIAsync(account, Spec("resize", "Standard", 5), new InlineProgress<DeployStep>(_ => { }), None);
        Assert.Equal(5, _peer.QuotaLeft(ArmPeer.OpenAILocation, "OpenAI.Standard.gpt-4o"));

        var updated = await azure.UpdateOpenAICapacityAsync(deployment, 8, null, None);
        var patch = Assert.Single(_peer.Requests, r => r.Method == "PATCH");
        Assert.Equal(("Standard", 8), (patch.Body!["sku"]!["name"]!.GetValue<string>(), patch.Body["sku"]!["capacity"]!.GetValue<int>()));
        Assert.Equal((8, "Succeeded"), (updated.Capacity, updated.ProvisioningState));
        Assert.Equal(2, _peer.QuotaLeft(ArmPeer.OpenAILocation, "OpenAI.Standard.gpt-4o"));

        var tooMuch = await Assert.ThrowsAsync<ArmException>(() => azure.UpdateOpenAICapacityAsync(updated, 11, null, None));
        Assert.Equal("InsufficientQuota", tooMuch.Error.Code);

        await azure.DeleteOpenAIDeploymentAsync(updated, null, None);
        Assert.False(_peer.Exists(deployment.Id));
        await azure.ListOpenAIDeploymentsAsync([account], None);
        Assert.Equal(10, _peer.QuotaLeft(ArmPeer.OpenAILocation, "OpenAI.Standard.gpt-4o"));
    }

    [Fact]
    public async Task Connection_IsAzureOpenAI_OnTheAccountsV1Endpoint_WithKey1_AndTheDeploymentNameAsModel()
    {
        var azure = Service();
        var account = await AccountAsync(azure);
        var deployment = (await azure.ListOpenAIDeploymentsAsync([account], None)).Items.Single();
        var store = new Store();

        var result = await new DeploymentConnections(azure, store).CreateForOpenAIAsync(deployment, None);

        Assert.Equal(DeploymentConnectionOutcome.Created, result.Outcome);
        var saved = Assert.Single(store.Saved);
        Assert.Equal(("team-openai-gpt-4o-mini", "https://team-openai.openai.azure.com/openai/v1/", "gpt-4o-mini", DeploymentConnectionKind.AzureOpenAI),
            (saved.Name, saved.Endpoint.AbsoluteUri, saved.Model, saved.Kind));
        Assert.Equal(_peer.AccountKey, saved.ApiKey);
        Assert.DoesNotContain(_peer.AccountKey, result.Message, StringComparison.Ordinal);
    }

    private sealed class Store : IDeploymentConnectionStore
    {
        public List<DeploymentConnection> Saved { get; } = [];

        public Task<(string? SavedName, IReadOnlyList<string> Errors)> SaveAsync(DeploymentConnection connection, CancellationToken cancellationToken)
        {
            Saved.Add(connection);
            return Task.FromResult<(string?, IReadOnlyList<string>)>((connection.Name, []));
        }
    }

    private static string[] Keys(JsonNode? node) => [.. node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];
}
