using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.TestPeers;
using Portal.Web.Components.Pages.Deployments;

namespace Portal.Components.Tests;

/// <summary>The deploy page's Azure OpenAI flow and the Azure OpenAI rows of /deployments, against the HTTPS ARM peer.</summary>
public sealed class OpenAIDeployPagesTests : PortalBunitContext, IAsyncLifetime
{
    private readonly ArmPeer _arm;

    public OpenAIDeployPagesTests()
        : this(ArmPeer.StartAsync().GetAwaiter().GetResult())
    {
    }

    private OpenAIDeployPagesTests(ArmPeer arm)
        : base(
            services =>
            {
                services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
                services.AddKeyedSingleton<TokenCredential>(Portal.Web.Hosting.AzureServiceCollectionExtensions.CredentialKey, new StaticToken());
                services.AddSingleton(TimeProvider.System);
            },
            new Dictionary<string, string?>
            {
                ["Portal:Azure:Endpoint"] = arm.BaseUrl.AbsoluteUri,
                ["Portal:Azure:Subscriptions:0"] = ArmPeer.Subscription,
                ["Portal:Azure:PollInterval"] = "00:00:00.020",
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

    private static async Task ChooseAccount(IRenderedComponent<DeployWizard> cut, string name)
    {
        await cut.ChangeAsync("#aoai-account", ArmPeer.AccountId(name));
        cut.WaitForAssertion(() => Assert.DoesNotContain("Reading what", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    private static async Task Click<T>(IRenderedComponent<T> cut, string name)
        where T : IComponent =>
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim().EndsWith(name, StringComparison.Ordinal)).Click());

    /// <summary>Changes a field on the renderer's thread (the page may be re-rendering as Azure answers), then waits for the effect.</summary>
    private static async Task ChangeAndWait(IRenderedComponent<DeployWizard> cut, string selector, string value, Action effect)
    {
        await cut.InvokeAsync(() => cut.Find(selector).Change(value));
        cut.WaitForAssertion(effect, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wizard_AzureOpenAI_ShowsVersionsSkusAndQuota_ConfirmsASummary_ThenDeploysAndConnects()
    {
        var cut = Wizard("gpt-4o");
        Assert.Equal(["locked-openai", "team-aiservices", "team-openai"], cut.FindAll("#aoai-account option").Skip(1).Select(o => o.TextContent.Split(' ')[0]));
        await ChooseAccount(cut, ArmPeer.OpenAIAccountName);

        var versions = cut.FindAll("#aoai-version option").Select(o => o.TextContent).ToList();
        Assert.Equal("2024-08-06 — generally available, default, retires 2027-06-30", versions[0]);
        Assert.Contains("2024-11-20 — preview, retires 2027-09-30", versions);
        Assert.Contains("2024-05-13 — deprecating, retires 2026-12-20", versions);
        Assert.Contains("from the models API of account team-openai", cut.Find("[data-testid=versions-source]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Standard", "Global standard", "Data zone standard", "Provisioned"], cut.FindAll("#aoai-sku option").Select(o => o.TextContent));
        Assert.Contains("used 100 of 2000 in swedencentral, 1900 left", cut.Find("[data-testid=quota]").TextContent, StringComparison.Ordinal);
        await ChangeAndWait(cut, "#aoai-sku", "Standard", () => Assert.Contains("used 440 of 450 in swedencentral, 10 left", cut.Find("[data-testid=quota]").TextContent, StringComparison.Ordinal));
        await ChangeAndWait(cut, "#aoai-sku", "GlobalStandard", () => Assert.Contains("1900 left", cut.Find("[data-testid=quota]").TextContent, StringComparison.Ordinal));
        await ChangeAndWait(cut, "#aoai-capacity", "30", () => Assert.Equal("30", cut.Find("#aoai-capacity").GetAttribute("value")));

        await Click(cut, "Review deployment");

        var summary = cut.Find("[data-testid=confirm-summary]").TextContent;
        Assert.Contains("gpt-4o 2024-08-06", summary, StringComparison.Ordinal);
        Assert.Contains("Global standard", summary, StringComparison.Ordinal);
        Assert.Contains("capacity 30", summary, StringComparison.Ordinal);
        Assert.Contains("team-openai", summary, StringComparison.Ordinal);
        Assert.Contains("swedencentral", summary, StringComparison.Ordinal);
        Assert.Contains(ArmPeer.ResourceGroup, summary, StringComparison.Ordinal);
        Assert.Contains(ArmPeer.Subscription, summary, StringComparison.Ordinal);
        Assert.DoesNotContain(_arm.Requests, r => r.Method == "PUT");

        await Click(cut, "Create deployment");

        cut.WaitForAssertion(() => Assert.Contains("gpt-4o is ready", cut.Find("[data-testid=deploy-done]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("Azure OpenAI deployment gpt-4o (gpt-4o 2024-08-06, GlobalStandard × 30): Succeeded", cut.Find("[data-testid=progress]").TextContent, StringComparison.Ordinal);
        var connection = Assert.Single(ConnectionStore.Rows);
        Assert.Equal(("team-openai-gpt-4o", "AzureOpenAI", "https://team-openai.openai.azure.com/openai/v1/"), (connection.Name, connection.Kind, connection.Endpoint));
        Assert.NotNull(connection.ProtectedApiKey);
        Assert.DoesNotContain(_arm.AccountKey, cut.Markup, StringComparison.Ordinal);
        Assert.Equal("playground/chat?connection=team-openai-gpt-4o&model=gpt-4o", cut.Find("[data-testid=deploy-done] a").GetAttribute("href"));
    }

    [Fact]
    public async Task Wizard_QuotaExhausted_SaysHowMuchIsUsedAndWhere_AndCannotBeReviewed()
    {
        var cut = Wizard("gpt-4o-mini");
        await ChooseAccount(cut, ArmPeer.OpenAIAccountName);

        await ChangeAndWait(cut, "#aoai-sku", "Standard", () => Assert.NotEmpty(cut.FindAll("[data-testid=why-not] li[data-blocker=QuotaExhausted]")));

        var why = cut.Find("[data-testid=why-not] li[data-blocker=QuotaExhausted]").TextContent;
        Assert.Contains("No standard quota is left for gpt-4o-mini in swedencentral", why, StringComparison.Ordinal);
        Assert.Contains("used 200 of 200 in swedencentral, 0 left", why, StringComparison.Ordinal);
        Assert.Contains("Global standard has 1990 left", why, StringComparison.Ordinal);
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Contains("Review deployment", StringComparison.Ordinal)).HasAttribute("disabled"));
    }

    [Fact]
    public async Task Wizard_LockedAccount_AndARetiringVersion_AreSaidBeforeDeploying()
    {
        var cut = Wizard("gpt-4o");
        await ChooseAccount(cut, "locked-openai");

        cut.WaitForAssertion(() => Assert.Contains("lacks permission to create deployments in account locked-openai", cut.Find("[data-testid=why-not]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Contains("Review deployment", StringComparison.Ordinal)).HasAttribute("disabled"));

        await ChooseAccount(cut, ArmPeer.OpenAIAccountName);
        await ChangeAndWait(cut, "#aoai-version", "2024-05-13", () => Assert.Contains("retires on 2026-12-20", cut.Find("[data-testid=aoai-warnings]").TextContent, StringComparison.Ordinal));
        await ChangeAndWait(cut, "#aoai-name", "gpt-4o-mini", () => Assert.Equal("gpt-4o-mini", cut.Find("#aoai-name").GetAttribute("value")));
        await Click(cut, "Review deployment");
        Assert.Contains("already has a deployment named gpt-4o-mini", cut.Find("[data-testid=deploy-problem]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=confirm-summary]"));
    }

    [Fact]
    public async Task Deployments_ListsAzureOpenAIRows_ChangesCapacityAfterConfirming_AndDeletes()
    {
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Deployments>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-deployment='team-openai/gpt-4o-mini']")), TimeSpan.FromSeconds(10));
        var row = cut.Find("tr[data-deployment='team-openai/gpt-4o-mini']").TextContent;
        Assert.Contains("Azure OpenAI", row, StringComparison.Ordinal);
        Assert.Contains("gpt-4o-mini 2024-07-18", row, StringComparison.Ordinal);
        Assert.Contains("Global standard × 10", row, StringComparison.Ordinal);
        Assert.Contains("Succeeded", row, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Change the capacity of gpt-4o-mini").Click());
        cut.WaitForAssertion(() => Assert.Contains("can grow to 2000", cut.Find("[data-testid=capacity-quota]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await cut.ChangeAsync("#aoai-new-capacity", "25");
        await Click(cut, "Save capacity");
        dialogs.WaitForAssertion(() => Assert.Contains("changes from 10 to 25", dialogs.Find("[role=dialog]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(_arm.Requests, r => r.Method == "PATCH");
        await dialogs.InvokeAsync(() => dialogs.FindAll("[role=dialog] button").Single(b => b.TextContent.Trim() == "Change capacity").Click());

        cut.WaitForAssertion(() => Assert.Contains("gpt-4o-mini now has capacity 25", cut.Find("[data-testid=aoai-status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Equal(25, _arm.Resource($"{ArmPeer.AccountId()}/deployments/gpt-4o-mini")!["sku"]!["capacity"]!.GetValue<int>());

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button"), b => b.GetAttribute("aria-label") == "Delete gpt-4o-mini"), TimeSpan.FromSeconds(10));
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Delete gpt-4o-mini").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Delete gpt-4o-mini in Azure?", dialogs.Find("[role=dialog]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await dialogs.InvokeAsync(() => dialogs.FindAll("[role=dialog] button").Single(b => b.TextContent.Trim() == "Delete").Click());

        cut.WaitForAssertion(() => Assert.Contains("Deleted gpt-4o-mini from account team-openai", cut.Find("[data-testid=aoai-status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.False(_arm.Exists($"{ArmPeer.AccountId()}/deployments/gpt-4o-mini"));
    }
}
