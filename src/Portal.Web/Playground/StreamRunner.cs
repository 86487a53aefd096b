using System.Globalization;
using System.Text;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.Web.Observability;

namespace Portal.Web.Playground;

/// <summary>
/// Runs one streamed answer into a message: text is appended as it arrives and the page is updated at most every
/// <see cref="RenderInterval"/> (the first text at once; never buffering the whole answer); time to first token, total
/// time, tokens and cost are measured; failures and Stop keep the text that arrived, and an answer cut off in the
/// middle is marked <see cref="ChatMessageState.Interrupted"/>. Every change to the message goes through
/// <c>update</c>, which the page runs on its renderer.
/// <para>
/// An answer is bounded: past <see cref="InferenceOptions.MaxAnswerChars"/> characters or
/// <see cref="InferenceOptions.MaxAnswerDuration"/> the stream is ended (the call to the endpoint cancelled), the part
/// that arrived is kept and a note says which limit ended it. Reading never waits for the page: a render still in
/// progress is not queued behind, so cancellation (Stop, the page going away, a limit) ends the call promptly
/// however slow the page is.
/// </para>
/// </summary>
/// <para>
/// When the portal shuts down, the stream ends at once and the answer so far is kept, marked interrupted, for the page
/// to save (<see cref="PlaygroundShutdown"/>).
/// </para>
public sealed class StreamRunner(ICatalogService catalog, BenchmarkData benchmarks, TimeProvider time, IOptions<InferenceOptions> options, PlaygroundShutdown shutdown, PortalMetrics? portalMetrics = null)
{
    public static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(30);

    /// <summary>How an answer cut off by the portal's shutdown is shown (and saved): Retry sends the turn again.</summary>
    public static readonly PlaygroundError ShutDown = new(
        "The portal shut down",
        "The portal was stopped or restarted while this answer was arriving. Retry sends the question again.",
        null,
        null,
        null);

    public async Task RunAsync(
        IAsyncEnumerable<StreamEvent> stream,
        ChatMessageState answer,
        string model,
        string promptText,
        Func<Action, Task> update,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(update);
        using var active = portalMetrics?.StreamStarted(); // portal.playground.streams.active
        var started = time.GetTimestamp();
        long? firstToken = null;
        var lastRender = started;
        var text = new StringBuilder(answer.Content);
        StreamFinished? finished = null;
        PlaygroundError? error = null;
        string? note = null;
        var stopped = false;
        var interrupted = false;
        var maxChars = options.Value.MaxAnswerChars;
        var maxDuration = options.Value.MaxAnswerDuration;
        using var deadline = new CancellationTokenSource(maxDuration, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, shutdown.Stopping);
        var render = Task.CompletedTask;
        await update(() =>
        {
            answer.Streaming = true;
            answer.Error = null;
            answer.Stopped = false;
            answer.Interrupted = false;
            answer.Note = null;
            answer.Metrics = null;
        });
        try
        {
            await foreach (var e in stream.WithCancellation(reading.Token))
            {
                if (e is TextDelta delta)
                {
                    var first = firstToken is null;
                    firstToken ??= time.GetTimestamp();
                    var room = maxChars - text.Length;
                    text.Append(delta.Text.AsSpan(0, Math.Min(room, delta.Text.Length)));
                    if (delta.Text.Length > room)
                    {
                        note = $"The answer was cut off at {maxChars.ToString("N0", CultureInfo.InvariantCulture)} characters, the most one answer may have here (Portal:Inference:MaxAnswerChars). The part that arrived is kept.";
                        await reading.CancelAsync(); // ends the call to the endpoint
                        break;
                    }

                    // Longer answers are rendered less often; a render still running is never waited for.
                    if (render.IsCompleted && (first || time.GetElapsedTime(lastRender) >= RenderInterval + TimeSpan.FromMilliseconds(text.Length / 1000.0)))
                    {
                        lastRender = time.GetTimestamp();
                        var snapshot = text.ToString();
                        render = update(() => answer.Content = snapshot);
                    }
                }
                else if (e is StreamFinished f)
                {
                    finished = f;
                }
            }

            if (finished?.FinishReason == "content_filter")
            {
                error = PlaygroundError.From(InferenceErrors.ContentFilter(finished.FilterCategories, null, null, prompt: false));
            }
            else if (finished?.FinishReason == "length")
            {
                note = "The answer stopped at the max tokens limit.";
            }
        }
        catch (InferenceException ex)
        {
            error = PlaygroundError.From(ex.Error);
            interrupted = firstToken is not null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopped = true;
        }
        catch (OperationCanceledException) when (shutdown.Stopping.IsCancellationRequested)
        {
            error = ShutDown;
            interrupted = true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            note = $"The answer was cut off at the time limit of {Describe(maxDuration)} for one answer (Portal:Inference:MaxAnswerDuration). The part that arrived is kept.";
        }

        await render;
        var content = text.ToString();
        var metrics = Measure(started, firstToken, finished, content, promptText, model);
        await update(() =>
        {
            answer.Streaming = false;
            answer.Content = content;
            answer.Error = error;
            answer.Note = note;
            answer.Stopped = stopped;
            answer.Interrupted = interrupted;
            answer.Metrics = metrics;
        });
    }

