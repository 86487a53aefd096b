using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.TestPeers;

namespace Portal.EndToEnd.Tests;

/// <summary>Deploying an Azure OpenAI catalog model into an account, then chatting with it through the new connection.</summary>
[Collection(AzureServerGroup.Name)]
public sealed class OpenAIDeployTests(AzureServerFixture server) : PortalPageTest(server)
{
    private AzureServerFixture Azure => (AzureServerFixture)Server;

    [Fact]
    public async Task DeployGpt4oFromItsPage_IntoTeamOpenAI_ShowsProgress_MakesAConnection_AndAnswersInTheChatPlayground()
    {
        // The OpenAI-compatible peer answers the models it knows: Azure OpenAI serves a deployment under its own name.
        Azure.Inference.ExtraModels.Add("gpt-4o-e2e");
        await OpenInteractiveAsync("models/gpt-4o");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Deploy", Exact = true }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("deployments/new\\?model=gpt-4o$"));
        await WaitForCircuitAsync();

        await Page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(ArmPeer.AccountId());
        await Assertions.Expect(Page.GetByLabel("Version", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Page.GetByLabel("Version", new() { Exact = true }).SelectOptionAsync("2024-08-06");
        await Page.GetByLabel("Deployment type").SelectOptionAsync("GlobalStandard");
        await Assertions.Expect(Page.GetByTestId("quota")).ToContainTextAsync("of 2000 in swedencentral");
        await Page.GetByLabel("Capacity").FillAsync("20");
        await Page.GetByLabel("Capacity").BlurAsync();
        await Page.GetByLabel("Deployment name").FillAsync("gpt-4o-e2e");
        await Page.GetByLabel("Deployment name").BlurAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Review deployment" }).ClickAsync();
        var summary = Page.GetByTestId("confirm-summary");
        await Assertions.Expect(summary).ToContainTextAsync("gpt-4o 2024-08-06");
        await Assertions.Expect(summary).ToContainTextAsync("Global standard");
        await Assertions.Expect(summary).ToContainTextAsync("capacity 20");
        await Assertions.Expect(summary).ToContainTextAsync("team-openai");
        await Assertions.Expect(summary).ToContainTextAsync("swedencentral");
        Assert.DoesNotContain(Azure.Arm.Requests, r => r.Method == "PUT" && r.Path.EndsWith("/deployments/gpt-4o-e2e", StringComparison.Ordinal));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create deployment" }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("progress").Locator("li[data-status=InProgress]").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("deploy-done")).ToContainTextAsync("gpt-4o-e2e is ready", new() { Timeout = 30_000 });
        await Assertions.Expect(Page.GetByTestId("deploy-done")).ToContainTextAsync("Connection 'team-openai-gpt-4o-e2e' is ready");
        await Assertions.Expect(Page.GetByTestId("progress")).ToContainTextAsync("Azure OpenAI deployment gpt-4o-e2e (gpt-4o 2024-08-06, GlobalStandard × 20): Succeeded");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Open in the chat playground" }).ClickAsync();
        await WaitForCircuitAsync();
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello Azure OpenAI");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("Echo: Hello Azure OpenAI", new() { Timeout = 20_000 });

        // The answer came through the Azure OpenAI connection: the account's v1 path, Azure's api-key header, the deployment's name as the model.
        var call = Assert.Single(Azure.Inference.Requests, r => r.Path == "/openai/v1/chat/completions" && r.Body?["model"]?.GetValue<string>() == "gpt-4o-e2e");
        Assert.Equal("sk-deployed-endpoint-key-42", call.Headers["api-key"]);
        Assert.True(call.Body!["stream"]?.GetValue<bool>());

        await Page.GotoAsync("deployments");
        await WaitForCircuitAsync();
        await Assertions.Expect(Page.Locator("tr[data-deployment='team-openai/gpt-4o-e2e']")).ToContainTextAsync("Succeeded", new() { Timeout = 15_000 });
        await Assertions.Expect(Page.Locator("tr[data-deployment='team-openai/gpt-4o-e2e']")).ToContainTextAsync("Global standard × 20");
        Assert.DoesNotContain("sk-deployed-endpoint-key-42", await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Logs, line => line.Contains("sk-deployed-endpoint-key-42", StringComparison.Ordinal));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Gpt4oMini_StandardInSwedenCentral_IsBlockedByExhaustedQuota_WithHowMuchIsUsed()
    {
        await OpenInteractiveAsync("deployments/new?model=gpt-4o-mini");
        await Page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(ArmPeer.AccountId());
        await Assertions.Expect(Page.GetByLabel("Deployment type")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        await Page.GetByLabel("Deployment type").SelectOptionAsync("Standard");

        var why = Page.GetByTestId("why-not").Locator("li[data-blocker=QuotaExhausted]");
        await Assertions.Expect(why).ToContainTextAsync("No standard quota is left for gpt-4o-mini in swedencentral");
        await Assertions.Expect(why).ToContainTextAsync("used 200 of 200 in swedencentral, 0 left");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Review deployment" })).ToBeDisabledAsync();
        Assert.Empty(BrowserErrors);
    }

    /// <summary>The Azure OpenAI deploy page with an account, a version and its quota chosen, and its summary, in each theme.</summary>
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task DeployPage_InEachTheme_HasNoSeriousViolations(string theme)
    {
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);
        await OpenInteractiveAsync("deployments/new?model=gpt-4o");
        await Page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(ArmPeer.AccountId());
        await Page.GetByLabel("Version", new() { Exact = true }).SelectOptionAsync("2024-05-13");
        await Assertions.Expect(Page.GetByTestId("quota")).ToBeVisibleAsync();
        await AssertAccessibleAsync($"deployments-new-gpt-4o-{theme}");

        await Page.GetByLabel("Deployment name").FillAsync("gpt-4o-look");
        await Page.GetByLabel("Deployment name").BlurAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review deployment" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("confirm-summary")).ToBeVisibleAsync();
        await AssertAccessibleAsync($"deployments-new-gpt-4o-summary-{theme}");
    }
}
