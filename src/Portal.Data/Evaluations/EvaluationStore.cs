using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Evaluations;

/// <summary>Datasets, their versions, evaluation runs and their cells.</summary>
public interface IEvaluationStore
{
    Task<IReadOnlyList<StoredDataset>> ListDatasetsAsync(CancellationToken cancellationToken);

    Task<StoredDataset?> GetDatasetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The versions of a dataset, without their content, newest first.</summary>
    Task<IReadOnlyList<StoredDatasetVersion>> ListVersionsAsync(Guid datasetId, CancellationToken cancellationToken);

    Task<StoredDatasetVersion?> GetVersionAsync(Guid datasetId, int version, CancellationToken cancellationToken);

    /// <summary>Adds a dataset with its first version.</summary>
    Task AddDatasetAsync(StoredDataset dataset, StoredDatasetVersion version, CancellationToken cancellationToken);

    /// <summary>Adds the next version (its number is set here); null when the dataset is gone.</summary>
    Task<StoredDataset?> AddVersionAsync(Guid datasetId, StoredDatasetVersion version, CancellationToken cancellationToken);

    Task<bool> DeleteDatasetAsync(Guid id, CancellationToken cancellationToken);

    Task AddRunAsync(EvaluationRunRow run, CancellationToken cancellationToken);

    Task<IReadOnlyList<EvaluationRunRow>> ListRunsAsync(CancellationToken cancellationToken);

    /// <summary>The ids and statuses of the runs that are queued or running, oldest first (an indexed read, for the runner's look-out).</summary>
    Task<IReadOnlyList<(Guid Id, string Status)>> ListUnfinishedRunsAsync(CancellationToken cancellationToken);

    Task<EvaluationRunRow?> GetRunAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A run without its rows' copy (<see cref="EvaluationRunRow.RowsJson"/> empty): for status and summaries.</summary>
    Task<EvaluationRunRow?> GetRunHeaderAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A run's cells without their answers and errors: for summaries.</summary>
    Task<IReadOnlyList<EvaluationCellRow>> ListCellMeasuresAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>Changes a run's status (and when set, its start, finish and error). False when the run is gone.</summary>
    Task<bool> UpdateRunAsync(Guid id, string status, DateTimeOffset? started, DateTimeOffset? finished, string? failure, CancellationToken cancellationToken);

    Task<bool> SetShownAsync(Guid id, bool shown, CancellationToken cancellationToken);

    Task<bool> DeleteRunAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Adds a finished cell, or replaces the one of the same row and target.</summary>
    Task SaveCellAsync(EvaluationCellRow cell, CancellationToken cancellationToken);

    /// <summary>Adds (or replaces) finished cells of one run in one transaction.</summary>
    Task SaveCellsAsync(Guid runId, IReadOnlyList<EvaluationCellRow> cells, CancellationToken cancellationToken);

