using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Pages.Playground;
using Portal.Web.Connections;

namespace Portal.Components.Tests;

/// <summary>
/// An endpoint that never stops answering, against the loopback peer: the answer is capped in size and in time, the
/// outbound call is cancelled, the partial answer is kept and the user is told which limit ended it; Stop and leaving
/// the page end the call within a second.
/// </summary>
[Collection(TimingGroup.Name)]
public sealed class AnswerLimitTests() : PeerBunitContext(
    null,
    peer => [new ConfiguredConnection { Name = "peer", Endpoint = peer.V1.AbsoluteUri, Models = ["peer-endless", "peer-endless-slow"] }],
    new Dictionary<string, string?> { ["Portal:Inference:MaxAnswerChars"] = "20000", ["Portal:Inference:MaxAnswerDuration"] = "00:00:02" })
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IRenderedComponent<ChatPlayground> Open(string model)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"playground/chat?connection=peer&model={model}");
        return Render<ChatPlayground>();
    }

    private static async Task Send(IRenderedComponent<ChatPlayground> cut, string text)
    {
        cut.WaitForElement("#chat-message:not([disabled])");
        await cut.ChangeAsync("#chat-message:not([disabled])", text);
        await cut.SubmitAsync("form");
    }

    private static string Answer(IRenderedComponent<ChatPlayground> cut) =>
        cut.FindAll("[data-testid=transcript] [data-role=assistant]")[^1].TextContent;

    // Well under a second on a quiet machine; the bound leaves room for a CI machine running every test project at once
    // (the peer notices the abort only when its next write fails).
    private static readonly TimeSpan AbortWithin = TimeSpan.FromSeconds(3);

    private async Task WaitAbortedAsync(TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (Peer.AbortedRequests == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, Peer.AbortedRequests);
    }

    [Fact]
    public async Task EndlessAnswer_ReachesMaxAnswerChars_EndsTheCall_KeepsThePartAndSaysWhy()
    {
        var cut = Open("peer-endless");

        await Send(cut, "Never stop");

        cut.WaitForAssertion(() => Assert.Contains("20,000 characters", Answer(cut), StringComparison.Ordinal), Wait);
        await WaitAbortedAsync(AbortWithin);
        Assert.Contains("quick brown fox", Answer(cut), StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("button"), b => b.TextContent.Contains("Send", StringComparison.Ordinal)), Wait);
        cut.WaitForAssertion(() => Assert.Single(SessionStore.Rows), Wait);
        var saved = Assert.Single(SessionStore.Rows.Values).State;
        Assert.InRange(saved.Length, 20_000, 30_000);
    }

    [Fact]
    public async Task EndlessAnswer_ReachesMaxAnswerDuration_EndsTheCall_KeepsThePartAndSaysWhy()
    {
        var cut = Open("peer-endless-slow");

        await Send(cut, "Never stop");

        cut.WaitForAssertion(() => Assert.Contains("time limit of 2 seconds", Answer(cut), StringComparison.Ordinal), Wait);
        await WaitAbortedAsync(AbortWithin);
        Assert.Contains("quick brown", Answer(cut), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessAnswer_Stop_EndsTheCallPromptly()
    {
        var cut = Open("peer-endless");
        await Send(cut, "Never stop");
        cut.WaitForAssertion(() => Assert.Contains("quick brown fox", Answer(cut), StringComparison.Ordinal), Wait);

        // Found and clicked in one step on the renderer: the streaming answer re-renders the page between the two otherwise.
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Stop").Click());

        await WaitAbortedAsync(AbortWithin);
        cut.WaitForAssertion(() => Assert.Contains("Stopped", Answer(cut), StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task EndlessAnswer_LeavingThePage_EndsTheCallPromptly()
    {
        var cut = Open("peer-endless");
        await Send(cut, "Never stop");
        cut.WaitForAssertion(() => Assert.Contains("quick brown fox", Answer(cut), StringComparison.Ordinal), Wait);

        await DisposeComponentsAsync();

        await WaitAbortedAsync(AbortWithin);
    }
}
