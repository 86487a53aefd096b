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
    public void Completions_Stream_AndAreSavedToHistory()
    {
        var cut = Open<CompletionsPlayground>("playground/completions?connection=peer&model=peer-chat");

        cut.Find("#completion-prompt").Change("Once upon a time");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("lazy dog", cut.Find("[data-testid=answer]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Contains("TTFT", cut.Find("[data-testid=metrics]").TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal(PlaygroundSessions.Completions, Assert.Single(SessionStore.Rows.Values).Kind));
    }

    [Fact]
    public void Completions_TextArrivesProgressively_AndTheFirstTokenComesBeforeTheEnd()
    {
        Peer.TokenDelay = TimeSpan.FromMilliseconds(60);
        var cut = Open<CompletionsPlayground>("playground/completions?connection=peer&model=peer-chat");

        cut.Find("#completion-prompt").Change("Once upon a time");
        cut.Find("form").Submit();

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
    public void Completions_OnAChatOnlyEndpoint_AreExplained()
    {
        var cut = Open<CompletionsPlayground>("playground/completions?connection=peer&model=no-completions");

        cut.Find("#completion-prompt").Change("Hello");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("has no /completions API", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("use the chat playground", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ViewCode_ShowsEachPanesEndpointModelAndMessages()
    {
        var cut = Open<ComparePlayground>($"playground/compare?pane={Uri.EscapeDataString("peer|peer-chat")}&pane={Uri.EscapeDataString("peer|peer-chat-2")}");
        Peer.ExtraModels.Add("peer-chat-2");

        cut.Find("#compare-message").Change("Compare me");
        cut.Find("form.pg-composer").Submit();
        cut.WaitForAssertion(() => Assert.All(cut.FindAll("[data-testid^=pane-] [data-testid=answer]"), a => Assert.Contains("far away.", a.TextContent, StringComparison.Ordinal)), TimeSpan.FromSeconds(10));

        var code = cut.FindAll("[data-testid=view-code]");
        Assert.Equal(2, code.Count);
        Assert.Contains("\"peer-chat\"", code[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("\"peer-chat-2\"", code[1].TextContent, StringComparison.Ordinal);
        Assert.All(code, c => Assert.Contains(Peer.V1.AbsoluteUri, c.TextContent, StringComparison.Ordinal));
        Assert.All(code, c => Assert.Contains("Compare me", c.TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Images_ShowAGallery_WithDownloadsAndRevisedPrompts()
    {
        var cut = Open<ImagesPlayground>("playground/images?connection=peer&model=peer-images");

        cut.Find("#image-prompt").Change("a red fox");
        cut.Find("#image-count").Change("2");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=gallery] img").Count), TimeSpan.FromSeconds(10));
        Assert.StartsWith("data:image/png;base64,", cut.Find("[data-testid=gallery] img").GetAttribute("src"), StringComparison.Ordinal);
        Assert.Equal("image-1.png", cut.Find("[data-testid=gallery] a").GetAttribute("download"));
        Assert.Contains("Revised prompt: A detailed picture of a red fox", cut.Find("[data-testid=gallery]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, Peer.Requests.Last().Body!["n"]!.GetValue<int>());
    }

    [Fact]
    public void Images_ContentFilter_IsExplainedByCategory()
    {
        var cut = Open<ImagesPlayground>("playground/images?connection=peer&model=fault-content-filter");

        cut.Find("#image-prompt").Change("something");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("violence (medium)", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=gallery]"));
    }

    [Fact]
    public async Task History_ListsSessions_ReopensRenamesAndDeletes()
    {
        var sessions = Services.GetRequiredService<PlaygroundSessions>();
        var id = await sessions.SaveAsync(Guid.Empty, PlaygroundSessions.Chat, "First chat", new ChatSessionState { Connection = "peer", Model = "peer-chat", Messages = [new() { Content = "Saved question" }] }, CancellationToken.None);
        var cut = Render<Portal.Web.Components.Pages.Playground.Playground>();

        var link = cut.Find($"tr[data-session='{id}'] a");
        Assert.Equal($"playground/chat?session={id}", link.GetAttribute("href"));

        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Rename First chat").Click();
        cut.Find($"#rename-{id}").Change("Renamed chat");
        cut.Find("form.pg-rename").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Renamed chat", cut.Find($"tr[data-session='{id}']").TextContent, StringComparison.Ordinal));

        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Delete Renamed chat").Click();
        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Confirm deleting Renamed chat").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=history]")));
        Assert.Empty(SessionStore.Rows);
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

    private sealed class BareContext : PortalBunitContext
    {
        public BareContext()
        {
        }
    }
}
