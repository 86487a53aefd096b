using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Probes;
using Portal.TestPeers;
using Portal.Tests.Hosting;
using Portal.Web.Evaluations;

namespace Portal.Tests.Evaluations;

/// <summary>
/// The performance probe in the real portal (store in SQLite) against the loopback OpenAI-compatible peer: every request
/// is made and timed, failures are counted with their reason, Cancel keeps what finished, and results are stored per
/// catalog model.
/// </summary>
public sealed class PerformanceProbeTests : IAsyncLifetime
{
    private const string Key = "sk-probe-peer-key-5678";
    private OpenAiPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await OpenAiPeer.StartAsync(Key);

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private Task<PortalHost> StartAsync(params string[] more) => PortalHost.StartAsync([
        "--Portal:Connections:0:Name=peer",
        "--Portal:Connections:0:Kind=OpenAICompatible",
        $"--Portal:Connections:0:Endpoint={_peer.V1}",
        $"--Portal:Connections:0:ApiKey={Key}",
        "--Portal:Connections:0:Models:0=peer-chat",
        .. more]);

    private static async Task<ProbeOutcome> RunAsync(PortalHost host, ProbeRequest request, IProgress<ProbeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PerformanceProbe>().RunAsync(request, progress, cancellationToken);
    }

    private int ChatRequests(string model) => _peer.Requests.Count(r => r.Path == "/v1/chat/completions" && r.Body?["model"]?.GetValue<string>() == model);

