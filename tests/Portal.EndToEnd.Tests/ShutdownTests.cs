using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data.Tracing;
using Portal.Web.Evaluations;
using Portal.Web.Tracing;
using Xunit.Abstractions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The portal stopped (as SIGTERM stops it) while an answer streams: the stop is prompt, the call to the endpoint
/// ends, and after the restart the question and the answer so far are in history, marked interrupted. Stopped during an
/// evaluation run: the traces of its calls (those the stop ended among them) are written, and the run resumes after
/// the restart and completes.
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

    [Fact]
    public async Task Stop_DuringAnEvaluationRun_WritesTheTracesOfItsCalls_AndAfterTheRestartTheRunCompletes()
    {
        var fixture = (RestartablePlaygroundServerFixture)Server;
        var rows = Enumerable.Range(1, 12)
            .Select(i => new DatasetRow(i, new DatasetInput($"Shutdown question {i}", null), "quick brown", new Dictionary<string, string>()))
            .ToArray();
        var spec = new EvaluationSpec("shutdown", null, null, rows,
            [new EvaluationTargetSpec(PlaygroundServerFixture.ConnectionName, "peer-slow")], ["substring-match"], Concurrency: 2);
        Guid id;
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var started = await scope.ServiceProvider.GetRequiredService<IEvaluationService>().StartAsync(spec, CancellationToken.None);
            Assert.True(started.Id is not null, string.Join("; ", started.Problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
            id = started.Id!.Value;
        }

        var before = await WaitForRunAsync(fixture, id, run => run.Counts.Succeeded >= 2, TimeSpan.FromSeconds(30));
        Assert.Equal(EvaluationStatus.Running, before.Status);

        var abortedBefore = fixture.Peer.AbortedRequests;
        await fixture.StopPortalAsync();
        // The peer notices a cut-off answer at its next write (a token every 40 ms).
        await Task.Delay(500);
        var cutOff = fixture.Peer.AbortedRequests - abortedBefore;
        await fixture.StartPortalAsync();

        // Written before the stop ended: the calls the stop cut off, as cancelled. On a loaded machine the stop can land
        // between two calls; when the peer saw an answer cut off, its trace must be there.
        var traces = fixture.Services.GetRequiredService<ITraceStore>();
        var (_, cancelled) = await traces.QueryAsync(new TraceQuery { RunId = id, Status = TraceStatus.Cancelled }, CancellationToken.None);
        output.WriteLine($"Answers the peer saw cut off by the stop: {cutOff}; cancelled traces: {cancelled}.");
        Assert.True(cancelled >= Math.Min(1, cutOff), $"The peer saw {cutOff} answers cut off by the stop, but they left no trace.");

        var done = await WaitForRunAsync(fixture, id, run => run.Status is not (EvaluationStatus.Queued or EvaluationStatus.Running), TimeSpan.FromSeconds(60));
        Assert.Equal(EvaluationStatus.Completed, done.Status);
        Assert.Equal(new EvaluationCounts(12, 12, 0, 0), done.Counts);
        await fixture.Services.GetRequiredService<TraceWriter>().FlushAsync(CancellationToken.None); // the last answers' traces may still be queued
        var (_, ok) = await traces.QueryAsync(new TraceQuery { RunId = id, Status = TraceStatus.Ok }, CancellationToken.None);
        Assert.Equal(12, ok);
        output.WriteLine($"Stored before the stop: {before.Counts.Succeeded}; cancelled by it: {cancelled}.");
    }

    private static async Task<EvaluationRunInfo> WaitForRunAsync(PortalServerFixture fixture, Guid id, Func<EvaluationRunInfo, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var scope = fixture.Services.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<IEvaluationService>().GetAsync(id, CancellationToken.None);
            Assert.NotNull(run);
            if (until(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The run is {run.Status} ({run.Counts}) after {timeout.TotalSeconds} s.");
            await Task.Delay(100);
        }
    }
}
