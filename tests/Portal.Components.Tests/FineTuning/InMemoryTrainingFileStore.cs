using System.Collections.Concurrent;
using Portal.Data.FineTuning;

namespace Portal.Components.Tests.FineTuning;

/// <summary>The fine-tuning store in memory, for the training data page (files only; jobs are kept but not used here).</summary>
public sealed class InMemoryTrainingFileStore : IFineTuningStore
{
    private readonly ConcurrentDictionary<Guid, FineTuningFileRow> _files = new();
    private readonly ConcurrentDictionary<Guid, FineTuningJobRow> _jobs = new();

    public IReadOnlyList<FineTuningFileRow> Files => [.. _files.Values];

    public Task<IReadOnlyList<FineTuningJobRow>> ListJobsAsync(string? ownerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FineTuningJobRow>>([.. _jobs.Values.Where(j => ownerId is null || j.OwnerId == ownerId).OrderByDescending(j => j.CreatedUtc)]);

    public Task<IReadOnlyList<FineTuningJobRow>> ListUnfinishedJobsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FineTuningJobRow>>([.. _jobs.Values.Where(j => j.State is not ("Succeeded" or "Failed" or "Cancelled"))]);

    public Task<FineTuningJobRow?> GetJobAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_jobs.GetValueOrDefault(id));

    public Task AddJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        _jobs[job.Id] = job;
        return Task.CompletedTask;
    }

    public Task<bool> UpdateJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!_jobs.ContainsKey(job.Id))
        {
            return Task.FromResult(false);
        }

        _jobs[job.Id] = job;
        return Task.FromResult(true);
    }

    public Task<bool> DeleteJobAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_jobs.TryRemove(id, out _));

    public Task<IReadOnlyList<FineTuningFileRow>> ListFilesAsync(string ownerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FineTuningFileRow>>([.. _files.Values.Where(f => f.OwnerId == ownerId).OrderByDescending(f => f.CreatedUtc).Select(Copy)]);

    public Task<FineTuningFileRow?> GetFileAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryGetValue(id, out var row) ? Copy(row) : null);

    public Task AddFileAsync(FineTuningFileRow file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        _files[file.Id] = Copy(file);
        return Task.CompletedTask;
    }

    public Task<bool> UpdateFileAsync(FineTuningFileRow file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!_files.TryGetValue(file.Id, out var row))
        {
            return Task.FromResult(false);
        }

        row.ProviderFileId = file.ProviderFileId;
        row.UploadError = file.UploadError;
        row.UploadedUtc = file.UploadedUtc;
        row.Connection = file.Connection;
        return Task.FromResult(true);
    }

    public Task<bool> DeleteFileAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_files.TryRemove(id, out _));

    private static FineTuningFileRow Copy(FineTuningFileRow f) => new()
    {
        Id = f.Id,
        OwnerId = f.OwnerId,
        Connection = f.Connection,
        FileName = f.FileName,
        Method = f.Method,
        Bytes = f.Bytes,
        Examples = f.Examples,
        EstimatedTokens = f.EstimatedTokens,
        StatsJson = f.StatsJson,
        Content = f.Content,
        ProviderFileId = f.ProviderFileId,
        UploadError = f.UploadError,
        CreatedUtc = f.CreatedUtc,
        UploadedUtc = f.UploadedUtc,
    };
}
