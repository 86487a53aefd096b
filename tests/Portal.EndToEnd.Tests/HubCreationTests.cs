using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.TestPeers;

namespace Portal.EndToEnd.Tests;

/// <summary>Creating a hub, a project under it, and a Foundry project, in Chromium against the ARM peer; each then appears in Settings → Azure.</summary>
[Collection(AzureServerGroup.Name)]
public sealed class HubCreationTests(AzureServerFixture server) : PortalPageTest(server)
{
    private static readonly LocatorAssertionsToContainTextOptions Long = new() { Timeout = 60_000 };

    [Fact]
    public async Task CreateAHub_ThenAProjectUnderIt_ShowsProgress_AndBothAppearInSettings()
    {
        var arm = ((AzureServerFixture)Server).Arm;
        await OpenInteractiveAsync("settings/azure");
        await Page.GetByRole(AriaRole.Link, new() { Name = "New hub", Exact = true }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("azure/hubs/new$"));

        var group = Page.GetByLabel("Resource group", new() { Exact = true });
        await Assertions.Expect(group.Locator($"option[value={ArmPeer.ResourceGroup}]")).ToHaveCountAsync(1);
        await group.SelectOptionAsync(ArmPeer.ResourceGroup);
        await Assertions.Expect(Page.GetByLabel("Region", new() { Exact = true })).ToHaveValueAsync(ArmPeer.Location);
        await Page.GetByLabel("Hub name").FillAsync("e2e-hub");
        await Page.GetByLabel("Hub name").BlurAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();

        // Nothing is created before the summary is confirmed.
        await Assertions.Expect(Page.GetByTestId("summary")).ToContainTextAsync("Key vault");
        Assert.DoesNotContain(arm.Requests, r => r.Method == "PUT" && r.Path.Contains("e2e-hub", StringComparison.Ordinal));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("progress").Locator("li[data-status=InProgress]").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("create-done")).ToContainTextAsync("Hub e2e-hub was created in resource group team-rg", Long);
        await Assertions.Expect(Page.GetByTestId("progress")).ToContainTextAsync("Hub e2e-hub: Succeeded");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Create a project in this hub" }).ClickAsync();
        await Assertions.Expect(Page.GetByLabel("Hub or AI services account")).ToHaveValueAsync(ArmPeer.ProjectId("e2e-hub"));
        await Page.GetByLabel("Project name").FillAsync("e2e-project");
        await Page.GetByLabel("Project name").BlurAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("summary")).ToContainTextAsync("under hub e2e-hub");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("create-done")).ToContainTextAsync("Project e2e-project was created under hub e2e-hub", Long);
        await Assertions.Expect(Page.GetByTestId("progress")).ToContainTextAsync("Project e2e-project: Succeeded");

        await Page.GetByTestId("create-done").GetByRole(AriaRole.Link, new() { Name = "Settings → Azure" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("azure-discovery")).ToContainTextAsync("e2e-hub", Long);
        await Assertions.Expect(Page.GetByTestId("azure-discovery").Locator("tr", new() { HasText = "e2e-project" })).ToContainTextAsync("Project");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task CreateAFoundryProject_UnderTheAIServicesAccount_AppearsInSettings()
    {
        await OpenInteractiveAsync("azure/projects/new");
        var parent = Page.GetByLabel("Hub or AI services account");
        var account = ArmPeer.AccountId(ArmPeer.AIServicesAccountName);
        await Assertions.Expect(parent.Locator($"option[value=\"{account}\"]")).ToHaveCountAsync(1);
        await parent.SelectOptionAsync(account);
        await Page.GetByLabel("Project name").FillAsync("e2e-foundry");
        await Page.GetByLabel("Display name (optional)").FillAsync("E2E Foundry project");
        await Page.GetByLabel("Display name (optional)").BlurAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("summary")).ToContainTextAsync("Foundry project");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("create-done")).ToContainTextAsync("Foundry project e2e-foundry was created under account team-aiservices (eastus2)", Long);
        await Assertions.Expect(Page.GetByTestId("progress")).ToContainTextAsync("Foundry project e2e-foundry: Succeeded");

        await Page.GetByTestId("create-done").GetByRole(AriaRole.Link, new() { Name = "Settings → Azure" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("foundry-projects").Locator("tr", new() { HasText = "E2E Foundry project" })).ToContainTextAsync("team-aiservices", Long);
        Assert.Empty(BrowserErrors);
    }
}
