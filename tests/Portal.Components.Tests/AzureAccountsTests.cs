using Azure.Core;
using Azure.Core.Pipeline;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.TestPeers;
using Portal.Web.Components.Pages.AiServices;
using Portal.Web.Components.Pages.Settings;
using Portal.Web.Hosting;

namespace Portal.Components.Tests;

/// <summary>
/// Settings → Azure's accounts section and /services against the HTTPS ARM peer, with sign-in on so roles apply:
/// accounts (listed on two pages) with their kind in words, a key hidden until revealed, Azure OpenAI connections, and
/// what a Reader sees.
/// </summary>
public sealed class AzureAccountsTests : PortalBunitContext, IAsyncLifetime
{
    private readonly ArmPeer _arm;

    public AzureAccountsTests()
        : this(ArmPeer.StartAsync().GetAwaiter().GetResult())
    {
    }

    private AzureAccountsTests(ArmPeer arm)
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
            })
    {
        _arm = arm;
        _arm.RetryAfterSeconds = 0;
        User.Set("oidc:dev", "AzureAIDeveloper");
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

    private IRenderedComponent<AzureAccounts> Accounts()
    {
        var cut = Render<AzureAccounts>();
        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("tr[data-account]").Count), TimeSpan.FromSeconds(10));
        return cut;
    }

    private static IElement Row(IRenderedComponent<AzureAccounts> cut, string name) => cut.Find($"tr[data-account='{name}']");

    /// <summary>Waits for the button with this accessible name, then clicks it on the renderer's thread.</summary>
    private static async Task ClickByLabel(IRenderedComponent<AzureAccounts> cut, string label)
    {
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button"), b => b.GetAttribute("aria-label") == label), TimeSpan.FromSeconds(10));
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == label).Click());
    }

    private static async Task ClickByText(IRenderedComponent<AzureAccounts> cut, string text) =>
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == text).Click());

    [Fact]
    public void Accounts_FromBothPages_ShowKindInWordsRegionSkuEndpointsAndState()
    {
        var cut = Accounts();

        var openAi = Row(cut, ArmPeer.OpenAIAccountName).TextContent;
        Assert.Contains("Azure OpenAI", openAi, StringComparison.Ordinal);
        Assert.Contains(ArmPeer.OpenAILocation, openAi, StringComparison.Ordinal);
        Assert.Contains("S0", openAi, StringComparison.Ordinal);
        Assert.Contains("https://team-openai.openai.azure.com/openai/v1/", openAi, StringComparison.Ordinal);
        Assert.Contains("Succeeded", openAi, StringComparison.Ordinal);
        var aiServices = Row(cut, ArmPeer.AIServicesAccountName).TextContent;
        Assert.Contains("AI services (multi-service)", aiServices, StringComparison.Ordinal);
        Assert.Contains("Speech Services Speech to Text (Standard)", aiServices, StringComparison.Ordinal);
        Assert.Contains("Language", Row(cut, "team-language").TextContent, StringComparison.Ordinal);
        Assert.Contains("Speech", Row(cut, "team-speech").TextContent, StringComparison.Ordinal);
        Assert.Contains("F0", Row(cut, "team-vision").TextContent, StringComparison.Ordinal);
        // Only accounts that serve OpenAI offer a connection.
        Assert.DoesNotContain(cut.FindAll("button"), b => b.GetAttribute("aria-label") == "Create connection to team-speech");
        Assert.Empty(cut.FindAll("[data-testid=accounts-role-note]"));
    }

    [Fact]
    public async Task RevealKey_IsNotInThePageUntilClicked_ThenShownWithCopy_AndAuditedWithoutIt()
    {
        var cut = Accounts();
        Assert.DoesNotContain(_arm.AccountKey, cut.Markup, StringComparison.Ordinal);

        await ClickByLabel(cut, $"Reveal key of {ArmPeer.OpenAIAccountName}");

        cut.WaitForAssertion(() => Assert.Equal(_arm.AccountKey, cut.Find("[data-testid=account-key]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains(cut.FindAll("button"), b => b.GetAttribute("aria-label") == $"Copy the key of {ArmPeer.OpenAIAccountName}");
        var entry = Assert.Single(AuditStore.Entries, e => e.Action == "UseDeploymentKeys");
        Assert.Equal("Succeeded", entry.Outcome);
        Assert.DoesNotContain(_arm.AccountKey, $"{entry.Target} {entry.Detail}", StringComparison.Ordinal);

        await ClickByLabel(cut, $"Hide key of {ArmPeer.OpenAIAccountName}");

        cut.WaitForAssertion(() => Assert.DoesNotContain(_arm.AccountKey, cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RevealKey_Locked403_SaysWhyInASentence()
    {
        var cut = Accounts();

        await ClickByLabel(cut, $"Reveal key of {ArmPeer.LockedAccountName}");

        cut.WaitForAssertion(() => Assert.Contains("The key of locked-openai could not be read", cut.Find("[data-testid=account-message]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("lacks permission", cut.Find("[data-testid=account-message]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=account-key]"));
    }

    [Fact]
    public async Task CreateConnection_WithTheKey_SavesAzureOpenAIOnV1_AndASecondWithTheSameNameIsRefused()
    {
        var cut = Accounts();
        await ClickByLabel(cut, $"Create connection to {ArmPeer.OpenAIAccountName}");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#acc-connection-name")), TimeSpan.FromSeconds(10));
        await cut.ChangeAsync("#acc-connection-name", "team-aoai");

        await ClickByText(cut, "Save connection");

        cut.WaitForAssertion(() => Assert.Contains("Connection 'team-aoai' is ready", cut.Find("[data-testid=account-message]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var row = Assert.Single(ConnectionStore.Rows);
        Assert.Equal(("AzureOpenAI", "https://team-openai.openai.azure.com/openai/v1/", "ApiKey"), (row.Kind, row.Endpoint, row.Auth));
        Assert.NotNull(row.ProtectedApiKey);
        Assert.DoesNotContain(_arm.AccountKey, cut.Markup, StringComparison.Ordinal);

        await ClickByLabel(cut, $"Create connection to {ArmPeer.AIServicesAccountName}");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#acc-connection-name")), TimeSpan.FromSeconds(10));
        await cut.ChangeAsync("#acc-connection-name", "team-aoai");
        await ClickByText(cut, "Save connection");

        cut.WaitForAssertion(() => Assert.Contains("already have a connection named 'team-aoai'", cut.Find($"tr[data-account='{ArmPeer.AIServicesAccountName}'] + tr").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Single(ConnectionStore.Rows);
    }

    [Fact]
    public async Task LocalAuthDisabled_OffersEntraIdOnly_AndSavesNoKey()
    {
        _arm.SetLocalAuthDisabled(ArmPeer.OpenAIAccountName, true);
        var cut = Accounts();
        Assert.DoesNotContain(cut.FindAll("button"), b => b.GetAttribute("aria-label") == $"Reveal key of {ArmPeer.OpenAIAccountName}");
        Assert.Contains("Microsoft Entra ID only", Row(cut, ArmPeer.OpenAIAccountName).TextContent, StringComparison.Ordinal);

        await ClickByLabel(cut, $"Create connection to {ArmPeer.OpenAIAccountName}");
        cut.WaitForAssertion(() => Assert.Contains("only Microsoft Entra ID works", cut.Find("[data-testid=entra-only]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await ClickByText(cut, "Save connection");

        cut.WaitForAssertion(() => Assert.Single(ConnectionStore.Rows), TimeSpan.FromSeconds(10));
        Assert.Equal(("EntraId", null), (ConnectionStore.Rows[0].Auth, ConnectionStore.Rows[0].ProtectedApiKey));
        Assert.DoesNotContain(_arm.Requests, r => r.Path.EndsWith("/listKeys", StringComparison.Ordinal));
    }

    [Fact]
    public void Accounts_ThrottledUntilRetriesRunOut_ShowThePerSubscriptionProblemAsASentence()
    {
        _arm.ThrottleNext = 100;

        var cut = Render<AzureAccounts>();

        cut.WaitForAssertion(() => Assert.Contains($"Subscription {ArmPeer.Subscription}: Azure is throttling requests (429)", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("No Azure OpenAI or AI services account", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void AsReader_AccountsShow_WithARoleNote_AndNoKeyOrConnectionButtons()
    {
        User.Set("oidc:rita", "Reader");

        var cut = Accounts();

        Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=accounts-role-note]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("button"), b => (b.GetAttribute("aria-label") ?? "").StartsWith("Reveal key", StringComparison.Ordinal)
            || (b.GetAttribute("aria-label") ?? "").StartsWith("Create connection", StringComparison.Ordinal));
    }

    [Fact]
    public void Services_WithAzure_ListsTheUsersAccountsPerService_AIServicesCountingForEach()
    {
        var cut = Render<AiServices>();

        cut.WaitForAssertion(() => Assert.Contains("6 accounts found", cut.Find("[data-testid=services-accounts-found]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        string[] Yours(string service) => [.. cut.FindAll($"article[data-service={service}] [data-testid=your-accounts] li").Select(li => li.GetAttribute("data-account")!)];
        Assert.Equal([ArmPeer.LockedAccountName, ArmPeer.AIServicesAccountName, ArmPeer.OpenAIAccountName], Yours("azure-openai"));
        Assert.Equal([ArmPeer.AIServicesAccountName, "team-speech"], Yours("speech"));
        Assert.Equal([ArmPeer.AIServicesAccountName], Yours("translator"));
        Assert.Empty(Yours("face"));
        Assert.Contains("None of your accounts provides Face", cut.Find("article[data-service=face]").TextContent, StringComparison.Ordinal);
        var openAi = cut.Find($"article[data-service=azure-openai] li[data-account={ArmPeer.OpenAIAccountName}]");
        Assert.Contains("https://team-openai.openai.azure.com/", openAi.TextContent, StringComparison.Ordinal);
        Assert.Contains("SKU S0", openAi.TextContent, StringComparison.Ordinal);
        Assert.Equal("settings/azure", openAi.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void Services_QueryInTheUrl_FiltersTheDirectory()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("services?q=translation");

        var cut = Render<AiServices>();

        Assert.Equal(["speech", "translator", "video-indexer"], cut.FindAll("article[data-service]").Select(a => a.GetAttribute("data-service")));
        Assert.Equal("translation", cut.Find("#svc-query").GetAttribute("value"));
    }
}

/// <summary>/services without Azure: the directory still works and says what to set up for "your accounts".</summary>
public sealed class AiServicesWithoutAzureTests : PortalBunitContext
{
    [Fact]
    public void Services_WithoutAzure_ShowEveryServiceWithSourcedFacts_AndSayWhatToConfigure()
    {
        var cut = Render<AiServices>();

        Assert.Equal(13, cut.FindAll("article[data-service]").Count);
        var note = cut.Find("[data-testid=services-not-configured]").TextContent;
        Assert.Contains("az login", note, StringComparison.Ordinal);
        Assert.Contains("Settings → Azure", note, StringComparison.Ordinal);
        Assert.Equal("h1", cut.Find("h1").TagName.ToLowerInvariant());
        Assert.Equal(13, cut.FindAll("article[data-service] h2").Count);
        var openAi = cut.Find("article[data-service=azure-openai]");
        Assert.Contains("https://learn.microsoft.com/azure/ai-services/openai/", openAi.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Contains("services#source-learn-multi-service", openAi.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.NotNull(cut.Find("#source-learn-multi-service"));
        Assert.Contains("Microsoft.Search/searchServices", cut.Find("article[data-service=ai-search]").TextContent, StringComparison.Ordinal);
    }
}
