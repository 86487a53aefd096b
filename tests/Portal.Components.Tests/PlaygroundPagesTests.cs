using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Connections;
using Portal.Web.Components.Pages.Playground;
using Portal.Web.Playground;

namespace Portal.Components.Tests;

/// <summary>Completions, images and history pages against the loopback peer.</summary>
public sealed class PlaygroundPagesTests() : PeerBunitContext(null, peer => [new ConfiguredConnection { Name = "peer", Endpoint = peer.V1.AbsoluteUri, Models = ["peer-chat", "peer-images"] }])
{
    private IRenderedComponent<T> Open<T>(string url) where T : IComponent
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<T>();
    }

    [Fact]
    public async Task Completions_Stream_AndAreSavedToHistory()
    {
        var cut = Open<CompletionsPlayground>("playground/completions?connection=peer&model=peer-chat");

        await cut.ChangeAsync("#completion-prompt", "Once upon a time");
        await cut.SubmitAsync("form");

        cut.WaitForAssertion(() => Assert.Contains("lazy dog", cut.Find("[data-testid=answer]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Contains("TTFT", cut.Find("[data-testid=metrics]").TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal(PlaygroundSessions.Completions, Assert.Single(SessionStore.Rows.Values).Kind));
    }

    [Fact]
    public async Task Completions_TextArrivesProgressively_AndTheFirstTokenComesBeforeTheEnd()
    {
        Peer.TokenDelay = TimeSpan.FromMilliseconds(60);
        var cut = Open<CompletionsPlayground>("playground/completions?connection=peer&model=peer-chat");

        await cut.ChangeAsync("#completion-prompt", "Once upon a time");
        await cut.SubmitAsync("form");

        cut.WaitForAssertion(() => Assert.Contains("far away.", cut.Find("[data-testid=answer]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=metrics]")));
        var ttft = Milliseconds(cut.Find("[data-testid=metrics] [title='Time to first token']").TextContent);
        var total = Milliseconds(cut.Find("[data-testid=metrics] [title='Total latency']").TextContent);
        Assert.True(total - ttft > 500, $"TTFT {ttft} ms, total {total} ms: the text came in one piece.");
    }

    /// <summary>"TTFT 120 ms" or "total 1.25 s" as milliseconds.</summary>
    private static double Milliseconds(string text)
    {
        var parts = text.Trim().Split(' ');
        var value = double.Parse(parts[^2], System.Globalization.CultureInfo.InvariantCulture);
        return parts[^1] == "s" ? value * 1000 : value;
    }

    [Fact]
    public async Task Completions_OnAChatOnlyEndpoint_AreExplained()
    {
        var cut = Open<CompletionsPlayground>("playground/completions?connection=peer&model=no-completions");

        await cut.ChangeAsync("#completion-prompt", "Hello");
        await cut.SubmitAsync("form");

        cut.WaitForAssertion(() => Assert.Contains("has no /completions API", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("use the chat playground", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_ViewCode_ShowsEachPanesEndpointModelAndMessages()
    {
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Open<ComparePlayground>($"playground/compare?pane={Uri.EscapeDataString("peer|peer-chat")}&pane={Uri.EscapeDataString("peer|peer-chat-2")}");
        Peer.ExtraModels.Add("peer-chat-2");

        await cut.ChangeAsync("#compare-message", "Compare me");
        await cut.SubmitAsync("form.pg-composer");
        cut.WaitForAssertion(() => Assert.All(cut.FindAll("[data-testid^=pane-] [data-testid=answer]"), a => Assert.Contains("far away.", a.TextContent, StringComparison.Ordinal)), TimeSpan.FromSeconds(10));

        var code = new List<string>();
        foreach (var pane in new[] { 1, 2 })
        {
            await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == $"View code for pane {pane}").Click());
            code.Add(dialogs.WaitForElement("[role=dialog] [data-testid=view-code]").TextContent);
            await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Close").Click());
            dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=view-code]")));
        }

        Assert.Equal(2, code.Count);
        Assert.Contains("\"peer-chat\"", code[0], StringComparison.Ordinal);
        Assert.DoesNotContain("\"peer-chat-2\"", code[0], StringComparison.Ordinal);
        Assert.Contains("\"peer-chat-2\"", code[1], StringComparison.Ordinal);
        Assert.All(code, c => Assert.Contains(Peer.V1.AbsoluteUri, c, StringComparison.Ordinal));
        Assert.All(code, c => Assert.Contains("Compare me", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Images_ShowAGallery_WithDownloadsAndRevisedPrompts()
    {
        var cut = Open<ImagesPlayground>("playground/images?connection=peer&model=peer-images");

        await cut.ChangeAsync("#image-prompt", "a red fox");
        await cut.ChangeAsync("#image-count", "2");
        await cut.SubmitAsync("form");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=gallery] img").Count), TimeSpan.FromSeconds(10));
        Assert.StartsWith("data:image/png;base64,", cut.Find("[data-testid=gallery] img").GetAttribute("src"), StringComparison.Ordinal);
        Assert.Equal(["image-1.png", "image-2.png"], cut.FindAll("[data-testid=gallery] a").Select(a => a.GetAttribute("download")));
        Assert.Equal(["Download image 1", "Download image 2"], cut.FindAll("[data-testid=gallery] a").Select(a => a.TextContent.Trim()));
        Assert.Contains("Revised prompt: A detailed picture of a red fox", cut.Find("[data-testid=gallery]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, Peer.Requests.Last().Body!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task Images_ContentFilter_IsExplainedByCategory()
    {
        var cut = Open<ImagesPlayground>("playground/images?connection=peer&model=fault-content-filter");

        await cut.ChangeAsync("#image-prompt", "something");
        await cut.SubmitAsync("form");

        cut.WaitForAssertion(() => Assert.Contains("violence (medium)", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=gallery]"));
    }

    [Fact]
    public async Task History_ListsSessions_WithModelAndConnection_ReopensRenamesAndDeletes()
    {
        var sessions = Services.GetRequiredService<PlaygroundSessions>();
        var id = await sessions.SaveAsync(Guid.Empty, PlaygroundSessions.Chat, "First chat", new ChatSessionState { Connection = "peer", Model = "peer-chat", Messages = [new() { Content = "Saved question" }] }, CancellationToken.None);
        var snackbar = Render<MudBlazor.MudSnackbarProvider>();
        var cut = Render<Portal.Web.Components.Pages.Playground.Playground>();

        var link = cut.Find($"a[data-session='{id}']");
        Assert.Equal($"playground/chat?session={id}", link.GetAttribute("href"));
        Assert.Equal("First chat", link.TextContent.Trim());
        cut.WaitForAssertion(() => Assert.Equal(["First chat", "chat", "peer-chat", "peer"], Cells(cut, id).Take(4)));

        await cut.ClickLabelledAsync("Rename First chat");
        await cut.ChangeAsync($"#rename-{id}", "Renamed chat");
        await cut.SubmitAsync("[data-testid=rename-form]");
        cut.WaitForAssertion(() => Assert.Equal("Renamed chat", cut.Find($"a[data-session='{id}']").TextContent.Trim()));
        snackbar.WaitForAssertion(() => Assert.Contains("Session renamed.", snackbar.Markup, StringComparison.Ordinal));

        await cut.ClickLabelledAsync("Delete Renamed chat");
        Assert.Single(SessionStore.Rows);
        await cut.ClickLabelledAsync("Confirm deleting Renamed chat");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=history]")));
        Assert.Empty(SessionStore.Rows);
        snackbar.WaitForAssertion(() => Assert.Contains("Session deleted.", snackbar.Markup, StringComparison.Ordinal));
    }

    /// <summary>The texts of the cells of the history row that links to the session.</summary>
    private static IReadOnlyList<string> Cells(IRenderedComponent<Portal.Web.Components.Pages.Playground.Playground> cut, Guid id) =>
        [.. cut.FindAll("[data-testid=history] tr").Single(r => r.QuerySelector($"a[data-session='{id}']") is not null).QuerySelectorAll("td").Select(c => c.TextContent.Trim())];

    [Fact]
    public async Task History_ShowsMarkdownTitlesAsPlainText_AndTheSearchFilters()
    {
        var sessions = Services.GetRequiredService<PlaygroundSessions>();
        var bold = await sessions.SaveAsync(Guid.Empty, PlaygroundSessions.Chat, "**Bold** question about `code`", new ChatSessionState { Connection = "peer", Model = "peer-chat" }, CancellationToken.None);
        var image = await sessions.SaveAsync(Guid.Empty, PlaygroundSessions.Images, "A red fox", new ImageSessionState { Connection = "peer", Model = "peer-images" }, CancellationToken.None);
        var cut = Render<Portal.Web.Components.Pages.Playground.Playground>();

        Assert.Equal("Bold question about code", cut.Find($"a[data-session='{bold}']").TextContent.Trim());
        Assert.DoesNotContain("**", cut.Find("[data-testid=history]").TextContent, StringComparison.Ordinal);

        cut.WaitForAssertion(() => Assert.Equal("peer-images", Cells(cut, image)[2]));
        await cut.InputAsync("[data-testid=history] input", "peer-images");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"a[data-session='{bold}']")));
        Assert.Single(cut.FindAll($"a[data-session='{image}']"));
    }

    [Fact]
    public async Task Chat_ReopenedFromHistory_ShowsTheSavedConversation()
    {
        var sessions = Services.GetRequiredService<PlaygroundSessions>();
        var id = await sessions.SaveAsync(Guid.Empty, PlaygroundSessions.Chat, "Saved", new ChatSessionState
        {
            Connection = "peer",
            Model = "peer-chat",
            System = "Be brief.",
            Messages = [new() { Role = Portal.Playground.Inference.ChatRole.User, Content = "Saved question" }, new() { Role = Portal.Playground.Inference.ChatRole.Assistant, Content = "Saved **answer**" }],
        }, CancellationToken.None);

        var cut = Open<ChatPlayground>($"playground/chat?session={id}");

        Assert.Contains("Saved question", cut.Find("[data-testid=transcript]").TextContent, StringComparison.Ordinal);
        Assert.Equal("answer", cut.Find("[data-testid=answer] strong").TextContent);
        Assert.Equal("Be brief.", cut.Find("#chat-system").GetAttribute("value") ?? cut.Find("#chat-system").TextContent);
    }

    [Fact]
    public void Chat_WithoutConnections_SaysWhatToConfigure()
    {
        using var bare = new BareContext();

        var cut = bare.Render<ChatPlayground>();

        Assert.Contains("No connection yet", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("settings/connections", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Chat_WithoutConnections_SaysWhatToConfigure_InsteadOfAModelNote()
    {
        using var bare = new BareContext();
        bare.Services.GetRequiredService<NavigationManager>().NavigateTo("playground/chat?model=Phi-3-mini-4k-instruct");

        var cut = bare.Render<ChatPlayground>();

        Assert.Contains("No connection yet", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=model-unserved]"));
    }

    private sealed class BareContext : PortalBunitContext
    {
        public BareContext()
        {
        }
    }
}

/// <summary>"Try in playground": the address names a model and no connection; the page picks a connection that serves it.</summary>
public sealed class TryInPlaygroundTests() : PeerBunitContext(null, peer =>
[
    new ConfiguredConnection { Name = "first", Endpoint = peer.V1.AbsoluteUri, Models = ["peer-chat"] },
    new ConfiguredConnection { Name = "llama", Endpoint = peer.V1.AbsoluteUri, Models = ["Llama-3-8B-Instruct"] },
])
{
    private IRenderedComponent<ChatPlayground> Open(string url)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<ChatPlayground>();
    }

    private static string? Chosen(IRenderedComponent<ChatPlayground> cut) =>
        cut.FindAll("#chat-connection option").SingleOrDefault(o => o.HasAttribute("selected"))?.GetAttribute("value") is { Length: > 0 } name ? name : null;

    [Theory]
    [InlineData("peer-chat", "first", "peer-chat")]
    [InlineData("Llama-3-8B-Instruct", "llama", "Llama-3-8B-Instruct")]
    [InlineData("Meta-Llama-3-8B-Instruct", "llama", "Llama-3-8B-Instruct")] // the catalog id; the connection lists the alias
    [InlineData("LLAMA-3-8B-INSTRUCT", "llama", "Llama-3-8B-Instruct")]
    public void ModelWithoutConnection_PicksAConnectionThatServesIt(string model, string connection, string sent)
    {
        var cut = Open($"playground/chat?model={model}");

        Assert.Equal(connection, Chosen(cut));
        Assert.Equal(sent, cut.Find("#chat-model").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=model-unserved]"));
    }

    [Fact]
    public async Task ModelWithoutConnection_ThatNoConnectionServes_IsSaidPlainly_WithALinkToConnections()
    {
        var cut = Open("playground/chat?model=Phi-3-mini-4k-instruct");

        var note = cut.Find("[data-testid=model-unserved]");
        Assert.Contains("None of your connections lists the model Phi-3-mini-4k-instruct", note.TextContent, StringComparison.Ordinal);
        Assert.Equal("settings/connections", note.QuerySelector("a")!.GetAttribute("href"));
        Assert.Null(Chosen(cut));
        Assert.Equal("Phi-3-mini-4k-instruct", cut.Find("#chat-model").GetAttribute("value"));

        // Choosing a connection answers the note.
        await cut.ChangeAsync("#chat-connection", "first");
        Assert.Empty(cut.FindAll("[data-testid=model-unserved]"));
    }

    [Fact]
    public void ConnectionInTheAddress_WinsOverTheModelsList()
    {
        var cut = Open("playground/chat?connection=first&model=Llama-3-8B-Instruct");

        Assert.Equal("first", Chosen(cut));
        Assert.Equal("Llama-3-8B-Instruct", cut.Find("#chat-model").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=model-unserved]"));
    }
}
