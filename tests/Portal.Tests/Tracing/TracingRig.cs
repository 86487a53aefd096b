using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Data.Tracing;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.TestPeers;
using Portal.Tests.Persistence;
using Portal.Tests.Support;
using Portal.Web.Playground;
using Portal.Web.Tracing;

namespace Portal.Tests.Tracing;

/// <summary>
/// The tracing path as the portal wires it, with real parts: <see cref="InferenceService"/> observed by a
/// <see cref="TraceRecorder"/>, a <see cref="TraceWriter"/> writing to the SQLite store (migrated as at start), and the
/// OpenAI-compatible peer on loopback, which wants <see cref="Key"/>.
/// </summary>
internal sealed class TracingRig : IAsyncDisposable
{
    public const string Key = "sk-trace-secret-KEY-4242";

    private readonly TempDirectory _temp;
    private readonly ServiceProvider _store;
    private readonly InferenceClientFactory _factory;
    private readonly CatalogService _catalog;
    private readonly TestApplicationLifetime _lifetime;

    private TracingRig(OpenAiPeer peer, TempDirectory temp, ServiceProvider store, TracingOptions options, int capacity)
    {
        Peer = peer;
        _temp = temp;
        _store = store;
        Options = new TestOptionsMonitor<TracingOptions>(options);
        Store = store.GetRequiredService<ITraceStore>();
        _factory = new InferenceClientFactory(
            new OutboundUrlPolicy(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions())),
            Microsoft.Extensions.Options.Options.Create(new InferenceOptions { Timeout = TimeSpan.FromSeconds(3) }),
            () => throw new InvalidOperationException("No Entra ID in these tests."));
        _catalog = new CatalogService([new EmbeddedCatalogSource()], NullLogger<CatalogService>.Instance);
        _lifetime = new TestApplicationLifetime();
        Runner = new StreamRunner(_catalog, BenchmarkData.Embedded, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new InferenceOptions()),
            new PlaygroundShutdown(_lifetime, NullLogger<PlaygroundShutdown>.Instance));
        var logs = new CapturingLoggerProvider(Logs);
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        Recorder = new TraceRecorder(Options, TimeProvider.System, factory.CreateLogger<TraceRecorder>(), capacity);
        Writer = new TraceWriter(Recorder, Store, Runner, NullLogger<TraceWriter>.Instance);
        Inference = new InferenceService(_factory, Recorder);
    }

    public OpenAiPeer Peer { get; }

    public TestOptionsMonitor<TracingOptions> Options { get; }

    public ITraceStore Store { get; }

    public StreamRunner Runner { get; }

    public TraceRecorder Recorder { get; }

    public TraceWriter Writer { get; }

    public InferenceService Inference { get; }

    public ConcurrentQueue<string> Logs { get; } = new();

    public static async Task<TracingRig> StartAsync(bool capture = true, int capacity = TraceRecorder.DefaultCapacity)
    {
        var peer = await OpenAiPeer.StartAsync(Key);
        peer.TokenDelay = TimeSpan.FromMilliseconds(1);
        var temp = new TempDirectory();
        var store = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = temp.File("portal.db") });
        return new TracingRig(peer, temp, store, new TracingOptions { CaptureContent = capture }, capacity);
    }

    public InferenceTarget Target(string? key = Key) => new("team-peer", ConnectionKind.OpenAICompatible, Peer.V1, ConnectionAuth.ApiKey, key);

    public static readonly ChatTurn[] Hello = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hello peer")];

    /// <summary>One chat call in a scope (as the playground makes it); what arrived, the error, and the trace id the scope got.</summary>
    public async Task<(string Text, InferenceError? Error, Guid? TraceId)> ChatAsync(
        string model,
        GenerationParameters? parameters = null,
        InferenceTarget? target = null,
        string user = "oidc:alice",
        Guid? runId = null,
        CancellationToken cancellationToken = default)
    {
        var scope = new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = user, RunId = runId };
        var text = "";
        using (ModelCallScope.Begin(scope))
        {
            try
            {
                await foreach (var e in Inference.StreamChatAsync(target ?? Target(), model, Hello, parameters ?? new GenerationParameters(), cancellationToken))
                {
                    if (e is TextDelta delta)
                    {
                        text += delta.Text;
                    }
                }
            }
            catch (InferenceException ex)
            {
                return (text, ex.Error, scope.TraceId);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (text, null, scope.TraceId);
            }
        }

        return (text, null, scope.TraceId);
    }

    /// <summary>The stored trace, once the writer has written what is queued.</summary>
    public async Task<TraceRow> TraceAsync(Guid? id)
    {
        Assert.NotNull(id);
        await Writer.FlushAsync(CancellationToken.None);
        var row = await Store.GetAsync(id.Value, null, CancellationToken.None);
        Assert.NotNull(row);
        return row;
    }

    public async ValueTask DisposeAsync()
    {
        Writer.Dispose();
        _catalog.Dispose();
        _lifetime.Dispose();
        _factory.Dispose();
        await _store.DisposeAsync();
        await Peer.DisposeAsync();
        _temp.Dispose();
    }
}
