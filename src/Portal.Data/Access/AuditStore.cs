using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Access;

/// <summary>What the audit page asks for; every part optional.</summary>
public sealed record AuditQuery(
    DateTimeOffset? FromUtc = null,
    DateTimeOffset? ToUtc = null,
    string? User = null,
    string? Action = null,
    string? Outcome = null,
    int Skip = 0,
    int Take = 100);

public interface IAuditStore
{
    Task AddAsync(AuditEntryRow entry, CancellationToken cancellationToken);

    /// <summary>Entries matching the query, newest first, and how many match in all.</summary>
    Task<(IReadOnlyList<AuditEntryRow> Items, int Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every entry matching the query (no paging), newest first, read as a stream for exports.</summary>
    IAsyncEnumerable<AuditEntryRow> StreamAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes the entries older than <paramref name="beforeUtc"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken);
}

internal sealed class AuditStore(IDbContextFactory<PortalDbContext> contexts) : IAuditStore
{
    public async Task AddAsync(AuditEntryRow entry, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(IReadOnlyList<AuditEntryRow> Items, int Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var filtered = Filter(db.AuditEntries.AsNoTracking(), query);
        var total = await filtered.CountAsync(cancellationToken).ConfigureAwait(false);
        var items = await filtered.OrderByDescending(e => e.Id).Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 1000))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return (items, total);
    }

    public async IAsyncEnumerable<AuditEntryRow> StreamAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in Filter(db.AuditEntries.AsNoTracking(), query).OrderByDescending(e => e.Id).AsAsyncEnumerable()
            .WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    public async Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // Compared in memory of the provider: SQLite stores DateTimeOffset as text, so the ids of old rows are found first.
        var ids = await OlderThan(db.AuditEntries.AsNoTracking(), beforeUtc).Select(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            removed += await db.AuditEntries.Where(e => chunk.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private static IQueryable<AuditEntryRow> OlderThan(IQueryable<AuditEntryRow> rows, DateTimeOffset beforeUtc) =>
        rows.Where(e => e.WhenUtc < beforeUtc);

    private static IQueryable<AuditEntryRow> Filter(IQueryable<AuditEntryRow> rows, AuditQuery query)
    {
        if (query.FromUtc is { } from)
        {
            rows = rows.Where(e => e.WhenUtc >= from);
        }

        if (query.ToUtc is { } to)
        {
            rows = rows.Where(e => e.WhenUtc < to);
        }

        if (!string.IsNullOrWhiteSpace(query.User))
        {
            var user = query.User.Trim();
            rows = rows.Where(e => e.UserId.Contains(user) || (e.UserName != null && e.UserName.Contains(user)));
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            rows = rows.Where(e => e.Action == query.Action);
        }

        if (!string.IsNullOrWhiteSpace(query.Outcome))
        {
            rows = rows.Where(e => e.Outcome == query.Outcome);
        }

        return rows;
    }
}
