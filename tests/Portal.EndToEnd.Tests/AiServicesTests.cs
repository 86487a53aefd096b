using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.TestPeers;

namespace Portal.EndToEnd.Tests;

/// <summary>/services and Settings → Azure's accounts in Chromium, against the HTTPS ARM peer.</summary>
[Collection(AzureServerGroup.Name)]
public sealed class AiServicesTests(AzureServerFixture server) : PortalPageTest(server)
{
    private ArmPeer Arm => ((AzureServerFixture)Server).Arm;

    [Fact]
    public async Task Services_ShowTheDirectoryWithYourAccounts_SearchIsInTheUrl_AndLinksToSettings()
    {
        await OpenInteractiveAsync("services");

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "AI services", Level = 1 })).ToBeVisibleAsync();
        var openAi = Page.Locator("article[data-service=azure-openai]");
        await Assertions.Expect(openAi.GetByRole(AriaRole.Heading, new() { Name = "Azure OpenAI", Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(openAi.GetByTestId("your-accounts")).ToContainTextAsync(ArmPeer.OpenAIAccountName);
        await Assertions.Expect(openAi.GetByTestId("your-accounts")).ToContainTextAsync(ArmPeer.AIServicesAccountName);
        await Assertions.Expect(Page.Locator("article[data-service=speech]").GetByTestId("your-accounts")).ToContainTextAsync("team-speech");
        await AssertAccessibleAsync("services-with-accounts");

        await Page.GetByLabel("Search services").FillAsync("translation");
        await Page.GetByLabel("Search services").PressAsync("Enter");

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("services\\?q=translation$"));
        await Assertions.Expect(Page.Locator("article[data-service]")).ToHaveCountAsync(3);
        await Page.Locator("article[data-service=translator]").GetByRole(AriaRole.Link, new() { Name = $"{ArmPeer.AIServicesAccountName} in Settings → Azure" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("settings/azure$"));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task SettingsAzure_RevealsAnAccountKeyOnlyOnClick_AndCreatesAnAzureOpenAIConnection()
    {
        await OpenInteractiveAsync("settings/azure");
        var row = Page.Locator($"tr[data-account={ArmPeer.OpenAIAccountName}]");
        await Assertions.Expect(row).ToContainTextAsync("Azure OpenAI");
        await Assertions.Expect(Page.Locator("tr[data-account]")).ToHaveCountAsync(6);
        Assert.DoesNotContain(Arm.AccountKey, await Page.ContentAsync(), StringComparison.Ordinal);

        await Page.GetByRole(AriaRole.Button, new() { Name = $"Reveal key of {ArmPeer.OpenAIAccountName}" }).ClickAsync();

        await Assertions.Expect(row.GetByTestId("account-key")).ToHaveTextAsync(Arm.AccountKey);
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Copy the key of {ArmPeer.OpenAIAccountName}" })).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Hide key of {ArmPeer.OpenAIAccountName}" }).ClickAsync();
        await Assertions.Expect(row.GetByTestId("account-key")).ToHaveCountAsync(0);

        await Page.GetByRole(AriaRole.Button, new() { Name = $"Create connection to {ArmPeer.OpenAIAccountName}" }).ClickAsync();
        await Page.GetByLabel("Connection name").FillAsync("aoai-e2e");
        await AssertAccessibleAsync("settings-azure-accounts-with-form");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save connection" }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("account-message")).ToContainTextAsync("Connection 'aoai-e2e' is ready");
        await OpenInteractiveAsync("settings/connections");
        // The connection's address is the account's OpenAI v1 address (the fixture points the account at the OpenAI-compatible peer).
        var endpoint = new Uri(Arm.Resource(ArmPeer.AccountId())!["properties"]!["endpoint"]!.GetValue<string>());
        await Assertions.Expect(Page.GetByText(new Uri(endpoint, "/openai/v1/").AbsoluteUri).First).ToBeVisibleAsync();
        Assert.DoesNotContain(Arm.AccountKey, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Logs, line => line.Contains(Arm.AccountKey, StringComparison.Ordinal));
        Assert.Empty(BrowserErrors);
    }
}
