using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Portal.Data;
using Portal.Data.Tracing;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web.Observability;
using Portal.Web.Playground;
using Portal.Web.Tracing;

namespace Portal.Tests.Hosting;

/// <summary>
/// The meter provider listens to every meter named "Portal" in the process, so these tests run alone (counts of other
/// tests' portals would mix in).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterListeningGroup
{
    public const string Name = "Tests that listen to the portal's meter";
}

/// <summary>
/// OpenTelemetry as the portal wires it: the portal's own meter records model calls (GenAI conventions), playground
/// streams and store commands; OTLP/HTTP and Azure Monitor exports reach loopback receivers without any secret; with
/// neither configured nothing of the SDK is registered.
/// </summary>
[Collection(MeterListeningGroup.Name)]
public sealed class ObservabilityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Key = "sk-observe-secret-KEY-7311";
    private const string QuerySecret = "qs-secret-VALUE-4711";
    private const string ParameterSecret = "needle-PARAM-9931";
    private const string UserId = "user-oid-5c3e";
    private const string FakeIkey = "00000000-1111-2222-3333-444444444444";

    private static readonly string[] OtlpArgs = ["--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"];

    [Fact]
    public async Task Meters_AfterAStreamedChatAndAStoreQuery_RecordTheInstrumentsWithTheirAttributes_NoUser()
    {
        var exported = new List<MetricSnapshot>();
        await using var receiver = await TelemetryReceiver.StartAsync();
        await using var peer = await OpenAiPeer.StartAsync(Key);
        peer.TokenDelay = TimeSpan.FromMilliseconds(1);
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp, logs: null,
            builder => builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)),
            [$"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Url}", .. OtlpArgs]);
        long? activeWhileStreaming = null;
        await using (app)
        {
            await app.StartAsync();
            var meters = app.Services.GetRequiredService<MeterProvider>();

            // A chat answer streamed into a playground message, as the chat page does it.
            var inference = app.Services.GetRequiredService<InferenceService>();
            var runner = app.Services.GetRequiredService<StreamRunner>();
            var target = new InferenceTarget("observed-peer", ConnectionKind.OpenAICompatible, peer.V1, ConnectionAuth.ApiKey, Key);
            var answer = new ChatMessageState { Role = ChatRole.Assistant };
            using (ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = UserId }))
            {
                var stream = inference.StreamChatAsync(target, "peer-chat", [new(ChatRole.User, "Measure me")], new GenerationParameters(), CancellationToken.None);
                await runner.RunAsync(stream, answer, "peer-chat", "Measure me", change =>
                {
                    change();
                    if (activeWhileStreaming is null && answer.Content.Length > 0)
                    {
                        meters.ForceFlush(10_000);
                        activeWhileStreaming = Latest(exported, PortalMetrics.ActiveStreamsName).Single().GetSumLong();
                    }

                    return Task.CompletedTask;
                }, CancellationToken.None);
            }

            Assert.Contains(OpenAiPeer.Sentence, answer.Content, StringComparison.Ordinal);

            // A store query (the trace list), with a value that must stay a parameter.
            await app.Services.GetRequiredService<TraceWriter>().FlushAsync(CancellationToken.None);
            await app.Services.GetRequiredService<ITraceStore>().QueryAsync(new TraceQuery { Text = ParameterSecret }, CancellationToken.None);

            Assert.True(meters.ForceFlush(10_000));
            await app.StopAsync();
        }

        Assert.Equal(1, activeWhileStreaming);
        Assert.Equal(0, Latest(exported, PortalMetrics.ActiveStreamsName).Single().GetSumLong());

        var duration = Assert.Single(Latest(exported, PortalMetrics.OperationDurationName), p => Tag(p, "gen_ai.request.model") == "peer-chat");
        Assert.Equal("s", LatestSnapshot(exported, PortalMetrics.OperationDurationName).Unit);
        Assert.Equal(1, duration.GetHistogramCount());
        Assert.Equal("chat", Tag(duration, "gen_ai.operation.name"));
        Assert.Equal("openai_compatible", Tag(duration, "gen_ai.provider.name"));
        Assert.Equal("127.0.0.1", Tag(duration, "server.address"));
        Assert.Equal(peer.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Tag(duration, "server.port"));
        Assert.Equal(ModelCallFeatures.Chat, Tag(duration, "portal.feature"));
        Assert.Null(Tag(duration, "error.type"));

        var tokens = Latest(exported, PortalMetrics.TokenUsageName).Where(p => Tag(p, "gen_ai.request.model") == "peer-chat").ToList();
        Assert.Equal(["input", "output"], tokens.Select(p => Tag(p, "gen_ai.token.type")).Order(StringComparer.Ordinal));
        Assert.All(tokens, p => Assert.True(p.GetHistogramSum() > 0));

        var store = Latest(exported, StoreMetricsInterceptor.DurationName);
        Assert.Equal("s", LatestSnapshot(exported, StoreMetricsInterceptor.DurationName).Unit);
        Assert.Contains(store, p => Tag(p, "db.system.name") == "sqlite" && Tag(p, "db.operation.name") == "SELECT");
        Assert.Contains(store, p => Tag(p, "db.system.name") == "sqlite" && Tag(p, "db.operation.name") == "INSERT");

        // No attribute of the portal's meter names the user, carries SQL or a value.
        var portalPoints = exported.Where(s => s.MeterName == PortalMeter.Name).SelectMany(s => s.MetricPoints).ToList();
        var values = portalPoints.SelectMany(p => TagsOf(p)).Select(t => t.Value?.ToString() ?? "").ToList();
        Assert.DoesNotContain(values, v => v.Contains(UserId, StringComparison.Ordinal) || v.Contains(ParameterSecret, StringComparison.Ordinal) || v.Contains("FROM", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtlpEndpoint_TracesMetricsAndLogs_ArePostedAsProtobuf_WithNoKeyQueryOrParameterValue()
    {
        await using var receiver = await TelemetryReceiver.StartAsync();
        await using var peer = await OpenAiPeer.StartAsync(Key);
        peer.TokenDelay = TimeSpan.FromMilliseconds(1);
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp, [$"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Url}", .. OtlpArgs]);
        await using (app)
        {
            await app.StartAsync();
            await ChatAsync(app, peer, "peer-chat");

            // An outbound call with a key in its query, and a request to the portal with one.
            using (var http = new HttpClient())
            using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer.V1, $"models?api-key={QuerySecret}")))
            {
                request.Headers.Authorization = new("Bearer", Key);
                using var response = await http.SendAsync(request);
            }

            using (var client = app.GetTestClient())
            {
                using var health = await client.GetAsync(new Uri($"/healthz?token={QuerySecret}", UriKind.Relative));
                Assert.True(health.IsSuccessStatusCode);
            }

            await app.Services.GetRequiredService<TraceWriter>().FlushAsync(CancellationToken.None);
            await app.Services.GetRequiredService<ITraceStore>().QueryAsync(new TraceQuery { Text = ParameterSecret }, CancellationToken.None);
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Tests.Observability").LogInformation("A log record for the collector");
            await app.StopAsync();
        } // disposing the providers exports what is left

        var traces = receiver.To("/v1/traces");
        var metrics = receiver.To("/v1/metrics");
        var logs = receiver.To("/v1/logs");
        Assert.NotEmpty(traces);
        Assert.NotEmpty(metrics);
        Assert.NotEmpty(logs);
        Assert.All(receiver.Posts, post => Assert.Equal("application/x-protobuf", post.ContentType));

        var traceText = string.Concat(traces.Select(p => p.Text));
        Assert.Contains("chat peer-chat", traceText, StringComparison.Ordinal);                         // the model call
        Assert.Contains("Microsoft.AspNetCore", traceText, StringComparison.Ordinal);                   // ASP.NET Core
        Assert.Contains("System.Net.Http", traceText, StringComparison.Ordinal);                        // HttpClient
        Assert.Contains("OpenTelemetry.Instrumentation.EntityFrameworkCore", traceText, StringComparison.Ordinal); // EF Core
        var metricText = string.Concat(metrics.Select(p => p.Text));
        Assert.Contains(PortalMetrics.OperationDurationName, metricText, StringComparison.Ordinal);
        Assert.Contains(StoreMetricsInterceptor.DurationName, metricText, StringComparison.Ordinal);
        Assert.Contains("http.server.request.duration", metricText, StringComparison.Ordinal);
        Assert.Contains("A log record for the collector", string.Concat(logs.Select(p => p.Text)), StringComparison.Ordinal);

        var all = receiver.Posts.SelectMany(p => p.Body).ToArray();
        Assert.False(Contains(all, Key), "The API key was exported.");
        Assert.False(Contains(all, QuerySecret), "A URL query value was exported.");
        Assert.False(Contains(all, ParameterSecret), "A store parameter value was exported.");
    }

    [Fact]
    public async Task NoExporterSetting_NoOpenTelemetryProviderIsRegistered_ButTheMeterIsThere()
    {
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp);
        await using (app)
        {
            await app.StartAsync();

            Assert.Null(app.Services.GetService<TracerProvider>());
            Assert.Null(app.Services.GetService<MeterProvider>());
            Assert.Null(app.Services.GetService<LoggerProvider>());
            Assert.DoesNotContain(app.Services.GetServices<ILoggerProvider>(), p => p is OpenTelemetryLoggerProvider);
            Assert.NotNull(app.Services.GetService<PortalMetrics>());
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task ApplicationInsightsConnectionString_AzureMonitorExporterPostsToTheIngestionEndpoint_WithoutTheKey()
    {
        await using var ingestion = await TelemetryReceiver.StartAsync();
        await using var peer = await OpenAiPeer.StartAsync(Key);
        peer.TokenDelay = TimeSpan.FromMilliseconds(1);
        using var temp = new TempDirectory();
        var connectionString = $"InstrumentationKey={FakeIkey};IngestionEndpoint={ingestion.Url}/;LiveEndpoint={ingestion.Url}/";
        var app = PortalHost.Build(temp, $"--APPLICATIONINSIGHTS_CONNECTION_STRING={connectionString}");
        await using (app)
        {
            await app.StartAsync();

            Assert.NotNull(app.Services.GetService<TracerProvider>());
            Assert.NotNull(app.Services.GetService<MeterProvider>());
            await ChatAsync(app, peer, "peer-chat");
            await FlushUntilAsync(app, () => Text(ingestion, "/v2.1/track").Contains("chat peer-chat", StringComparison.Ordinal));
            await app.StopAsync();
        }

        var posts = ingestion.To("/v2.1/track");
        Assert.NotEmpty(posts);
        var text = string.Concat(posts.Select(p => p.Text));
        var kinds = System.Text.RegularExpressions.Regex.Matches(text, "\"baseType\":\"(\\w+)\"")
            .GroupBy(m => m.Groups[1].Value, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}");
        output.WriteLine($"{posts.Count} POST(s) to /v2.1/track ({string.Join(", ", posts.Select(p => p.ContentType).Distinct())}): {string.Join("; ", kinds)}");
        Assert.Contains(FakeIkey, text, StringComparison.Ordinal);
        Assert.Contains("model-catalog-portal", text, StringComparison.Ordinal); // the cloud role
        Assert.Contains("chat peer-chat", text, StringComparison.Ordinal);       // the model call, as a dependency
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothSettings_ExportToBoth()
    {
        await using var collector = await TelemetryReceiver.StartAsync();
        await using var ingestion = await TelemetryReceiver.StartAsync();
        await using var peer = await OpenAiPeer.StartAsync(Key);
        peer.TokenDelay = TimeSpan.FromMilliseconds(1);
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp,
            [$"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.Url}", .. OtlpArgs,
             $"--APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey={FakeIkey};IngestionEndpoint={ingestion.Url}/;LiveEndpoint={ingestion.Url}/"]);
        await using (app)
        {
            await app.StartAsync();
            await ChatAsync(app, peer, "peer-chat");
            await FlushUntilAsync(app, () => Text(collector, "/v1/traces").Contains("chat peer-chat", StringComparison.Ordinal)
                && Text(ingestion, "/v2.1/track").Contains("chat peer-chat", StringComparison.Ordinal));
            await app.StopAsync();
        }

        Assert.Contains("chat peer-chat", string.Concat(collector.To("/v1/traces").Select(p => p.Text)), StringComparison.Ordinal);
        Assert.Contains("chat peer-chat", string.Concat(ingestion.To("/v2.1/track").Select(p => p.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportedLogs_KeepTheSignalRGuard_EvenWithAnOpenTelemetryRuleAtTrace()
    {
        await using var receiver = await TelemetryReceiver.StartAsync();
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp,
            [$"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Url}", .. OtlpArgs, "--Logging:LogLevel:Default=Trace", "--Logging:OpenTelemetry:LogLevel:Default=Trace"]);
        await using (app)
        {
            var loggers = app.Services.GetRequiredService<ILoggerFactory>();

            Assert.Contains(app.Services.GetServices<ILoggerProvider>(), p => p is OpenTelemetryLoggerProvider);
            Assert.True(loggers.CreateLogger("Portal.Web.Anything").IsEnabled(LogLevel.Debug));
            Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher").IsEnabled(LogLevel.Debug));
            Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Http.Connections.Internal.HttpConnectionManager").IsEnabled(LogLevel.Trace));
        }
    }

    private static async Task ChatAsync(WebApplication app, OpenAiPeer peer, string model)
    {
        var inference = app.Services.GetRequiredService<InferenceService>();
        var target = new InferenceTarget("observed-peer", ConnectionKind.OpenAICompatible, peer.V1, ConnectionAuth.ApiKey, Key);
        using (ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = UserId }))
        {
            await foreach (var _ in inference.StreamChatAsync(target, model, [new(ChatRole.User, "Export me")], new GenerationParameters(), CancellationToken.None))
            {
            }
        }
    }

    private static string Text(TelemetryReceiver receiver, string path) => string.Concat(receiver.To(path).Select(p => p.Text));

    /// <summary>
    /// Flushes the tracer until <paramref name="arrived"/> holds (at most 20 s): an exporter may send a span in a later
    /// batch than the flush that followed the call, depending on what ran in the process before.
    /// </summary>
    private static async Task FlushUntilAsync(WebApplication app, Func<bool> arrived)
    {
        var tracer = app.Services.GetRequiredService<TracerProvider>();
        var until = DateTime.UtcNow.AddSeconds(20);
        do
        {
            Assert.True(tracer.ForceFlush(20_000));
            if (arrived())
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);
    }

    private static MetricSnapshot LatestSnapshot(List<MetricSnapshot> exported, string name) => exported.Last(s => s.Name == name);

    private static IReadOnlyList<MetricPoint> Latest(List<MetricSnapshot> exported, string name) => LatestSnapshot(exported, name).MetricPoints;

    private static List<KeyValuePair<string, object?>> TagsOf(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    private static string? Tag(MetricPoint point, string key) => TagsOf(point).FirstOrDefault(t => t.Key == key).Value?.ToString();

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
