using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Azure;
using Portal.TestPeers;
using Portal.Web.Components.Pages.Deployments;
using Portal.Web.Hosting;

namespace Portal.Components.Tests;

/// <summary>The deployments page and the wizard with sign-in on: what each role may do to deployments shows, the rest does not.</summary>
public sealed class DeploymentRoleTests : PortalBunitContext, IAsyncLifetime
{
    private readonly ArmPeer _arm;

    public DeploymentRoleTests()
        : this(ArmPeer.StartAsync().GetAwaiter().GetResult())
    {
    }

    private DeploymentRoleTests(ArmPeer arm)
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
        _arm.PollsToFinish = 0;
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

    /// <summary>A serverless endpoint that exists in Azure already (made by someone else).</summary>
    private async Task DeployedAsync(string name)
    {
        var azure = Services.GetRequiredKeyedService<AzureService>(AzureServiceCollectionExtensions.ServerKey);
        var project = (await azure.DiscoverAsync([ArmPeer.Subscription], refresh: true, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");
        await azure.DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", name, false, new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);
    }

    private IRenderedComponent<Deployments> RenderDeployments()
    {
        var cut = Render<Deployments>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-deployment=phi-team]")), TimeSpan.FromSeconds(10));
        return cut;
    }

    private static string[] Labels(IRenderedComponent<Deployments> cut) =>
        [.. cut.FindAll("tr[data-deployment=phi-team] button").Select(b => b.GetAttribute("aria-label") ?? b.TextContent.Trim())];

    [Fact]
    public async Task Deployments_AsReader_ListsThem_WithoutKeysConnectionsOrDelete()
    {
        User.Set("oidc:rita", "Reader");
        await DeployedAsync("phi-team");

        var cut = RenderDeployments();

        Assert.Empty(Labels(cut));
        Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployments_AsDeveloper_RevealsKeysAndMakesConnections_ButCannotDelete()
    {
        User.Set("oidc:dev", "AzureAIDeveloper");
        await DeployedAsync("phi-team");

        var cut = RenderDeployments();

        Assert.Equal(["Reveal the key of phi-team", "Create a connection to phi-team"], Labels(cut));
        Assert.Contains("Deleting a deployment needs the Contributor role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployments_AsContributor_MayDelete()
    {
        User.Set("oidc:carla", "Contributor");
        await DeployedAsync("phi-team");

        var cut = RenderDeployments();

        Assert.Contains("Delete phi-team", Labels(cut));
        Assert.Empty(cut.FindAll("[data-testid=role-note]"));
    }

    [Fact]
    public void Wizard_AsReader_DeployIsDisabled_WithTheRoleNeeded()
    {
        User.Set("oidc:rita", "Reader");
        Services.GetRequiredService<NavigationManager>().NavigateTo("deployments/new?model=Phi-3-mini-4k-instruct");

        var cut = Render<DeployWizard>();
        cut.WaitForAssertion(() => Assert.DoesNotContain("Looking up", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Trim() == "Deploy").HasAttribute("disabled"));
        Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
    }
}
