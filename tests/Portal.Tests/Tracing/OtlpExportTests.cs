using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Tests.Hosting;
using Portal.Tests.Support;
using Portal.Web.Tracing;

namespace Portal.Tests.Tracing;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the portal exports its spans over OTLP/HTTP (protobuf): a loopback
/// receiver (a small Kestrel app) gets the model call's span with the GenAI attribute names and the model, never the key.
/// Without it, no tracer is registered and nothing is exported.
/// </summary>
public sealed class OtlpExportTests
{
    private const string Key = "sk-otlp-secret-KEY-5150";

    [Fact]
    public async Task ModelCall_WithAnOtlpEndpoint_IsExportedWithGenAiAttributes_NeverTheKey()
    {
        var received = new ConcurrentQueue<byte[]>();
        await using var receiver = await StartReceiverAsync(received);
        await using var peer = await OpenAiPeer.StartAsync(Key);
        peer.TokenDelay = TimeSpan.FromMilliseconds(1);
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp, logs: null, configure: null,
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Urls.Single()}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        await using (app)
        {
            await app.StartAsync();
            var inference = app.Services.GetRequiredService<InferenceService>();
            var target = new InferenceTarget("otlp-peer", ConnectionKind.OpenAICompatible, peer.V1, ConnectionAuth.ApiKey, Key);
            using (ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.Chat, UserId = "local" }))
            {
                await foreach (var _ in inference.StreamChatAsync(target, "peer-chat", [new(ChatRole.User, "Export me")], new GenerationParameters { Temperature = 0.3 }, CancellationToken.None))
                {
                }
            }

            Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
            await app.StopAsync();
        }

        var bytes = received.SelectMany(b => b).ToArray();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.NotEmpty(received);
        Assert.Contains("gen_ai.operation.name", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai.request.model", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai.usage.output_tokens", text, StringComparison.Ordinal);
        Assert.Contains("chat peer-chat", text, StringComparison.Ordinal);
        Assert.Contains(ModelCallTelemetry.SourceName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoOtlpEndpoint_NoTracerIsRegistered_AndThePortalStarts()
    {
        using var temp = new TempDirectory();
        var app = PortalHost.Build(temp);
        await using (app)
        {
            await app.StartAsync();

            Assert.Null(app.Services.GetService<TracerProvider>());
            await app.StopAsync();
        }
    }

    /// <summary>An OTLP/HTTP receiver: keeps the body of every <c>POST /v1/traces</c>.</summary>
    private static async Task<WebApplication> StartReceiverAsync(ConcurrentQueue<byte[]> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            context.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
