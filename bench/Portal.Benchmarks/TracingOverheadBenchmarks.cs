using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Data;
using Portal.Data.Tracing;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.TestPeers;
using Portal.Web.Playground;
using Portal.Web.Tracing;

namespace Portal.Benchmarks;

/// <summary>
/// What tracing adds to one model call: the same streamed chat (about 20 words, no delay between them) against the
/// loopback OpenAI-compatible peer, through <see cref="InferenceService"/> without an observer (baseline) and with the
/// portal's <see cref="TraceRecorder"/>, whose <see cref="TraceWriter"/> runs in the background and writes every trace
/// to a SQLite store, as in the portal. The difference of the means is tracing's cost per call (target ≤ 1 ms). The
/// setup checks that both paths give the same answer and that traces really reach the store; otherwise it throws, and
/// the run fails.
/// </summary>
[MemoryDiagnoser]
public class TracingOverheadBenchmarks
{
    private const string Key = "sk-bench-tracing";
    private static readonly ChatTurn[] Turns = [new(ChatRole.User, "Measure tracing")];

    private OpenAiPeer _peer = default!;
    private InferenceClientFactory _factory = default!;
    private InferenceService _plain = default!;
    private InferenceService _traced = default!;
    private InferenceService _recordedOnly = default!;
    private TraceWriter _discardingWriter = default!;
    private InferenceTarget _target = default!;
    private ServiceProvider _store = default!;
    private TraceWriter _writer = default!;
    private CatalogService _catalog = default!;
    private TestApplicationLifetime _lifetime = default!;
    private string _folder = "";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _peer = await OpenAiPeer.StartAsync(Key);
        _peer.TokenDelay = TimeSpan.Zero;
        _factory = new InferenceClientFactory(
            new OutboundUrlPolicy(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions())),
            Options.Create(new InferenceOptions()),
            () => throw new InvalidOperationException("No Entra ID here."));
        _target = new InferenceTarget("bench-peer", ConnectionKind.OpenAICompatible, _peer.V1, ConnectionAuth.ApiKey, Key);
        _plain = new InferenceService(_factory);

        // The store as the portal builds it (SQLite file, migrated at start).
        _folder = Path.Combine(Path.GetTempPath(), "portal-bench-tracing-" + Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = Path.Combine(_folder, "portal.db") }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPortalStorage(configuration);
        _store = services.BuildServiceProvider();
        foreach (var hosted in _store.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        _catalog = new CatalogService([new EmbeddedCatalogSource()], NullLogger<CatalogService>.Instance);
        _lifetime = new TestApplicationLifetime();
        var runner = new StreamRunner(_catalog, BenchmarkData.Embedded, TimeProvider.System, Options.Create(new InferenceOptions()),
            new PlaygroundShutdown(_lifetime, NullLogger<PlaygroundShutdown>.Instance));
        var recorder = new TraceRecorder(new TestOptionsMonitor<TracingOptions>(new TracingOptions()), TimeProvider.System, NullLogger<TraceRecorder>.Instance);
        var traces = _store.GetRequiredService<ITraceStore>();
        _writer = new TraceWriter(recorder, traces, runner, NullLogger<TraceWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
        _traced = new InferenceService(_factory, recorder);

        // The same recorder and writer with a store that keeps nothing: the call path's own cost, without SQLite's.
        var recordOnly = new TraceRecorder(new TestOptionsMonitor<TracingOptions>(new TracingOptions()), TimeProvider.System, NullLogger<TraceRecorder>.Instance);
        _discardingWriter = new TraceWriter(recordOnly, new DiscardingTraceStore(), runner, NullLogger<TraceWriter>.Instance);
        await _discardingWriter.StartAsync(CancellationToken.None);
        _recordedOnly = new InferenceService(_factory, recordOnly);

        var plain = await ChatAsync(_plain);
        var traced = await ChatAsync(_traced);
        if (plain != traced || !plain.StartsWith("Echo: Measure tracing", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The two paths answered differently: '{plain}' / '{traced}'.");
        }

        await _writer.FlushAsync(CancellationToken.None);
        var (_, total) = await traces.QueryAsync(new TraceQuery { UserId = "bench" }, CancellationToken.None);
        if (total != 1 || recorder.Dropped != 0)
        {
            throw new InvalidOperationException($"The traced call did not reach the store ({total} traces, {recorder.Dropped} dropped).");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _writer.Dispose();
        _discardingWriter.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _discardingWriter.Dispose();
        _store.Dispose();
        _catalog.Dispose();
        _lifetime.Dispose();
        _factory.Dispose();
        _peer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "one streamed chat call, no tracing (baseline)")]
    public Task<string> Untraced() => ChatAsync(_plain);

    [Benchmark(Description = "one streamed chat call, traced (recorder + background writer to SQLite)")]
    public Task<string> Traced() => ChatAsync(_traced);

    [Benchmark(Description = "one streamed chat call, traced, the store discarding the rows (no SQLite)")]
    public Task<string> TracedWithoutStore() => ChatAsync(_recordedOnly);

    private async Task<string> ChatAsync(InferenceService inference)
    {
        using var scope = ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = "bench" });
        var text = "";
        await foreach (var e in inference.StreamChatAsync(_target, "peer-chat", Turns, new GenerationParameters(), CancellationToken.None))
        {
            if (e is TextDelta delta)
            {
                text += delta.Text;
            }
        }

        return text;
    }
}

/// <summary>A trace store that keeps nothing (the writer's work is done; the insert is not).</summary>
internal sealed class DiscardingTraceStore : ITraceStore
{
    public Task AddRangeAsync(IReadOnlyCollection<TraceRow> rows, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<(IReadOnlyList<TraceRow> Items, int Total)> QueryAsync(TraceQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<(IReadOnlyList<TraceRow>, int)>(([], 0));

    public Task<TraceRow?> GetAsync(Guid id, string? userId, CancellationToken cancellationToken) => Task.FromResult<TraceRow?>(null);

    public Task<TraceFacets> FacetsAsync(string? userId, CancellationToken cancellationToken) => Task.FromResult(new TraceFacets([], [], []));

    public Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken) => Task.FromResult(0);
}
