using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Data.FineTuning;
using Portal.Data.Instances;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Hosting;

namespace Portal.Web.FineTuning;

/// <summary>
/// Follows every unfinished fine-tuning job in the store: every <see cref="FineTuningOptions.PollInterval"/> it reads the
/// job (status, fine-tuned model, error, trained tokens), the events since the last one seen, the metrics those events
/// carry (merged by step) and the checkpoints, and writes them to the job's row. Because it starts from the store, a
/// restarted portal follows its jobs again from where they are. A problem reading a job (429, 401, unreachable) is kept
/// on the row in words and the job is read again later (after a 429's Retry-After for that connection); what was stored
/// is never lost. A job in a final state is no longer read.
/// </summary>
/// <remarks>
/// Several instances on one store: a job is read only by the instance that holds its lease
/// (<see cref="IWorkLeases"/>, <c>fine-tuning-job:{id}</c>), renewed at each read; another instance takes it over when
/// the lease lapses. Each job is read with its owner's connection, as its owner (see <see cref="OwnerTargets"/>).
/// </remarks>
public sealed partial class FineTuningFollower(
    IFineTuningStore store,
    FineTuningClient client,
    OwnerTargets targets,
    FineTuningChanges changes,
    IWorkLeases leases,
    FineTuningCost cost,
    IOptions<FineTuningOptions> options,
    IOptions<InstanceOptions> instanceOptions,
    TimeProvider time,
    ILogger<FineTuningFollower> logger) : BackgroundService
{
    /// <summary>The most events kept per job (newest first); older ones are dropped, their metrics are kept.</summary>
    public const int MaxEvents = 2000;

    private const int PageSize = 100;
    private const int MaxPages = 50;

    private readonly ConcurrentDictionary<Guid, WorkLease> _held = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _waitUntil = new(StringComparer.Ordinal);

    /// <summary>The name of a job's lease in <c>work_leases</c>.</summary>
    public static string LeaseName(Guid id) => $"fine-tuning-job:{id:N}";

    /// <summary>The jobs this instance follows now (it holds their leases).</summary>
    public IReadOnlyCollection<Guid> Following => [.. _held.Keys];

    private TimeSpan LeaseDuration
    {
        get
        {
            var atLeast = options.Value.PollInterval * 3;
            return instanceOptions.Value.LeaseDuration > atLeast ? instanceOptions.Value.LeaseDuration : atLeast;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        var failing = false;
        try
        {
            do
            {
                try
                {
                    await TickAsync(stoppingToken);
                    failing = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (!failing)
                    {
                        failing = true;
                        LogTickFailed(logger, ex);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Released when the portal stops, so another instance may follow the jobs at once.
            foreach (var id in _held.Keys)
            {
                await ReleaseAsync(id);
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var unfinished = await store.ListUnfinishedJobsAsync(cancellationToken);
        var ids = unfinished.Select(j => j.Id).ToHashSet();
        foreach (var gone in _held.Keys.Where(id => !ids.Contains(id)))
        {
            await ReleaseAsync(gone); // ended (perhaps read by a page's refresh) or deleted
        }

        await Parallel.ForEachAsync(unfinished, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (job, token) =>
        {
            try
            {
                if (!await HoldAsync(job.Id, token))
                {
                    return;
                }

                var row = await ReadNowAsync(job.Id, token);
                if (row is null || Enum.TryParse<FineTuningState>(row.State, out var state) && state.IsFinal())
                {
                    await ReleaseAsync(job.Id);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                LogJobFailed(logger, ex, job.Id);
            }
        });
    }

    /// <summary>Takes or renews the job's lease; false when another instance follows it.</summary>
    private async Task<bool> HoldAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_held.TryGetValue(id, out var lease))
        {
            var renewed = await leases.RenewAsync(lease, LeaseDuration, cancellationToken);
            if (renewed is not null)
            {
                _held[id] = renewed;
                return true;
            }

            _held.TryRemove(id, out _);
            LogLeaseLost(logger, id);
            return false;
        }

        var taken = await leases.TryAcquireAsync(LeaseName(id), LeaseDuration, cancellationToken);
        if (taken is null)
        {
            return false;
        }

        _held[id] = taken;
        LogFollowing(logger, id, taken.TakenOverFrom ?? "nobody");
        return true;
    }

    private async Task ReleaseAsync(Guid id)
    {
        if (!_held.TryRemove(id, out var lease))
        {
            return;
        }

        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await leases.ReleaseAsync(lease, bounded.Token);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex, id);
        }
    }

    /// <summary>
    /// Reads the job from its provider once now and writes what it learnt (or the problem reading it) to the row;
    /// returns the row as written, or null when the job is not in the store. While a 429 on the job's connection asks
    /// to wait, returns the stored row without asking the provider.
    /// </summary>
    public async Task<FineTuningJobRow?> ReadNowAsync(Guid id, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var row = await store.GetJobAsync(id, cancellationToken);
            if (row is null)
            {
                return null;
            }

            var key = row.OwnerId + "\n" + row.Connection;
            if (_waitUntil.TryGetValue(key, out var until) && time.GetUtcNow() < until)
            {
                return row;
            }

            var (target, problem) = await targets.ResolveAsync(row, cancellationToken);
            if (target is null)
            {
                row.FollowProblem = problem;
            }
            else
            {
                try
                {
                    var job = await client.GetJobAsync(target, row.ProviderJobId, cancellationToken);
                    var events = await NewEventsAsync(target, row, cancellationToken);
                    var checkpoints = await client.ListCheckpointsAsync(target, row.ProviderJobId, null, PageSize, cancellationToken);
                    Apply(row, job, events, checkpoints.Data, time.GetUtcNow());
                    cost.Price(row);
                    row.FollowProblem = null;
                    _waitUntil.TryRemove(key, out _);
                }
                catch (InferenceException ex)
                {
                    row.FollowProblem = Problem(ex.Error, key);
                    LogReadProblem(logger, id, ex.Error.Kind, ex.Error.Status);
                }
            }

            row.UpdatedUtc = time.GetUtcNow();
            await store.UpdateJobAsync(row, cancellationToken);
            changes.Raise(id);
            return row;
        }
        finally
        {
            gate.Release();
        }
    }

    private string Problem(InferenceError error, string connectionKey)
    {
        var said = string.IsNullOrWhiteSpace(error.ProviderMessage) ? "" : $" The provider said: {error.ProviderMessage}";
        if (error.Kind == InferenceErrorKind.RateLimited)
        {
            var wait = error.RetryAfter is { } r && r > TimeSpan.Zero ? r : options.Value.RateLimitWait;
            _waitUntil[connectionKey] = time.GetUtcNow() + wait;
            return $"The provider is limiting requests (429): the portal waits {FineTuningText.Duration(wait)} before reading this job again, and keeps following it.{said}";
        }

        return $"{error.Message}{said} The portal keeps following the job and reads it again in {FineTuningText.Duration(options.Value.PollInterval)}.";
    }

    /// <summary>The events newer than the newest one stored: pages newest first, on to older ones until a known id.</summary>
    private async Task<List<FineTuningEvent>> NewEventsAsync(InferenceTarget target, FineTuningJobRow row, CancellationToken cancellationToken)
    {
        var known = (FineTuningRowJson.Read<List<FineTuningEvent>>(row.EventsJson) ?? []).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var fresh = new List<FineTuningEvent>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var events = await client.ListEventsAsync(target, row.ProviderJobId, after, PageSize, cancellationToken);
            foreach (var e in events.Data)
            {
                if (known.Contains(e.Id))
                {
                    return fresh;
                }

                fresh.Add(e);
            }

            if (!events.HasMore || events.Data.Count == 0)
            {
                break;
            }

            after = events.Data[^1].Id;
        }

        return fresh;
    }

    /// <summary>Writes what the provider said into the row: status, model, error, events (newest first), metrics by step, checkpoints.</summary>
    internal static void Apply(FineTuningJobRow row, FineTuningJob job, IReadOnlyList<FineTuningEvent> newEvents, IReadOnlyList<FineTuningCheckpoint> checkpoints, DateTimeOffset now)
    {
        row.Status = job.Status;
        row.State = job.State.ToString();
        row.FineTunedModel = job.FineTunedModel ?? row.FineTunedModel;
        row.TrainedTokens = job.TrainedTokens ?? row.TrainedTokens;
        if (job.State == FineTuningState.Failed)
        {
            row.Error = job.Error?.ToString() is { Length: > 0 } error ? error : "The provider reported that the job failed, without saying why.";
        }
        else if (job.Error?.ToString() is { Length: > 0 } note)
        {
            row.Error = note;
        }

        if (job.State.IsFinal())
        {
            row.FinishedUtc ??= job.FinishedAt ?? now;
        }

        var asked = FineTuningRowJson.ReadHyperparameters(row.HyperparametersJson);
        var used = job.Hyperparameters;
        row.HyperparametersJson = FineTuningRowJson.WriteHyperparameters(new FineTuningHyperparameters(
            Resolved(asked.Epochs, used.Epochs), Resolved(asked.BatchSize, used.BatchSize), Resolved(asked.LearningRateMultiplier, used.LearningRateMultiplier), Resolved(asked.Beta, used.Beta)));

        var events = FineTuningRowJson.Read<List<FineTuningEvent>>(row.EventsJson) ?? [];
        if (newEvents.Count > 0)
        {
            events = [.. newEvents.Concat(events).Take(MaxEvents)];
            row.EventsJson = FineTuningRowJson.Write(events);
        }

        var metrics = (FineTuningRowJson.Read<List<MetricPoint>>(row.MetricsJson) ?? []).ToDictionary(m => m.Step);
        foreach (var point in newEvents.Select(e => e.Metrics).OfType<MetricPoint>().Reverse())
        {
            metrics[point.Step] = metrics.TryGetValue(point.Step, out var had) ? Merge(had, point) : point;
        }

        foreach (var checkpoint in checkpoints.Where(c => c.Step > 0))
        {
            var fromCheckpoint = new MetricPoint(checkpoint.Step, Value(checkpoint, "train_loss"), Value(checkpoint, "valid_loss"), Value(checkpoint, "train_mean_token_accuracy"),
                Value(checkpoint, "valid_mean_token_accuracy"), Value(checkpoint, "full_valid_loss"), Value(checkpoint, "full_valid_mean_token_accuracy"));
            metrics[checkpoint.Step] = metrics.TryGetValue(checkpoint.Step, out var had) ? Merge(had, fromCheckpoint) : fromCheckpoint;
        }

        row.MetricsJson = FineTuningRowJson.Write(metrics.Values.OrderBy(m => m.Step).ToList());
        if (checkpoints.Count > 0)
        {
            row.CheckpointsJson = FineTuningRowJson.Write(checkpoints.OrderByDescending(c => c.Step).ToList());
        }
    }

    private static HyperValue Resolved(HyperValue asked, HyperValue used) => used.Value is not null ? used : asked.IsSet ? asked : used;

    private static double? Value(FineTuningCheckpoint checkpoint, string name) => checkpoint.Metrics.TryGetValue(name, out var v) ? v : null;

    /// <summary>What both readings know of one step, the newer one winning where both have a value.</summary>
    private static MetricPoint Merge(MetricPoint older, MetricPoint newer) => new(
        older.Step,
        newer.TrainLoss ?? older.TrainLoss,
        newer.ValidLoss ?? older.ValidLoss,
        newer.TrainAccuracy ?? older.TrainAccuracy,
        newer.ValidAccuracy ?? older.ValidAccuracy,
        newer.FullValidLoss ?? older.FullValidLoss,
        newer.FullValidAccuracy ?? older.FullValidAccuracy,
        newer.TotalSteps ?? older.TotalSteps);

    public override void Dispose()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }

        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following fine-tuning job {JobId} on this instance (taken over from {Previous})")]
    private static partial void LogFollowing(ILogger logger, Guid jobId, string previous);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fine-tuning job {JobId}: another instance took its lease over; it follows the job now")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fine-tuning job {JobId} could not be read ({Kind}, status {Status}); following it on")]
    private static partial void LogReadProblem(ILogger logger, Guid jobId, InferenceErrorKind kind, int? status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Following fine-tuning job {JobId} failed this time; it is read again at the next interval")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The unfinished fine-tuning jobs could not be read from the store; trying again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease of fine-tuning job {JobId} could not be released; it lapses by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid jobId);
}
