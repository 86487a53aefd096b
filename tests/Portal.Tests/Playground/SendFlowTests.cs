using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Playground.Inference;
using Portal.Web.Playground;

namespace Portal.Tests.Playground;

/// <summary>The send flow the playgrounds share: what is sent as context, retrying a failed turn, Stop and the page's lifetime.</summary>
public sealed class SendFlowTests
{
    private static ChatMessageState User(string text) => new() { Role = ChatRole.User, Content = text };

    private static ChatMessageState Answer(string text, PlaygroundError? error = null, bool interrupted = false) =>
        new() { Role = ChatRole.Assistant, Content = text, Error = error, Interrupted = interrupted };

    private static readonly PlaygroundError Failure = new("The endpoint failed", "The endpoint failed (500).", null, null, null);

    [Fact]
    public void Context_LeavesOutFailedTurns_AndTheAnswerBeingWritten()
    {
        List<ChatMessageState> messages =
        [
            User("one"), Answer("first answer"),
            User("two"), Answer("", Failure),
            User("three"), Answer("cut off", Failure, interrupted: true),
            User("four"), Answer("stopped half") ,
        ];
        messages[^1].Stopped = true;
        var answer = Conversation.Ask(messages, "five");

        var context = Conversation.Context("Be brief.", messages);

        Assert.Equal(["Be brief.", "one", "first answer", "four", "stopped half", "five"], context.Select(t => t.Content));
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant, ChatRole.User], context.Select(t => t.Role));
        Assert.True(answer.Streaming);
        Assert.Same(answer, messages[^1]);
    }

    [Fact]
    public void Context_WithoutASystemMessage_StartsWithTheFirstTurn() =>
        Assert.Equal(["hi"], Conversation.Context("  ", [User("hi")]).Select(t => t.Content));

    [Fact]
    public void Next_ForViewCode_IsWhatTheDraftWouldSend_OrAGreeting()
    {
        List<ChatMessageState> messages = [User("one"), Answer("", Failure), User("two"), Answer("second answer")];

        Assert.Equal(["sys", "two", "second answer", "three"], Conversation.Next("sys", messages, " three ").Select(t => t.Content));
        Assert.Equal(["sys", "Hello!"], Conversation.Next("sys", [], "").Select(t => t.Content));
    }

    [Fact]
    public void Retry_MovesTheFailedTurnsQuestionToTheEnd_AndDropsTheFailedAnswer()
    {
        List<ChatMessageState> messages = [User("one"), Answer("", Failure), User("two"), Answer("second answer")];
        var question = messages[0];

        Assert.True(Conversation.Retry(messages, 1));

        Assert.Equal(["two", "second answer", "one"], messages.Select(m => m.Content));
        Assert.Same(question, messages[^1]);
        Assert.Equal(["two", "second answer", "one"], Conversation.Context("", messages).Select(t => t.Content));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(9)]
    public void Retry_OfAnythingButAFailedAnswer_ChangesNothing(int index)
    {
        List<ChatMessageState> messages = [User("one"), Answer("", Failure), User("two"), Answer("fine")];

        Assert.False(Conversation.Retry(messages, index));

        Assert.Equal(4, messages.Count);
    }

    [Theory]
    [InlineData("", "gpt-4o", "Type a message first.")]
    [InlineData("  ", "gpt-4o", "Type a message first.")]
    [InlineData("hello", null, PlaygroundRun.NoModel)]
    [InlineData("hello", "gpt-4o", null)]
    public void Ready_SaysWhatIsMissing(string text, string? model, string? problem)
    {
        var run = new PlaygroundRun(CancellationToken.None);

        Assert.Equal(problem is null, run.Ready(text, model, "Type a message first."));
        Assert.Equal(problem, run.Problem);
    }

    [Fact]
    public async Task Stop_CancelsTheRun_WhichEndsQuietly_AndThePageIsStillThere()
    {
        var run = new PlaygroundRun(CancellationToken.None);
        var started = new TaskCompletionSource();

        var running = run.RunAsync(async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        await started.Task;
        Assert.True(run.IsRunning);
        run.Stop();

        Assert.True(await running);
        Assert.False(run.IsRunning);
    }

    [Fact]
    public async Task PageGoingAway_CancelsTheRun_AndSaysNothingMoreMayBeDone()
    {
        using var page = new CancellationTokenSource();
        var run = new PlaygroundRun(page.Token);
        var cancelled = false;
        var started = new TaskCompletionSource();

        var running = run.RunAsync(async token =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        });
        await started.Task;
        await page.CancelAsync();

        Assert.False(await running);
        Assert.True(cancelled);
        Assert.False(await run.RunAsync(_ => throw new InvalidOperationException("must not start after the page went away")));
    }

    [Fact]
    public async Task Run_WhileAnotherRuns_IsRefused()
    {
        var run = new PlaygroundRun(CancellationToken.None);
        var release = new TaskCompletionSource();
        var first = run.RunAsync(_ => release.Task);

        await Assert.ThrowsAsync<InvalidOperationException>(() => run.RunAsync(_ => Task.CompletedTask));

        release.SetResult();
        Assert.True(await first);
    }

    private static async IAsyncEnumerable<StreamEvent> Words(int words, InferenceError? failure)
    {
        for (var i = 0; i < words; i++)
        {
            await Task.Yield();
            yield return new TextDelta($"word{i} ");
        }

        if (failure is not null)
        {
            throw new InferenceException(failure);
        }

        yield return new StreamFinished("stop", 3, words, []);
    }

    [Theory]
    [InlineData(3, true, true)]
    [InlineData(0, true, false)]
    [InlineData(3, false, false)]
    public async Task StreamRunner_AFailureAfterTheFirstText_MarksTheAnswerInterrupted_AndKeepsTheText(int words, bool fails, bool interrupted)
    {
        var runner = new StreamRunner(new CatalogService([new EmbeddedCatalogSource()], NullLogger<CatalogService>.Instance), BenchmarkData.Embedded, TimeProvider.System, Options.Create(new InferenceOptions()), new PlaygroundShutdown(new Portal.TestPeers.TestApplicationLifetime(), NullLogger<PlaygroundShutdown>.Instance));
        var answer = new ChatMessageState { Role = ChatRole.Assistant, Streaming = true };
        var dropped = new InferenceError(InferenceErrorKind.StreamDropped, "The connection to the endpoint dropped in the middle of the answer.");
        var updates = 0;

        await runner.RunAsync(Words(words, fails ? dropped : null), answer, "some-model", "prompt", change =>
        {
            change();
            updates++;
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(interrupted, answer.Interrupted);
        Assert.Equal(fails, answer.Error is not null);
        Assert.Equal(string.Concat(Enumerable.Range(0, words).Select(i => $"word{i} ")), answer.Content);
        Assert.False(answer.Streaming);
        Assert.NotNull(answer.Metrics);
        Assert.True(updates >= 2);
    }
}