    Task<IReadOnlyList<EvaluationCellRow>> ListCellsAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>Every cell of many runs (the benchmark dashboard's measured results).</summary>
    Task<IReadOnlyList<EvaluationCellRow>> ListCellsAsync(IReadOnlyCollection<Guid> runIds, CancellationToken cancellationToken);
}

internal sealed class EvaluationStore(IDbContextFactory<PortalDbContext> contexts) : IEvaluationStore
{
    public async Task<IReadOnlyList<StoredDataset>> ListDatasetsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Datasets.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredDataset?> GetDatasetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredDatasetVersion>> ListVersionsAsync(Guid datasetId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == datasetId)
            .Select(v => new { v.DatasetId, v.Version, v.FileName, v.Format, v.Sha256, v.Rows, v.CreatedBy, v.CreatedUtc, Bytes = v.Content.Length })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(v => v.Version).Select(v => new StoredDatasetVersion
        {
            DatasetId = v.DatasetId,
            Version = v.Version,
            FileName = v.FileName,
            Format = v.Format,
            Content = new byte[v.Bytes], // the size only: callers that need the bytes read the version itself
            Sha256 = v.Sha256,
            Rows = v.Rows,
            CreatedBy = v.CreatedBy,
            CreatedUtc = v.CreatedUtc,
        })];
    }

    public async Task<StoredDatasetVersion?> GetVersionAsync(Guid datasetId, int version, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.DatasetId == datasetId && v.Version == version, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddDatasetAsync(StoredDataset dataset, StoredDatasetVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(version);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        version.DatasetId = dataset.Id;
        version.Version = 1;
        dataset.LatestVersion = 1;
        db.Datasets.Add(dataset);
        db.DatasetVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredDataset?> AddVersionAsync(Guid datasetId, StoredDatasetVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        // Two uploads at once both read N and write N+1: the key (dataset, version) refuses the second, which retries.
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken).ConfigureAwait(false);
            if (dataset is null)
            {
                return null;
            }

            var latest = await db.DatasetVersions.Where(v => v.DatasetId == datasetId).MaxAsync(v => (int?)v.Version, cancellationToken).ConfigureAwait(false) ?? 0;
            version.DatasetId = datasetId;
            version.Version = latest + 1;
            dataset.LatestVersion = version.Version;
            dataset.UpdatedUtc = version.CreatedUtc;
            db.DatasetVersions.Add(version);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return dataset;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
            }
        }
    }

    public async Task<bool> DeleteDatasetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.DatasetVersions.Where(v => v.DatasetId == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return await db.Datasets.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task AddRunAsync(EvaluationRunRow run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.EvaluationRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvaluationRunRow>> ListRunsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // The rows' copy is left out of the list: it is read with one run.
        var runs = await Headers(db.EvaluationRuns.AsNoTracking()).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. runs.OrderByDescending(r => r.CreatedUtc)];
    }

    public async Task<IReadOnlyList<(Guid Id, string Status)>> ListUnfinishedRunsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var runs = await db.EvaluationRuns.AsNoTracking()
            .Where(r => r.Status == "Queued" || r.Status == "Running")
            .Select(r => new { r.Id, r.Status, r.CreatedUtc })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. runs.OrderBy(r => r.CreatedUtc).Select(r => (r.Id, r.Status))];
    }

    public async Task<EvaluationRunRow?> GetRunHeaderAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await Headers(db.EvaluationRuns.AsNoTracking().Where(r => r.Id == id)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvaluationCellRow>> ListCellMeasuresAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.EvaluationCells.AsNoTracking().Where(c => c.RunId == runId).Select(c => new EvaluationCellRow
        {
            RunId = c.RunId,
            Row = c.Row,
            Target = c.Target,
            Status = c.Status,
            TtftMs = c.TtftMs,
            TotalMs = c.TotalMs,
            InputTokens = c.InputTokens,
            OutputTokens = c.OutputTokens,
            TokensEstimated = c.TokensEstimated,
            CostUsd = c.CostUsd,
            Scores = c.Scores,
            Attempts = c.Attempts,
            FinishedUtc = c.FinishedUtc,
        }).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IQueryable<EvaluationRunRow> Headers(IQueryable<EvaluationRunRow> runs) => runs.Select(r => new EvaluationRunRow
        {
            Id = r.Id,
            Name = r.Name,
            OwnerId = r.OwnerId,
            OwnerName = r.OwnerName,
            Status = r.Status,
            Spec = r.Spec,
            RowsJson = "",
            DatasetId = r.DatasetId,
            DatasetName = r.DatasetName,
            DatasetVersion = r.DatasetVersion,
            Rows = r.Rows,
            Targets = r.Targets,
            CreatedUtc = r.CreatedUtc,
            StartedUtc = r.StartedUtc,
            FinishedUtc = r.FinishedUtc,
            Error = r.Error,
            ShownOnBenchmarks = r.ShownOnBenchmarks,
        });

    public async Task<EvaluationRunRow?> GetRunAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateRunAsync(Guid id, string status, DateTimeOffset? started, DateTimeOffset? finished, string? failure, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return false;
        }

        run.Status = status;
        run.StartedUtc ??= started;
        run.FinishedUtc = finished;
        run.Error = failure;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> SetShownAsync(Guid id, bool shown, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.EvaluationRuns.Where(r => r.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ShownOnBenchmarks, shown), cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<bool> DeleteRunAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.EvaluationCells.Where(c => c.RunId == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return await db.EvaluationRuns.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task SaveCellAsync(EvaluationCellRow cell, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.EvaluationCells.FirstOrDefaultAsync(c => c.RunId == cell.RunId && c.Row == cell.Row && c.Target == cell.Target, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            db.Entry(existing).CurrentValues.SetValues(cell);
        }
        else
        {
            db.EvaluationCells.Add(cell);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveCellsAsync(Guid runId, IReadOnlyList<EvaluationCellRow> cells, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cells);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = cells.Select(c => c.Row).Distinct().ToList();
        var existing = (await db.EvaluationCells.Where(c => c.RunId == runId && rows.Contains(c.Row)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => (c.Row, c.Target));
        foreach (var cell in cells)
        {
            cell.RunId = runId;
            if (existing.TryGetValue((cell.Row, cell.Target), out var old))
            {
                db.Entry(old).CurrentValues.SetValues(cell);
            }
            else
            {
                db.EvaluationCells.Add(cell);
                existing[(cell.Row, cell.Target)] = cell;
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvaluationCellRow>> ListCellsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.EvaluationCells.AsNoTracking().Where(c => c.RunId == runId).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvaluationCellRow>> ListCellsAsync(IReadOnlyCollection<Guid> runIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.EvaluationCells.AsNoTracking().Where(c => runIds.Contains(c.RunId)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
