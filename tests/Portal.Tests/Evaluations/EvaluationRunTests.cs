using Microsoft.Extensions.DependencyInjection;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web.Evaluations;

namespace Portal.Tests.Evaluations;

/// <summary>Runs against the loopback peer, in the real portal with its SQLite store.</summary>
public sealed class EvaluationRunTests : IAsyncLifetime
{
    private OpenAiPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await OpenAiPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    /// <summary>
    /// peer-quiz answers "The answer is A+B." to a sum and "I do not know." otherwise, so each scorer's accuracy here is
    /// known: exact 1/6 (row 5), substring 3/6 (rows 1, 2, 5), substring-ci 4/6 (+ row 6), numeric 4/5 (row 4 has no
    /// number to compare: missing), regex 5/6 (every sum), json-valid 0/6.
    /// </summary>
    public static readonly DatasetRow[] Quiz =
    [
        Row(1, "What is 2 + 3?", "5"),
        Row(2, "What is 10 + 20?", "30"),
        Row(3, "What is 1 + 1?", "11"),
        Row(4, "What is the capital of France?", "Paris"),
        Row(5, "What is 4 + 4?", "The answer is 8."),
        Row(6, "What is 6 + 1?", "THE ANSWER IS 7"),
    ];

    public static readonly string[] QuizScorers = ["exact-match", "substring-match", "substring-match-ci", "numeric:0", @"regex:^The answer is \d+\.$", "json-valid"];

    private static DatasetRow Row(int number, string question, string expected) =>
        new(number, new DatasetInput(question, null), expected, new Dictionary<string, string>());

    private static EvaluationSpec Spec(IReadOnlyList<string> models, IReadOnlyList<string>? scorers = null, JudgeSpec? judge = null, int concurrency = 4, IReadOnlyList<DatasetRow>? rows = null) =>
        new("quiz", null, null, rows ?? Quiz, [.. models.Select(m => new EvaluationTargetSpec(EvaluationHost.Connection, m))], scorers ?? QuizScorers, judge, null, concurrency);

    private static double? Mean(TargetSummary target, string scorer) => target.Scores.Single(s => s.Scorer == scorer).Mean;

