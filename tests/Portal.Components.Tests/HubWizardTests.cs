using AngleSharp.Dom;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.TestPeers;
using Portal.Web.Components.Pages.Azure;
using Portal.Web.Hosting;

namespace Portal.Components.Tests;

/// <summary>The hub and project wizards against the ARM peer: a summary is confirmed before any PUT, progress, blockers, role notes and faults.</summary>
public sealed class HubWizardTests : PortalBunitContext, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly ArmPeer _arm;

    public HubWizardTests()
        : this(ArmPeer.StartAsync().GetAwaiter().GetResult())
    {
    }

    private HubWizardTests(ArmPeer arm)
        : base(
            services =>
            {
                services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
                services.AddKeyedSingleton<TokenCredential>(AzureServiceCollectionExtensions.CredentialKey, new StaticToken());
                services.AddSingleton(TimeProvider.System);
            },
            new Dictionary<string, string?>
            {
                ["Portal:Auth:Mode"] = "Oidc",
                ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
                ["Portal:Auth:Oidc:ClientId"] = "portal-tests",
                ["Portal:Azure:Endpoint"] = arm.BaseUrl.AbsoluteUri,
                ["Portal:Azure:Subscriptions:0"] = ArmPeer.Subscription,
                ["Portal:Azure:PollInterval"] = "00:00:00.020",
            })
    {
        _arm = arm;
        _arm.RetryAfterSeconds = 0;
        _arm.PollsToFinish = 1;
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

    private IRenderedComponent<NewHub> RenderHub()
    {
        var cut = Render<NewHub>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#hub-group option")), Wait);
        return cut;
    }

    private static IElement Button<T>(IRenderedComponent<T> cut, string text)
        where T : IComponent => cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private int Puts => _arm.Requests.Count(r => r.Method == "PUT");

    [Fact]
    public async Task NewHub_AsContributor_ShowsTheSummaryBeforeAnyPut_ThenEachResourcesProgress()
    {
        User.Set("oidc:carla", "Contributor");
        var cut = RenderHub();

        await cut.ChangeAsync("#hub-group", "+new");
        await cut.ChangeAsync("#hub-new-group", "bunit-rg");
        await cut.ChangeAsync("#hub-region", "westeurope");
        await cut.ChangeAsync("#hub-name", "bunit-hub");
        cut.WaitForAssertion(() => Assert.False(Button(cut, "Review").HasAttribute("disabled")), Wait);
        await cut.InvokeAsync(() => Button(cut, "Review").Click());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=summary]")), Wait);
        Assert.Equal(["Resource group", "Storage account", "Key vault", "Hub"], cut.FindAll("[data-testid=summary] tbody tr").Select(r => r.GetAttribute("data-kind")));
        Assert.Contains("resource group bunit-rg (new), region westeurope", cut.Find("[data-testid=summary]").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, Puts);

        await cut.InvokeAsync(() => Button(cut, "Create").Click());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=create-done]")), Wait);
        Assert.Contains("Hub bunit-hub was created in resource group bunit-rg (westeurope).", cut.Find("[data-testid=create-done]").TextContent, StringComparison.Ordinal);
        Assert.Equal(4, cut.FindAll("[data-testid=progress] li[data-status=Succeeded]").Count);
        Assert.Equal(4, Puts);
        Assert.True(_arm.Exists(ArmPeer.ResourceGroupId("bunit-rg") + "/providers/Microsoft.MachineLearningServices/workspaces/bunit-hub"));
    }

    [Fact]
    public async Task NewHub_WithATakenName_SaysSo_AndShowsNoSummary()
    {
        User.Set("oidc:carla", "Contributor");
        var cut = RenderHub();

        await cut.ChangeAsync("#hub-group", ArmPeer.ResourceGroup);
        await cut.ChangeAsync("#hub-name", "team-hub");
        cut.WaitForAssertion(() => Assert.False(Button(cut, "Review").HasAttribute("disabled")), Wait);
        await cut.InvokeAsync(() => Button(cut, "Review").Click());

        cut.WaitForAssertion(() => Assert.Contains("The name team-hub is taken", cut.Find("[data-testid=name-taken]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=summary]"));
        Assert.Equal(0, Puts);
    }

    [Fact]
    public async Task NewHub_WithAnInvalidName_CannotBeReviewed()
    {
        User.Set("oidc:carla", "Contributor");
        var cut = RenderHub();

        await cut.ChangeAsync("#hub-group", ArmPeer.ResourceGroup);
        await cut.ChangeAsync("#hub-name", "-no");

        cut.WaitForAssertion(() => Assert.Contains("3 to 33 letters, digits, hyphens and underscores", cut.Markup, StringComparison.Ordinal), Wait);
        Assert.True(Button(cut, "Review").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewHub_InALockedResourceGroup_ShowsWhatToAskFor_AndReviewIsDisabled()
    {
        User.Set("oidc:carla", "Contributor");
        var cut = RenderHub();

        await cut.ChangeAsync("#hub-group", ArmPeer.LockedResourceGroup);
        await cut.ChangeAsync("#hub-name", "locked-hub");

        cut.WaitForAssertion(() => Assert.Contains("Microsoft.MachineLearningServices/workspaces/write", cut.Find("[data-testid=azure-blocker]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("Ask an owner of resource group locked-rg for the Contributor role", cut.Find("[data-testid=azure-blocker]").TextContent, StringComparison.Ordinal);
        Assert.True(Button(cut, "Review").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("Reader")]
    [InlineData("AzureAIDeveloper")]
    public async Task NewHub_BelowContributor_ShowsTheRoleNote_AndReviewIsDisabled(string role)
    {
        User.Set("oidc:dev", role);
        var cut = RenderHub();

        await cut.ChangeAsync("#hub-group", ArmPeer.ResourceGroup);
        await cut.ChangeAsync("#hub-name", "my-hub");

        Assert.Contains("Creating hubs and projects needs the Contributor role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
        Assert.True(Button(cut, "Review").HasAttribute("disabled"));
    }

    [Fact]
    public async Task NewProject_UnderTheAIServicesAccount_ConfirmsThenCreatesAFoundryProject()
    {
        User.Set("oidc:carla", "Contributor");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"azure/projects/new?parent={Uri.EscapeDataString(ArmPeer.AccountId(ArmPeer.AIServicesAccountName))}");
        var cut = Render<NewProject>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#project-parent option")), Wait);

        await cut.ChangeAsync("#project-name", "bunit.foundry");
        cut.WaitForAssertion(() => Assert.False(Button(cut, "Review").HasAttribute("disabled")), Wait);
        await cut.InvokeAsync(() => Button(cut, "Review").Click());
        cut.WaitForAssertion(() => Assert.Equal("Foundry project", cut.Find("[data-testid=summary] tbody tr").GetAttribute("data-kind")), Wait);
        Assert.Equal(0, Puts);
        await cut.InvokeAsync(() => Button(cut, "Create").Click());

        cut.WaitForAssertion(() => Assert.Contains("Foundry project bunit.foundry was created under account team-aiservices (eastus2).", cut.Find("[data-testid=create-done]").TextContent, StringComparison.Ordinal), Wait);
        Assert.True(_arm.Exists(ArmPeer.AccountId(ArmPeer.AIServicesAccountName) + "/projects/bunit.foundry"));
    }

    [Fact]
    public async Task NewProject_UnderAHub_WhenTheOperationEndsFailed_SaysWhatExists()
    {
        User.Set("oidc:carla", "Contributor");
        var cut = Render<NewProject>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#project-parent option")), Wait);

        await cut.ChangeAsync("#project-parent", ArmPeer.ProjectId("team-hub"));
        await cut.ChangeAsync("#project-name", "fail-project");
        cut.WaitForAssertion(() => Assert.False(Button(cut, "Review").HasAttribute("disabled")), Wait);
        await cut.InvokeAsync(() => Button(cut, "Review").Click());
        cut.WaitForAssertion(() => Assert.Contains("a project is always in its hub's region", cut.Find("[data-testid=summary]").TextContent, StringComparison.Ordinal), Wait);
        await cut.InvokeAsync(() => Button(cut, "Create").Click());

        cut.WaitForAssertion(() => Assert.Contains("Project fail-project exists in a failed state", cut.Find("[data-testid=create-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull(cut.Find("[data-testid=progress] li[data-status=Failed]"));
    }
}
