using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Portal.Data.Probes;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;
using Portal.Web.Playground;

namespace Portal.Web.Evaluations;

/// <summary>What a performance probe sends: N streamed chat requests at concurrency C, one prompt, a token limit.</summary>
public sealed record ProbeRequest(string CatalogModelId, string? Connection, string? Model, int Requests, int Concurrency, string Prompt, int MaxTokens)
{
    public const int MaxRequests = 200;
    public const int MaxConcurrency = 16;
    public const int MaxPromptChars = 20_000;
    public const int MaxOutputTokens = 4_096;

    public const string DefaultPrompt = "Write three sentences about the history of the bicycle.";
}

/// <summary>How far a probe is: requests finished (well or not) of the total.</summary>
public sealed record ProbeProgress(int Done, int Failed, int Total);

/// <summary>Requests that failed for the same reason.</summary>
public sealed record ProbeFailure(string Reason, int Count);

/// <summary>A probe's measurements (milliseconds); percentiles over the requests that succeeded.</summary>
public sealed record ProbeResult(
    Guid Id,
    string CatalogModelId,
    string Connection,
    string Model,
    int Requests,
    int Concurrency,
    int MaxTokens,
    int Succeeded,
    int Failed,
    double? TtftP50Ms,
    double? TtftP90Ms,
    double? TtftP99Ms,
    double? TotalP50Ms,
    double? TotalP90Ms,
    double? TotalP99Ms,
    double? TokensPerSecond,
    bool TokensEstimated,
    IReadOnlyList<ProbeFailure> Failures,
    bool Cancelled,
    DateTimeOffset StartedUtc,
    DateTimeOffset FinishedUtc)
{
    /// <summary>The source line shown with every number: "measured here on &lt;date&gt;, N requests at concurrency C, &lt;connection&gt;".</summary>
    public string Source => string.Create(CultureInfo.InvariantCulture,
        $"measured here on {FinishedUtc.UtcDateTime:yyyy-MM-dd}, {Succeeded + Failed} requests at concurrency {Concurrency}, {Connection}")
        + (Cancelled ? $" (cancelled after {Succeeded + Failed} of {Requests})" : "");
}

/// <summary>Either a result (stored, unless nothing finished) or the problems by field (<c>requests</c>, <c>connection</c>…).</summary>
public sealed record ProbeOutcome(ProbeResult? Result, IReadOnlyDictionary<string, string> Problems);

