using Portal.Azure;
using Portal.TestPeers;

namespace Portal.Tests.Azure;

/// <summary>Making a connection from a deployment (in Portal.Azure, against the ARM peer), with the store behind its seam.</summary>
public sealed class DeploymentConnectionsTests : IAsyncLifetime
{
    private ArmPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await ArmPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private sealed class FakeStore(params string[] errors) : IDeploymentConnectionStore
    {
        public List<DeploymentConnection> Saved { get; } = [];

        public Task<(string? SavedName, IReadOnlyList<string> Errors)> SaveAsync(DeploymentConnection connection, CancellationToken cancellationToken)
        {
            if (errors.Length > 0)
            {
                return Task.FromResult<(string?, IReadOnlyList<string>)>((null, errors));
            }

            Saved.Add(connection);
            return Task.FromResult<(string?, IReadOnlyList<string>)>((connection.Name, []));
        }
    }

    private async Task<(AzureService Service, AzureWorkspace Project)> ArmAsync()
    {
        var service = new AzureService(ArmTestClient.Create(_peer), TimeProvider.System);
        var project = (await service.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        return (service, project);
    }

    [Fact]
    public async Task Create_Serverless_SavesItsInferenceUriAndKey()
    {
        var (azure, project) = await ArmAsync();
        var deployment = await azure.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "phi-conn", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);
        var store = new FakeStore();

        var result = await new DeploymentConnections(azure, store).CreateAsync(deployment, CancellationToken.None);

        Assert.Equal(DeploymentConnectionOutcome.Created, result.Outcome);
        Assert.Equal("phi-conn", result.ConnectionName);
        var saved = Assert.Single(store.Saved);
        Assert.Equal(_peer.InferenceUri, saved.Endpoint);
        Assert.Equal(_peer.InferenceKey, saved.ApiKey);
        Assert.Equal("Phi-3-mini-4k-instruct", saved.Model);
        Assert.DoesNotContain(_peer.InferenceKey, result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_peer.InferenceKey, saved.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Managed_UsesTheScoringHostWithV1_AndAFlatName()
    {
        var (azure, project) = await ArmAsync();
        var deployment = await azure.DeployManagedAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct/versions/3", "phi-conn-vm", "Standard_NC24ads_A100_v4", 1, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);
        var store = new FakeStore();

        var result = await new DeploymentConnections(azure, store).CreateAsync(deployment, CancellationToken.None);

        Assert.Equal("phi-conn-vm-default", result.ConnectionName);
        Assert.Equal(new Uri(_peer.InferenceUri, "/v1/"), Assert.Single(store.Saved).Endpoint);
    }

    [Fact]
    public async Task Create_KeyUnreadable_SaysWhy_AndSavesNothing()
    {
        var (azure, project) = await ArmAsync();
        var gone = new AzureDeployment($"{project.Id}/serverlessEndpoints/gone", "gone", AzureDeploymentKind.Serverless, project, null, null, null, null, null, "https://example.invalid/v1/", null, null, null);
        var store = new FakeStore();

        var result = await new DeploymentConnections(azure, store).CreateAsync(gone, CancellationToken.None);

        Assert.Equal(DeploymentConnectionOutcome.KeyUnreadable, result.Outcome);
        Assert.Contains("The key of gone could not be read", result.Message, StringComparison.Ordinal);
        Assert.Empty(store.Saved);
    }

    [Fact]
    public async Task Create_WithoutEndpoint_OrRefusedByTheStore_SaysWhy()
    {
        var (azure, project) = await ArmAsync();
        var creating = new AzureDeployment($"{project.Id}/serverlessEndpoints/new", "new", AzureDeploymentKind.Serverless, project, "Creating", null, null, null, null, null, null, null, null);
        var deployment = await azure.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "phi-refused", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);

        var noEndpoint = await new DeploymentConnections(azure, new FakeStore()).CreateAsync(creating, CancellationToken.None);
        var refused = await new DeploymentConnections(azure, new FakeStore("A connection named phi-refused exists.")).CreateAsync(deployment, CancellationToken.None);

        Assert.Equal(DeploymentConnectionOutcome.NoEndpointYet, noEndpoint.Outcome);
        Assert.Equal(DeploymentConnectionOutcome.NotSaved, refused.Outcome);
        Assert.Null(refused.ConnectionName);
        Assert.Contains("A connection named phi-refused exists.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PortalAzure_HoldsTheBridges_AndDependsOnNoWebCode()
    {
        var assembly = typeof(AzureService).Assembly;

        Assert.Same(assembly, typeof(AzureCatalogSource).Assembly);
        Assert.Same(assembly, typeof(DeploymentConnections).Assembly);
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => r is "Portal.Web" or "Portal.Data" or "Portal.Playground" || r.StartsWith("MudBlazor", StringComparison.Ordinal) || r.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal));
    }
}
