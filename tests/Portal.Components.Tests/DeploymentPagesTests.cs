using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Azure;
using Portal.TestPeers;
using Portal.Web.Components.Pages.Deployments;

namespace Portal.Components.Tests;

public sealed class DeploymentPagesWithoutAzureTests : PortalBunitContext
{
    public DeploymentPagesWithoutAzureTests()
    {
    }

    [Fact]
    public void Deployments_WithoutAzure_SayWhatToConfigure()
    {
        var cut = Render<Deployments>();

        var text = cut.Find("[data-testid=azure-not-configured]").TextContent;
        Assert.Contains("az login", text, StringComparison.Ordinal);
        Assert.Contains("Settings → Azure", text, StringComparison.Ordinal);
        Assert.Contains("work without Azure", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Wizard_ForAnAzureOpenAiModel_ExplainsWhyNot()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("deployments/new?model=gpt-4o");
        var cut = Render<DeployWizard>();

        var why = cut.Find("[data-testid=why-not]").TextContent;
        Assert.Contains("is an Azure OpenAI model: it is deployed into an Azure OpenAI (or AI services) account", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Azure is not set up", why, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#dep-project"));
        Assert.Empty(cut.FindAll("#aoai-account"));
        var setUp = cut.FindAll("[data-testid=why-not] a").Single(a => a.TextContent.Trim() == "Set up Azure in Settings");
        Assert.Equal("settings/azure", setUp.GetAttribute("href"));
    }
}

/// <summary>The deployments page and the deploy wizard against the HTTPS ARM peer on loopback.</summary>
public sealed class DeploymentPagesTests : PortalBunitContext, IAsyncLifetime
{
    private readonly ArmPeer _arm;

    public DeploymentPagesTests()
        : this(ArmPeer.StartAsync().GetAwaiter().GetResult())
    {
    }

