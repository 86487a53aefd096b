using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Pages.Playground;
using Portal.Web.Connections;

namespace Portal.Components.Tests;

/// <summary>
/// What happens to a playground's work when the user leaves the page, and to an answer that did not complete:
/// against the loopback peer, which can be slowed down, hang or reset the connection in the middle of an answer.
/// </summary>
public sealed class PlaygroundLifetimeTests() : PeerBunitContext(null, peer => [new ConfiguredConnection { Name = "peer", Endpoint = peer.V1.AbsoluteUri, Models = ["peer-chat", "peer-slow"] }])
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IRenderedComponent<T> Open<T>(string url)
        where T : IComponent
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<T>();
    }

    private static async Task Send<T>(IRenderedComponent<T> cut, string field, string text)
        where T : IComponent
    {
        cut.WaitForElement($"{field}:not([disabled])");
        await cut.ChangeAsync($"{field}:not([disabled])", text);
        await cut.SubmitAsync("form");
    }

    private static IReadOnlyList<(string Role, string Text)> Messages<T>(IRenderedComponent<T> cut, string scope = "[data-testid=transcript]")
        where T : IComponent =>
        [.. cut.FindAll($"{scope} .pg-message").Select(m => (m.GetAttribute("data-role")!, m.QuerySelector(".pg-content")!.TextContent.Trim()))];

    /// <summary>Clicks the button with that accessible name once it is there (the page shows it when nothing runs).</summary>
    private static async Task Click<T>(IRenderedComponent<T> cut, string name)
        where T : IComponent
    {
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button"), b => (b.GetAttribute("aria-label") ?? b.TextContent.Trim()) == name), Wait);
        await cut.ClickAsync("button", b => (b.GetAttribute("aria-label") ?? b.TextContent.Trim()) == name);
    }

    /// <summary>Waits until the answer ended and the session was saved (the page is idle again).</summary>
    private void WaitSaved<T>(IRenderedComponent<T> cut)
        where T : IComponent =>
        cut.WaitForAssertion(() => Assert.Single(SessionStore.Rows), Wait);

    private IReadOnlyList<string> LastRequestMessages() =>
        [.. Peer.Requests.Last().Body!["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>())];

    [Fact]
    public async Task Chat_LeavingWhileAnAnswerStreams_DoesNotNavigateBack()
    {
        Peer.TokenDelay = TimeSpan.FromMilliseconds(40);
        var cut = Open<ChatPlayground>("playground/chat?connection=peer&model=peer-chat");
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        await Send(cut, "#chat-message", "A long answer, please");
        cut.WaitForAssertion(() => Assert.StartsWith("Echo:", Messages(cut)[^1].Text, StringComparison.Ordinal), Wait);

        navigation.NavigateTo("catalog");
        await DisposeComponentsAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.EndsWith("/catalog", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_LeavingWhileAnswersStream_DoesNotNavigateBack()
    {
        Peer.TokenDelay = TimeSpan.FromMilliseconds(40);
        var pane = Uri.EscapeDataString("peer|peer-chat");
        var cut = Open<ComparePlayground>($"playground/compare?pane={pane}&pane={pane}");
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        await Send(cut, "#compare-message", "Race");
        cut.WaitForAssertion(() => Assert.StartsWith("Echo:", Messages(cut, "[data-testid=pane-0]")[^1].Text, StringComparison.Ordinal), Wait);

        navigation.NavigateTo("catalog");
        await DisposeComponentsAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.EndsWith("/catalog", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_LeavingWhileGenerating_CancelsTheRequest()
    {
        var cut = Open<ImagesPlayground>("playground/images?connection=peer&model=fault-hang");
        await Send(cut, "#image-prompt", "a slow picture");
        // The request reaching the peer renders nothing, so it is polled (not awaited with WaitForAssertion).
        for (var tries = 0; tries < 500 && !Peer.Requests.Any(r => r.Path.EndsWith("images/generations", StringComparison.Ordinal)); tries++)
        {
            await Task.Delay(20);
        }

        Assert.Contains(Peer.Requests, r => r.Path.EndsWith("images/generations", StringComparison.Ordinal));

        await DisposeComponentsAsync();

        // The inference timeout is production's (100 s): only the page's own cancellation ends the request this soon.
        var until = DateTime.UtcNow.AddSeconds(5);
        while (Peer.AbortedRequests == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, Peer.AbortedRequests);
    }

    [Fact]
    public async Task Chat_StreamCutOff_IsShownInterrupted_KeepsTheText_AndRetryResendsTheTurn()
    {
        var cut = Open<ChatPlayground>("playground/chat?connection=peer&model=fault-reset");

        await Send(cut, "#chat-message", "Tell me");

        cut.WaitForAssertion(() => Assert.Contains("Interrupted", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("connection to the endpoint dropped", cut.Find("[data-testid=answer-error]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Echo: Tell", Messages(cut)[^1].Text, StringComparison.Ordinal);
        var metrics = cut.Find("[data-testid=metrics]").TextContent;
        Assert.Contains("incomplete", metrics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tokens/s", metrics, StringComparison.Ordinal);
        WaitSaved(cut);

        await cut.ChangeAsync("#chat-model", "peer-chat");
        await Click(cut, "Retry");

        cut.WaitForAssertion(() => Assert.Contains("lazy dog", Messages(cut)[^1].Text, StringComparison.Ordinal), Wait);
        Assert.Equal(["Tell me"], LastRequestMessages());
        Assert.Equal([("user", "Tell me")], Messages(cut).Take(1));
        Assert.Equal(2, Messages(cut).Count);
        Assert.Empty(cut.FindAll("[data-testid=answer-error]"));
    }

    [Fact]
    public async Task Compare_StreamCutOff_IsShownInterrupted_AndRetryResendsToThatPane()
    {
        var cut = Open<ComparePlayground>($"playground/compare?pane={Uri.EscapeDataString("peer|fault-reset")}&pane={Uri.EscapeDataString("peer|peer-chat")}");

        await Send(cut, "#compare-message", "Race");

        cut.WaitForAssertion(() => Assert.Contains("Interrupted", cut.Find("[data-testid=pane-0] [data-testid=answer-error]").TextContent, StringComparison.Ordinal), Wait);
        cut.WaitForAssertion(() => Assert.Contains("lazy dog", Messages(cut, "[data-testid=pane-1]")[^1].Text, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("tokens/s", cut.Find("[data-testid=pane-0] [data-testid=metrics]").TextContent, StringComparison.Ordinal);
        var requests = Peer.Requests.Count;
        WaitSaved(cut);

        await cut.ChangeAsync("#pane0-model", "peer-chat");
        await Click(cut, "Retry in pane 1");

        cut.WaitForAssertion(() => Assert.Contains("lazy dog", Messages(cut, "[data-testid=pane-0]")[^1].Text, StringComparison.Ordinal), Wait);
        Assert.Equal(requests + 1, Peer.Requests.Count);
        Assert.Equal(["Race"], LastRequestMessages());
        Assert.Equal(2, Messages(cut, "[data-testid=pane-1]").Count);
    }

    [Theory]
    [InlineData("fault-500")]
    [InlineData("fault-reset")]
    public async Task Chat_FailedTurn_IsNotSentWithTheNextMessage_UnlessResent(string fault)
    {
        var cut = Open<ChatPlayground>($"playground/chat?connection=peer&model={fault}");
        await Send(cut, "#chat-message", "First question");
        cut.WaitForElement("[data-testid=answer-error]", Wait);
        WaitSaved(cut);

        await cut.ChangeAsync("#chat-model", "peer-chat");
        await Send(cut, "#chat-message", "Second question");
        cut.WaitForAssertion(() => Assert.Contains("lazy dog", Messages(cut)[^1].Text, StringComparison.Ordinal), Wait);

        Assert.Equal(["Second question"], LastRequestMessages());
        Assert.Equal(("user", "First question"), Messages(cut)[0]);

        await Click(cut, "Retry");
        cut.WaitForAssertion(() => Assert.Equal("First question", LastRequestMessages()[^1]), Wait);
        cut.WaitForAssertion(() => Assert.Contains("Echo: First question", Messages(cut)[^1].Text, StringComparison.Ordinal), Wait);
        Assert.Equal(["Second question", Messages(cut)[1].Text, "First question"], LastRequestMessages());
        Assert.Empty(cut.FindAll("[data-testid=answer-error]"));
    }
}
