using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Web.Connections;
using Portal.Web.Components.Pages.Settings;

namespace Portal.Components.Tests;

public sealed class ConnectionsPageTests() : PeerBunitContext(Key, peer =>
[
    new ConfiguredConnection { Name = "from-config", Endpoint = "http://127.0.0.1:11434/v1/" },
    new ConfiguredConnection { Name = "declared-peer", Endpoint = peer.V1.AbsoluteUri, ApiKey = Key },
    new ConfiguredConnection { Name = "declared-wrong-key", Endpoint = peer.V1.AbsoluteUri, ApiKey = "sk-wrong-key-0000" },
])
{
    private const string Key = "sk-live-abcdefgh12345678WXYZ";

    private static async Task Fill(IRenderedComponent<Connections> cut, string name, string endpoint, string? key)
    {
        await cut.ChangeAsync("#conn-name", name);
        await cut.ChangeAsync("#conn-endpoint", endpoint);
        if (key is not null)
        {
            await cut.ChangeAsync("#conn-key", key);
        }
    }

    private static async Task Click(IRenderedComponent<Connections> cut, string text) =>
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.TextContent.Trim() == text).Click());

    [Fact]
    public async Task Add_Test_Save_TheKeyIsEncrypted_AndNeverRenderedBack()
    {
        var cut = Render<Connections>();
        await Click(cut, "Add connection");
        await Fill(cut, "local peer", Peer.V1.AbsoluteUri, Key);

        await Click(cut, "Test connection");
        cut.WaitForAssertion(() => Assert.Contains("lists 4 models", cut.Find("[data-testid=connection-test]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("peer-chat", cut.Find("#conn-models").GetAttribute("value") ?? cut.Find("#conn-models").TextContent, StringComparison.Ordinal);
        await Click(cut, "Save");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-connection='local peer']")));
        Assert.Contains("••••WXYZ", cut.Find("tr[data-connection='local peer']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, cut.Markup, StringComparison.Ordinal);
        var row = ConnectionStore.Rows.Single();
        Assert.NotNull(row.ProtectedApiKey);
        Assert.DoesNotContain(Key, row.ProtectedApiKey, StringComparison.Ordinal);
        Assert.Equal("WXYZ", row.KeyHint);
        Assert.Contains("peer-chat", row.Models, StringComparison.Ordinal);
    }

    /// <summary>The page with the peer saved as a connection (with its key), as a user adds it.</summary>
    private async Task<IRenderedComponent<Connections>> RenderWithSavedPeer()
    {
        var cut = Render<Connections>();
        await Click(cut, "Add connection");
        await Fill(cut, "peer", Peer.V1.AbsoluteUri, Key);
        await Click(cut, "Save");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-connection=peer]")));
        return cut;
    }

    [Fact]
    public async Task Edit_WithoutRetypingTheKey_KeepsIt_AndTestUsesTheSavedKey()
    {
        var cut = await RenderWithSavedPeer();
        var protectedKey = ConnectionStore.Rows.Single().ProtectedApiKey;

        await cut.ClickLabelledAsync("Edit peer");
        Assert.Contains("ending in WXYZ", cut.Find("#conn-key").GetAttribute("placeholder"), StringComparison.Ordinal);
        Assert.Null(cut.Find("#conn-key").GetAttribute("value"));
        await Click(cut, "Test connection");
        cut.WaitForAssertion(() => Assert.Contains("Connected", cut.Find("[data-testid=connection-test]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await Click(cut, "Save");

        cut.WaitForAssertion(() => Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message == "Saved peer."));
        Assert.Equal(protectedKey, ConnectionStore.Rows.Single().ProtectedApiKey);
    }

    [Theory]
    [InlineData("Test connection")]
    [InlineData("Save")]
    public async Task Edit_OtherServerWithoutRetypingTheKey_AsksForTheKeyOnTheKeyField_AndSendsNothing(string button)
    {
        var cut = await RenderWithSavedPeer();
        var protectedKey = ConnectionStore.Rows.Single().ProtectedApiKey;
        var received = Peer.Received.Count;

        await cut.ClickLabelledAsync("Edit peer");
        await cut.ChangeAsync("#conn-endpoint", "http://127.0.0.1:9/v1/");
        await Click(cut, button);

        cut.WaitForAssertion(() =>
        {
            var keyField = cut.Find($"#{cut.FindAll("label").Single(l => l.TextContent.Trim() == "API key").GetAttribute("for")}");
            Assert.Equal("true", keyField.GetAttribute("aria-invalid"));
            var described = cut.Find($"#{keyField.GetAttribute("aria-describedby")}");
            Assert.Contains("enter the API key again", described.TextContent, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(received, Peer.Received.Count);
        Assert.Equal(Peer.V1.AbsoluteUri, ConnectionStore.Rows.Single().Endpoint);
        Assert.Equal(protectedKey, ConnectionStore.Rows.Single().ProtectedApiKey);
    }

    [Fact]
    public async Task Test_WrongKey_GivesTheExactReason()
    {
        var cut = Render<Connections>();
        await Click(cut, "Add connection");
        await Fill(cut, "peer", Peer.V1.AbsoluteUri, "sk-wrong-key-0000");

        await Click(cut, "Test connection");

        cut.WaitForAssertion(() => Assert.Contains("refused the credentials (401)", cut.Find("[data-testid=connection-test]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("Incorrect API key provided.", cut.Find("[data-testid=connection-test]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "http://127.0.0.1:1/v1/", "Enter a name.")]
    [InlineData("x", "not a url", "Enter the base URL")]
    [InlineData("x", "http://169.254.169.254/", "cloud metadata address")]
    [InlineData("x", "http://10.1.2.3/v1/", "AllowPrivateNetworks")]
    [InlineData("from-config", "http://127.0.0.1:1/v1/", "declared in configuration")]
    public async Task Save_BadInput_ListsTheProblem_AndStoresNothing(string name, string endpoint, string expected)
    {
        var cut = Render<Connections>();
        await Click(cut, "Add connection");
        await Fill(cut, name, endpoint, "sk-something-long");

        await Click(cut, "Save");

        // Each problem is shown next to its field (or above the buttons when it belongs to no field).
        cut.WaitForAssertion(() => Assert.Contains(expected, cut.Find("[role=region]").TextContent, StringComparison.Ordinal));
        Assert.Empty(ConnectionStore.Rows);
    }

    [Fact]
    public void ConfiguredConnections_AreListed_ButNotEditable()
    {
        var cut = Render<Connections>();

        var row = cut.Find("tr[data-connection=from-config]");
        Assert.Contains("configuration", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(row.QuerySelectorAll("button"), b => b.GetAttribute("aria-label") is "Edit from-config" or "Delete from-config");
    }

    [Fact]
    public async Task Test_DeclaredConnection_ListsItsModels_WithoutShowingTheKey()
    {
        var cut = Render<Connections>();

        await cut.ClickLabelledAsync("Test declared-peer");

        cut.WaitForAssertion(() => Assert.Contains("lists 4 models", cut.Find("tr[data-connection=declared-peer] [role=status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(Key, cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_DeclaredConnection_WithAWrongKey_GivesTheExactReason()
    {
        var cut = Render<Connections>();

        await cut.ClickLabelledAsync("Test declared-wrong-key");

        cut.WaitForAssertion(() => Assert.Contains("refused the credentials (401)", cut.Find("tr[data-connection=declared-wrong-key] [role=status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("sk-wrong-key-0000", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_AsksFirst()
    {
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Connections>();
        await Click(cut, "Add connection");
        await Fill(cut, "temp", Peer.V1.AbsoluteUri, Key);
        await Click(cut, "Save");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-connection=temp]")));

        await cut.ClickLabelledAsync("Delete temp");
        dialogs.WaitForAssertion(() => Assert.Contains("Delete temp?", dialogs.Find("[role=dialog]").TextContent, StringComparison.Ordinal));
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Keep");
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[role=dialog]")));
        Assert.Single(ConnectionStore.Rows);
        Assert.NotNull(cut.Find("tr[data-connection=temp]"));

        await cut.ClickLabelledAsync("Delete temp");
        await dialogs.WaitForAssertionAsync(() => dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Delete"));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("tr[data-connection=temp]")));
        Assert.Empty(ConnectionStore.Rows);
    }
}