    private DeploymentPagesTests(ArmPeer arm)
        : base(
            services =>
            {
                // The network edge: Azure Resource Manager is the HTTPS peer, reached with a token it accepts.
                services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
                services.AddKeyedSingleton<TokenCredential>(Portal.Web.Hosting.AzureServiceCollectionExtensions.CredentialKey, new StaticToken());
                services.AddSingleton(TimeProvider.System);
            },
            new Dictionary<string, string?>
            {
                ["Portal:Azure:Endpoint"] = arm.BaseUrl.AbsoluteUri,
                ["Portal:Azure:Subscriptions:0"] = ArmPeer.Subscription,
                ["Portal:Azure:PollInterval"] = "00:00:00.020",
                ["Portal:Azure:MaxRetries"] = "1", // one retry is enough to see; throttled tests stay short
            })
    {
        _arm = arm;
        _arm.RetryAfterSeconds = 0;
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

    private IRenderedComponent<DeployWizard> Wizard(string model)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"deployments/new?model={model}");
        var cut = Render<DeployWizard>();
        cut.WaitForAssertion(() => Assert.DoesNotContain("Looking up", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        return cut;
    }

    /// <summary>Chooses a project and waits until the wizard has checked the permissions there.</summary>
    private static async Task ChooseProject(IRenderedComponent<DeployWizard> cut, string projectId)
    {
        await cut.ChangeAsync("#dep-project", projectId);
        cut.WaitForAssertion(() => Assert.DoesNotContain("Checking your permissions", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    /// <summary>Clicks the button whose visible text ends with the name , as a person reads it.</summary>
    /// <remarks>Found and clicked on the renderer's thread, so a render in between (the wizard re-renders as its checks
    /// answer) cannot leave the click on a button that is gone.</remarks>
    private static async Task Click(IRenderedComponent<DeployWizard> cut, string name) =>
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim().EndsWith(name, StringComparison.Ordinal)).Click());

    [Fact]
    public async Task Wizard_Serverless_ThirdPartyModel_ReviewsThenDeploysWithProgress_AndCreatesAConnection()
    {
        var cut = Wizard("Meta-Llama-3-8B-Instruct");
        Assert.Equal("azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct", cut.Find("#dep-asset").GetAttribute("value"));
        await ChooseProject(cut, ArmPeer.ProjectId());
        await cut.ChangeAsync("#dep-name", "llama3-wizard");

        var review = cut.Find("[data-testid=review]").TextContent;
        Assert.Contains("marketplace subscription", review, StringComparison.Ordinal);
        Assert.Contains("team-rg", review, StringComparison.Ordinal);
        Assert.Contains(ArmPeer.Location, review, StringComparison.Ordinal);

        await Click(cut, "Deploy");

        cut.WaitForAssertion(() => Assert.Contains("is running", cut.Find("[data-testid=deploy-done]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var progress = cut.Find("[data-testid=progress]").TextContent;
        Assert.Contains("Marketplace subscription Meta-Llama-3-8B-Instruct: Succeeded", progress, StringComparison.Ordinal);
        Assert.Contains("Serverless endpoint llama3-wizard: Succeeded", progress, StringComparison.Ordinal);
        var connection = Assert.Single(ConnectionStore.Rows);
        Assert.Equal("llama3-wizard", connection.Name);
        Assert.Equal(_arm.InferenceUri.AbsoluteUri, connection.Endpoint);
        Assert.NotNull(connection.ProtectedApiKey);
        Assert.Equal("playground/chat?connection=llama3-wizard&model=Meta-Llama-3-8B-Instruct", cut.Find("[data-testid=deploy-done] a").GetAttribute("href"));
    }

    [Fact]
    public async Task Wizard_FailedOperation_ShowsArmsCodeAndMessage_AndWhatExists()
    {
        var cut = Wizard("Phi-3-mini-4k-instruct");
        await ChooseProject(cut, ArmPeer.ProjectId());
        await cut.ChangeAsync("#dep-name", "fail-phi");

        await Click(cut, "Deploy");

        cut.WaitForAssertion(() => Assert.Contains("ModelNotAvailable", cut.Find("[data-testid=deploy-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("not available for serverless deployment", cut.Find("[data-testid=deploy-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Serverless endpoint fail-phi: Failed", cut.Find("[data-testid=progress]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Marketplace", cut.Find("[data-testid=progress]").TextContent, StringComparison.Ordinal);
        Assert.Empty(ConnectionStore.Rows);
    }

    [Fact]
    public async Task Wizard_ProjectWithoutPermission_IsExplainedBeforeDeploying()
    {
        var cut = Wizard("Phi-3-mini-4k-instruct");

        await ChooseProject(cut, ArmPeer.ProjectId("locked-project"));

        cut.WaitForAssertion(() => Assert.Contains("lacks permission to create endpoints in Locked project", cut.Find("[data-testid=why-not]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(cut.FindAll("button").First(b => b.TextContent.Contains("Deploy", StringComparison.Ordinal)).HasAttribute("disabled"));
    }

    [Fact]
    public async Task Wizard_PermissionCheckThrottled_LeavesThePermissionUnknown_AndTheDeployPossible()
    {
        var cut = Wizard("Phi-3-mini-4k-instruct");
        _arm.ThrottleNext = 50; // more 429s than the client retries

        await ChooseProject(cut, ArmPeer.ProjectId());

        Assert.True(_arm.ThrottleNext < 50, "The permission check was not asked.");
        Assert.Empty(cut.FindAll("[data-testid=why-not]"));
        Assert.False(cut.FindAll("button").First(b => b.TextContent.Contains("Deploy", StringComparison.Ordinal)).HasAttribute("disabled"));
        _arm.ThrottleNext = 0;
    }

    [Fact]
    public async Task Wizard_BadName_IsRefusedBeforeAnyCall()
    {
        var cut = Wizard("Phi-3-mini-4k-instruct");
        await ChooseProject(cut, ArmPeer.ProjectId());
        await cut.ChangeAsync("#dep-name", "9 bad name");
        var before = _arm.Requests.Count(r => r.Method == "PUT");

        await Click(cut, "Deploy");

        Assert.Contains("3 to 32 letters", cut.Find("[data-testid=deploy-problem]").TextContent, StringComparison.Ordinal);
        Assert.Equal(before, _arm.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Deployments_ManagedDeployment_ShowsItsVmSizeTimesInstances()
    {
        var azure = Services.GetRequiredService<AzureService>();
        var project = (await azure.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        await azure.DeployManagedAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct/versions/3", "phi-vm", "Standard_NC24ads_A100_v4", 2, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);

        var cut = Render<Deployments>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-deployment='phi-vm/default']")), TimeSpan.FromSeconds(10));
        var row = cut.Find("tr[data-deployment='phi-vm/default']").TextContent;
        Assert.Contains("Managed compute", row, StringComparison.Ordinal);
        Assert.Contains("Standard_NC24ads_A100_v4 × 2", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Default", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prerendered_AzurePages_CallNoAzure_AndTheirButtonsWaitForTheCircuit()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var deployments = Render<Deployments>();
        Services.GetRequiredService<NavigationManager>().NavigateTo("deployments/new?model=Phi-3-mini-4k-instruct");
        var wizard = Render<DeployWizard>();
        var settings = Render<Portal.Web.Components.Pages.Settings.AzureSettings>();
        await Task.Delay(500);

        Assert.Empty(_arm.Requests);
        Assert.Contains("when the page is connected", deployments.Markup, StringComparison.Ordinal);
        Assert.Contains("when the page is connected", wizard.Markup, StringComparison.Ordinal);
        Assert.All(settings.FindAll("button"), b => Assert.True(b.HasAttribute("disabled"), $"'{b.TextContent.Trim()}' is enabled before the circuit is up"));
        Assert.Contains(settings.FindAll("button"), b => b.TextContent.Contains("Check sign-in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deployments_DeleteThenLeaveThePage_StopsPollingAzure()
    {
        var azure = Services.GetRequiredService<AzureService>();
        var project = (await azure.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        await azure.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "phi-slow-delete", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);
        _arm.PollsToFinish = int.MaxValue;
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Deployments>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-deployment=phi-slow-delete]")), TimeSpan.FromSeconds(10));
        await ClickByLabel(cut, "Delete phi-slow-delete");
        await Confirm(dialogs, "Delete phi-slow-delete in Azure?", "Delete");
        cut.WaitForAssertion(() => Assert.Contains(_arm.Requests, r => r.Path.StartsWith("/operations/", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));

        await DisposeComponentsAsync();
        await Task.Delay(500);
        var pollsAfterLeaving = Polls();
        await Task.Delay(1000);

        Assert.Equal(pollsAfterLeaving, Polls());
        Assert.True(_arm.Exists($"{ArmPeer.ProjectId()}/serverlessEndpoints/phi-slow-delete"));
    }

    [Fact]
    public async Task Wizard_LeavingDuringADeploy_StopsPollingAzure()
    {
        var cut = Wizard("Phi-3-mini-4k-instruct");
        await cut.ChangeAsync("#dep-name", "phi-left");
        await ChooseProject(cut, ArmPeer.ProjectId());
        _arm.PollsToFinish = int.MaxValue;

        await Click(cut, "Deploy");
        cut.WaitForAssertion(() => Assert.True(Polls() > 0), TimeSpan.FromSeconds(10));
        await DisposeComponentsAsync();
        await Task.Delay(500);
        var pollsAfterLeaving = Polls();
        await Task.Delay(1000);

        Assert.Equal(pollsAfterLeaving, Polls());
        Assert.Empty(ConnectionStore.Rows);
    }

    [Fact]
    public async Task AzureSettings_Interactive_ListsHubsProjectsAndRegistries_AndItsButtonsWork()
    {
        var cut = Render<Portal.Web.Components.Pages.Settings.AzureSettings>();

        cut.WaitForAssertion(() => Assert.Contains("Team project", cut.Find("[data-testid=azure-discovery]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var table = cut.Find("[data-testid=azure-discovery]").TextContent;
        Assert.Contains("Team hub", table, StringComparison.Ordinal);
        Assert.Contains("azureml-meta", table, StringComparison.Ordinal);
        var check = cut.FindAll("button").Single(b => b.TextContent.Contains("Check sign-in", StringComparison.Ordinal));
        Assert.False(check.HasAttribute("disabled"));

        await cut.ClickAsync("button", b => b.TextContent.Contains("Check sign-in", StringComparison.Ordinal));

        cut.WaitForAssertion(() => Assert.Contains("Team subscription", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits for the button with this accessible name (a render may still be on its way), then clicks it.</summary>
    private static async Task ClickByLabel(IRenderedComponent<Deployments> cut, string label)
    {
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button"), b => b.GetAttribute("aria-label") == label), TimeSpan.FromSeconds(10));
        await cut.ClickLabelledAsync(label);
    }

    /// <summary>Waits for the confirmation dialog with this title, then presses one of its buttons by its text.</summary>
    private static async Task Confirm(IRenderedComponent<MudDialogProvider> dialogs, string title, string button)
    {
        dialogs.WaitForAssertion(() => Assert.Contains(title, dialogs.Find("[role=dialog]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == button);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[role=dialog]")), TimeSpan.FromSeconds(10));
    }

    private int Polls() => _arm.Requests.Count(r => r.Path.StartsWith("/operations/", StringComparison.Ordinal));

    [Fact]
    public async Task Deployments_ListRevealCreateConnectionAndDelete()
    {
        var azure = Services.GetRequiredService<AzureService>();
        var project = (await azure.DiscoverAsync([ArmPeer.Subscription], true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        await azure.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", "phi-listed", false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);

        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Deployments>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-deployment=phi-listed]")), TimeSpan.FromSeconds(10));
        var row = cut.Find("tr[data-deployment=phi-listed]");
        Assert.Contains("Serverless API", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Online", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_arm.InferenceKey, cut.Markup, StringComparison.Ordinal);

        await ClickByLabel(cut, "Reveal the key of phi-listed");
        cut.WaitForAssertion(() => Assert.Equal(_arm.InferenceKey, cut.Find("[data-testid=revealed-key]").TextContent), TimeSpan.FromSeconds(10));

        await ClickByLabel(cut, "Create a connection to phi-listed");
        cut.WaitForAssertion(() => Assert.Single(ConnectionStore.Rows), TimeSpan.FromSeconds(10));

        // Nothing is deleted without confirming: "Keep" leaves the endpoint alone.
        await ClickByLabel(cut, "Delete phi-listed");
        await Confirm(dialogs, "Delete phi-listed in Azure?", "Keep");
        Assert.True(_arm.Exists($"{ArmPeer.ProjectId()}/serverlessEndpoints/phi-listed"));
        Assert.DoesNotContain(_arm.Requests, r => r.Method == "DELETE");

        await ClickByLabel(cut, "Delete phi-listed");
        await Confirm(dialogs, "Delete phi-listed in Azure?", "Delete");
        cut.WaitForAssertion(() => Assert.Contains("Deleted phi-listed", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.False(_arm.Exists($"{ArmPeer.ProjectId()}/serverlessEndpoints/phi-listed"));
    }
}
