using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Connections;
using Portal.Web.Components.Pages.Catalog;
using Portal.Web.Components.Pages.Playground;
using Portal.Web.Components.Pages.Settings;
using Portal.Web.Connections;

namespace Portal.Components.Tests;

/// <summary>
/// Pages with sign-in on: each shows only what the user's role allows (the services refuse the rest anyway), says which
/// role is needed, and keeps what the user typed when a service refuses.
/// </summary>
public sealed class RolePagesTests() : PortalBunitContext(null, new Dictionary<string, string?>
{
    ["Portal:Auth:Mode"] = "Oidc",
    ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
    ["Portal:Auth:Oidc:ClientId"] = "portal-tests",
})
{
    private const string Key = "sk-role-test-key-1234ABCD";

    private StoredConnection Seed(string owner, string name)
    {
        var row = new StoredConnection
        {
            Id = Guid.NewGuid(),
            UserId = owner,
            Name = name,
            Kind = "OpenAICompatible",
            Endpoint = "http://127.0.0.1:11434/v1/",
            Auth = "None",
            Models = "llama3",
        };
        ConnectionStore.Rows.Add(row);
        return row;
    }

    private static bool HasButton(IRenderedComponent<Connections> cut, string name) =>
        cut.FindAll("button").Any(b => b.GetAttribute("aria-label") == name || b.TextContent.Trim() == name);

    [Theory]
    [InlineData("Reader", false)]
    [InlineData("AzureAIDeveloper", true)]
    public void History_OffersRenameAndDelete_OnlyToRolesThatMay(string role, bool offered)
    {
        User.Set("oidc:dana", role);
        var id = Guid.NewGuid();
        SessionStore.Rows[id] = new Portal.Data.Playground.PlaygroundSessionRow { Id = id, UserId = "oidc:dana", Kind = "chat", Title = "Summarise the report", State = "{}" };

        var cut = Render<Portal.Web.Components.Pages.Playground.Playground>();

        cut.WaitForAssertion(() => Assert.Contains("Summarise the report", cut.Markup, StringComparison.Ordinal));
        var labels = cut.FindAll("button").Select(b => b.GetAttribute("aria-label")).ToList();
        Assert.Equal(offered, labels.Contains("Rename Summarise the report"));
        Assert.Equal(offered, labels.Contains("Delete Summarise the report"));
    }

    [Fact]
    public void Connections_AsReader_ListsSharedOnes_ChangesNothing_AndSaysWhichRoleIsNeeded()
    {
        User.Set("oidc:rita", "Reader");
        Seed(ConnectionService.SharedOwner, "team-llama");

        var cut = Render<Connections>();

        var row = cut.Find("tr[data-connection=team-llama]");
        Assert.Contains("Shared", row.TextContent, StringComparison.Ordinal);
        Assert.False(HasButton(cut, "Add connection"));
        Assert.False(HasButton(cut, "Edit team-llama"));
        Assert.False(HasButton(cut, "Delete team-llama"));
        Assert.False(HasButton(cut, "Test team-llama"));
        Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_AsDeveloper_ChangesTheirOwn_NotTheShared_AndCannotShare()
    {
        User.Set("oidc:dev", "AzureAIDeveloper");
        Seed(ConnectionService.SharedOwner, "team-llama");
        Seed("oidc:dev", "my-llama");
        Seed("oidc:someone-else", "their-llama");

        var cut = Render<Connections>();
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == "Add connection").Click());

        Assert.True(HasButton(cut, "Edit my-llama"));
        Assert.True(HasButton(cut, "Delete my-llama"));
        Assert.False(HasButton(cut, "Edit team-llama"));
        Assert.False(HasButton(cut, "Delete team-llama"));
        Assert.Empty(cut.FindAll("tr[data-connection=their-llama]"));
        Assert.DoesNotContain("Shared with the team", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_AsContributor_SharesANewConnectionWithTheTeam()
    {
        User.Set("oidc:carla", "Contributor");
        var cut = Render<Connections>();
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == "Add connection").Click());
        await cut.ChangeAsync("#conn-name", "team-ollama");
        await cut.ChangeAsync("#conn-endpoint", "http://127.0.0.1:11434/v1/");
        await cut.ChangeAsync("#conn-key", Key);

        await cut.InvokeAsync(() => cut.FindAll("label").Single(l => l.TextContent.Contains("Shared with the team", StringComparison.Ordinal)).QuerySelector("input")!.Change(true));
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click());

        cut.WaitForAssertion(() => Assert.Contains("Shared", cut.Find("tr[data-connection=team-ollama]").TextContent, StringComparison.Ordinal));
        Assert.Equal(ConnectionService.SharedOwner, ConnectionStore.Rows.Single().UserId);
        Assert.True(HasButton(cut, "Edit team-ollama"));
        Assert.DoesNotContain(Key, cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_RoleLoweredWhileTheFormIsOpen_SaveSaysWhy_AndKeepsTheForm()
    {
        User.Set("oidc:carla", "Contributor");
        var cut = Render<Connections>();
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == "Add connection").Click());
        await cut.ChangeAsync("#conn-name", "team-ollama");
        await cut.ChangeAsync("#conn-endpoint", "http://127.0.0.1:11434/v1/");
        await cut.ChangeAsync("#conn-key", Key);
        await cut.InvokeAsync(() => cut.FindAll("label").Single(l => l.TextContent.Contains("Shared with the team", StringComparison.Ordinal)).QuerySelector("input")!.Change(true));

        User.Set("oidc:carla", "AzureAIDeveloper"); // an Owner changed the role meanwhile
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click());

        cut.WaitForAssertion(() => Assert.Contains("Contributor role", cut.Find("[data-testid=access-denied]").TextContent, StringComparison.Ordinal));
        Assert.Equal("team-ollama", cut.Find("#conn-name").GetAttribute("value"));
        Assert.Empty(ConnectionStore.Rows);
        var entry = Assert.Single(AuditStore.Entries, e => e.Outcome == "Denied");
        Assert.Equal("SaveSharedConnection", entry.Action);
        Assert.DoesNotContain(Key, entry.Target + entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogImports_AsDeveloper_ListsImports_WithoutImportOrRemove()
    {
        User.Set("oidc:dev", "AzureAIDeveloper");
        await Imports.AddAsync("team", "team.json", "{\"models\":[]}", 0, CancellationToken.None);

        var cut = Render<CatalogImports>();

        Assert.Contains("team", cut.Find("table[aria-label='Imported catalogs']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("Choose a catalog file", StringComparison.Ordinal) || b.TextContent.Trim() == "Import");
        Assert.DoesNotContain(cut.FindAll("button"), b => (b.GetAttribute("aria-label") ?? "").StartsWith("Remove team", StringComparison.Ordinal));
        Assert.Contains("Contributor role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatPlayground_AsReader_SendIsDisabled_WithTheRoleNeeded()
    {
        User.Set("oidc:rita", "Reader");

        var cut = Render<ChatPlayground>();

        var send = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Send");
        Assert.True(send.HasAttribute("disabled"));
        Assert.Contains("Azure AI Developer role", cut.Find("[role=note]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelPage_AsReader_DeployIsDisabled_AndSaysWhy()
    {
        User.Set("oidc:rita", "Reader");

        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "Phi-3-mini-4k-instruct"));

        var deploy = cut.FindAll("button").Single(b => b.TextContent.StartsWith("Deploy", StringComparison.Ordinal));
        Assert.True(deploy.HasAttribute("disabled"));
        Assert.Contains("needs the Azure AI Developer role", deploy.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("a"), a => (a.GetAttribute("href") ?? "").StartsWith("deployments/new", StringComparison.Ordinal));
    }

    [Fact]
    public void ModelPage_AsDeveloper_LinksToTheDeployWizard()
    {
        User.Set("oidc:dev", "AzureAIDeveloper");

        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "Phi-3-mini-4k-instruct"));

        Assert.Contains(cut.FindAll("a"), a => a.TextContent.Trim() == "Deploy" && (a.GetAttribute("href") ?? "").StartsWith("deployments/new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChatPlayground_RoleLoweredBeforeSending_SaysWhy_SendsNothing_AndKeepsTheMessage()
    {
        User.Set("oidc:dev", "AzureAIDeveloper");
        Seed(ConnectionService.SharedOwner, "team-llama");
        Services.GetRequiredService<NavigationManager>().NavigateTo("playground/chat?connection=team-llama&model=llama3");
        var cut = Render<ChatPlayground>();

        User.Set("oidc:dev", "Reader"); // an Owner changed the role while the page was open
        cut.WaitForElement("#chat-message:not([disabled])");
        await cut.ChangeAsync("#chat-message:not([disabled])", "Hello team");
        await cut.SubmitAsync("form.pg-composer");

        cut.WaitForAssertion(() => Assert.Contains("Azure AI Developer role", cut.Find(".pg-problem").TextContent, StringComparison.Ordinal));
        Assert.Equal("Hello team", cut.Find("#chat-message").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=transcript] .pg-message"));
        Assert.Empty(SessionStore.Rows);
        Assert.Contains(AuditStore.Entries, e => e.Action == "RunPlayground" && e.Outcome == "Denied" && e.Target == "connection:team-llama");
    }

}

/// <summary>With sign-in off the one user is the local Owner: connections stay personal, there is nobody to share with.</summary>
public sealed class SingleUserConnectionsTests : PortalBunitContext
{
    [Fact]
    public async Task Connections_SignInOff_AddsPersonalConnections_WithoutASharingSwitch()
    {
        var cut = Render<Connections>();
        // The page re-renders once its connections are read: find and click on the renderer's thread so the button found is the one clicked.
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == "Add connection").Click());

        Assert.DoesNotContain("Shared with the team", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=role-note]"));
        await cut.InvokeAsync(() =>
        {
            cut.Find("#conn-name").Change("mine");
            cut.Find("#conn-endpoint").Change("http://127.0.0.1:11434/v1/");
            cut.Find("#conn-key").Change("sk-single-user-key-0000");
        });
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-connection=mine]")));
        Assert.Equal(User.Id, ConnectionStore.Rows.Single().UserId);
    }
}
