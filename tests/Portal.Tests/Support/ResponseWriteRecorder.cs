using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.Tests.Support;

/// <summary>
/// Middleware at the front of the portal's pipeline that records the size of every write the app makes to the response
/// body of the paths it watches: a buffered answer is one write of everything, a streamed one many small writes.
/// </summary>
internal sealed class ResponseWriteRecorder(params string[] paths) : IStartupFilter
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _writes = new(StringComparer.Ordinal);

    public IReadOnlyList<int> WritesTo(string path) => _writes.TryGetValue(path, out var writes) ? [.. writes] : [];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (!paths.Contains(path, StringComparer.Ordinal))
            {
                await nextMiddleware(context);
                return;
            }

            var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            var recording = new RecordingStream(original.Stream, _writes.GetOrAdd(path, _ => new()));
            var feature = new StreamResponseBodyFeature(recording, original);
            context.Features.Set<IHttpResponseBodyFeature>(feature);
            try
            {
                await nextMiddleware(context);
                await feature.CompleteAsync();
            }
            finally
            {
                context.Features.Set(original);
            }
        });
        next(app);
    };

    private sealed class RecordingStream(Stream inner, ConcurrentQueue<int> writes) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            writes.Enqueue(count);
            inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            writes.Enqueue(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
