using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portal.TestPeers;
using Portal.Tests.Hosting;
using Portal.Tests.Support;
using Portal.Web.Evaluations;

namespace Portal.Tests.Evaluations;

/// <summary>
/// The real portal (sign-in off: the local Owner) with its store in a SQLite file and a connection "peer" declared in
/// configuration that points at a loopback OpenAI-compatible peer. Short retry waits and timeout, so faults finish fast.
/// </summary>
internal sealed class EvaluationHost : IAsyncDisposable
{
    public const string Connection = "peer";

    private readonly bool _ownsTemp;

    private EvaluationHost(WebApplication app, OpenAiPeer peer, TempDirectory temp, bool ownsTemp)
    {
        App = app;
        Peer = peer;
        Temp = temp;
        _ownsTemp = ownsTemp;
    }

    public WebApplication App { get; }

    public OpenAiPeer Peer { get; }

    public TempDirectory Temp { get; }

    public static Task<EvaluationHost> StartAsync(OpenAiPeer peer, TempDirectory? temp = null, params string[] extraArgs) =>
        StartAsync(peer, temp, logs: null, configure: null, extraArgs);

    /// <summary>As above, with the portal's log kept in <paramref name="logs"/> and <paramref name="configure"/> run on the builder.</summary>
    public static async Task<EvaluationHost> StartAsync(OpenAiPeer peer, TempDirectory? temp, CapturingLoggerProvider? logs, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var folder = temp ?? new TempDirectory();
        var app = PortalHost.Build(folder, logs, configure, [.. Args(peer), .. extraArgs]);
        await app.StartAsync();
        return new EvaluationHost(app, peer, folder, temp is null);
    }

    public static string[] Args(OpenAiPeer peer) =>
    [
        $"--Portal:Connections:0:Name={Connection}",
        "--Portal:Connections:0:Kind=OpenAICompatible",
        $"--Portal:Connections:0:Endpoint={peer.V1}",
        "--Portal:Connections:0:Auth=None",
        "--Portal:Inference:Timeout=00:00:10",
        "--Portal:Evaluations:RetryBackoff=00:00:00.050",
        "--Portal:Evaluations:MaxRetryWait=00:00:05",
    ];

    public async Task<Guid> StartRunAsync(EvaluationSpec spec)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IEvaluationService>().StartAsync(spec, CancellationToken.None);
        Assert.True(result.Id is not null, string.Join("; ", result.Problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
        return result.Id!.Value;
    }

    public async Task<T> WithServiceAsync<T>(Func<IEvaluationService, Task<T>> use)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<IEvaluationService>());
    }

    /// <summary>Waits until the run is no longer queued or running (at most <paramref name="seconds"/>).</summary>
    public async Task<EvaluationRunInfo> WaitAsync(Guid id, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = await WithServiceAsync(s => s.GetAsync(id, CancellationToken.None));
            Assert.NotNull(run);
            if (run.Status is not (EvaluationStatus.Queued or EvaluationStatus.Running))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < until, $"The run is still {run.Status} after {seconds} s: {run.Counts}");
            await Task.Delay(50);
        }
    }

    /// <summary>The chat requests the peer received for <paramref name="model"/>.</summary>
    public int RequestsFor(string model) => Peer.Requests.Count(r => r.Path == "/v1/chat/completions" && r.Body?["model"]?.GetValue<string>() == model);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsTemp)
        {
            Temp.Dispose();
        }
    }
}
