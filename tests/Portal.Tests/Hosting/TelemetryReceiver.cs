using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Hosting;

/// <summary>
/// A telemetry back end on loopback (Kestrel, a real socket) that keeps every POST: an OTLP/HTTP collector
/// (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>, answered with an empty protobuf message) or an Application
/// Insights ingestion endpoint (<c>/v2.1/track</c>, answered as the service does; gzip bodies are unzipped).
/// </summary>
internal sealed class TelemetryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TelemetryReceiver(WebApplication app) => _app = app;

    public sealed record Post(string Path, string? ContentType, string? ContentEncoding, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    public ConcurrentQueue<Post> Posts { get; } = new();

    public string Url => _app.Urls.Single().TrimEnd('/');

    public IReadOnlyList<Post> To(string path) => [.. Posts.Where(p => p.Path == path)];

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TelemetryReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var bytes = body.ToArray();
            var encoding = context.Request.Headers.ContentEncoding.ToString();
            if (encoding == "gzip" || (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b))
            {
                using var unzipped = new MemoryStream();
                await using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
                {
                    await gzip.CopyToAsync(unzipped);
                }

                bytes = unzipped.ToArray();
            }

            receiver.Posts.Enqueue(new Post(context.Request.Path, context.Request.ContentType, encoding, bytes));
            if (context.Request.Path.StartsWithSegments("/v2.1/track", StringComparison.Ordinal))
            {
                var items = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                return Results.Json(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() });
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