    [Fact]
    public async Task QuizDataset_EachScorersAccuracy_IsExactlyAsKnownInAdvance_AndTheOffByOneModelGetsThemAllWrong()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);

        var run = await host.WaitAsync(await host.StartRunAsync(Spec(["peer-quiz", "peer-quiz-off"])));

        Assert.Equal(EvaluationStatus.Completed, run.Status);
        Assert.Null(run.Error);
        Assert.Equal(new EvaluationCounts(12, 12, 0, 0), run.Counts);
        var quiz = run.Targets[0];
        Assert.Equal(1.0 / 6, Mean(quiz, "exact-match"));
        Assert.Equal(3.0 / 6, Mean(quiz, "substring-match"));
        Assert.Equal(4.0 / 6, Mean(quiz, "substring-match-ci"));
        Assert.Equal(4.0 / 5, Mean(quiz, "numeric:0"));
        Assert.Equal(1, quiz.Scores.Single(s => s.Scorer == "numeric:0").Missing);
        Assert.Equal(5.0 / 6, Mean(quiz, @"regex:^The answer is \d+\.$"));
        Assert.Equal(0, Mean(quiz, "json-valid"));
        var substring = quiz.Scores.Single(s => s.Scorer == "substring-match");
        Assert.Equal(0.1876, substring.Low!.Value, 3);
        Assert.Equal(0.8124, substring.High!.Value, 3);

        var off = run.Targets[1];
        Assert.Equal(0, Mean(off, "exact-match"));
        Assert.Equal(0, Mean(off, "substring-match"));
        Assert.Equal(0, Mean(off, "substring-match-ci"));
        Assert.Equal(0, Mean(off, "numeric:0"));

        // Latency and tokens: measured for every answer; the peer reports usage, so nothing is estimated.
        Assert.NotNull(quiz.Latency.TtftP50Ms);
        Assert.True(quiz.Latency.TotalP95Ms >= quiz.Latency.TotalP50Ms);
        Assert.True(quiz.OutputTokens > 0);
        Assert.False(quiz.TokensEstimated);

        var rows = await host.WithServiceAsync(s => s.RowsAsync(run.Id, CancellationToken.None));
        Assert.Equal(6, rows.Count);
        Assert.Equal("The answer is 5.", rows[0].Cells[0].Answer);
        Assert.Equal("The answer is 6.", rows[0].Cells[1].Answer);
        Assert.Equal(1, rows[0].Cells[0].Scores.Single(s => s.Scorer == "substring-match").Value);
        Assert.Equal(6, host.RequestsFor("peer-quiz"));
    }

    [Fact]
    public async Task Judge_GradesEveryAnswer_AndAGarbledJudgeLeavesTheScoreMissingWithItsRawAnswer()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);

        var graded = await host.WaitAsync(await host.StartRunAsync(Spec(["peer-quiz"], ["judge:relevance", "substring-match"], new JudgeSpec(EvaluationHost.Connection, "peer-judge"))));
        var garbled = await host.WaitAsync(await host.StartRunAsync(Spec(["peer-quiz"], ["judge:similarity"], new JudgeSpec(EvaluationHost.Connection, "peer-judge-garbled"))));

        var relevance = graded.Targets[0].Scores.Single(s => s.Scorer == "judge:relevance");
        Assert.Equal(4, relevance.Mean);
        Assert.Equal(0.75, relevance.Normalised);
        Assert.Equal(6, relevance.Scored);
        var row = (await host.WithServiceAsync(s => s.RowsAsync(graded.Id, CancellationToken.None)))[0].Cells[0].Scores.Single(s => s.Scorer == "judge:relevance");
        Assert.Equal(4, row.Value);
        Assert.Equal("The answer addresses the question and reads well.", row.Reasoning);
        Assert.Equal(6, host.RequestsFor("peer-judge"));
        var judgeRequest = _peer.Requests.First(r => r.Body?["model"]?.GetValue<string>() == "peer-judge").Body!.ToJsonString();
        Assert.Contains("RELEVANCE", judgeRequest, StringComparison.Ordinal);

        Assert.Equal(EvaluationStatus.Completed, garbled.Status);
        var similarity = garbled.Targets[0].Scores.Single();
        Assert.Null(similarity.Mean);
        Assert.Equal(6, similarity.Missing);
        var missing = (await host.WithServiceAsync(s => s.RowsAsync(garbled.Id, CancellationToken.None)))[0].Cells[0].Scores.Single();
        Assert.Null(missing.Value);
        Assert.Equal("What a lovely answer; I would not change a word.", missing.Raw);
    }

    [Theory]
    [InlineData("fault-401", "refused the credentials")]
    [InlineData("fault-404", "does not know the model")]
    [InlineData("fault-429", "longer than an evaluation waits")]
    [InlineData("fault-500", "The endpoint failed (500)")]
    [InlineData("fault-hang", "No answer from the endpoint within 1 seconds")]
    [InlineData("fault-content-filter", "content filter blocked the prompt")]
    [InlineData("fault-stream-filter", "content filter stopped the answer")]
    public async Task AFailingTarget_MarksItsRowsFailedWithTheReason_AndTheOtherTargetCompletes(string model, string reason)
    {
        // A short timeout for fault-hang; the others answer at once.
        await using var host = await EvaluationHost.StartAsync(_peer, null, "--Portal:Inference:Timeout=00:00:01");
        var rows = Quiz[..3];

        var run = await host.WaitAsync(await host.StartRunAsync(Spec(["peer-quiz", model], ["substring-match"], rows: rows, concurrency: 3)), 90);

        Assert.Equal(EvaluationStatus.Completed, run.Status);
        Assert.Equal(new EvaluationCounts(3, 3, 0, 0), run.Targets[0].Counts);
        Assert.Equal(new EvaluationCounts(3, 0, 3, 0), run.Targets[1].Counts);
        Assert.Equal(2.0 / 3, Mean(run.Targets[0], "substring-match"));
        Assert.Contains("Some answers failed: target 2", run.Error, StringComparison.Ordinal);
        var cells = (await host.WithServiceAsync(s => s.RowsAsync(run.Id, CancellationToken.None))).Select(r => r.Cells[1]).ToList();
        Assert.All(cells, c => Assert.Equal(CellStatus.Failed, c.Status));
        Assert.All(cells, c => Assert.Contains(reason, c.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_A429Once_AfterItsRetryAfter_AndSucceeds()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);

        var run = await host.WaitAsync(await host.StartRunAsync(Spec(["fault-429-once"], ["substring-match"], rows: Quiz[..2])));

        Assert.Equal(EvaluationStatus.Completed, run.Status);
        Assert.Equal(new EvaluationCounts(2, 2, 0, 0), run.Counts);
        Assert.Equal(1, Mean(run.Targets[0], "substring-match"));
        Assert.Equal(4, host.RequestsFor("fault-429-once"));
        var rows = await host.WithServiceAsync(s => s.RowsAsync(run.Id, CancellationToken.None));
        Assert.All(rows, r => Assert.True(r.Cells[0].TotalMs > 0));
    }

    [Fact]
    public async Task AServerError_IsTriedThreeTimes_ThenFailsWithTheReason()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);

        var run = await host.WaitAsync(await host.StartRunAsync(Spec(["fault-500"], ["substring-match"], rows: Quiz[..1])));

        Assert.Equal(EvaluationStatus.Failed, run.Status);
        Assert.Contains("Nothing could run", run.Error, StringComparison.Ordinal);
        Assert.Contains("(after 3 tries)", run.Error, StringComparison.Ordinal);
        Assert.Equal(3, host.RequestsFor("fault-500"));
    }

    [Fact]
    public async Task AnUnauthorisedTarget_StopsSendingTheRest()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);

        var run = await host.WaitAsync(await host.StartRunAsync(Spec(["fault-401"], ["substring-match"], concurrency: 1)));

        Assert.Equal(EvaluationStatus.Failed, run.Status);
        Assert.Equal(1, host.RequestsFor("fault-401"));
        var rows = await host.WithServiceAsync(s => s.RowsAsync(run.Id, CancellationToken.None));
        Assert.StartsWith("Not sent: an earlier row of this target failed with: The endpoint refused the credentials", rows[5].Cells[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_StopsPromptly_KeepingTheFinishedAnswers()
    {
        _peer.TokenDelay = TimeSpan.FromMilliseconds(100);
        await using var host = await EvaluationHost.StartAsync(_peer);
        var rows = Enumerable.Range(1, 40).Select(i => Row(i, $"What is {i} + 1?", $"{i + 1}")).ToArray();
        var id = await host.StartRunAsync(Spec(["peer-quiz"], ["substring-match"], rows: rows, concurrency: 2));
        await WaitForAsync(host, id, run => run.Counts.Succeeded >= 2);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await host.WithServiceAsync(async s =>
        {
            await s.CancelAsync(id, CancellationToken.None);
            return 0;
        });
        stopwatch.Stop();

        var run = await host.WaitAsync(id);
        Assert.Equal(EvaluationStatus.Cancelled, run.Status);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"cancel took {stopwatch.Elapsed}");
        Assert.InRange(run.Counts.Succeeded, 2, 39);
        Assert.Equal(40 - run.Counts.Succeeded, run.Counts.Pending);
        await Task.Delay(500);
        var later = await host.WithServiceAsync(s => s.GetAsync(id, CancellationToken.None));
        Assert.Equal(run.Counts, later!.Counts);
    }

    [Fact]
    public async Task StoppedMidRun_ResumesAtTheNextStart_WithoutAskingFinishedRowsAgain()
    {
        _peer.TokenDelay = TimeSpan.FromMilliseconds(40);
        using var temp = new TempDirectory();
        var rows = Enumerable.Range(1, 30).Select(i => Row(i, $"What is {i} + 2?", $"{i + 2}")).ToArray();
        Guid id;
        await using (var first = await EvaluationHost.StartAsync(_peer, temp))
        {
            id = await first.StartRunAsync(Spec(["peer-quiz"], ["substring-match"], rows: rows, concurrency: 2));
            await WaitForAsync(first, id, run => run.Counts.Succeeded >= 4);
        }

        // The first portal has stopped: what it stored is what finished.
        HashSet<string> finished;
        await using (var store = await Persistence.StoreFactory.CreateMigratedAsync(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = temp.File("portal.db") }))
        {
            var cells = await store.GetRequiredService<Portal.Data.Evaluations.IEvaluationStore>().ListCellsAsync(id, CancellationToken.None);
            finished = [.. cells.Select(c => rows[c.Row - 1].Input.Question!)];
        }

        Assert.InRange(finished.Count, 4, 29);
        var asked = _peer.Requests.Count;
        await using var second = await EvaluationHost.StartAsync(_peer, temp);

        var done = await second.WaitAsync(id);

        Assert.Equal(EvaluationStatus.Completed, done.Status);
        Assert.Equal(new EvaluationCounts(30, 30, 0, 0), done.Counts);
        Assert.Equal(1, Mean(done.Targets[0], "substring-match"));
        // The second portal asked exactly the questions whose answers were not stored (those in flight at the stop among them).
        var askedAgain = _peer.Requests.Skip(asked).Select(r => r.Body!["messages"]!.AsArray().Last()!["content"]!.GetValue<string>()).ToHashSet();
        Assert.Empty(askedAgain.Intersect(finished));
        Assert.Equal(rows.Select(r => r.Input.Question!).Except(finished).Order(StringComparer.Ordinal), askedAgain.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Progress_IsAnnounced_AtMostFourTimesASecond_WithAnEta()
    {
        _peer.TokenDelay = TimeSpan.FromMilliseconds(20);
        await using var host = await EvaluationHost.StartAsync(_peer);
        var rows = Enumerable.Range(1, 40).Select(i => Row(i, $"What is {i} + 1?", $"{i + 1}")).ToArray();
        var announced = new System.Collections.Concurrent.ConcurrentQueue<DateTime>();
        TimeSpan? eta = null;
        await using var scope = host.App.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<IEvaluationService>();
        service.Changed += _ => announced.Enqueue(DateTime.UtcNow);

        var id = await host.StartRunAsync(Spec(["peer-quiz"], ["substring-match"], rows: rows, concurrency: 1));
        await WaitForAsync(host, id, run =>
        {
            eta ??= run.Eta;
            return run.Status == EvaluationStatus.Completed;
        });
        var started = announced.First();
        var seconds = (announced.Last() - started).TotalSeconds;

        Assert.InRange(announced.Count, 3, (int)(seconds * 4) + 4);
        Assert.NotNull(eta);
        Assert.True(eta > TimeSpan.Zero);
    }

    private static async Task WaitForAsync(EvaluationHost host, Guid id, Func<EvaluationRunInfo, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await host.WithServiceAsync(s => s.GetAsync(id, CancellationToken.None));
            if (condition(run!))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, $"Still waiting: {run!.Status} {run.Counts}");
            await Task.Delay(20);
        }
    }
}
