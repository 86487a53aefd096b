using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.TestPeers;
using Portal.Web.Components.Pages.Deployments;
using Portal.Web.Connections;

namespace Portal.Components.Tests.FineTuning;

/// <summary>
/// An Azure OpenAI job's fine-tuned model is deployed first: the account behind the connection is found by its host, a
/// summary is confirmed before the PUT (version 1, Standard), the deployment is followed, a connection to it is made and
/// the chat playground is offered — against the HTTPS ARM peer.
/// </summary>
public sealed class FineTunedDeployTests : PortalBunitContext, IAsyncLifetime
{
    private const string FineTuned = "gpt-4o-mini-2024-07-18.ft-0a1b2c3d4e5f";
    private const string RegionalEndpoint = "https://swedencentral.api.cognitive.microsoft.com/";

    private readonly ArmPeer _arm;
    private readonly MemoryFineTuningStore _store;

    public FineTunedDeployTests()
        : this(ArmPeer.StartAsync().GetAwaiter().GetResult(), new MemoryFineTuningStore())
    {
    }

    private FineTunedDeployTests(ArmPeer arm, MemoryFineTuningStore store)
        : base(
            services =>
            {
                services.AddSingleton<IFineTuningStore>(store);
                services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
                services.AddKeyedSingleton<TokenCredential>(Portal.Web.Hosting.AzureServiceCollectionExtensions.CredentialKey, new StaticToken());
                services.AddSingleton(TimeProvider.System);
            },
            Settings(arm))
    {
        _arm = arm;
        _arm.RetryAfterSeconds = 0;
        _store = store;
    }

