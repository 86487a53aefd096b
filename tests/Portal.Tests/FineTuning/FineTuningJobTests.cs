using Microsoft.Extensions.DependencyInjection;
using Portal.Playground.FineTuning;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web.FineTuning;

namespace Portal.Tests.FineTuning;

/// <summary>
/// Fine-tuning jobs through the real portal and the loopback peer, in the OpenAI and the Azure OpenAI style: creating
/// (validated first: nothing sent when invalid; provider faults in words, nothing stored), following to the end with
/// events, metrics and checkpoints, a failed job's error, a 429 while following, cancelling, and a restart that resumes.
/// </summary>
public sealed class FineTuningJobTests : IAsyncLifetime
{
    private OpenAiPeer _peer = default!;

    public async Task InitializeAsync()
    {
        _peer = await OpenAiPeer.StartAsync(FineTuningHost.Key);
        _peer.FineTuningStepInterval = TimeSpan.FromMilliseconds(60);
        _peer.FineTuningSteps = 6;
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private static FineTuningJobInput Input(string connection, string trainingFile, string model = "gpt-4o-mini-2024-07-18", string? suffix = "portal") => new()
    {
        Connection = connection,
        BaseModel = model,
        TrainingFile = trainingFile,
        Epochs = 2,
        Suffix = suffix,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_ThenFollow_RunsToSucceeded_WithEventsMetricsAndCheckpointsStored(bool azure)
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var training = await host.UploadAsync(azure);
        var validation = await host.UploadAsync(azure, "valid.jsonl");
        var input = Input(azure ? FineTuningHost.Azure : FineTuningHost.OpenAI, training.Id, azure ? "gpt-4o-mini" : "gpt-4o-mini-2024-07-18");
        input.ValidationFile = validation.Id;
        input.LearningRateMultiplier = 0.5;
        input.Seed = 11;

        var id = await host.CreateAsync(input);

        var job = await host.WaitFinalAsync(id);
        Assert.Equal(FineTuningState.Succeeded, job.State);
        Assert.Null(job.Row.FollowProblem);
        Assert.Null(job.Row.Error);
        Assert.Equal(_peer.JobStatus(job.Row.ProviderJobId) is { } s ? s : "", job.Row.Status);
        Assert.False(string.IsNullOrEmpty(job.Row.FineTunedModel));
        Assert.NotNull(job.Row.FinishedUtc);
        Assert.Equal("gpt-4o-mini", job.Row.CatalogModelId);
        Assert.Equal(2, job.Hyperparameters.Epochs.Value);
        Assert.Equal(0.5, job.Hyperparameters.LearningRateMultiplier.Value);
        Assert.Equal(11, job.Row.Seed);
        // Every metrics step, in order, with the peer's losses (validation loss too: a validation file was given).
        Assert.Equal([1, 2, 3, 4, 5, 6], job.Metrics.Select(m => m.Step));
        Assert.All(job.Metrics, m => Assert.Equal(OpenAiPeer.TrainLossAt(m.Step, 0.5), m.TrainLoss));
        Assert.All(job.Metrics, m => Assert.Equal(OpenAiPeer.ValidLossAt(m.Step, 0.5), m.ValidLoss));
        Assert.Equal(6, job.Metrics[^1].TotalSteps);
        // Events newest first, each once, from the first to the last.
        Assert.Equal(job.Events.Count, job.Events.Select(e => e.Id).Distinct().Count());
        Assert.Contains("successfully completed", job.Events[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("Validating training file", job.Events[^1].Message, StringComparison.Ordinal);
        Assert.Equal(6, job.Events.Count(e => e.Type == "metrics"));
        Assert.Equal([6, 4, 2], job.Checkpoints.Select(c => c.Step));
        // What was asked reached the provider.
        var sent = _peer.JobRequests.Last();
        Assert.Equal(2, sent["method"]!["supervised"]!["hyperparameters"]!["n_epochs"]!.GetValue<int>());
        Assert.Equal("portal", sent["suffix"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_InvalidForm_GivesFieldMessages_AndSendsNothing()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var before = _peer.JobRequests.Count;
        var input = new FineTuningJobInput
        {
            Connection = FineTuningHost.OpenAI,
            BaseModel = "gpt-4o-mini-2024-07-18",
            TrainingFile = " ",
            Method = FineTuningMethod.Dpo,
            Epochs = 0,
            BatchSize = 300,
            LearningRateMultiplier = 0,
            Beta = 2.5,
            Seed = -1,
            Suffix = "Not Valid!",
        };

        var result = await host.WithServiceAsync(s => s.CreateAsync(input, CancellationToken.None));

        Assert.False(result.Created);
        Assert.Equal(
            [FineTuningService.BatchSizeField, FineTuningService.BetaField, FineTuningService.EpochsField, FineTuningService.LearningRateField,
             FineTuningService.SeedField, FineTuningService.SuffixField, FineTuningService.TrainingFileField],
            result.FieldErrors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("1–50", result.FieldErrors[FineTuningService.EpochsField], StringComparison.Ordinal);
        Assert.Contains("lower-case", result.FieldErrors[FineTuningService.SuffixField], StringComparison.Ordinal);
        Assert.Equal(before, _peer.JobRequests.Count);
        Assert.Empty(await host.Store.ListJobsAsync(null, CancellationToken.None));
    }

    [Theory]
    [InlineData("0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij01234", "at most 64 characters")]
    [InlineData("UPPER", "lower-case")]
    public async Task Create_BadSuffix_IsRefusedBeforeSending(string suffix, string expected)
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var file = await host.UploadAsync(azure: false);

        var result = await host.WithServiceAsync(s => s.CreateAsync(Input(FineTuningHost.OpenAI, file.Id, suffix: suffix), CancellationToken.None));

        Assert.Contains(expected, result.FieldErrors[FineTuningService.SuffixField], StringComparison.Ordinal);
        Assert.Empty(_peer.JobRequests);
    }

    [Fact]
    public async Task Create_ConnectionWithoutFineTuning_OrModelNotOffered_IsRefusedBeforeSending()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);

        var compatible = await host.WithServiceAsync(s => s.CreateAsync(Input(FineTuningHost.Compatible, "file-x"), CancellationToken.None));
        var notOffered = await host.WithServiceAsync(s => s.CreateAsync(Input(FineTuningHost.OpenAI, "file-x", model: "gpt-35-turbo"), CancellationToken.None));
        var none = await host.WithServiceAsync(s => s.CreateAsync(Input(FineTuningHost.NoModels, "file-x", model: "text-embedding-3-small"), CancellationToken.None));

        Assert.Contains("only OpenAI and Azure OpenAI", compatible.FieldErrors[FineTuningService.ConnectionField], StringComparison.Ordinal);
        Assert.Contains("gpt-4o-mini-2024-07-18, gpt-4o", notOffered.FieldErrors[FineTuningService.BaseModelField], StringComparison.Ordinal);
        Assert.Contains("offers none of the catalog's fine-tunable models", none.FieldErrors[FineTuningService.BaseModelField], StringComparison.Ordinal);
        Assert.Empty(_peer.JobRequests);
    }

    [Theory]
    [InlineData("fault-400", null, "must have at least 10 examples")]
    [InlineData("fault-429", null, "wait 7 s")]
    [InlineData(null, "gpt-4o", "(404)")]
    [InlineData(null, "wrong-key", "(401)")]
    public async Task Create_ProviderRefuses_SaysWhyInWords_AndStoresNothing(string? suffix, string? variant, string expected)
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var file = await host.UploadAsync(azure: false);
        var input = Input(FineTuningHost.OpenAI, file.Id, suffix: suffix);
        if (variant == "gpt-4o")
        {
            _peer.FineTunableModels.Remove("gpt-4o"); // the catalog says it is fine-tunable; this provider does not know it
            input.BaseModel = "gpt-4o";
        }
        else if (variant == "wrong-key")
        {
            input.Connection = FineTuningHost.WrongKey;
            input.BaseModel = "gpt-4o-mini";
        }

        var result = await host.WithServiceAsync(s => s.CreateAsync(input, CancellationToken.None));

        Assert.False(result.Created);
        Assert.Empty(result.FieldErrors);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(FineTuningHost.Key, result.Error, StringComparison.Ordinal);
        Assert.Empty(await host.Store.ListJobsAsync(null, CancellationToken.None));
        // The form's input is the caller's: nothing in it was changed.
        Assert.Equal(file.Id, input.TrainingFile);
        Assert.Equal(suffix, input.Suffix);
    }

    [Fact]
    public async Task ListConnections_OffersTheCatalogsFineTunableModels_MatchedByIdOrVersion()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);

        var connections = await host.WithServiceAsync(s => s.ListConnectionsAsync(CancellationToken.None));

        Assert.DoesNotContain(connections, c => c.Name == FineTuningHost.Compatible);
        var openai = connections.Single(c => c.Name == FineTuningHost.OpenAI);
        Assert.Equal([("gpt-4o-mini", "gpt-4o-mini-2024-07-18"), ("gpt-4o", "gpt-4o")], openai.BaseModels.Select(m => (m.CatalogId, m.ProviderModel)));
        Assert.Null(openai.NoModelsNote);
        Assert.Contains("Settings → Connections", connections.Single(c => c.Name == FineTuningHost.NoModels).NoModelsNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedJob_KeepsTheProvidersErrorInWords_AndStaysListed()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var file = await host.UploadAsync(azure: false);

        var id = await host.CreateAsync(Input(FineTuningHost.OpenAI, file.Id, suffix: "fault-fail"));

        var job = await host.WaitFinalAsync(id);
        Assert.Equal(FineTuningState.Failed, job.State);
        Assert.Contains("training loss diverged", job.Row.Error, StringComparison.Ordinal);
        Assert.Null(job.Row.FineTunedModel);
        Assert.NotEmpty(job.Metrics);
        Assert.Contains(await host.WithServiceAsync(s => s.ListAsync(CancellationToken.None)), j => j.Id == id);
    }

    [Fact]
    public async Task RateLimitedWhileFollowing_SetsTheProblemInWords_ThenRecovers()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var file = await host.UploadAsync(azure: false);
        _peer.HoldFineTuning = true;
        var id = await host.CreateAsync(Input(FineTuningHost.OpenAI, file.Id));
        _peer.RefuseFineTuningReads(count: 1, retryAfterSeconds: 1);

        var limited = await host.WaitAsync(id, j => j.Row.FollowProblem is not null);
        Assert.Contains("(429)", limited.Row.FollowProblem, StringComparison.Ordinal);
        Assert.Contains("waits 1 s", limited.Row.FollowProblem, StringComparison.Ordinal);
        _peer.HoldFineTuning = false;

        var job = await host.WaitFinalAsync(id);
        Assert.Equal(FineTuningState.Succeeded, job.State);
        Assert.Null(job.Row.FollowProblem);
        Assert.Equal(6, job.Metrics.Count);
    }

