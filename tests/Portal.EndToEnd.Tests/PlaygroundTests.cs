using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

[Collection(PlaygroundServerGroup.Name)]
public sealed class PlaygroundTests(PlaygroundServerFixture server) : PortalPageTest(server)
{
    private PlaygroundServerFixture Playground => (PlaygroundServerFixture)Server;

    [Fact]
    public async Task Chat_DeclaredConnection_TheAnswerStreamsProgressively()
    {
        await OpenInteractiveAsync($"playground/chat?connection={PlaygroundServerFixture.ConnectionName}&model=peer-slow");
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello from the browser");

        // Record every text the answer shows, as the browser sees it, while the stream runs.
        await Page.EvaluateAsync("""
            () => {
                window.__states = [];
                const transcript = document.querySelector('[data-testid=transcript]');
                new MutationObserver(() => {
                    const answers = transcript.querySelectorAll('[data-testid=answer]');
                    const text = answers.length ? answers[answers.length - 1].textContent : '';
                    if (text && window.__states[window.__states.length - 1] !== text) window.__states.push(text);
                }).observe(transcript, { subtree: true, childList: true, characterData: true });
            }
            """);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("far away.", new() { Timeout = 20_000 });
        var states = await Page.EvaluateAsync<string[]>("() => window.__states");
        var intermediate = states.Where(s => s.Trim().Length > 0 && !s.Contains("far away.", StringComparison.Ordinal)).ToList();
        Assert.True(intermediate.Count >= 2, $"Expected at least two intermediate states, saw {intermediate.Count}: {string.Join(" | ", states)}");
        Assert.All(intermediate, s => Assert.StartsWith("Echo:", s.Trim(), StringComparison.Ordinal));
        await Assertions.Expect(Page.GetByTestId("metrics").Last).ToContainTextAsync("TTFT");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("session="));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Chat_Stop_KeepsThePartialAnswer()
    {
        await OpenInteractiveAsync($"playground/chat?connection={PlaygroundServerFixture.ConnectionName}&model=peer-slow");
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Please stop me");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("Echo:");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();

        await Assertions.Expect(Page.GetByText("Stopped. The answer so far is kept.")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).Not.ToContainTextAsync("far away.");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeEnabledAsync();
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Chat_LongPrompt_ReachesTheEndpointWhole_AndTheCircuitStaysConnected()
    {
        // Far past SignalR's default 32 KB message limit, and one word (the peer answers word by word).
        var prompt = "BEGIN" + new string('x', 200_000) + "END";
        await OpenInteractiveAsync($"playground/chat?connection={PlaygroundServerFixture.ConnectionName}&model=peer-chat");
        var box = Page.GetByLabel("Message", new() { Exact = true });

        await box.FillAsync(prompt, new() { Timeout = 60_000 }); // a long fill is slow on a busy machine
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("Echo: BEGINxxx", new() { Timeout = 20_000 });
        var sent = Playground.Peer.Requests.Last().Body!["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
        Assert.Equal(prompt.Length, sent.Length);
        Assert.Equal(prompt, sent);

        // Still connected: the next message is sent and answered on the same page.
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await box.FillAsync("And a short one");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("Echo: And a short one", new() { Timeout = 20_000 });
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Chat_AfterSeveralTurns_TheMessageBoxStaysInView_AndViewCodeOpensByKeyboardAndClosesWithEscape()
    {
        await OpenInteractiveAsync($"playground/chat?connection={PlaygroundServerFixture.ConnectionName}&model=peer-chat");
        var box = Page.GetByLabel("Message", new() { Exact = true });
        var send = Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
        for (var turn = 1; turn <= 5; turn++)
        {
            await box.FillAsync($"Turn {turn}");
            await send.ClickAsync();
            await Assertions.Expect(Page.GetByTestId("metrics")).ToHaveCountAsync(turn, new() { Timeout = 20_000 });
        }

        // The conversation is taller than its area, and scrolls there: the page itself does not, and the box, Send and the newest answer are in view.
        Assert.True(await Page.GetByRole(AriaRole.Region, new() { Name = "Messages" }).EvaluateAsync<bool>("e => e.scrollHeight > e.clientHeight"), "Five turns should overflow the conversation area.");
        Assert.Equal(0, await Page.EvaluateAsync<double>("() => window.scrollY"));
        await Assertions.Expect(box).ToBeInViewportAsync();
        await Assertions.Expect(send).ToBeInViewportAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToBeInViewportAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "View code" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByTestId("view-code")).ToContainTextAsync("Turn 5");
        // The dialog takes focus once it is ready for keys; Escape is pressed as a person would, after that.
        await Assertions.Expect(dialog.Locator(":focus-within").First).ToBeAttachedAsync();
        await CloseWithEscapeAsync(dialog);
        Assert.Empty(BrowserErrors);
    }

    /// <summary>
    /// Presses Escape until the dialog closes, at most three times. The dialog's key listener is attached by a
    /// script call after its first render, which on a busy machine can land a moment after the dialog shows;
    /// a dialog that never closes on Escape still fails.
    /// </summary>
    private async Task CloseWithEscapeAsync(ILocator dialog)
    {
        for (var attempt = 1; ; attempt++)
        {
            await Page.Keyboard.PressAsync("Escape");
            try
            {
                await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    [Fact]
    public async Task Compare_StreamsTwoPanesAtTheSameTime()
    {
        var pane = Uri.EscapeDataString($"{PlaygroundServerFixture.ConnectionName}|peer-slow");
        await OpenInteractiveAsync($"playground/compare?pane={pane}&pane={pane}");
        await Page.EvaluateAsync("""
            () => {
                window.__both = false;
                const panes = [0, 1].map(i => document.querySelector(`[data-testid=pane-${i}]`));
                new MutationObserver(() => {
                    const partial = panes.map(p => { const a = p.querySelector('[data-testid=answer]'); return a && a.textContent.length > 0 && !a.textContent.includes('far away.'); });
                    if (partial[0] && partial[1]) window.__both = true;
                }).observe(document.body, { subtree: true, childList: true, characterData: true });
            }
            """);
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Race");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("pane-0").GetByTestId("answer")).ToContainTextAsync("far away.", new() { Timeout = 20_000 });
        await Assertions.Expect(Page.GetByTestId("pane-1").GetByTestId("answer")).ToContainTextAsync("far away.", new() { Timeout = 20_000 });
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__both"), "Both panes should have shown partial answers at the same moment.");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("session="));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task ApiKey_EnteredInSettings_NeverAppearsInTheHtmlOrTheLogs()
    {
        const string secret = "sk-typed-in-settings-Zx81";
        await OpenInteractiveAsync("settings/connections");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add connection" }).ClickAsync();
        await Page.GetByLabel("Name").FillAsync("typed");
        await Page.GetByLabel("Base URL").FillAsync(Playground.Peer.V1.AbsoluteUri);
        await Page.GetByLabel("API key").FillAsync(secret);
        await Page.GetByLabel("API key").BlurAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(Page.Locator("tr[data-connection=typed]")).ToContainTextAsync("••••Zx81");
        Assert.DoesNotContain(secret, await Page.ContentAsync(), StringComparison.Ordinal);
        await Page.ReloadAsync();
        await WaitForCircuitAsync();
        await Assertions.Expect(Page.Locator("tr[data-connection=typed]")).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Logs, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Server.Logs, line => line.Contains(PlaygroundServerFixture.PeerKey, StringComparison.Ordinal));
        Assert.Empty(BrowserErrors);
    }
}
