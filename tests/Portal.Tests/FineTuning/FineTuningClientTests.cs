using System.Text;
using Microsoft.Extensions.Options;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.TestPeers;

namespace Portal.Tests.FineTuning;

/// <summary>The files and fine-tuning client against the loopback peer, in the OpenAI and the Azure OpenAI style, faults included.</summary>
public sealed class FineTuningClientTests : IAsyncLifetime, IDisposable
{
    private const string Key = "ft-peer-key-5678";
    private const string Training = """
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}
        {"messages": [{"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Goodbye."}]}
        """;

    private OpenAiPeer _peer = default!;
    private FineTuningClient _client = default!;

    public async Task InitializeAsync()
    {
        _peer = await OpenAiPeer.StartAsync(key: Key);
        _peer.FineTuningStepInterval = TimeSpan.FromMilliseconds(40);
        _peer.FineTuningSteps = 6;
        _client = new FineTuningClient(
            new OutboundUrlPolicy(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions())),
            Options.Create(new InferenceOptions { Timeout = TimeSpan.FromSeconds(5) }),
            () => throw new InvalidOperationException("No Entra ID in these tests."));
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    public void Dispose() => _client?.Dispose();

    private InferenceTarget OpenAI(string key = Key) => new("openai", ConnectionKind.OpenAI, _peer.V1, ConnectionAuth.ApiKey, key);

    private InferenceTarget Azure(string key = Key) => new("aoai", ConnectionKind.AzureOpenAI, new Uri(_peer.BaseUrl, "openai/v1/"), ConnectionAuth.ApiKey, key);

