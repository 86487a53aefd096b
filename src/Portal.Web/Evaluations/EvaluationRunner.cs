using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Portal.Data.Evaluations;
using Portal.Data.Instances;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;
using Portal.Web.Hosting;
using Portal.Web.Playground;

namespace Portal.Web.Evaluations;

/// <summary>
/// Runs queued evaluation runs in the background, and at start resumes the runs a stop left queued or running (the
/// cells already stored are not asked again). Each run acts as its owner: a service scope whose signed-in user is the
/// owner resolves the connections by name as the owner sees them, and the owner's role is checked again when the run
/// starts or resumes. Each target's rows run with at most the spec's concurrency; each finished answer is stored at once.
/// </summary>
/// <remarks>
/// Several instances on one store: a run is worked on only while this instance holds its lease
/// (<see cref="IWorkLeases"/>, <c>evaluation-run:{id}</c>), renewed every <see cref="InstanceOptions.LeaseRenewInterval"/>.
/// Every instance looks for queued or running runs whose lease lapsed (their instance died) as often, and takes them
/// over where they stopped. A run cancelled on another instance is seen at the next renewal and stops here too.
/// </remarks>
public sealed partial class EvaluationRunner(
    IServiceScopeFactory scopes,
    IEvaluationStore store,
    InferenceService inference,
    StreamRunner costs,
    IOptions<EvaluationOptions> options,
    IOptions<InferenceOptions> inferenceOptions,
    IWorkLeases leases,
    IOptions<InstanceOptions> instanceOptions,
    TimeProvider time,
    ILogger<EvaluationRunner> logger) : BackgroundService
{
    /// <summary>The id of the example dataset the portal seeds.</summary>
    public static readonly Guid ExampleDatasetId = new("5e1f0c2a-7a51-4c7e-9a0b-e7a1000d5e7a");
    public const string ExampleDatasetName = "Portal quickstart (example)";
    public const string ExampleOwner = "portal";

    /// <summary>At most this many progress notifications per run and second.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();
    private readonly ConcurrentDictionary<Guid, ActiveRun> _active = new();
    private readonly ConcurrentDictionary<Guid, byte> _queued = new();
    private SemaphoreSlim? _slots;

    /// <summary>The name of a run's lease in <c>work_leases</c>.</summary>
    public static string LeaseName(Guid id) => $"evaluation-run:{id:N}";

    /// <summary>Raised (on a background thread, at most every <see cref="ProgressInterval"/> per run) when a run's counts or status change.</summary>
    public event Action<Guid>? Changed;

    /// <summary>Queues a run (it starts when a slot is free).</summary>
    public void Enqueue(Guid id)
    {
        if (_queued.TryAdd(id, 0))
        {
            _queue.Writer.TryWrite(id);
        }
    }

    /// <summary>Stops a running run (its finished cells are kept); returns once it has stopped, or after the timeout.</summary>
    public async Task CancelAsync(Guid id, TimeSpan wait)
    {
        if (_active.TryGetValue(id, out var run))
        {
            run.CancelledByUser = true;
            await run.Cancel.CancelAsync();
            await Task.WhenAny(run.Done.Task, Task.Delay(wait, time));
        }
    }

    /// <summary>How long the rest of a running run should take, from the mean time per answer so far in this session.</summary>
    public TimeSpan? Eta(Guid id, int pending)
    {
        if (!_active.TryGetValue(id, out var run) || run.Done.Task.IsCompleted || pending <= 0 || run.Finished == 0)
        {
            return null;
        }

        var elapsed = time.GetElapsedTime(run.Started);
        return TimeSpan.FromTicks((long)(elapsed.Ticks / (double)run.Finished * pending));
    }

    private void Raise(Guid id)
    {
        try
        {
            Changed?.Invoke(id);
        }
        catch (Exception ex)
        {
            LogListenerFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _slots = new SemaphoreSlim(options.Value.MaxParallelRuns);
        try
        {
            await SeedExampleAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Another instance on the same store may have just added it; either way the runs below still resume.
            LogSeedFailed(logger, ex);
        }

        var lookout = LookOutAsync(stoppingToken);
        var running = new List<Task>();
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await _slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunInSlotAsync(id, _slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: the runs see the token, store what finished and stay Running, to resume at the next start (or at
        // once on another instance: their leases are released).
        await Task.WhenAll(running);
        await lookout;
    }

    /// <summary>
    /// At start and then every <see cref="InstanceOptions.LeaseRenewInterval"/>: queues the unfinished runs that no
    /// instance holds (left by a stop, or by an instance that died), and tells this instance's pages about the runs
    /// another instance is working on (their progress events are raised there).
    /// </summary>
    private async Task LookOutAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(instanceOptions.Value.LeaseRenewInterval, time);
        var failing = false;
        try
        {
            do
            {
                try
                {
                    var unfinished = (await store.ListUnfinishedRunsAsync(stoppingToken)).Where(r => !_active.ContainsKey(r.Id)).ToList();
                    var elsewhere = await leases.HeldElsewhereAsync([.. unfinished.Select(r => LeaseName(r.Id))], stoppingToken);
                    foreach (var (id, status) in unfinished)
                    {
                        if (elsewhere.Contains(LeaseName(id)))
                        {
                            Raise(id);
                        }
                        else if (!_queued.ContainsKey(id))
                        {
                            LogResuming(logger, id, status);
                            Enqueue(id);
                        }
                    }

                    failing = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (!failing)
                    {
                        failing = true;
                        LogStartFailed(logger, ex);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunInSlotAsync(Guid id, SemaphoreSlim slots, CancellationToken stopping)
    {
        await Task.Yield(); // off the queue's loop
        try
        {
            await RunGuardedAsync(id, stopping);
        }
        finally
        {
            // Queued until it ends here, so the look-out does not queue it a second time meanwhile.
            _queued.TryRemove(id, out _);
            slots.Release();
        }
    }

    private async Task RunGuardedAsync(Guid id, CancellationToken stopping)
    {
        try
        {
            await RunAsync(id, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogRunFailed(logger, ex, id);
            await FinishAsync(id, EvaluationStatus.Failed, $"The run stopped on an unexpected error ({ex.GetType().Name}); the finished answers are kept.", stopping);
        }
        finally
        {
            if (_active.TryRemove(id, out var run))
            {
                run.Done.TrySetResult();
                run.Cancel.Dispose();
            }
        }
    }

    private async Task FinishAsync(Guid id, EvaluationStatus status, string? error, CancellationToken cancellationToken)
    {
        try
        {
            await store.UpdateRunAsync(id, status.ToString(), null, time.GetUtcNow(), error, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRunFailed(logger, ex, id);
        }

        Raise(id);
    }

    /// <summary>Runs <paramref name="id"/> while this instance holds its lease; returns at once when another instance does.</summary>
    private async Task RunAsync(Guid id, CancellationToken stopping)
    {
        var settings = instanceOptions.Value;
        WorkLease? lease;
        try
        {
            lease = await leases.TryAcquireAsync(LeaseName(id), settings.LeaseDuration, stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store did not answer: the run stays as it is, and the look-out queues it again.
            LogLeaseUnavailable(logger, ex, id);
            return;
        }

        if (lease is null)
        {
            LogHeldElsewhere(logger, id);
            return;
        }

        if (lease.TakenOverFrom is { } previous)
        {
            LogTakenOver(logger, id, previous);
        }

        // Stopping work here: the portal stops, or the lease was lost (another instance has the run now).
        using var lost = new CancellationTokenSource();
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(stopping, lost.Token);
        using var keeping = new CancellationTokenSource();
        var keeper = KeepLeaseAsync(id, lease, lost, keeping.Token);
        try
        {
            await RunHeldAsync(id, halt.Token);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await keeping.CancelAsync();
            var held = await keeper;
            if (held is not null)
            {
                // Released even when the portal stops, so another instance may resume the run at once.
                try
                {
                    using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await leases.ReleaseAsync(held, bounded.Token);
                }
                catch (Exception ex)
                {
                    LogReleaseFailed(logger, ex, id);
                }
            }
        }
    }

    /// <summary>
    /// Renews the run's lease until <paramref name="cancellationToken"/>; returns the lease still held, or null after
    /// cancelling <paramref name="lost"/> when it was taken over, or lapsed while the store did not answer. Also stops
    /// the run here when it was cancelled (or deleted) on another instance.
    /// </summary>
    private async Task<WorkLease?> KeepLeaseAsync(Guid id, WorkLease lease, CancellationTokenSource lost, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var settings = instanceOptions.Value;
        using var timer = new PeriodicTimer(settings.LeaseRenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    // A renewal may take until this instance would have to stop anyway.
                    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var left = lease.ExpiresUtc - time.GetUtcNow() - settings.LeaseRenewInterval;
                    bounded.CancelAfter(left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
                    var renewed = await leases.RenewAsync(lease, settings.LeaseDuration, bounded.Token);
                    if (renewed is null)
                    {
                        LogLeaseLost(logger, id);
                        await lost.CancelAsync();
                        return null;
                    }

                    lease = renewed;
                    var header = await store.GetRunHeaderAsync(id, bounded.Token);
                    if ((header is null || header.Status == nameof(EvaluationStatus.Cancelled)) && _active.TryGetValue(id, out var run) && !run.CancelledByUser)
                    {
                        run.CancelledByUser = true;
                        await run.Cancel.CancelAsync();
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The store did not answer: keep trying while the lease lasts, and stop before the next renewal would come
                    // too late, so this instance has stopped before another one may take the run over.
                    if (time.GetUtcNow() + settings.LeaseRenewInterval >= lease.ExpiresUtc)
                    {
                        LogLeaseLapsed(logger, ex, id);
                        await lost.CancelAsync();
                        return null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return lease;
    }

    private async Task RunHeldAsync(Guid id, CancellationToken stopping)
    {
        var row = await store.GetRunAsync(id, stopping);
        if (row is null || row.Status is not (nameof(EvaluationStatus.Queued) or nameof(EvaluationStatus.Running)))
        {
            return;
        }

        var active = new ActiveRun(CancellationTokenSource.CreateLinkedTokenSource(stopping), time.GetTimestamp());
        _active[id] = active;
        var token = active.Cancel.Token;

        await using var scope = scopes.CreateAsyncScope();
        ActAs(scope.ServiceProvider, row.OwnerId, row.OwnerName);
        var access = scope.ServiceProvider.GetRequiredService<AccessControl>();
        try
        {
            await access.DemandAsync(PortalAction.RunEvaluation, $"evaluation:{row.Name}", token);
        }
        catch (PortalAccessDeniedException ex)
        {
            await FinishAsync(id, EvaluationStatus.Failed, $"The run's owner ({row.OwnerName}) may no longer run evaluations: {ex.Message}", stopping);
            return;
        }

        var spec = EvaluationJson.Read<StoredSpec>(row.Spec);
        var rows = EvaluationJson.Read<List<DatasetRow>>(row.RowsJson);
        var scorers = spec.Scorers.Select(s => Scorers.Resolve(s).Scorer).OfType<ScorerDefinition>().ToList();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var targets = new List<(InferenceTarget? Target, string? Problem)>();
        foreach (var target in spec.Targets)
        {
            targets.Add(await ResolveAsync(connections, target.Connection, row.OwnerName, token));
        }

        var judge = spec.Judge is { } j ? await ResolveAsync(connections, j.Connection, row.OwnerName, token) : (null, null);
        var done = (await store.ListCellsAsync(id, token)).Select(c => (c.Row, c.Target)).ToHashSet();
        await store.UpdateRunAsync(id, nameof(EvaluationStatus.Running), time.GetUtcNow(), null, null, token);
        Raise(id);

        using var ticker = new CancellationTokenSource();
        var progress = ReportProgressAsync(id, active, ticker.Token);
        var writer = new CellWriter(store, id);
        var context = new RunContext(id, row.OwnerId, spec, scorers, judge.Target, judge.Problem, writer, token, stopping);
        try
        {
            await Task.WhenAll(spec.Targets.Select((t, i) => RunTargetAsync(context, i, t, targets[i], [.. rows.Where(r => !done.Contains((r.Number, i)))], active)));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            // Every answer that finished is stored before the run ends, is cancelled, or the portal stops.
            await writer.CompleteAsync();
            await ticker.CancelAsync();
            await progress;
        }

        if (stopping.IsCancellationRequested)
        {
            LogStoppedForRestart(logger, id);
            return; // stays Running: resumed at the next start
        }

        if (active.CancelledByUser)
        {
            await FinishAsync(id, EvaluationStatus.Cancelled, null, stopping);
            return;
        }

        var cells = await store.ListCellsAsync(id, stopping);
        var failed = cells.Where(c => c.Status == nameof(CellStatus.Failed)).ToList();
        var reasons = failed.GroupBy(c => c.Target).OrderBy(g => g.Key)
            .Select(g => $"target {g.Key + 1} ({spec.Targets[g.Key].Connection}, {spec.Targets[g.Key].Model}): {g.Count()} failed, first: {g.OrderBy(c => c.Row).First().Error}")
            .ToList();
        var current = await store.GetRunHeaderAsync(id, stopping);
        if (current?.Status == nameof(EvaluationStatus.Cancelled))
        {
            return;
        }

        if (cells.Count > 0 && failed.Count == cells.Count)
        {
            await FinishAsync(id, EvaluationStatus.Failed, Cut("Nothing could run. " + string.Join("; ", reasons)), stopping);
        }
        else
        {
            await FinishAsync(id, EvaluationStatus.Completed, reasons.Count == 0 ? null : Cut("Some answers failed: " + string.Join("; ", reasons)), stopping);
        }
    }

    private static string Cut(string text) => text.Length > 2000 ? text[..1997] + "…" : text;

    /// <summary>A target for a connection as the owner sees it, or why there is none.</summary>
    private static async Task<(InferenceTarget? Target, string? Problem)> ResolveAsync(ConnectionService connections, string name, string owner, CancellationToken cancellationToken)
    {
        try
        {
            return await connections.TargetAsync(name, cancellationToken) is { } target
                ? (target, null)
                : (null, $"The connection '{name}' no longer exists for {owner} (Settings → Connections).");
        }
        catch (InferenceException ex)
        {
            return (null, ex.Error.Message);
        }
        catch (PortalAccessDeniedException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Makes the scope's current user the run's owner: the services of the scope act as the owner would.</summary>
    private static void ActAs(IServiceProvider services, string ownerId, string ownerName)
    {
        var identity = new ClaimsIdentity([new Claim(PortalClaims.UserId, ownerId), new Claim(PortalClaims.Name, ownerName)], "evaluation-runner", PortalClaims.Name, PortalClaims.Role);
        if (services.GetRequiredService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity))));
        }
    }

    private async Task ReportProgressAsync(Guid id, ActiveRun run, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProgressInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Interlocked.Exchange(ref run.Dirty, 0) == 1)
                {
                    Raise(id);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (Interlocked.Exchange(ref run.Dirty, 0) == 1)
        {
            Raise(id);
        }
    }

    private async Task RunTargetAsync(RunContext run, int index, EvaluationTargetSpec spec, (InferenceTarget? Target, string? Problem) resolved, List<DatasetRow> rows, ActiveRun active)
    {
        string? fatal = resolved.Problem;
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(run.Spec.Concurrency, 1, 16), CancellationToken = run.Token }, async (row, token) =>
        {
            EvaluationCellRow cell;
            if (Volatile.Read(ref fatal) is { } reason)
            {
                cell = Failed(run.Id, row, index, resolved.Target is null ? reason : $"Not sent: an earlier row of this target failed with: {reason}", 0);
            }
            else
            {
                (cell, var stopsTarget) = await AnswerAsync(run, index, spec, resolved.Target!, row, token);
                if (stopsTarget)
                {
                    Interlocked.CompareExchange(ref fatal, cell.Error, null);
                }
            }

            // Kept even when the run is being cancelled or the portal is stopping.
            run.Writer.Add(cell);
            Interlocked.Increment(ref active.Finished);
            Interlocked.Exchange(ref active.Dirty, 1);
        });
    }

    private EvaluationCellRow Failed(Guid run, DatasetRow row, int target, string reason, int attempts) => new()
    {
        FinishedUtc = time.GetUtcNow(),
        RunId = run,
        Row = row.Number,
        Target = target,
        Status = nameof(CellStatus.Failed),
        Error = Cut(reason),
        Scores = "[]",
        Attempts = attempts,
    };

    /// <summary>
    /// One answer: the call (with its retries), the measurements and the scores. <c>StopsTarget</c> when the failure
    /// will be the same for every row (credentials, an unknown model, a refused or unreachable address, a long 429).
    /// </summary>
    private async Task<(EvaluationCellRow Cell, bool StopsTarget)> AnswerAsync(RunContext run, int index, EvaluationTargetSpec spec, InferenceTarget target, DatasetRow row, CancellationToken cancellationToken)
    {
        var scope = new ModelCallScope { Feature = ModelCallFeatures.Evaluation, UserId = run.OwnerId, RunId = run.Id };
        Call call;
        using (ModelCallScope.Begin(scope))
        {
            call = await CallWithRetriesAsync(target, spec.Model, EvaluationJson.Messages(spec.SystemPrompt, row.Input), spec.Parameters ?? new GenerationParameters(), cancellationToken);
        }

        var cell = new EvaluationCellRow
        {
            RunId = run.Id,
            Row = row.Number,
            Target = index,
            Status = call.Error is null ? nameof(CellStatus.Succeeded) : nameof(CellStatus.Failed),
            Answer = call.Answer.Length == 0 ? null : call.Answer,
            Error = call.Error is null ? null : Cut(call.Error.ProviderMessage is { } said && call.Error.Kind != InferenceErrorKind.ContentFilter ? $"{call.Error.Message} The endpoint said: “{said}”" : call.Error.Message),
            TtftMs = call.Ttft?.TotalMilliseconds,
            TotalMs = call.Total.TotalMilliseconds,
            TraceId = scope.TraceId,
            Attempts = call.Attempts,
            Scores = "[]",
            FinishedUtc = time.GetUtcNow(),
        };

        var estimated = call.Finished?.OutputTokens is null;
        cell.TokensEstimated = estimated;
        cell.OutputTokens = call.Finished?.OutputTokens ?? StreamRunner.EstimateTokens(call.Answer);
        cell.InputTokens = call.Finished?.InputTokens ?? StreamRunner.EstimateTokens(string.Join("\n", EvaluationJson.Messages(spec.SystemPrompt, row.Input).Select(m => m.Content)));
        cell.CostUsd = costs.CostRange(spec.Model, cell.InputTokens, cell.OutputTokens ?? 0)?.Low;
        if (call.Error is { } error)
        {
            return (cell, call.TooLongWait || error.Kind is InferenceErrorKind.Unauthorized or InferenceErrorKind.NotFound or InferenceErrorKind.Refused
                or InferenceErrorKind.NotSupported or InferenceErrorKind.Unreachable);
        }

        var scores = new List<ScoreValue>();
        foreach (var scorer in run.Scorers)
        {
            if (scorer.Score is { } score)
            {
                scores.Add(score(call.Answer, row));
            }
            else
            {
                scores.Add(await JudgeAsync(run, scorer, row, call.Answer, cancellationToken));
            }
        }

        cell.Scores = EvaluationJson.Write(scores);
        return (cell, false);
    }

    private async Task<ScoreValue> JudgeAsync(RunContext run, ScorerDefinition scorer, DatasetRow row, string answer, CancellationToken cancellationToken)
    {
        if (run.Judge is null || run.Spec.Judge is not { } judge)
        {
            return new ScoreValue(scorer.Id, null, $"No judge: {run.JudgeProblem ?? "choose a judge connection and model."}", null);
        }

        var prompt = run.Spec.JudgePrompts?.GetValueOrDefault(scorer.Id) is { Length: > 0 } edited ? edited : Scorers.DefaultJudgePrompts[scorer.Id];
        Call call;
        using (ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.Judge, UserId = run.OwnerId, RunId = run.Id }))
        {
            call = await CallWithRetriesAsync(run.Judge, judge.Model, [new ChatTurn(ChatRole.User, Scorers.JudgeMessage(prompt, row, answer))], new GenerationParameters { Temperature = 0 }, cancellationToken);
        }

        return call.Error is { } error
            ? new ScoreValue(scorer.Id, null, $"The judge call failed: {error.Message}", call.Answer.Length > 0 ? call.Answer : null)
            : Scorers.ParseJudge(scorer.Id, call.Answer);
    }

    private sealed record Call(string Answer, TimeSpan? Ttft, TimeSpan Total, StreamFinished? Finished, InferenceError? Error, int Attempts, bool TooLongWait = false);

    /// <summary>
    /// Calls the model, retrying a 429 after its Retry-After (when it asks for no more than
    /// <see cref="EvaluationOptions.MaxRetryWait"/>) and 5xx, timeouts and dropped or refused connections with a
    /// doubling backoff, up to <see cref="EvaluationOptions.MaxAttempts"/> tries. Other failures are final at once.
    /// </summary>
    private async Task<Call> CallWithRetriesAsync(InferenceTarget target, string model, IReadOnlyList<ChatTurn> messages, GenerationParameters parameters, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            var call = await CallOnceAsync(target, model, messages, parameters, cancellationToken) with { Attempts = attempt };
            if (call.Error is not { } error)
            {
                return call;
            }

            TimeSpan wait;
            if (error.Kind == InferenceErrorKind.RateLimited)
            {
                wait = error.RetryAfter ?? Backoff(settings, attempt);
                if (wait > settings.MaxRetryWait)
                {
                    return call with
                    {
                        Error = error with { Message = $"{error.Message} That is longer than an evaluation waits ({InferenceErrors.Describe(settings.MaxRetryWait)}, Portal:Evaluations:MaxRetryWait): the rest of this target's rows were not sent." },
                        TooLongWait = true,
                    };
                }
            }
            else if (error.Kind is InferenceErrorKind.ServerError or InferenceErrorKind.Timeout or InferenceErrorKind.StreamDropped or InferenceErrorKind.Unreachable)
            {
                wait = Backoff(settings, attempt);
            }
            else
            {
                return call;
            }

            if (attempt >= settings.MaxAttempts)
            {
                return call with { Error = error with { Message = $"{error.Message} (after {attempt} tries)" } };
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private static TimeSpan Backoff(EvaluationOptions settings, int attempt) => settings.RetryBackoff * Math.Pow(2, attempt - 1);

    private async Task<Call> CallOnceAsync(InferenceTarget target, string model, IReadOnlyList<ChatTurn> messages, GenerationParameters parameters, CancellationToken cancellationToken)
    {
        var limits = inferenceOptions.Value;
        var started = time.GetTimestamp();
        TimeSpan? ttft = null;
        var text = new StringBuilder();
        StreamFinished? finished = null;
        using var deadline = new CancellationTokenSource(limits.MaxAnswerDuration, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await foreach (var e in inference.StreamChatAsync(target, model, messages, parameters, reading.Token))
            {
                if (e is TextDelta delta)
                {
                    ttft ??= time.GetElapsedTime(started);
                    text.Append(delta.Text);
                    if (text.Length >= limits.MaxAnswerChars)
                    {
                        text.Length = limits.MaxAnswerChars;
                        break;
                    }
                }
                else if (e is StreamFinished f)
                {
                    finished = f;
                }
            }
        }
        catch (InferenceException ex)
        {
            return new(text.ToString(), ttft, time.GetElapsedTime(started), finished, ex.Error, 1);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new(text.ToString(), ttft, time.GetElapsedTime(started), finished,
                new InferenceError(InferenceErrorKind.Timeout, $"The answer took longer than {limits.MaxAnswerDuration} (Portal:Inference:MaxAnswerDuration)."), 1);
        }

        var error = finished?.FinishReason == "content_filter"
            ? InferenceErrors.ContentFilter(finished.FilterCategories, null, null, prompt: false)
            : null;
        return new(text.ToString(), ttft, time.GetElapsedTime(started), finished, error, 1);
    }

    /// <summary>Adds the example dataset shipped with the portal, once.</summary>
    private async Task SeedExampleAsync(CancellationToken cancellationToken)
    {
        if (await store.GetDatasetAsync(ExampleDatasetId, cancellationToken) is not null)
        {
            return;
        }

        var content = ExampleContent();
        var parsed = DatasetParser.Parse(content, "portal-quickstart.jsonl");
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException("The example dataset shipped with the portal does not read: " + parsed.Problems[0].Message);
        }

        var now = time.GetUtcNow();
        await store.AddDatasetAsync(
            new StoredDataset
            {
                Id = ExampleDatasetId,
                Name = ExampleDatasetName,
                Description = "Short factual questions with short expected answers (substring match scores them), written for the portal. Read-only.",
                OwnerId = ExampleOwner,
                OwnerName = "Model Catalog Portal",
                IsExample = true,
                CreatedUtc = now,
                UpdatedUtc = now,
            },
            new StoredDatasetVersion
            {
                FileName = "portal-quickstart.jsonl",
                Format = DatasetParser.Jsonl,
                Content = content,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
                Rows = parsed.Rows.Count,
                CreatedBy = "Model Catalog Portal",
                CreatedUtc = now,
            },
            cancellationToken);
    }

    public static byte[] ExampleContent()
    {
        using var stream = typeof(EvaluationRunner).Assembly.GetManifestResourceStream("Portal.Web.Evaluations.portal-quickstart.jsonl")
            ?? throw new InvalidOperationException("The example dataset is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record RunContext(Guid Id, string OwnerId, StoredSpec Spec, IReadOnlyList<ScorerDefinition> Scorers, InferenceTarget? Judge, string? JudgeProblem, CellWriter Writer, CancellationToken Token, CancellationToken Stopping);

    /// <summary>
    /// Stores a run's finished cells as they come, one writer for the run: a cell is written at once, and the cells that
    /// finish while a write is under way go together in the next one (one transaction instead of many competing for
    /// SQLite's single writer).
    /// </summary>
    private sealed class CellWriter
    {
        private readonly Channel<EvaluationCellRow> _cells = Channel.CreateUnbounded<EvaluationCellRow>(new UnboundedChannelOptions { SingleReader = true });
        private readonly IEvaluationStore _store;
        private readonly Guid _run;
        private readonly Task _writing;

        public CellWriter(IEvaluationStore store, Guid run)
        {
            _store = store;
            _run = run;
            _writing = WriteAsync();
        }

        public void Add(EvaluationCellRow cell) => _cells.Writer.TryWrite(cell);

        /// <summary>Writes what is left and returns when it is stored.</summary>
        public async Task CompleteAsync()
        {
            _cells.Writer.TryComplete();
            await _writing;
        }

        private async Task WriteAsync()
        {
            await Task.Yield();
            var batch = new List<EvaluationCellRow>();
            while (await _cells.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < 500 && _cells.Reader.TryRead(out var cell))
                {
                    batch.Add(cell);
                }

                // Not tied to the run's cancellation: a finished answer is kept; a store that hangs gives up after 30 s.
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _store.SaveCellsAsync(_run, batch, bounded.Token);
            }
        }
    }

    private sealed class ActiveRun(CancellationTokenSource cancel, long started)
    {
        public CancellationTokenSource Cancel { get; } = cancel;

        public long Started { get; } = started;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Finished;

        public int Dirty;

        public bool CancelledByUser { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming evaluation run {RunId} (was {Status})")]
    private static partial void LogResuming(ILogger logger, Guid runId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evaluation run {RunId} stopped on this instance (the portal stops, or another instance took it over); it resumes where it stopped")]
    private static partial void LogStoppedForRestart(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluation run {RunId} failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The unfinished evaluation runs could not be read; trying again")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation run {RunId} taken over from instance {Instance}, which stopped renewing its lease")]
    private static partial void LogTakenOver(ILogger logger, Guid runId, string instance);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Evaluation run {RunId} is held by another instance")]
    private static partial void LogHeldElsewhere(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease of evaluation run {RunId} could not be taken (the store did not answer); trying again later")]
    private static partial void LogLeaseUnavailable(ILogger logger, Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation run {RunId} was taken over by another instance; it stops here")]
    private static partial void LogLeaseLost(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease of evaluation run {RunId} lapsed while the store did not answer; it stops here")]
    private static partial void LogLeaseLapsed(ILogger logger, Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease of evaluation run {RunId} could not be released; it lapses by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The example dataset could not be added to the store")]
    private static partial void LogSeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener of evaluation progress failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception);
}
