using Microsoft.EntityFrameworkCore;

namespace Portal.Data.FineTuning;

/// <summary>Fine-tuning jobs the portal follows and the training files users validated.</summary>
public interface IFineTuningStore
{
    /// <summary>Jobs, newest first; all of them when <paramref name="ownerId"/> is null.</summary>
    Task<IReadOnlyList<FineTuningJobRow>> ListJobsAsync(string? ownerId, CancellationToken cancellationToken);

    /// <summary>The jobs still to follow (not succeeded, failed nor cancelled), oldest first.</summary>
    Task<IReadOnlyList<FineTuningJobRow>> ListUnfinishedJobsAsync(CancellationToken cancellationToken);

    Task<FineTuningJobRow?> GetJobAsync(Guid id, CancellationToken cancellationToken);

    Task AddJobAsync(FineTuningJobRow job, CancellationToken cancellationToken);

    /// <summary>Writes the job's changed fields (matched by id); false when it is gone.</summary>
    Task<bool> UpdateJobAsync(FineTuningJobRow job, CancellationToken cancellationToken);

    Task<bool> DeleteJobAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A user's training files, newest first, without their content.</summary>
    Task<IReadOnlyList<FineTuningFileRow>> ListFilesAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>A training file with its content.</summary>
    Task<FineTuningFileRow?> GetFileAsync(Guid id, CancellationToken cancellationToken);

    Task AddFileAsync(FineTuningFileRow file, CancellationToken cancellationToken);

    Task<bool> UpdateFileAsync(FineTuningFileRow file, CancellationToken cancellationToken);

    Task<bool> DeleteFileAsync(Guid id, CancellationToken cancellationToken);
}

internal sealed class FineTuningStore(IDbContextFactory<PortalDbContext> contexts) : IFineTuningStore
{
    private static readonly string[] FinalStates = ["Succeeded", "Failed", "Cancelled"];

    public async Task<IReadOnlyList<FineTuningJobRow>> ListJobsAsync(string? ownerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.FineTuningJobs.AsNoTracking();
        if (ownerId is not null)
        {
            query = query.Where(j => j.OwnerId == ownerId);
        }

        var rows = await query.ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(j => j.CreatedUtc)];
    }

    public async Task<IReadOnlyList<FineTuningJobRow>> ListUnfinishedJobsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.FineTuningJobs.AsNoTracking().Where(j => !FinalStates.Contains(j.State)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(j => j.CreatedUtc)];
    }

    public async Task<FineTuningJobRow?> GetJobAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.FineTuningJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.FineTuningJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateJobAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.FineTuningJobs.AnyAsync(j => j.Id == job.Id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.FineTuningJobs.Update(job);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> DeleteJobAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.FineTuningJobs.Where(j => j.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<FineTuningFileRow>> ListFilesAsync(string ownerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.FineTuningFiles.AsNoTracking().Where(f => f.OwnerId == ownerId)
            .Select(f => new FineTuningFileRow
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
                Content = Array.Empty<byte>(),
                ProviderFileId = f.ProviderFileId,
                UploadError = f.UploadError,
                CreatedUtc = f.CreatedUtc,
                UploadedUtc = f.UploadedUtc,
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(f => f.CreatedUtc)];
    }

    public async Task<FineTuningFileRow?> GetFileAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.FineTuningFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddFileAsync(FineTuningFileRow file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.FineTuningFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateFileAsync(FineTuningFileRow file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // The content never changes after it was validated: only the upload's outcome is written.
        return await db.FineTuningFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.ProviderFileId, file.ProviderFileId)
            .SetProperty(f => f.UploadError, file.UploadError)
            .SetProperty(f => f.UploadedUtc, file.UploadedUtc)
            .SetProperty(f => f.Connection, file.Connection), cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<bool> DeleteFileAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.FineTuningFiles.Where(f => f.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
