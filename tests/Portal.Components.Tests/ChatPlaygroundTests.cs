using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Connections;
using Portal.Web.Components.Pages.Playground;

namespace Portal.Components.Tests;

/// <summary>
/// The chat playground against a real OpenAI-compatible peer on loopback: what the user sees for each fault, and that
/// the conversation and any partial answer are kept.
/// </summary>
public sealed class ChatPlaygroundTests() : PeerBunitContext("sk-peer-secret-9876", peer => [new ConfiguredConnection { Name = "peer", Kind = "OpenAICompatible", Endpoint = peer.V1.AbsoluteUri, ApiKey = "sk-peer-secret-9876", Models = ["peer-chat", "peer-slow"] }])
{
    internal IRenderedComponent<ChatPlayground> Open(string model)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"playground/chat?connection=peer&model={model}");
        return Render<ChatPlayground>();
    }

    internal static async Task Send(IRenderedComponent<ChatPlayground> cut, string text)
    {
        cut.WaitForElement("#chat-message:not([disabled])");
        await cut.ChangeAsync("#chat-message:not([disabled])", text);
        await cut.SubmitAsync("form.pg-composer");
    }

    internal static IReadOnlyList<(string Role, string Text)> Transcript(IRenderedComponent<ChatPlayground> cut) =>
        [.. cut.FindAll("[data-testid=transcript] .pg-message").Select(m => (m.GetAttribute("data-role")!, m.QuerySelector(".pg-content")!.TextContent.Trim()))];

    internal static string Error(IRenderedComponent<ChatPlayground> cut)
    {
        cut.WaitForElement("[data-testid=answer-error]", TimeSpan.FromSeconds(10));
        return cut.Find("[data-testid=answer-error]").TextContent;
    }

    [Fact]
    public async Task Send_PromptOverTheLimit_IsNotSent_SaysSo_StaysInTheBox_AndTheNextMessageGoes()
    {
        var cut = Open("peer-chat");
        var requests = Peer.Requests.Count;
        var prompt = new string('y', Portal.Web.Playground.PlaygroundRun.MaxTextChars + 1);

        await Send(cut, prompt);

        cut.WaitForAssertion(() => Assert.Contains("at most 262,144 characters", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(prompt, cut.Find("#chat-message").TextContent);
        Assert.Equal(requests, Peer.Requests.Count);

        await Send(cut, "Short again");
        cut.WaitForAssertion(() => Assert.Contains("Echo: Short again", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Send_StreamsTheAnswer_WithMetrics_AndSavesTheSession()
    {
        var cut = Open("peer-chat");

        await Send(cut, "Hello peer");

        cut.WaitForAssertion(() => Assert.Contains("lazy dog", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Contains("tokens/s", cut.Find("[data-testid=metrics]").TextContent, StringComparison.Ordinal));
        Assert.Equal(("user", "Hello peer"), Transcript(cut)[0]);
        Assert.Contains("TTFT", cut.Find("[data-testid=metrics]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("estimated", cut.Find("[data-testid=metrics]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Single(SessionStore.Rows));
        cut.WaitForAssertion(() => Assert.Equal("Hello peer", Assert.Single(SessionStore.Rows.Values).Title));
    }

    [Fact]
    public async Task Shutdown_DuringAStream_EndsTheCall_AndSavesTheQuestionAndTheAnswerSoFar_MarkedInterrupted()
    {
        var cut = Open("peer-endless-slow");
        await Send(cut, "Keep talking until the restart");
        cut.WaitForAssertion(() => Assert.Contains("quick brown", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var shutdown = Services.GetRequiredService<Portal.Web.Playground.PlaygroundShutdown>();

        Lifetime.StopApplication();
        var waited = shutdown.StopAsync(CancellationToken.None);
        await waited.WaitAsync(Portal.Web.Playground.PlaygroundShutdown.SaveTimeout + TimeSpan.FromSeconds(5));

        // The call to the endpoint ended (the peer saw it aborted) and the session was saved before the wait ended.
        await WaitUntilAsync(() => Peer.AbortedRequests == 1);
        var row = Assert.Single(SessionStore.Rows.Values);
        Assert.Contains("Keep talking until the restart", row.State, StringComparison.Ordinal);
        Assert.Contains("quick brown", row.State, StringComparison.Ordinal);
        Assert.Contains("\"interrupted\":true", row.State, StringComparison.Ordinal);
        Assert.Contains("The portal shut down", row.State, StringComparison.Ordinal);
        Assert.Contains("Interrupted: the portal shut down.", Error(cut), StringComparison.Ordinal);
        Assert.Contains("Retry", cut.Markup, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    [Theory]
    [InlineData("fault-401", "Not authorised", "Access denied")]
    [InlineData("fault-404", "not know the model or deployment 'fault-404'", "does not exist")]
    [InlineData("fault-429", "wait 7 s", "Rate limit reached")]
    [InlineData("fault-500", "The endpoint failed (500)", "server had an error")]
    [InlineData("fault-content-filter", "hate (high), self-harm (high), violence (medium)", "content management policy")]
    public async Task Faults_BeforeTheAnswer_AreShownInline_AndTheConversationIsKept(string model, string expected, string? provider)
    {
        var cut = Open(model);

        await Send(cut, "First question");
        var error = Error(cut);

        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
        if (provider is not null)
        {
            Assert.Contains(provider, error, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(("user", "First question"), Transcript(cut)[0]);
        Assert.DoesNotContain("Exception", cut.Markup, StringComparison.Ordinal);

        // The conversation goes on: switch to a working model; the failed question stays on the page but is not sent again.
        await cut.ChangeAsync("#chat-model", "peer-chat");
        await Send(cut, "Second question");
        cut.WaitForAssertion(() => Assert.Contains("Echo: Second question", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var sent = Peer.Requests.Last().Body!["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("First question", sent);
        Assert.Equal(("user", "First question"), Transcript(cut)[0]);
    }

    [Theory]
    [InlineData("fault-reset", "connection to the endpoint dropped")]
    [InlineData("fault-malformed", "could not read")]
    [InlineData("fault-stream-filter", "content filter stopped the answer: violence (medium)")]
    public async Task Faults_InTheMiddleOfTheStream_KeepThePartialAnswer(string model, string expected)
    {
        var cut = Open(model);

        await Send(cut, "Tell me");
        var error = Error(cut);

        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
        var answer = Transcript(cut)[^1];
        Assert.Equal("assistant", answer.Role);
        Assert.StartsWith("Echo: Tell", answer.Text, StringComparison.Ordinal);
        Assert.Equal(("user", "Tell me"), Transcript(cut)[0]);
        cut.WaitForAssertion(() => Assert.Single(SessionStore.Rows));
    }

    [Fact]
    public async Task Stop_KeepsWhatArrived_AndSaysSo()
    {
        var cut = Open("peer-slow");

        await Send(cut, "Long answer please");
        cut.WaitForAssertion(() => Assert.StartsWith("Echo:", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        // Found and clicked in one step on the renderer: the streaming answer re-renders the page between the two otherwise.
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Stop").Click());

        cut.WaitForAssertion(() => Assert.Contains("Stopped. The answer so far is kept.", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("lazy dog", Transcript(cut)[^1].Text, StringComparison.Ordinal);
        Assert.StartsWith("Echo:", Transcript(cut)[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regenerate_ReplacesTheLastAnswer_AndEditResend_ReplacesWhatFollowed()
    {
        var cut = Open("peer-chat");
        await Send(cut, "One");
        WaitIdle(cut, 2);
        await Send(cut, "Two");
        WaitIdle(cut, 4);
        var requests = Peer.Requests.Count;

        await cut.ClickAsync("button", b => b.TextContent == "Regenerate");
        cut.WaitForAssertion(() => Assert.Equal(requests + 1, Peer.Requests.Count), TimeSpan.FromSeconds(10));
        WaitIdle(cut, 4);
        Assert.Equal("Two", Peer.Requests.Last().Body!["messages"]!.AsArray().Last()!["content"]!.GetValue<string>());

        await cut.ClickLabelledAsync("Edit message 1");
        cut.WaitForAssertion(() => Assert.Contains("editing message 1", cut.Find("label[for=chat-message]").TextContent, StringComparison.Ordinal));
        await Send(cut, "One, edited");
        cut.WaitForAssertion(() => Assert.Contains("Echo: One, edited", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        WaitIdle(cut, 2);
    }

    /// <summary>Waits until no answer is streaming and the transcript has <paramref name="messages"/> messages.</summary>
    private static void WaitIdle(IRenderedComponent<ChatPlayground> cut, int messages) =>
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(messages, Transcript(cut).Count);
            Assert.Empty(cut.FindAll("[aria-busy=true]"));
            Assert.Contains(cut.FindAll("button"), b => b.TextContent == "Regenerate");
        }, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Markdown_IsRendered_ButRawHtmlAndScriptLinksAreNot()
    {
        var cut = Open("peer-chat");

        await Send(cut, "<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold**");

        cut.WaitForAssertion(() => Assert.Contains("lazy dog", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var answer = cut.FindAll("[data-testid=answer]")[^1];
        Assert.Empty(answer.QuerySelectorAll("img"));
        Assert.Empty(answer.QuerySelectorAll("a[href^='javascript']"));
        Assert.NotNull(answer.QuerySelector("strong"));
        Assert.Contains("(link removed)", answer.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ViewCode_OpensInADialog_WithTheRealEndpointModelAndMessages_ButNotTheKey()
    {
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Open("peer-chat");
        await Send(cut, "Hello code");
        cut.WaitForAssertion(() => Assert.Contains("lazy dog", Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.Empty(dialogs.FindAll("[data-testid=view-code]"));

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "View code").Click());
        var code = dialogs.WaitForElement("[role=dialog] [data-testid=view-code]").TextContent;

        Assert.Contains(Peer.V1.AbsoluteUri, code, StringComparison.Ordinal);
        Assert.Contains("\"peer-chat\"", code, StringComparison.Ordinal);
        Assert.Contains("Hello code", code, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", code, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-peer-secret-9876", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-peer-secret-9876", dialogs.Markup, StringComparison.Ordinal);

        // The dialog's Close button ends it.
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Close").Click());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=view-code]")));
    }

    [Fact]
    public async Task HistoryFailure_KeepsTheConversation_AndSaysSo()
    {
        SessionStore.FailWrites = true;
        var cut = Open("peer-chat");

        await Send(cut, "Hello");

        cut.WaitForAssertion(() => Assert.Contains("could not be saved to history", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("lazy dog", Transcript(cut)[^1].Text, StringComparison.Ordinal);
    }
}

/// <summary>An endpoint that never answers, with a timeout of its own (2 s) so the test need not wait the production 100 s.</summary>
public sealed class ChatPlaygroundTimeoutTests() : PeerBunitContext(
    null,
    peer => [new ConfiguredConnection { Name = "peer", Endpoint = peer.V1.AbsoluteUri, Models = ["fault-hang", "peer-chat"] }],
    new Dictionary<string, string?> { ["Portal:Inference:Timeout"] = "00:00:02" })
{
    [Fact]
    public async Task Hang_NoAnswerWithinTheTimeout_IsShownInline_AndTheConversationIsKept()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("playground/chat?connection=peer&model=fault-hang");
        var cut = Render<ChatPlayground>();

        await ChatPlaygroundTests.Send(cut, "First question");

        Assert.Contains("No answer from the endpoint within 2 seconds", ChatPlaygroundTests.Error(cut), StringComparison.Ordinal);
        Assert.Equal(("user", "First question"), ChatPlaygroundTests.Transcript(cut)[0]);
        await cut.ChangeAsync("#chat-model", "peer-chat");
        await ChatPlaygroundTests.Send(cut, "Second question");
        cut.WaitForAssertion(() => Assert.Contains("Echo: Second question", ChatPlaygroundTests.Transcript(cut)[^1].Text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }
}