    private AnswerMetrics Measure(long started, long? firstToken, StreamFinished? finished, string output, string prompt, string model)
    {
        var total = time.GetElapsedTime(started);
        var ttft = firstToken is { } t ? time.GetElapsedTime(started, t) : (TimeSpan?)null;
        var estimated = finished?.OutputTokens is null;
        var outputTokens = finished?.OutputTokens ?? EstimateTokens(output);
        var inputTokens = finished?.InputTokens ?? (estimated ? EstimateTokens(prompt) : null);
        var generating = ttft is { } first ? total - first : TimeSpan.Zero;
        double? speed = outputTokens > 1 && generating > TimeSpan.FromMilliseconds(1) ? (outputTokens - 1) / generating.TotalSeconds : null;
        return new(ttft?.TotalMilliseconds, total.TotalMilliseconds, inputTokens, outputTokens, estimated, speed, Cost(model, inputTokens, outputTokens));
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 && span.Milliseconds == 0
            ? (span.TotalMinutes == 1 ? "1 minute" : $"{span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} minutes")
            : span.TotalSeconds == 1 ? "1 second" : $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds";

    /// <summary>About four characters per token: labelled "estimated" wherever it is shown.</summary>
    public static int EstimateTokens(string text) => string.IsNullOrEmpty(text) ? 0 : (int)Math.Ceiling(text.Length / 4.0);

    /// <summary>An estimate from the community price map when the model is in the catalog with a price; null otherwise.</summary>
    public string? Cost(string model, int? inputTokens, int outputTokens)
    {
        if (CostRange(model, inputTokens, outputTokens) is not { } cost)
        {
            return null;
        }

        var range = cost.Low == cost.High ? Usd(cost.Low) : $"{Usd(cost.Low)}–{Usd(cost.High)}";
        return $"≈ {range} (unofficial community price for {cost.ModelName})";
    }

    /// <summary>
    /// The estimated cost in US dollars, low and high over the community price map's prices for the catalog model named
    /// (by id or alias) <paramref name="model"/>; null when it is not in the catalog, has no price, or the input tokens are unknown.
    /// </summary>
    public CostEstimate? CostRange(string model, int? inputTokens, int outputTokens)
    {
        var catalogModel = catalog.Current.Find(model)
            ?? catalog.Current.Models.FirstOrDefault(m => m.Aliases.Contains(model, StringComparer.OrdinalIgnoreCase));
        if (catalogModel is null || inputTokens is null || benchmarks.PricesFor(catalogModel.Id) is not { Count: > 0 } prices)
        {
            return null;
        }

        var costs = prices.Select(p => ((inputTokens.Value * p.InputPerMillion) + (outputTokens * p.OutputPerMillion)) / 1_000_000).ToList();
        return new(costs.Min(), costs.Max(), catalogModel.Id, catalogModel.DisplayName);
    }

    private static string Usd(double value) => "$" + value.ToString(value < 0.01 ? "0.######" : "0.####", CultureInfo.InvariantCulture);
}

/// <summary>An estimated cost in US dollars from the unofficial community price map (low and high over its prices for the model).</summary>
public sealed record CostEstimate(double Low, double High, string CatalogModelId, string ModelName);
