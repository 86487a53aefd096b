using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Portal.Playground.Inference;
using Portal.Web.Tracing;

namespace Portal.Tests.Tracing;

/// <summary>The OpenTelemetry span of a model call, read with the in-memory exporter: GenAI attributes, content only when captured, never the key.</summary>
public sealed class ModelCallSpanTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private TracingRig _rig = default!;
    private TracerProvider _tracer = default!;

    public async Task InitializeAsync()
    {
        _rig = await TracingRig.StartAsync();
        _tracer = Sdk.CreateTracerProviderBuilder().AddSource(ModelCallTelemetry.SourceName).AddInMemoryExporter(_spans).Build()!;
    }

    public async Task DisposeAsync()
    {
        _tracer.Dispose();
        await _rig.DisposeAsync();
    }

    /// <summary>This test's span (other tests may make calls at the same time).</summary>
    private Activity SpanOf(Guid? traceId)
    {
        _tracer.ForceFlush();
        lock (_spans)
        {
            return Assert.Single(_spans, s => (string?)s.GetTagItem("portal.trace.id") == traceId.ToString());
        }
    }

    [Fact]
    public async Task Chat_Span_FollowsTheGenAiConventions()
    {
        var (text, _, traceId) = await _rig.ChatAsync("peer-chat", new GenerationParameters { Temperature = 0.2, TopP = 0.9, MaxTokens = 64 });

        var span = SpanOf(traceId);
        Assert.Equal("chat peer-chat", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai_compatible", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("peer-chat", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(0.2, (double)span.GetTagItem("gen_ai.request.temperature")!, 3);
        Assert.Equal(0.9, (double)span.GetTagItem("gen_ai.request.top_p")!, 3);
        Assert.Equal(64, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(["stop"], (string[])span.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(text.Split(' ').Length, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.NotNull(span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Contains("Hello peer", (string)span.GetTagItem("gen_ai.input.messages")!, StringComparison.Ordinal);
        Assert.Contains("far away.", (string)span.GetTagItem("gen_ai.output.messages")!, StringComparison.Ordinal);
        Assert.Null(span.GetTagItem("error.type"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains(TracingRig.Key, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Chat_Fault_SpanHasErrorTypeAndErrorStatus()
    {
        var (_, _, traceId) = await _rig.ChatAsync("fault-429");

        var span = SpanOf(traceId);
        Assert.Equal("RateLimited", span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task CaptureContentOff_SpanCarriesNoMessages()
    {
        _rig.Options.CurrentValue = new TracingOptions { CaptureContent = false };

        var (_, _, traceId) = await _rig.ChatAsync("peer-chat");

        var span = SpanOf(traceId);
        Assert.Null(span.GetTagItem("gen_ai.input.messages"));
        Assert.Null(span.GetTagItem("gen_ai.output.messages"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("Hello peer", StringComparison.Ordinal) == true);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
    }
}
