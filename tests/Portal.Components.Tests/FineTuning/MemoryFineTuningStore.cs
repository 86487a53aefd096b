using System.Collections.Concurrent;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.TestPeers;
using Portal.Web.FineTuning;

namespace Portal.Components.Tests.FineTuning;

/// <summary>Fine-tuning jobs and files in memory, as the store keeps them (rows, with the JSON columns the follower writes).</summary>
public sealed class MemoryFineTuningStore : IFineTuningStore
{
    public ConcurrentDictionary<Guid, FineTuningJobRow> Jobs { get; } = new();

    public ConcurrentDictionary<Guid, FineTuningFileRow> Files { get; } = new();

    public Task<IReadOnlyList<FineTuningJobRow>> ListJobsAsync(string? ownerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FineTuningJobRow>>([.. Jobs.Values.Where(j => ownerId is null || j.OwnerId == ownerId).OrderByDescending(j => j.CreatedUtc)]);

    public Task<IReadOnlyList<FineTuningJobRow>> ListUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FineTuningJobRow>>([.. Jobs.Values.Where(j => j.State is not ("Succeeded" or "Failed" or "Cancelled")).OrderBy(j => j.CreatedUtc)]);

    public Task<FineTuningJobRow?> GetJobAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Jobs.GetValueOrDefault(id));

    public Task AddJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        Jobs[job.Id] = job;
        return Task.CompletedTask;
    }

    public Task<bool> UpdateJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        if (!Jobs.ContainsKey(job.Id))
        {
            return Task.FromResult(false);
        }

        Jobs[job.Id] = job;
        return Task.FromResult(true);
    }

    public Task<bool> DeleteJobAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Jobs.TryRemove(id, out _));

    public Task<IReadOnlyList<FineTuningFileRow>> ListFilesAsync(string ownerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FineTuningFileRow>>([.. Files.Values.Where(f => f.OwnerId == ownerId).OrderByDescending(f => f.CreatedUtc)]);

    public Task<FineTuningFileRow?> GetFileAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Files.GetValueOrDefault(id));

    public Task AddFileAsync(FineTuningFileRow file, CancellationToken cancellationToken)
    {
        Files[file.Id] = file;
        return Task.CompletedTask;
    }

    public Task<bool> UpdateFileAsync(FineTuningFileRow file, CancellationToken cancellationToken)
    {
        if (!Files.ContainsKey(file.Id))
        {
            return Task.FromResult(false);
        }

        Files[file.Id] = file;
        return Task.FromResult(true);
    }

    public Task<bool> DeleteFileAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Files.TryRemove(id, out _));

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
        Jobs[row.Id] = row;
        return row;
    }
}
