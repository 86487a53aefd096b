using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.Web.Observability;

namespace Portal.Web.Tracing;

/// <summary>ok, error or cancelled, as traces store and filter them.</summary>
public static class TraceStatus
{
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Ok, Error, Cancelled];

    public static string Of(ModelCallStatus status) => status switch
    {
        ModelCallStatus.Ok => Ok,
        ModelCallStatus.Cancelled => Cancelled,
        _ => Error,
    };
}

/// <summary>
/// A finished model call as the recorder hands it to the <see cref="TraceWriter"/>: everything measured on the call
/// path, nothing computed there (cost, token estimates and JSON are the writer's work). It names the connection and the
/// endpoint's host; the target itself (which holds the key) is not kept.
/// </summary>
internal sealed record ModelCallRecord(
    Guid Id,
    DateTimeOffset StartedUtc,
    string UserId,
    string Feature,
    Guid? RunId,
    string Connection,
    string ServerAddress,
    string Provider,
    string Model,
    string Operation,
    IReadOnlyList<ChatTurn> Messages,
    GenerationParameters? Parameters,
    ImageRequest? Image,
    bool Capture,
    string? ResponseText,
    int ResponseChars,
    double? TimeToFirstTokenMs,
    double TotalMs,
    StreamFinished? Finished,
    ModelCallStatus Status,
    string? ErrorType,
    string? ErrorMessage);

/// <summary>
/// Records every model call (the <see cref="IModelCallObserver"/> of <see cref="InferenceService"/>): on the call path
/// it only notes times and text and starts/ends the OpenTelemetry span; the finished call goes into a bounded queue
/// that <see cref="TraceWriter"/> writes to the store in batches. A full queue drops the trace (counted, with a warning)
/// rather than making a call wait.
/// </summary>
public sealed partial class TraceRecorder : IModelCallObserver
{
    public const int DefaultCapacity = 10_000;

    private readonly Channel<ModelCallRecord> _queue;
    private readonly IOptionsMonitor<TracingOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TraceRecorder> _logger;
    private readonly PortalMetrics? _metrics;
    private long _dropped;
    private int _open;

    public TraceRecorder(IOptionsMonitor<TracingOptions> options, TimeProvider time, ILogger<TraceRecorder> logger, PortalMetrics? metrics = null)
        : this(options, time, logger, DefaultCapacity, metrics)
    {
    }

    internal TraceRecorder(IOptionsMonitor<TracingOptions> options, TimeProvider time, ILogger<TraceRecorder> logger, int capacity, PortalMetrics? metrics = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _queue = Channel.CreateBounded<ModelCallRecord>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of waiting: the trace is dropped.
        });
    }

    /// <summary>How many traces were dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<ModelCallRecord> Reader => _queue.Reader;

    /// <summary>How many observed calls have started and not ended yet.</summary>
    public int OpenCalls => Volatile.Read(ref _open);

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) for the calls still open to end, so their traces are queued: at
    /// shutdown the streams are cancelled first and end within moments, and the writer then writes them too.
    /// </summary>
    public async Task<bool> WaitForOpenCallsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        while (OpenCalls > 0)
        {
            if (_time.GetElapsedTime(start) >= timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public IModelCallObservation Start(ModelCallRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = ModelCallScope.Current;
        var started = _time.GetUtcNow();
        var id = Guid.CreateVersion7(started);
        if (scope is not null)
        {
            scope.TraceId = id;
        }

        var capture = _options.CurrentValue.CaptureContent;
        var feature = scope?.Feature ?? "unknown";
        var activity = ModelCallTelemetry.StartSpan(request, id, feature, scope?.RunId, capture);
        Interlocked.Increment(ref _open);
        return new Observation(this, request, id, started, _time.GetTimestamp(), scope?.UserId ?? "unknown", feature, scope?.RunId, capture, activity);
    }

    private void Complete(ModelCallRecord call)
    {
        if (!_queue.Writer.TryWrite(call))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 1000 == 0)
            {
                LogDropped(_logger, dropped);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The trace queue is full: {Dropped} model call traces dropped so far (the store is not keeping up)")]
    private static partial void LogDropped(ILogger logger, long dropped);

    private sealed class Observation(
        TraceRecorder recorder,
        ModelCallRequest request,
        Guid id,
        DateTimeOffset startedUtc,
        long started,
        string userId,
        string feature,
        Guid? runId,
        bool capture,
        Activity? activity) : IModelCallObservation
    {
        private readonly StringBuilder? _text = capture ? new StringBuilder() : null;
        private int _chars;
        private long? _firstToken;
        private StreamFinished? _finished;
        private int _ended;

        public void OnText(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            _firstToken ??= recorder._time.GetTimestamp();
            _chars += text.Length;
            _text?.Append(text);
        }

        public void OnFinished(StreamFinished finished) => _finished = finished;

        public void OnEnded(ModelCallStatus status, InferenceError? failure)
        {
            if (Interlocked.Exchange(ref _ended, 1) == 1)
            {
                return;
            }

            var time = recorder._time;
            var total = time.GetElapsedTime(started).TotalMilliseconds;
            double? ttft = _firstToken is { } first ? time.GetElapsedTime(started, first).TotalMilliseconds : null;
            string? errorType = null;
            string? errorMessage = null;
            if (failure is not null)
            {
                errorType = failure.Kind.ToString();
                errorMessage = failure.ProviderMessage is { Length: > 0 } provider ? $"{failure.Title}. {failure.Message} The endpoint said: “{provider}”" : $"{failure.Title}. {failure.Message}";
            }
            else if (status == ModelCallStatus.Ok && _finished?.FinishReason == "content_filter")
            {
                // The answer was stopped by the provider's filter: a failure for the caller, with the categories kept.
                status = ModelCallStatus.Error;
                var filter = InferenceErrors.ContentFilter(_finished.FilterCategories, null, null, prompt: false);
                errorType = filter.Kind.ToString();
                errorMessage = $"{filter.Title}. {filter.Message}";
            }
            else if (status == ModelCallStatus.Cancelled)
            {
                errorMessage = "Cancelled before the answer ended (Stop, a new request, a limit, or the page or portal closing).";
            }

            var target = request.Target;
            var call = new ModelCallRecord(
                id, startedUtc, userId, feature, runId,
                target.Name, ModelCallTelemetry.ServerAddress(target.Endpoint), ModelCallTelemetry.ProviderName(target.Kind),
                request.Model, request.Operation, request.Messages, request.Parameters, request.Image,
                capture, _text?.ToString(), _chars, ttft, total, _finished, status, errorType, errorMessage);
            if (activity is not null)
            {
                ModelCallTelemetry.EndSpan(activity, call);
            }

            recorder._metrics?.ModelCallEnded(
                call.Operation, call.Provider, call.Model, target.Endpoint, feature, TimeSpan.FromMilliseconds(total),
                errorType ?? (status == ModelCallStatus.Cancelled ? "cancelled" : null), _finished?.InputTokens, _finished?.OutputTokens);
            recorder.Complete(call);
            Interlocked.Decrement(ref recorder._open);
        }
    }
}
