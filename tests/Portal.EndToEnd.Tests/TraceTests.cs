using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>A chat answer links to the trace of its model call, which shows the prompt, the answer and the timings.</summary>
[Collection(PlaygroundServerGroup.Name)]
public sealed partial class TraceTests(PlaygroundServerFixture server) : PortalPageTest(server)
{
    [Fact]
    public async Task ChatAnswer_ViewTrace_ShowsThePromptTheAnswerAndTheTimings()
    {
        var prompt = "Trace this prompt " + Guid.NewGuid().ToString("N")[..6];
        await OpenInteractiveAsync($"playground/chat?connection={PlaygroundServerFixture.ConnectionName}&model=peer-chat");
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync(prompt);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("far away.", new() { Timeout = 20_000 });

        await Page.GetByRole(AriaRole.Link, new() { Name = "View trace" }).Last.ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(TracePath());
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("chat peer-chat");
        await Assertions.Expect(Page.GetByTestId("trace-messages")).ToContainTextAsync(prompt);
        await Assertions.Expect(Page.GetByTestId("trace-response")).ToContainTextAsync($"Echo: {prompt}");
        var timings = Page.GetByTestId("trace-timings");
        await Assertions.Expect(timings).ToContainTextAsync("Time to first token");
        await Assertions.Expect(timings).ToContainTextAsync(MillisecondsOrSeconds());
        await Assertions.Expect(timings).ToContainTextAsync("as reported by the endpoint");
        await Assertions.Expect(Page.GetByTestId("trace-facts")).ToContainTextAsync(PlaygroundServerFixture.ConnectionName);
        Assert.DoesNotContain(PlaygroundServerFixture.PeerKey, await Page.ContentAsync(), StringComparison.Ordinal);

        // The list has the call too, and its filter by model is in the address.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Traces" }).First.ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Table).First).ToContainTextAsync("peer-chat");
        Assert.Empty(BrowserErrors);
    }

    [GeneratedRegex(@"/traces/[0-9a-f-]{36}$")]
    private static partial Regex TracePath();

    [GeneratedRegex(@"\d+(\.\d+)? (ms|s)")]
    private static partial Regex MillisecondsOrSeconds();
}