    private async Task<FineTuningFile> UploadAsync(InferenceTarget target, string content = Training)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return await _client.UploadFileAsync(target, "train.jsonl", stream, null, CancellationToken.None);
    }

    [Fact]
    public void Address_Azure_IsTheResourcesDatedAuthoringApi_FromAV1BaseUrl()
    {
        var azure = new InferenceTarget("a", ConnectionKind.AzureOpenAI, new Uri("https://team.openai.azure.com/openai/v1/"), ConnectionAuth.ApiKey, "k");
        Assert.Equal("https://team.openai.azure.com/openai/fine_tuning/jobs/ft-1?api-version=2024-10-21", FineTuningClient.Address(azure, "fine_tuning/jobs/ft-1").AbsoluteUri);
        var openai = new InferenceTarget("o", ConnectionKind.OpenAI, new Uri("https://api.openai.com/v1/"), ConnectionAuth.ApiKey, "k");
        Assert.Equal("https://api.openai.com/v1/files", FineTuningClient.Address(openai, "files").AbsoluteUri);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UploadCreateFollow_RunsToSucceeded_WithMetricsEventsAndCheckpoints(bool azure)
    {
        var target = azure ? Azure() : OpenAI();
        var progress = new List<long>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Training));
        var file = await _client.UploadFileAsync(target, "train.jsonl", stream, new SyncProgress(progress), CancellationToken.None);
        Assert.Equal("train.jsonl", file.FileName);
        Assert.Equal(Encoding.UTF8.GetByteCount(Training), progress.Max());
        Assert.Contains(await _client.ListFilesAsync(target, CancellationToken.None), f => f.Id == file.Id);

        var job = await _client.CreateJobAsync(target, new FineTuningJobRequest("gpt-4o-mini", file.Id, file.Id, FineTuningMethod.Supervised,
            new FineTuningHyperparameters(HyperValue.Of(3), HyperValue.Automatic, HyperValue.Of(0.5)), 7, "portal"), CancellationToken.None);
        Assert.Equal(azure ? "pending" : "validating_files", job.Status);
        Assert.False(job.State.IsFinal());

        FineTuningJob now;
        do
        {
            await Task.Delay(50);
            now = await _client.GetJobAsync(target, job.Id, CancellationToken.None);
        }
        while (!now.State.IsFinal());

        Assert.Equal(FineTuningState.Succeeded, now.State);
        Assert.NotNull(now.FineTunedModel);
        var events = await _client.ListEventsAsync(target, job.Id, null, 100, CancellationToken.None);
        var metrics = events.Data.Where(e => e.Metrics is not null).Select(e => e.Metrics!).OrderBy(m => m.Step).ToList();
        Assert.Equal(6, metrics.Count);
        Assert.True(metrics[0].TrainLoss > metrics[^1].TrainLoss);
        Assert.All(metrics, m => Assert.NotNull(m.ValidLoss));
        Assert.Contains(events.Data, e => e.Message.Contains(now.FineTunedModel!, StringComparison.Ordinal));
        var checkpoints = await _client.ListCheckpointsAsync(target, job.Id, null, 10, CancellationToken.None);
        Assert.NotEmpty(checkpoints.Data);
        Assert.All(checkpoints.Data, c => Assert.True(c.Metrics.ContainsKey("full_valid_loss")));

        var sent = _peer.JobRequests.Last();
        Assert.Equal(3, sent["method"]!["supervised"]!["hyperparameters"]!["n_epochs"]!.GetValue<long>());
        Assert.Equal(azure, sent["hyperparameters"] is not null);
        Assert.Equal(7, sent["seed"]!.GetValue<long>());
    }

    [Fact]
    public async Task Cancel_EndsTheJobCancelled()
    {
        _peer.HoldFineTuning = true;
        var file = await UploadAsync(OpenAI());
        var job = await _client.CreateJobAsync(OpenAI(), new FineTuningJobRequest("gpt-4o-mini", file.Id, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, null), CancellationToken.None);
        var cancelled = await _client.CancelJobAsync(OpenAI(), job.Id, CancellationToken.None);
        Assert.Equal(FineTuningState.Cancelled, cancelled.State);
    }

    [Fact]
    public async Task Faults_AreInferenceErrors_InWords()
    {
        var file = await UploadAsync(OpenAI());
        FineTuningJobRequest Request(string model, string? suffix = null) => new(model, file.Id, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, suffix);

        var unauthorized = await Assert.ThrowsAsync<InferenceException>(() => _client.ListFilesAsync(OpenAI("wrong-key"), CancellationToken.None));
        Assert.Equal(InferenceErrorKind.Unauthorized, unauthorized.Error.Kind);

        var unknown = await Assert.ThrowsAsync<InferenceException>(() => _client.CreateJobAsync(OpenAI(), Request("no-such-model"), CancellationToken.None));
        Assert.Equal(InferenceErrorKind.NotFound, unknown.Error.Kind);
        Assert.Contains("no-such-model", unknown.Error.Message, StringComparison.Ordinal);

        var throttled = await Assert.ThrowsAsync<InferenceException>(() => _client.CreateJobAsync(OpenAI(), Request("gpt-4o-mini", "fault-429"), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(7), throttled.Error.RetryAfter);

        var refused = await Assert.ThrowsAsync<InferenceException>(() => _client.CreateJobAsync(OpenAI(), Request("gpt-4o-mini", "fault-400"), CancellationToken.None));
        Assert.Equal(InferenceErrorKind.BadRequest, refused.Error.Kind);
        Assert.Contains("at least 10 examples", refused.Error.ProviderMessage, StringComparison.Ordinal);

        var badFile = await Assert.ThrowsAsync<InferenceException>(() => UploadAsync(OpenAI(), "{\"prompt\": \"old format\"}\n"));
        Assert.Contains("line 1", badFile.Error.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingJob_EndsFailed_WithItsError()
    {
        var file = await UploadAsync(Azure());
        var job = await _client.CreateJobAsync(Azure(), new FineTuningJobRequest("gpt-4o-mini", file.Id, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, "fault-fail"), CancellationToken.None);
        FineTuningJob now;
        do
        {
            await Task.Delay(50);
            now = await _client.GetJobAsync(Azure(), job.Id, CancellationToken.None);
        }
        while (!now.State.IsFinal());

        Assert.Equal(FineTuningState.Failed, now.State);
        Assert.Contains("loss diverged", now.Error?.Message, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