    [Fact]
    public async Task Run_PeerChat_TimesEveryRequest_AndStoresTheResultForTheModel()
    {
        await using var host = await StartAsync();
        var reports = new List<ProbeProgress>();

        var outcome = await RunAsync(host, new ProbeRequest("gpt-4o-mini", "peer", "peer-chat", 12, 3, "Say hello", 64), new SyncProgress(reports));

        var result = Assert.IsType<ProbeResult>(outcome.Result);
        Assert.Empty(outcome.Problems);
        Assert.Equal((12, 0, false), (result.Succeeded, result.Failed, result.Cancelled));
        Assert.Equal(12, ChatRequests("peer-chat"));
        Assert.All(_peer.Requests.Where(r => r.Path == "/v1/chat/completions"), r => Assert.Equal(64, (int?)(r.Body?["max_tokens"] ?? r.Body?["max_completion_tokens"])));
        Assert.True(result.TtftP50Ms <= result.TtftP90Ms && result.TtftP90Ms <= result.TtftP99Ms);
        Assert.True(result.TotalP50Ms <= result.TotalP90Ms && result.TotalP90Ms <= result.TotalP99Ms);
        Assert.True(result.TtftP50Ms > 0 && result.TtftP50Ms < result.TotalP50Ms);
        Assert.True(result.TokensPerSecond > 0);
        Assert.Equal(12, reports.Max(r => r.Done));
        Assert.Equal(1, reports.Count(r => r.Done == 12));

        await using var scope = host.App.Services.CreateAsyncScope();
        var stored = Assert.Single(await scope.ServiceProvider.GetRequiredService<PerformanceProbe>().LatestAsync("gpt-4o-mini", CancellationToken.None));
        Assert.Equal(result.Id, stored.Id);
        Assert.Equal(result.TtftP90Ms, stored.TtftP90Ms);
        Assert.Contains("12 requests at concurrency 3, peer", stored.Source, StringComparison.Ordinal);
        Assert.StartsWith("measured here on ", stored.Source, StringComparison.Ordinal);
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<IPerformanceProbeStore>().LatestAsync("another-model", 5, CancellationToken.None));
    }

    [Fact]
    public async Task Run_AtConcurrencyOne_SendsOneAfterAnother()
    {
        _peer.TokenDelay = TimeSpan.FromMilliseconds(15);
        await using var host = await StartAsync();

        var result = (await RunAsync(host, new ProbeRequest("m", "peer", "peer-chat", 3, 1, "hi", 64))).Result!;

        // One after another, the probe lasts at least the sum of its requests, and that is at least twice their median.
        Assert.Equal(3, result.Succeeded);
        Assert.True((result.FinishedUtc - result.StartedUtc).TotalMilliseconds >= 2 * result.TotalP50Ms!.Value,
            $"{(result.FinishedUtc - result.StartedUtc).TotalMilliseconds} ms for 3 requests of median {result.TotalP50Ms} ms");
    }

    [Theory]
    [InlineData("fault-401", "Not authorised")]
    [InlineData("fault-404", "HTTP 404")]
    [InlineData("fault-429", "Rate limited")]
    [InlineData("fault-500", "HTTP 500")]
    [InlineData("fault-content-filter", "HTTP 400")]
    [InlineData("fault-stream-filter", "content filter")]
    public async Task Run_FaultyModel_CountsEveryFailureWithItsReason(string model, string reason)
    {
        await using var host = await StartAsync();

        var result = (await RunAsync(host, new ProbeRequest("m", "peer", model, 4, 2, "What is 1 + 1?", 32))).Result!;

        Assert.Equal((0, 4), (result.Succeeded, result.Failed));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(4, failure.Count);
        Assert.Contains(reason, failure.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Null(result.TtftP50Ms);
        Assert.DoesNotContain(Key, failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EndpointSilent_TimesOutEachRequest_AndSaysSo()
    {
        await using var host = await StartAsync("--Portal:Inference:Timeout=00:00:01");

        var result = (await RunAsync(host, new ProbeRequest("m", "peer", "fault-hang", 2, 2, "hi", 16))).Result!;

        Assert.Equal((0, 2), (result.Succeeded, result.Failed));
        Assert.Equal(2, Assert.Single(result.Failures).Count);
    }

    [Fact]
    public async Task Cancel_KeepsWhatFinished_StoredAndMarked()
    {
        await using var host = await StartAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress([], p =>
        {
            if (p.Done >= 2)
            {
                cancel.Cancel();
            }
        });

        var result = (await RunAsync(host, new ProbeRequest("slow-model", "peer", "peer-slow", 40, 1, "hi", 16), progress, cancel.Token)).Result!;

        Assert.True(result.Cancelled);
        Assert.InRange(result.Succeeded, 2, 39);
        Assert.Contains("cancelled after", result.Source, StringComparison.Ordinal);
        await using var scope = host.App.Services.CreateAsyncScope();
        Assert.True(Assert.Single(await scope.ServiceProvider.GetRequiredService<PerformanceProbe>().LatestAsync("slow-model", CancellationToken.None)).Cancelled);
    }

    [Theory]
    [InlineData(0, 1, "requests")]
    [InlineData(201, 1, "requests")]
    [InlineData(10, 0, "concurrency")]
    [InlineData(10, 17, "concurrency")]
    public async Task Run_OutOfRange_SaysWhichField_AndSendsNothing(int requests, int concurrency, string field)
    {
        await using var host = await StartAsync();

        var outcome = await RunAsync(host, new ProbeRequest("m", "peer", "peer-chat", requests, concurrency, "hi", 16));

        Assert.Null(outcome.Result);
        Assert.Contains(field, outcome.Problems.Keys);
        Assert.Equal(0, ChatRequests("peer-chat"));
    }

    [Fact]
    public async Task Run_UnknownConnection_IsAProblemOnTheConnection()
    {
        await using var host = await StartAsync();

        var outcome = await RunAsync(host, new ProbeRequest("m", "gone", "peer-chat", 1, 1, "hi", 16));

        Assert.Contains("gone", outcome.Problems["connection"], StringComparison.Ordinal);
    }

    [Fact]
    public void Percentile_IsNearestRank()
    {
        double[] values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

        Assert.Equal(50, EvaluationStatistics.Percentile(values, 50));
        Assert.Equal(90, EvaluationStatistics.Percentile(values, 90));
        Assert.Equal(100, EvaluationStatistics.Percentile(values, 99));
        Assert.Null(EvaluationStatistics.Percentile([], 50));
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SyncProgress(List<ProbeProgress> reports, Action<ProbeProgress>? then = null) : IProgress<ProbeProgress>
    {
        public void Report(ProbeProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }

            then?.Invoke(value);
        }
    }
}