/// <summary>
/// The performance probe of a model page: N streamed chat calls at concurrency C through <see cref="InferenceService"/>
/// (each in its own <see cref="ModelCallScope"/>, feature <c>probe</c>), timed to the first token and to the end, with
/// each failure's reason. Results are stored per catalog model. Needs <see cref="PortalAction.RunPerformanceProbe"/>.
/// </summary>
public sealed partial class PerformanceProbe(
    ConnectionService connections,
    InferenceService inference,
    AccessControl access,
    IPerformanceProbeStore store,
    TimeProvider time,
    ILogger<PerformanceProbe> logger)
{
    /// <summary>How many results the model page shows.</summary>
    public const int LatestCount = 5;

    public static Dictionary<string, string> Validate(ProbeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Connection))
        {
            problems["connection"] = "Choose a connection.";
        }

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            problems["model"] = "Choose or type the model or deployment name.";
        }

        if (request.Requests is < 1 or > ProbeRequest.MaxRequests)
        {
            problems["requests"] = $"Send between 1 and {ProbeRequest.MaxRequests} requests.";
        }

        if (request.Concurrency is < 1 or > ProbeRequest.MaxConcurrency)
        {
            problems["concurrency"] = $"Concurrency is between 1 and {ProbeRequest.MaxConcurrency}.";
        }

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            problems["prompt"] = "Write the prompt every request sends.";
        }
        else if (request.Prompt.Length > ProbeRequest.MaxPromptChars)
        {
            problems["prompt"] = $"The prompt is {request.Prompt.Length:N0} characters; the limit is {ProbeRequest.MaxPromptChars:N0}.";
        }

        if (request.MaxTokens is < 1 or > ProbeRequest.MaxOutputTokens)
        {
            problems["maxTokens"] = $"Max tokens is between 1 and {ProbeRequest.MaxOutputTokens:N0}.";
        }

        return problems;
    }

    /// <summary>
    /// Runs the probe. Cancelling stops sending (requests in flight are abandoned) and keeps what finished: the result
    /// is stored and returned marked cancelled. A refused role throws <see cref="PortalAccessDeniedException"/>.
    /// </summary>
    public async Task<ProbeOutcome> RunAsync(ProbeRequest request, IProgress<ProbeProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = Validate(request);
        if (problems.Count > 0)
        {
            return new ProbeOutcome(null, problems);
        }

        var connection = request.Connection!.Trim();
        var model = request.Model!.Trim();
        var targetName = $"probe:{connection}/{model}";
        await access.DemandAsync(PortalAction.RunPerformanceProbe, targetName, cancellationToken);

        InferenceTarget? target;
        try
        {
            target = await connections.TargetAsync(connection, cancellationToken);
        }
        catch (InferenceException ex)
        {
            return new ProbeOutcome(null, new Dictionary<string, string> { ["connection"] = ex.Error.Message });
        }

        if (target is null)
        {
            return new ProbeOutcome(null, new Dictionary<string, string> { ["connection"] = $"There is no connection named '{connection}'. Add it in Settings → Connections." });
        }

        var id = Guid.NewGuid();
        var started = time.GetUtcNow();
        var samples = new ConcurrentBag<Sample>();
        var failures = new ConcurrentBag<string>();
        var done = 0;
        var failed = 0;
        var cancelled = false;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, request.Requests),
                new ParallelOptions { MaxDegreeOfParallelism = request.Concurrency, CancellationToken = cancellationToken },
                async (_, token) =>
                {
                    var (sample, failure) = await CallAsync(target, model, request, id, token);
                    if (sample is not null)
                    {
                        samples.Add(sample);
                    }
                    else
                    {
                        failures.Add(failure!);
                        Interlocked.Increment(ref failed);
                    }

                    var finished = Interlocked.Increment(ref done);
                    progress?.Report(new ProbeProgress(finished, Volatile.Read(ref failed), request.Requests));
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        var result = Summarise(id, request.CatalogModelId, connection, model, request, [.. samples], [.. failures], cancelled, started, time.GetUtcNow());
        if (result.Succeeded + result.Failed > 0)
        {
            // Stored even when the page was closed or the user cancelled (so not with their token): what was measured is kept.
            using var save = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await store.AddAsync(ToRow(result), save.Token);
            await access.SucceededAsync(PortalAction.RunPerformanceProbe, targetName,
                $"{result.Succeeded + result.Failed} requests at concurrency {request.Concurrency}, {result.Failed} failed{(cancelled ? ", cancelled" : "")}");
        }

        return new ProbeOutcome(result, new Dictionary<string, string>());
    }

    public async Task<IReadOnlyList<ProbeResult>> LatestAsync(string catalogModelId, CancellationToken cancellationToken) =>
        [.. (await store.LatestAsync(catalogModelId, LatestCount, cancellationToken)).Select(FromRow)];

    internal sealed record Sample(double TtftMs, double TotalMs, int OutputTokens, bool Estimated);

    private async Task<(Sample? Sample, string? Failure)> CallAsync(InferenceTarget target, string model, ProbeRequest request, Guid id, CancellationToken cancellationToken)
    {
        using var scope = ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.Probe, UserId = access.User.Id, RunId = id });
        var clock = Stopwatch.StartNew();
        double? ttft = null;
        var text = new System.Text.StringBuilder();
        try
        {
            await foreach (var e in inference.StreamChatAsync(target, model, [new ChatTurn(ChatRole.User, request.Prompt)], new GenerationParameters { MaxTokens = request.MaxTokens }, cancellationToken))
            {
                switch (e)
                {
                    case TextDelta delta:
                        ttft ??= clock.Elapsed.TotalMilliseconds;
                        text.Append(delta.Text);
                        break;
                    case StreamFinished finished:
                        var total = clock.Elapsed.TotalMilliseconds;
                        if (finished.FinishReason == "content_filter")
                        {
                            return (null, "Stopped by the content filter");
                        }

                        if (ttft is null)
                        {
                            return (null, "The answer was empty");
                        }

                        var estimated = finished.OutputTokens is null;
                        return (new Sample(ttft.Value, total, finished.OutputTokens ?? StreamRunner.EstimateTokens(text.ToString()), estimated), null);
                }
            }

            return (null, "The stream ended without finishing");
        }
        catch (InferenceException ex)
        {
            return (null, ex.Error.Status is { } status ? $"{ex.Error.Title} (HTTP {status.ToString(CultureInfo.InvariantCulture)})" : ex.Error.Title);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnexpected(logger, ex, model);
            return (null, "Unexpected failure (see the portal's log)");
        }
    }

    internal static ProbeResult Summarise(Guid id, string catalogModelId, string connection, string model, ProbeRequest request, IReadOnlyList<Sample> samples,
        IReadOnlyList<string> failures, bool cancelled, DateTimeOffset started, DateTimeOffset finished)
    {
        var ttfts = samples.Select(s => s.TtftMs).ToList();
        var totals = samples.Select(s => s.TotalMs).ToList();
        // Per request: output tokens over the time they took to stream (after the first token); the median of those.
        var speeds = samples.Where(s => s.TotalMs > s.TtftMs && s.OutputTokens > 0).Select(s => s.OutputTokens / ((s.TotalMs - s.TtftMs) / 1000)).ToList();
        return new ProbeResult(id, catalogModelId, connection, model, request.Requests, request.Concurrency, request.MaxTokens, samples.Count, failures.Count,
            EvaluationStatistics.Percentile(ttfts, 50), EvaluationStatistics.Percentile(ttfts, 90), EvaluationStatistics.Percentile(ttfts, 99),
            EvaluationStatistics.Percentile(totals, 50), EvaluationStatistics.Percentile(totals, 90), EvaluationStatistics.Percentile(totals, 99),
            EvaluationStatistics.Percentile(speeds, 50), samples.Any(s => s.Estimated),
            [.. failures.GroupBy(f => f).Select(g => new ProbeFailure(g.Key, g.Count())).OrderByDescending(f => f.Count)],
            cancelled, started, finished);
    }

    private PerformanceProbeRow ToRow(ProbeResult r) => new()
    {
        Id = r.Id,
        CatalogModelId = r.CatalogModelId,
        Connection = r.Connection,
        Model = r.Model,
        UserId = access.User.Id,
        Requests = r.Requests,
        Concurrency = r.Concurrency,
        MaxTokens = r.MaxTokens,
        Succeeded = r.Succeeded,
        Failed = r.Failed,
        TtftP50Ms = r.TtftP50Ms,
        TtftP90Ms = r.TtftP90Ms,
        TtftP99Ms = r.TtftP99Ms,
        TotalP50Ms = r.TotalP50Ms,
        TotalP90Ms = r.TotalP90Ms,
        TotalP99Ms = r.TotalP99Ms,
        TokensPerSecond = r.TokensPerSecond,
        TokensEstimated = r.TokensEstimated,
        Failures = Cut(string.Join('\n', r.Failures.Select(f => $"{f.Count.ToString(CultureInfo.InvariantCulture)}\t{f.Reason}")), 4000),
        Cancelled = r.Cancelled,
        StartedUtc = r.StartedUtc,
        FinishedUtc = r.FinishedUtc,
    };

    private static ProbeResult FromRow(PerformanceProbeRow r) => new(
        r.Id, r.CatalogModelId, r.Connection, r.Model, r.Requests, r.Concurrency, r.MaxTokens, r.Succeeded, r.Failed,
        r.TtftP50Ms, r.TtftP90Ms, r.TtftP99Ms, r.TotalP50Ms, r.TotalP90Ms, r.TotalP99Ms, r.TokensPerSecond, r.TokensEstimated,
        [.. r.Failures.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t', 2)).Where(p => p.Length == 2)
            .Select(p => new ProbeFailure(p[1], int.TryParse(p[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 1))],
        r.Cancelled, r.StartedUtc, r.FinishedUtc);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "A probe request to {Model} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string model);
}
