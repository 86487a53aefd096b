using Portal.Azure;
using Portal.TestPeers;

namespace Portal.Tests.Azure;

/// <summary>The Cognitive Services reads against the HTTPS ARM peer: accounts (two pages), keys, models, usages, SKUs, projects.</summary>
public sealed class CognitiveServicesReadTests : IAsyncLifetime
{
    private ArmPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await ArmPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private AzureService Service() => new(ArmTestClient.Create(_peer), TimeProvider.System);

    [Fact]
    public async Task DiscoverAccounts_FollowsNextLink_AndReadsEveryKind()
    {
        var discovery = await Service().DiscoverAccountsAsync([ArmPeer.Subscription], refresh: true, CancellationToken.None);

        Assert.Empty(discovery.Problems);
        Assert.Equal(["locked-openai", "team-aiservices", "team-language", "team-openai", "team-speech", "team-vision"], discovery.Accounts.Select(a => a.Name));
        var openAi = Assert.Single(discovery.Accounts, a => a.Name == ArmPeer.OpenAIAccountName);
        Assert.Equal(("OpenAI", ArmPeer.OpenAILocation, "S0", "Succeeded", ArmPeer.ResourceGroup), (openAi.Kind, openAi.Location, openAi.Sku, openAi.ProvisioningState, openAi.ResourceGroup));
        Assert.True(openAi.ServesOpenAI);
        Assert.False(Assert.Single(discovery.Accounts, a => a.Name == "team-speech").ServesOpenAI);
        Assert.True(Assert.Single(discovery.Accounts, a => a.Name == ArmPeer.AIServicesAccountName).HostsProjects);
        Assert.Contains(_peer.Requests, r => r.Path.EndsWith("/accounts", StringComparison.Ordinal) && r.Method == "GET");
        Assert.True(_peer.Requests.Count(r => r.Path.EndsWith("/Microsoft.CognitiveServices/accounts", StringComparison.Ordinal)) >= 2, "the second page was not asked for");
    }

    [Fact]
    public async Task Reads_ParseModelsUsagesSkusKeysAndProjects()
    {
        var azure = Service();
        var token = CancellationToken.None;
        var account = await azure.GetAccountAsync(ArmPeer.AccountId(), token);

        var models = await azure.ListAccountModelsAsync(account, token);
        var gpt4o = Assert.Single(models, m => m.Name == "gpt-4o" && m.Version == "2024-08-06");
        Assert.Equal(["Standard", "GlobalStandard", "DataZoneStandard", "ProvisionedManaged"], gpt4o.Skus!.Select(s => s.Name));
        Assert.Equal("OpenAI.Standard.gpt-4o", gpt4o.Skus![0].UsageName);
        Assert.Equal(new DateTimeOffset(2027, 6, 30, 0, 0, 0, TimeSpan.Zero), gpt4o.Deprecation!.Inference);

        var usages = await azure.ListUsagesAsync(ArmPeer.Subscription, ArmPeer.OpenAILocation, token);
        var standard = Assert.Single(usages, u => u.Name!.Value == "OpenAI.Standard.gpt-4o");
        Assert.Equal((440d, 450d), (standard.CurrentValue!.Value, standard.Limit!.Value));

        var located = await azure.ListLocationModelsAsync(ArmPeer.Subscription, ArmPeer.OpenAILocation, token);
        Assert.Contains(located, m => m.Kind == "AIServices" && m.Model!.Name == "dall-e-3");

        Assert.Equal(["F0", "S0"], (await azure.ListAccountSkusAsync(account, token)).Select(s => s.Sku!.Name));
        var deployment = Assert.Single(await azure.ListAccountDeploymentsAsync(account, token));
        Assert.Equal(("gpt-4o-mini", "GlobalStandard", 10), (deployment.Properties!.Model!.Name, deployment.Sku!.Name, deployment.Sku.Capacity));
        var sku = Assert.Single(await azure.ListDeploymentSkusAsync(deployment.Id!, token));
        Assert.Equal(("GlobalStandard", 1000), (sku.Sku!.Name, sku.Capacity!.Maximum));
        Assert.Equal(_peer.AccountKey, (await azure.ListAccountKeysAsync(account, token)).Key1);

        var aiServices = await azure.GetAccountAsync(ArmPeer.AccountId(ArmPeer.AIServicesAccountName), token);
        Assert.Equal("Team Foundry project", Assert.Single(await azure.ListAccountProjectsAsync(aiServices, token)).Properties!.DisplayName);
        Assert.All(_peer.Requests, r => Assert.DoesNotContain("api-version", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void ApiVersion_IsChosenByProvider()
    {
        Assert.Equal("2026-09-01", ArmRestClient.VersionFor($"{ArmPeer.AccountId()}/deployments"));
        Assert.Equal(Api.Version, ArmRestClient.VersionFor(ArmPeer.ProjectId()));
    }

    [Theory]
    [InlineData("OpenAI", "https://team-openai.openai.azure.com/", null, "https://team-openai.openai.azure.com/openai/v1/")]
    [InlineData("AIServices", "https://team.cognitiveservices.azure.com/", "https://team.openai.azure.com/", "https://team.openai.azure.com/openai/v1/")]
    [InlineData("AIServices", "https://team.cognitiveservices.azure.com/", null, "https://team.cognitiveservices.azure.com/openai/v1/")]
    [InlineData("SpeechServices", "https://westeurope.api.cognitive.microsoft.com/", null, null)]
    [InlineData("OpenAI", "http://team.openai.azure.com/", null, null)]
    [InlineData("OpenAI", "not an address", null, null)]
    public void OpenAIV1Endpoint_IsTheOpenAIAddressWithV1(string kind, string endpoint, string? openAiEndpoint, string? expected)
    {
        var endpoints = openAiEndpoint is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["OpenAI Language Model Instance API"] = openAiEndpoint };
        var account = new AzureAIAccount("/x", "team", kind, "eastus2", "rg", "sub", "S0", endpoint, endpoints, "Succeeded", false);

        Assert.Equal(expected, account.OpenAIV1Endpoint?.AbsoluteUri);
    }
}