    [Fact]
    public async Task Cancel_OwnRunningJob_StopsItAtTheProvider_AndStoresCancelled()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var file = await host.UploadAsync(azure: false);
        _peer.HoldFineTuning = true;
        var id = await host.CreateAsync(Input(FineTuningHost.OpenAI, file.Id));

        var problem = await host.WithServiceAsync(s => s.CancelAsync(id, CancellationToken.None));

        Assert.Null(problem);
        var job = await host.WaitFinalAsync(id);
        Assert.Equal(FineTuningState.Cancelled, job.State);
        Assert.Equal("cancelled", _peer.JobStatus(job.Row.ProviderJobId));
        Assert.Contains(job.Events, e => e.Message.Contains("cancelled", StringComparison.Ordinal));
        var again = await host.WithServiceAsync(s => s.CancelAsync(id, CancellationToken.None));
        Assert.Contains("already ended", again, StringComparison.Ordinal);
        _peer.HoldFineTuning = false;
    }

    [Fact]
    public async Task Import_AddsTheConnectionsJobsNotFollowedYet_ReadOnce_AndSkipsKnownOnes()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);
        var file = await host.UploadAsync(azure: false);
        var followed = await host.CreateAsync(Input(FineTuningHost.OpenAI, file.Id));
        var elsewhere = await host.App.Services.GetRequiredService<FineTuningClient>().CreateJobAsync(host.Target(azure: false),
            new FineTuningJobRequest("gpt-4o-mini-2024-07-18", file.Id, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, 5, "elsewhere"), CancellationToken.None);
        await host.WaitFinalAsync(followed);
        await Task.Delay(TimeSpan.FromMilliseconds(60 * 10)); // the other job has ended at the provider too

        var (added, problem) = await host.WithServiceAsync(s => s.ImportAsync(FineTuningHost.OpenAI, CancellationToken.None));
        var again = await host.WithServiceAsync(s => s.ImportAsync(FineTuningHost.OpenAI, CancellationToken.None));

        Assert.Null(problem);
        Assert.Equal(1, added);
        Assert.Equal((0, (string?)null), again);
        var rows = await host.Store.ListJobsAsync(null, CancellationToken.None);
        Assert.Equal(2, rows.Count);
        var imported = FineTuningJobView.From(rows.Single(r => r.ProviderJobId == elsewhere.Id));
        Assert.Equal("gpt-4o-mini", imported.Row.CatalogModelId);
        Assert.Equal("elsewhere", imported.Row.Suffix);
        Assert.Equal(FineTuningState.Succeeded, imported.State);
        Assert.Equal(6, imported.Metrics.Count);
        Assert.NotEmpty(imported.Events);
    }

    [Fact]
    public async Task Import_WrongKey_SaysWhyInWords_AndAddsNothing()
    {
        await using var host = await FineTuningHost.StartAsync(_peer);

        var (added, problem) = await host.WithServiceAsync(s => s.ImportAsync(FineTuningHost.WrongKey, CancellationToken.None));

        Assert.Equal(0, added);
        Assert.Contains("(401)", problem, StringComparison.Ordinal);
        Assert.Empty(await host.Store.ListJobsAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Restart_ANewPortalOverTheSameStore_FollowsAnUnfinishedJobToTheEnd()
    {
        using var temp = new TempDirectory();
        Guid id;
        string providerJob;
        await using (var first = await FineTuningHost.StartAsync(_peer, temp))
        {
            var file = await first.UploadAsync(azure: false);
            _peer.HoldFineTuning = true;
            id = await first.CreateAsync(Input(FineTuningHost.OpenAI, file.Id));
            var followed = await first.WaitAsync(id, j => j.Events.Count > 0);
            providerJob = followed.Row.ProviderJobId;
            Assert.False(followed.State.IsFinal()); // the peer holds it: it cannot end before this portal stops
        }

        _peer.HoldFineTuning = false;

        await using var second = await FineTuningHost.StartAsync(_peer, temp);
        var job = await second.WaitFinalAsync(id);

        Assert.Equal(FineTuningState.Succeeded, job.State);
        Assert.Equal(providerJob, job.Row.ProviderJobId);
        Assert.Equal(6, job.Metrics.Count);
        Assert.Equal(job.Events.Count, job.Events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task TwoInstances_OnOneStore_OnlyOneFollowsAJob()
    {
        using var temp = new TempDirectory();
        await using var first = await FineTuningHost.StartAsync(_peer, temp);
        await using var second = await FineTuningHost.StartAsync(_peer, temp);
        var file = await first.UploadAsync(azure: false);
        _peer.FineTuningStepInterval = TimeSpan.FromMilliseconds(150);

        var id = await first.CreateAsync(Input(FineTuningHost.OpenAI, file.Id));

        var followedBy = new HashSet<int>();
        var until = DateTime.UtcNow.AddSeconds(30);
        FineTuningJobView job;
        do
        {
            var one = first.Follower.Following.Contains(id);
            var other = second.Follower.Following.Contains(id);
            Assert.False(one && other, "Both instances follow the job at once.");
            if (one)
            {
                followedBy.Add(1);
            }

            if (other)
            {
                followedBy.Add(2);
            }

            job = FineTuningJobView.From((await first.Store.GetJobAsync(id, CancellationToken.None))!);
            Assert.True(DateTime.UtcNow < until, "The job did not end in time.");
            await Task.Delay(20);
        }
        while (!job.State.IsFinal());

        Assert.Equal(FineTuningState.Succeeded, job.State);
        Assert.Single(followedBy);
    }
}

/// <summary>Which catalog model a connection's entry names.</summary>
public sealed class FineTuningBaseModelTests
{
    private static readonly IReadOnlyList<Portal.Catalog.CatalogModel> Catalog =
    [
        new() { Id = "gpt-4o", DisplayName = "GPT-4o", FineTuningTasks = ["chat-completion"] },
        new() { Id = "gpt-4o-mini", DisplayName = "GPT-4o mini", FineTuningTasks = ["chat-completion"] },
        new() { Id = "gpt-4", DisplayName = "GPT-4", FineTuningTasks = ["chat-completion"] },
        new() { Id = "gpt-35-turbo", DisplayName = "GPT-3.5 Turbo", FineTuningTasks = ["chat-completion"] },
        new() { Id = "o1", DisplayName = "o1" },
    ];

    [Theory]
    [InlineData("gpt-4o-mini", "gpt-4o-mini")]
    [InlineData("GPT-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4-0613", "gpt-4")]
    [InlineData("gpt-3.5-turbo-0125", "gpt-35-turbo")]
    [InlineData("gpt-4o-audio-preview", null)]
    [InlineData("o1", null)]
    [InlineData("llama-3", null)]
    public void Offered_MatchesIdsAliasesAndVersions_OfFineTunableModelsOnly(string entry, string? expected)
    {
        var offered = FineTuningBaseModels.Offered([entry], Catalog);

        Assert.Equal(expected, offered.SingleOrDefault()?.CatalogId);
        if (expected is not null)
        {
            Assert.Equal(entry, offered.Single().ProviderModel);
        }
    }
}
