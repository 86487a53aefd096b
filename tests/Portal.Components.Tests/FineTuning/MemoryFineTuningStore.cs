using System.Text.Json;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.TestPeers;
using Portal.Web.FineTuning;

namespace Portal.Components.Tests.FineTuning;

/// <summary>
/// Fine-tuning jobs and training files in memory, as the store keeps them (rows with the JSON columns the follower
/// writes); every read returns a copy and a file update writes only the upload's outcome, as the store does.
/// </summary>
public sealed class MemoryFineTuningStore : IFineTuningStore
{
    private readonly List<FineTuningJobRow> _jobs = [];
    private readonly List<FineTuningFileRow> _files = [];
    private readonly Lock _gate = new();

    private static T Copy<T>(T row) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(row))!;

    /// <summary>Every job, as stored now.</summary>
    public IReadOnlyList<FineTuningJobRow> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Select(Copy)];
            }
        }
    }

    /// <summary>Every kept training file, as stored now.</summary>
    public IReadOnlyList<FineTuningFileRow> Files
    {
        get
        {
            lock (_gate)
            {
                return [.. _files.Select(Copy)];
            }
        }
    }

    public Task<IReadOnlyList<FineTuningJobRow>> ListJobsAsync(string? ownerId, CancellationToken cancellationToken) => Read<IReadOnlyList<FineTuningJobRow>>(() =>
        [.. _jobs.Where(j => ownerId is null || j.OwnerId == ownerId).OrderByDescending(j => j.CreatedUtc).Select(Copy)]);

    public Task<IReadOnlyList<FineTuningJobRow>> ListUnfinishedJobsAsync(CancellationToken cancellationToken) => Read<IReadOnlyList<FineTuningJobRow>>(() =>
        [.. _jobs.Where(j => j.State is not ("Succeeded" or "Failed" or "Cancelled")).OrderBy(j => j.CreatedUtc).Select(Copy)]);

    public Task<FineTuningJobRow?> GetJobAsync(Guid id, CancellationToken cancellationToken) => Read(() => _jobs.FirstOrDefault(j => j.Id == id) is { } row ? Copy(row) : null);

    public Task AddJobAsync(FineTuningJobRow job, CancellationToken cancellationToken) => Read(() =>
    {
        _jobs.Add(Copy(job));
        return true;
    });

    public Task<bool> UpdateJobAsync(FineTuningJobRow job, CancellationToken cancellationToken) => Read(() =>
    {
        var at = _jobs.FindIndex(j => j.Id == job.Id);
        if (at >= 0)
        {
            _jobs[at] = Copy(job);
        }

        return at >= 0;
    });

    public Task<bool> DeleteJobAsync(Guid id, CancellationToken cancellationToken) => Read(() => _jobs.RemoveAll(j => j.Id == id) > 0);

    public Task<IReadOnlyList<FineTuningFileRow>> ListFilesAsync(string ownerId, CancellationToken cancellationToken) => Read<IReadOnlyList<FineTuningFileRow>>(() =>
        [.. _files.Where(f => f.OwnerId == ownerId).OrderByDescending(f => f.CreatedUtc).Select(Copy)]);

    public Task<FineTuningFileRow?> GetFileAsync(Guid id, CancellationToken cancellationToken) => Read(() => _files.FirstOrDefault(f => f.Id == id) is { } row ? Copy(row) : null);

    public Task AddFileAsync(FineTuningFileRow file, CancellationToken cancellationToken) => Read(() =>
    {
        _files.Add(Copy(file));
        return true;
    });

    public Task<bool> UpdateFileAsync(FineTuningFileRow file, CancellationToken cancellationToken) => Read(() =>
    {
        if (_files.FirstOrDefault(f => f.Id == file.Id) is not { } row)
        {
            return false;
        }

        row.ProviderFileId = file.ProviderFileId;
        row.UploadError = file.UploadError;
        row.UploadedUtc = file.UploadedUtc;
        row.Connection = file.Connection;
        return true;
    });

    public Task<bool> DeleteFileAsync(Guid id, CancellationToken cancellationToken) => Read(() => _files.RemoveAll(f => f.Id == id) > 0);

    private Task<T> Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return Task.FromResult(read());
        }
    }

    /// <summary>
    /// A finished (or running) job as the follower would have stored it: metrics for steps 1..<paramref name="steps"/> with
    /// the fine-tuning peer's losses (<see cref="OpenAiPeer.TrainLossAt"/>, plus <paramref name="offset"/>), validation
    /// losses when the job has a validation file, a checkpoint each third of the way.
    /// </summary>
    public FineTuningJobRow AddJob(
        string owner,
        string connection,
        string providerJobId,
        string? suffix,
        int steps,
        FineTuningHyperparameters hyperparameters,
        string state = "Succeeded",
        string? fineTunedModel = null,
        bool validation = true,
        double offset = 0,
        decimal? costUsd = null,
        string? costNote = null,
        string baseModel = "gpt-4o-mini-2024-07-18",
        string method = "supervised")
    {
        var created = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var metrics = Enumerable.Range(1, steps)
            .Select(s => new MetricPoint(s, Math.Round(OpenAiPeer.TrainLossAt(s) + offset, 4), validation ? Math.Round(OpenAiPeer.ValidLossAt(s) + offset, 4) : null, 0.5 + (0.04 * s), null, TotalSteps: steps))
            .ToList();
        var checkpoints = Enumerable.Range(1, 3).Select(i => i * steps / 3).Where(s => s > 0).Distinct().Reverse()
            .Select(s => new FineTuningCheckpoint($"ftckpt-{providerJobId}-{s}", created.AddMinutes(s), $"{fineTunedModel ?? providerJobId}:ckpt-step-{s}", s, new Dictionary<string, double> { ["train_loss"] = OpenAiPeer.TrainLossAt(s) }))
            .ToList();
        var final = state is "Succeeded" or "Failed" or "Cancelled";
        var row = new FineTuningJobRow
        {
            Id = Guid.NewGuid(),
            OwnerId = owner,
            OwnerName = owner,
            Connection = connection,
            ProviderJobId = providerJobId,
            BaseModel = baseModel,
            Method = method,
            HyperparametersJson = FineTuningRowJson.WriteHyperparameters(hyperparameters),
            Seed = 42,
            Suffix = suffix,
            TrainingFileId = $"file-train-{providerJobId}",
            TrainingFileName = "support-train.jsonl",
            ValidationFileId = validation ? $"file-valid-{providerJobId}" : null,
            ValidationFileName = validation ? "support-valid.jsonl" : null,
            Status = state.ToLowerInvariant(),
            State = state,
            FineTunedModel = state == "Succeeded" ? fineTunedModel : null,
            TrainedTokens = state == "Succeeded" ? 12_345 : null,
            EstimatedCostUsd = costUsd,
            CostNote = costNote,
            MetricsJson = FineTuningRowJson.Write(metrics),
            CheckpointsJson = FineTuningRowJson.Write(checkpoints),
            CreatedUtc = created,
            FinishedUtc = final ? created.AddMinutes(17).AddSeconds(5) : null,
            UpdatedUtc = created.AddMinutes(17),
        };
        lock (_gate)
        {
            _jobs.Add(Copy(row));
        }

        return row;
    }
}