    private static Dictionary<string, string?> Settings(ArmPeer arm)
    {
        var settings = ConnectionSettings(
        [
            new ConfiguredConnection { Name = "aoai-ft", Kind = "AzureOpenAI", Endpoint = $"https://{ArmPeer.OpenAIAccountName}.openai.azure.com/", ApiKey = "never-sent-azure-key", Models = ["gpt-4o-mini"] },
            new ConfiguredConnection { Name = "aoai-elsewhere", Kind = "AzureOpenAI", Endpoint = "https://someone-elses.openai.azure.com/", ApiKey = "never-sent-azure-key", Models = ["gpt-4o-mini"] },
            new ConfiguredConnection { Name = "aoai-regional", Kind = "AzureOpenAI", Endpoint = RegionalEndpoint, ApiKey = "never-sent-azure-key", Models = ["gpt-4o-mini"] },
        ]);
        settings["Portal:Azure:Endpoint"] = arm.BaseUrl.AbsoluteUri;
        settings["Portal:Azure:PollInterval"] = "00:00:00.020";
        settings["Portal:Azure:MaxRetries"] = "1"; // one retry is enough to see; the throttled test stays short
        settings["Portal:Azure:Subscriptions:0"] = ArmPeer.Subscription;

        return settings;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _arm.DisposeAsync();
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(ArmPeer.Token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private FineTuningJobRow AzureJob(string connection = "aoai-ft") =>
        _store.AddJob("tester", connection, "ft-0a1b2c3d4e5f", "support", 9, FineTuningHyperparameters.Automatic, fineTunedModel: FineTuned);

    private IRenderedComponent<FineTunedDeploy> Open(Guid job)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"deployments/new/fine-tuned?job={job}");
        var cut = Render<FineTunedDeploy>();
        cut.WaitForAssertion(() => Assert.DoesNotContain("Finding the Azure OpenAI account", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        return cut;
    }

    [Fact]
    public async Task Deploy_FindsTheAccountByHost_ConfirmsASummary_ThenDeploysVersion1Standard_ConnectsAndOffersChat()
    {
        _arm.FineTunedModels.Add(FineTuned);
        var job = AzureJob();
        var cut = Open(job.Id);

        Assert.Contains($"Account {ArmPeer.OpenAIAccountName}", cut.Find("[data-testid=account]").TextContent, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini-2024-07-18-ft-support", cut.Find("#ftd-name").GetAttribute("value"));
        Assert.Contains("hourly hosting fee", cut.Find("[data-testid=hosting-note]").TextContent, StringComparison.Ordinal);

        await cut.ClickButtonAsync("Review deployment");

        var summary = cut.Find("[data-testid=confirm-summary]").TextContent;
        Assert.Contains($"of the fine-tuned model {FineTuned} (version 1)", summary, StringComparison.Ordinal);
        Assert.Contains("Type Standard (Standard), capacity 1", summary, StringComparison.Ordinal);
        Assert.Contains(ArmPeer.OpenAIAccountName, summary, StringComparison.Ordinal);
        Assert.DoesNotContain(_arm.Requests, r => r.Method == "PUT");

        await cut.ClickButtonAsync("Create deployment");

        cut.WaitForAssertion(() => Assert.Contains("gpt-4o-mini-2024-07-18-ft-support is ready", cut.Find("[data-testid=deploy-done]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var put = Assert.Single(_arm.Requests, r => r.Method == "PUT");
        Assert.EndsWith("/accounts/team-openai/deployments/gpt-4o-mini-2024-07-18-ft-support", put.Path, StringComparison.Ordinal);
        Assert.Equal(("OpenAI", FineTuned, "1"), (put.Body!["properties"]!["model"]!["format"]!.GetValue<string>(), put.Body["properties"]!["model"]!["name"]!.GetValue<string>(), put.Body["properties"]!["model"]!["version"]!.GetValue<string>()));
        Assert.Equal(("Standard", 1), (put.Body["sku"]!["name"]!.GetValue<string>(), put.Body["sku"]!["capacity"]!.GetValue<int>()));
        var connection = Assert.Single(ConnectionStore.Rows);
        Assert.Equal(("team-openai-gpt-4o-mini-2024-07-18-ft-support", "AzureOpenAI"), (connection.Name, connection.Kind));
        Assert.DoesNotContain(_arm.AccountKey, cut.Markup, StringComparison.Ordinal);
        Assert.Equal(
            "playground/chat?connection=team-openai-gpt-4o-mini-2024-07-18-ft-support&model=gpt-4o-mini-2024-07-18-ft-support",
            cut.FindAll("[data-testid=deploy-done] a").Single(a => a.TextContent.Contains("Open in the chat playground", StringComparison.Ordinal)).GetAttribute("href"));
    }

    [Fact]
    public async Task Deploy_SeveralAccountsShareTheHost_TheUserChoosesOne_PermissionIsCheckedForTheChosenOne()
    {
        // Accounts reached through a regional endpoint all have its host.
        _arm.SetOpenAIEndpoint(new Uri(RegionalEndpoint));
        _arm.FineTunedModels.Add(FineTuned);
        var job = AzureJob("aoai-regional");
        var cut = Open(job.Id);

        var options = cut.FindAll("#ftd-account option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(3, options.Count);
        Assert.Contains(ArmPeer.AccountId("locked-openai"), options);
        Assert.Contains("3 accounts in your subscriptions have the connection's endpoint host swedencentral.api.cognitive.microsoft.com", cut.Find("#ftd-account-help").TextContent, StringComparison.Ordinal);

        // One the identity may not deploy to: said at once, and nothing can be reviewed there.
        await cut.ChangeAsync("#ftd-account", ArmPeer.AccountId("locked-openai"));
        cut.WaitForAssertion(() => Assert.Contains("lacks permission to create deployments in account locked-openai", cut.Find("[data-testid=why-not]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Contains("Review deployment", StringComparison.Ordinal)).HasAttribute("disabled"));

        // The one that trained it: the problem goes, the summary names it, and the PUT goes there.
        await cut.ChangeAsync("#ftd-account", ArmPeer.AccountId());
        cut.WaitForAssertion(() => Assert.False(cut.FindAll("button").Single(b => b.TextContent.Contains("Review deployment", StringComparison.Ordinal)).HasAttribute("disabled")), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=why-not]"));
        Assert.Contains($"Account {ArmPeer.OpenAIAccountName}", cut.Find("[data-testid=account]").TextContent, StringComparison.Ordinal);
        await cut.ClickButtonAsync("Review deployment");
        Assert.Contains(ArmPeer.OpenAIAccountName, cut.Find("[data-testid=confirm-summary]").TextContent, StringComparison.Ordinal);
        await cut.ClickButtonAsync("Create deployment");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=deploy-done]")), TimeSpan.FromSeconds(20));
        var put = Assert.Single(_arm.Requests, r => r.Method == "PUT");
        Assert.Contains("/accounts/team-openai/deployments/", put.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_AzureThrottlesTheChosenAccountsReads_SaysSoAndOffersNothingToCreate()
    {
        _arm.SetOpenAIEndpoint(new Uri(RegionalEndpoint));
        var job = AzureJob("aoai-regional");
        var cut = Open(job.Id);
        _arm.ThrottleNext = 50; // more 429s than the client retries

        await cut.ChangeAsync("#ftd-account", ArmPeer.AccountId(ArmPeer.AIServicesAccountName));

        cut.WaitForAssertion(() => Assert.Contains($"Azure could not be asked about account {ArmPeer.AIServicesAccountName}", cut.Find("[data-testid=why-not]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("Reload the page to ask again.", cut.Find("[data-testid=why-not]").TextContent, StringComparison.Ordinal);
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Contains("Review deployment", StringComparison.Ordinal)).HasAttribute("disabled"));
        _arm.ThrottleNext = 0;
        Assert.DoesNotContain(_arm.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task Deploy_ModelTheAccountDoesNotKnow_ShowsAzuresRefusalInWords()
    {
        var job = AzureJob(); // the peer's account never trained this model
        var cut = Open(job.Id);
        await cut.ClickButtonAsync("Review deployment");
        await cut.ClickButtonAsync("Create deployment");

        cut.WaitForAssertion(() => Assert.Contains("not supported by this account", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(ConnectionStore.Rows);
        Assert.Empty(cut.FindAll("[data-testid=deploy-done]"));
    }

    [Fact]
    public async Task Deploy_TakenName_IsRefusedBeforeAnythingIsSent()
    {
        _arm.FineTunedModels.Add(FineTuned);
        var job = AzureJob();
        var cut = Open(job.Id);

        await cut.ChangeAsync("#ftd-name", "gpt-4o-mini");
        await cut.ClickButtonAsync("Review deployment");

        Assert.Contains("already has a deployment named gpt-4o-mini", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=confirm-summary]"));
        Assert.DoesNotContain(_arm.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public void Deploy_NoAccountWithTheConnectionsHost_SaysSo_AndHowToDoItByHand()
    {
        var job = AzureJob("aoai-elsewhere");
        var cut = Open(job.Id);

        var why = cut.Find("[data-testid=why-not]").TextContent;
        Assert.Contains("None of the Azure OpenAI accounts in your chosen subscriptions has the endpoint host someone-elses.openai.azure.com", why, StringComparison.Ordinal);
        Assert.Contains($"model {FineTuned}, deployment type Standard", cut.Find("[data-testid=by-hand]").TextContent, StringComparison.Ordinal);
        Assert.Contains("endpoint https://someone-elses.openai.azure.com/openai/v1/", cut.Find("[data-testid=by-hand]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#ftd-name"));
    }

    [Fact]
    public void Deploy_Prerendered_AsksAzureNothing_UntilConnected()
    {
        _arm.FineTunedModels.Add(FineTuned);
        var job = AzureJob();
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        Services.GetRequiredService<NavigationManager>().NavigateTo($"deployments/new/fine-tuned?job={job.Id}");

        var cut = Render<FineTunedDeploy>();

        Assert.Contains("looked up when the page is connected", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(_arm.Requests);
    }

    [Fact]
    public void Deploy_JobNotSucceeded_SaysOnlyASucceededJobHasAModel()
    {
        var running = _store.AddJob("tester", "aoai-ft", "ft-running", null, 3, FineTuningHyperparameters.Automatic, state: "Running");

        var cut = Open(running.Id);

        Assert.Contains("is running: only a succeeded job has a model to deploy", cut.Find("[data-testid=cannot-deploy]").TextContent, StringComparison.Ordinal);
    }
}

/// <summary>The same page when Azure is not set up (no subscriptions chosen): it says where to set it up, and how to do it by hand.</summary>
public sealed class FineTunedDeployWithoutAzureTests() : PortalBunitContext(
    services => services.AddSingleton<IFineTuningStore>(Store),
    ConnectionSettings([new ConfiguredConnection { Name = "aoai-ft", Kind = "AzureOpenAI", Endpoint = "https://team-openai.openai.azure.com/", ApiKey = "never-sent-azure-key", Models = ["gpt-4o-mini"] }]))
{
    private static readonly MemoryFineTuningStore Store = new();

    [Fact]
    public void Deploy_AzureNotSetUp_PointsToSettingsAzure_AndSaysWhatToEnterByHand()
    {
        var job = Store.AddJob("tester", "aoai-ft", "ft-0a1b", "support", 9, FineTuningHyperparameters.Automatic, fineTunedModel: "gpt-4o-mini-2024-07-18.ft-0a1b");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"deployments/new/fine-tuned?job={job.Id}");

        var cut = Render<FineTunedDeploy>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=why-not]")), TimeSpan.FromSeconds(10));

        Assert.Contains("Azure is not set up: choose subscriptions in Settings → Azure", cut.Find("[data-testid=why-not]").TextContent, StringComparison.Ordinal);
        Assert.Equal("settings/azure", cut.FindAll("[data-testid=why-not] a").Single(a => a.TextContent.Contains("Set up Azure", StringComparison.Ordinal)).GetAttribute("href"));
        Assert.Contains("model gpt-4o-mini-2024-07-18.ft-0a1b, deployment type Standard", cut.Find("[data-testid=by-hand]").TextContent, StringComparison.Ordinal);
    }
}
