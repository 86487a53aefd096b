using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The portal stopped (as SIGTERM stops it) while an answer streams: the stop is prompt, the call to the endpoint
/// ends, and after the restart the question and the answer so far are in history, marked interrupted.
/// </summary>
[Collection(RestartablePlaygroundServerGroup.Name)]
public sealed class ShutdownTests(RestartablePlaygroundServerFixture server, ITestOutputHelper output) : PortalPageTest(server)
{
    // The host's own shutdown timeout is 30 s, which a streaming answer used to use up; the save wait is 5 s.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Stop_DuringAStream_IsPrompt_AndAfterTheRestartTheConversationIsInHistory_MarkedInterrupted()
    {
        var fixture = (RestartablePlaygroundServerFixture)Server;
        await OpenInteractiveAsync($"playground/chat?connection={PlaygroundServerFixture.ConnectionName}&model=peer-endless-slow");
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("What happens on a restart?");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("quick brown");
        var aborted = fixture.Peer.AbortedRequests;

        var watch = Stopwatch.StartNew();
        await fixture.StopPortalAsync();
        watch.Stop();
        output.WriteLine($"Stopped in {watch.Elapsed.TotalSeconds:0.00} s.");

        Assert.True(watch.Elapsed < Bound, $"The portal took {watch.Elapsed} to stop during a stream.");
        Assert.True(fixture.Peer.AbortedRequests > aborted, "The call to the endpoint was still open after the portal stopped.");

        await fixture.StartPortalAsync();
        await Page.GotoAsync(fixture.BaseUrl + "playground");
        await WaitForCircuitAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "What happens on a restart?" }).ClickAsync();
        await WaitForCircuitAsync();

        await Assertions.Expect(Page.GetByTestId("transcript")).ToContainTextAsync("What happens on a restart?");
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("quick brown");
        await Assertions.Expect(Page.GetByTestId("answer-error")).ToContainTextAsync("Interrupted: the portal shut down.");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
    }
}
