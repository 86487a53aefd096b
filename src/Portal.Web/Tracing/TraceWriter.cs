using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Data.Tracing;
using Portal.Playground.Inference;
using Portal.Web.Playground;

namespace Portal.Web.Tracing;

/// <summary>
/// Writes the recorder's finished calls to the store, off the call path: it waits for the first, lets more gather for
/// <see cref="BatchWindow"/>, takes up to <see cref="MaxBatch"/> at a time, works out tokens (estimated when the provider reported none) and the cost,
/// and inserts them in one go. A store that fails loses that batch (logged), never a model call. At shutdown it writes
/// what is still queued.
/// </summary>
public sealed partial class TraceWriter(TraceRecorder recorder, ITraceStore store, StreamRunner runner, ILogger<TraceWriter> logger) : BackgroundService
{
    public const int MaxBatch = 200;

    /// <summary>How long the writer lets calls gather before a write, unless a whole batch is waiting.</summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _writing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await recorder.Reader.WaitToReadAsync(stoppingToken))
            {
                // A moment for more calls to end, so a busy portal writes a few large batches (one transaction each)
                // rather than one row per transaction; the trace page looks again for a just-made trace meanwhile.
                if (recorder.Reader.Count < MaxBatch)
                {
                    await Task.Delay(BatchWindow, stoppingToken);
                }

                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    /// <summary>How long the stop waits for model calls still ending (cancelled by the shutdown) before the last write.</summary>
    public static readonly TimeSpan EndingCallsWait = TimeSpan.FromSeconds(5);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // The shutdown has cancelled every stream: wait for those calls to end so their traces are written too.
            if (!await recorder.WaitForOpenCallsAsync(EndingCallsWait, cancellationToken))
            {
                LogCallsStillOpen(logger, recorder.OpenCalls, EndingCallsWait.TotalSeconds);
            }

            await FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: what was not written is lost, as a crash would lose it.
        }
    }

    /// <summary>Writes every call queued now, in batches (tests and benchmarks call it to wait for the store).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<TraceRow>(MaxBatch);
            while (true)
            {
                while (batch.Count < MaxBatch && recorder.Reader.TryRead(out var call))
                {
                    batch.Add(ToRow(call, runner));
                }

                if (batch.Count == 0)
                {
                    return;
                }

                try
                {
                    await store.AddRangeAsync(batch, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogWriteFailed(logger, ex, batch.Count);
                }

                batch.Clear();
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    internal static TraceRow ToRow(ModelCallRecord call, StreamRunner runner)
    {
        var image = call.Operation == ModelCallOperations.GenerateContent;
        var reported = call.Finished?.OutputTokens is not null;
        int? output = call.Finished?.OutputTokens ?? (image ? null : EstimateFromChars(call.ResponseChars));
        int? input = call.Finished?.InputTokens ?? (reported ? null : EstimateFromChars(PromptChars(call.Messages)));
        var cost = !image && output is { } o ? runner.CostRange(call.Model, input, o) : null;
        return new TraceRow
        {
            Id = call.Id,
            StartedUtc = call.StartedUtc,
            UserId = call.UserId,
            Connection = call.Connection,
            ServerAddress = call.ServerAddress,
            Provider = call.Provider,
            Model = call.Model,
            Operation = call.Operation,
            Feature = call.Feature,
            RunId = call.RunId,
            Messages = call.Capture ? JsonSerializer.Serialize(call.Messages.Select(t => new { role = t.Role.ToString().ToLowerInvariant(), content = t.Content })) : null,
            Parameters = ParametersJson(call.Parameters, call.Image),
            Response = call.Capture ? call.ResponseText : null,
            ContentCaptured = call.Capture,
            FinishReason = call.Finished?.FinishReason,
            ContentFilter = call.Finished?.FilterCategories is { Count: > 0 } categories
                ? JsonSerializer.Serialize(categories.Select(c => new { name = c.Name, severity = c.Severity, filtered = c.Filtered }))
                : null,
            TimeToFirstTokenMs = call.TimeToFirstTokenMs,
            TotalMs = call.TotalMs,
            InputTokens = input,
            OutputTokens = output,
            TokensEstimated = !reported && !image,
            CostLowUsd = cost?.Low,
            CostHighUsd = cost?.High,
            CostModel = cost?.ModelName,
            Status = TraceStatus.Of(call.Status),
            ErrorType = call.ErrorType,
            ErrorMessage = call.ErrorMessage is { Length: > 2000 } message ? message[..2000] : call.ErrorMessage,
        };
    }

    /// <summary>As <see cref="StreamRunner.EstimateTokens"/> does (about four characters a token), from a length.</summary>
    private static int EstimateFromChars(int chars) => chars <= 0 ? 0 : (int)Math.Ceiling(chars / 4.0);

    /// <summary>The length of the prompt as the playground estimates it: the turns' text joined by new lines.</summary>
    private static int PromptChars(IReadOnlyList<ChatTurn> messages) =>
        messages.Count == 0 ? 0 : messages.Sum(m => m.Content.Length) + messages.Count - 1;

    private static string? ParametersJson(GenerationParameters? parameters, ImageRequest? image)
    {
        var body = new JsonObject();
        if (parameters is not null)
        {
            InferenceService.AddParameters(body, parameters);
        }

        if (image is not null)
        {
            body["n"] = image.Count;
            if (image.Size is { Length: > 0 } size)
            {
                body["size"] = size;
            }

            if (image.Quality is { Length: > 0 } quality)
            {
                body["quality"] = quality;
            }

            if (image.Style is { Length: > 0 } style)
            {
                body["style"] = style;
            }
        }

        return body.Count == 0 ? null : body.ToJsonString();
    }

    public override void Dispose()
    {
        _writing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down with {Count} model call(s) still open after {Seconds} s: their traces are not written")]
    private static partial void LogCallsStillOpen(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} model call traces could not be written to the store and are lost")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}

/// <summary>Deletes traces older than <see cref="TracingOptions.RetentionDays"/>, at start and then daily.</summary>
public sealed partial class TraceRetention(ITraceStore store, IOptions<TracingOptions> options, TimeProvider time, ILogger<TraceRetention> logger) : BackgroundService
{
    /// <summary>One purge; returns how many traces were removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var removed = await store.PurgeAsync(time.GetUtcNow().AddDays(-options.Value.RetentionDays), cancellationToken);
        if (removed > 0)
        {
            LogPurged(logger, removed, options.Value.RetentionDays);
        }

        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} model call traces older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Old model call traces could not be removed; the next try is in a day")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
