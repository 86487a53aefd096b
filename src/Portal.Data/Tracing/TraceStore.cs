using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Tracing;

/// <summary>What the traces list asks for; every filter optional. <see cref="UserId"/> null means everyone's.</summary>
public sealed record TraceQuery
{
    public string? UserId { get; init; }

    public string? Model { get; init; }

    public string? Connection { get; init; }

    public string? Feature { get; init; }

    public string? Operation { get; init; }

    public string? Status { get; init; }

    public DateTimeOffset? FromUtc { get; init; }

    /// <summary>Exclusive.</summary>
    public DateTimeOffset? ToUtc { get; init; }

    /// <summary>Text to find in the request, the response or the error (case-insensitive).</summary>
    public string? Text { get; init; }

    public Guid? RunId { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 50;
}

public interface ITraceStore
{
    Task AddRangeAsync(IReadOnlyCollection<TraceRow> rows, CancellationToken cancellationToken);

    /// <summary>
    /// The matching traces, newest first, without their messages and response (the list does not show them), and how
    /// many match in all.
    /// </summary>
    Task<(IReadOnlyList<TraceRow> Items, int Total)> QueryAsync(TraceQuery query, CancellationToken cancellationToken);

    /// <summary>One trace, whole; null when there is none with that id (or it is not <paramref name="userId"/>'s, when given).</summary>
    Task<TraceRow?> GetAsync(Guid id, string? userId, CancellationToken cancellationToken);

    /// <summary>The distinct values a filter offers (models, connections, users) among the traces <paramref name="userId"/> may see.</summary>
    Task<TraceFacets> FacetsAsync(string? userId, CancellationToken cancellationToken);

    /// <summary>Deletes the traces older than <paramref name="beforeUtc"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken);
}

public sealed record TraceFacets(IReadOnlyList<string> Models, IReadOnlyList<string> Connections, IReadOnlyList<string> Users);

internal sealed class TraceStore(IDbContextFactory<PortalDbContext> contexts) : ITraceStore
{
    public async Task AddRangeAsync(IReadOnlyCollection<TraceRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Traces.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(IReadOnlyList<TraceRow> Items, int Total)> QueryAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var filtered = Filter(db.Traces.AsNoTracking(), query);
        var total = await filtered.CountAsync(cancellationToken).ConfigureAwait(false);
        var items = await filtered
            .OrderByDescending(t => t.StartedUtc).ThenByDescending(t => t.Id)
            .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 500))
            .Select(t => new TraceRow
            {
                Id = t.Id,
                StartedUtc = t.StartedUtc,
                UserId = t.UserId,
                Connection = t.Connection,
                ServerAddress = t.ServerAddress,
                Provider = t.Provider,
                Model = t.Model,
                Operation = t.Operation,
                Feature = t.Feature,
                RunId = t.RunId,
                ContentCaptured = t.ContentCaptured,
                FinishReason = t.FinishReason,
                TimeToFirstTokenMs = t.TimeToFirstTokenMs,
                TotalMs = t.TotalMs,
                InputTokens = t.InputTokens,
                OutputTokens = t.OutputTokens,
                TokensEstimated = t.TokensEstimated,
                CostLowUsd = t.CostLowUsd,
                CostHighUsd = t.CostHighUsd,
                CostModel = t.CostModel,
                Status = t.Status,
                ErrorType = t.ErrorType,
                ErrorMessage = t.ErrorMessage,
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return (items, total);
    }

    public async Task<TraceRow?> GetAsync(Guid id, string? userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Traces.AsNoTracking().Where(t => t.Id == id);
        if (userId is not null)
        {
            rows = rows.Where(t => t.UserId == userId);
        }

        return await rows.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<TraceFacets> FacetsAsync(string? userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Traces.AsNoTracking();
        if (userId is not null)
        {
            rows = rows.Where(t => t.UserId == userId);
        }

        var models = await rows.Select(t => t.Model).Distinct().OrderBy(m => m).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        var connections = await rows.Select(t => t.Connection).Distinct().OrderBy(c => c).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        var users = await rows.Select(t => t.UserId).Distinct().OrderBy(u => u).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new(models, connections, users);
    }

    public async Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Traces.Where(t => t.StartedUtc < beforeUtc).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IQueryable<TraceRow> Filter(IQueryable<TraceRow> rows, TraceQuery query)
    {
        if (query.UserId is { } user)
        {
            rows = rows.Where(t => t.UserId == user);
        }

        if (!string.IsNullOrWhiteSpace(query.Model))
        {
            rows = rows.Where(t => t.Model == query.Model);
        }

        if (!string.IsNullOrWhiteSpace(query.Connection))
        {
            rows = rows.Where(t => t.Connection == query.Connection);
        }

        if (!string.IsNullOrWhiteSpace(query.Feature))
        {
            rows = rows.Where(t => t.Feature == query.Feature);
        }

        if (!string.IsNullOrWhiteSpace(query.Operation))
        {
            rows = rows.Where(t => t.Operation == query.Operation);
        }

        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            rows = rows.Where(t => t.Status == query.Status);
        }

        if (query.RunId is { } run)
        {
            rows = rows.Where(t => t.RunId == run);
        }

        if (query.FromUtc is { } from)
        {
            rows = rows.Where(t => t.StartedUtc >= from);
        }

        if (query.ToUtc is { } to)
        {
            rows = rows.Where(t => t.StartedUtc < to);
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            // Lower-cased on both sides: both providers translate ToLower and Contains (SQLite's instr is case-sensitive).
#pragma warning disable CA1862, CA1304, CA1311 // translated to SQL lower(); no culture there
            var text = query.Text.Trim().ToLowerInvariant();
            rows = rows.Where(t => (t.Messages != null && t.Messages.ToLower().Contains(text))
                || (t.Response != null && t.Response.ToLower().Contains(text))
                || (t.ErrorMessage != null && t.ErrorMessage.ToLower().Contains(text)));
#pragma warning restore CA1862, CA1304, CA1311
        }

        return rows;
    }
}
