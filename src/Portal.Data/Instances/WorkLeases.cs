using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Instances;

/// <summary>A lease this instance holds: renew or release it with the version it was given.</summary>
public sealed record WorkLease(string Name, string Owner, DateTimeOffset ExpiresUtc, long Version);

/// <summary>
/// Leases on long-running work in the store (<c>work_leases</c>), so exactly one portal instance does a piece of work
/// and another takes it over when the owner stops renewing (it died). Every step is one compare-and-set statement,
/// atomic on SQLite and PostgreSQL alike.
/// </summary>
public interface IWorkLeases
{
    /// <summary>This process's owner id.</summary>
    string InstanceId { get; }

    /// <summary>Takes <paramref name="name"/> when nobody holds it, its lease lapsed, or this instance holds it already; null when another instance holds it.</summary>
    Task<WorkLease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="lease"/>; null when it was taken over meanwhile (stop the work).</summary>
    Task<WorkLease?> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives <paramref name="lease"/> up so another instance may take the work at once; false when it was no longer ours.</summary>
    Task<bool> ReleaseAsync(WorkLease lease, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="names"/> another instance holds now (its lease has not lapsed).</summary>
    Task<IReadOnlySet<string>> HeldElsewhereAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken);
}

/// <summary>This process's id as a lease owner: host name, process id and a random part (two hosts in one process differ).</summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}

internal sealed class WorkLeases(IDbContextFactory<PortalDbContext> contexts, InstanceIdentity instance, TimeProvider time) : IWorkLeases
{
    public string InstanceId => instance.Id;

    public async Task<WorkLease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var now = time.GetUtcNow();
        var expires = now + duration;
        var me = instance.Id;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Compare-and-set: only a lapsed lease, or our own, is taken. On PostgreSQL a concurrent UPDATE of the same row
        // waits and then re-checks this condition against the winner's row, so only one of two takers succeeds.
        var taken = await db.WorkLeases
            .Where(l => l.Name == name && (l.Owner == me || l.ExpiresUtc < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Owner, me)
                .SetProperty(l => l.ExpiresUtc, expires)
                .SetProperty(l => l.Version, l => l.Version + 1), cancellationToken).ConfigureAwait(false);
        if (taken == 1)
        {
            return await ReadOwnAsync(db, name, me, cancellationToken).ConfigureAwait(false);
        }

        if (await db.WorkLeases.AnyAsync(l => l.Name == name, cancellationToken).ConfigureAwait(false))
        {
            return null; // held by another instance
        }

        db.WorkLeases.Add(new WorkLeaseRow { Name = name, Owner = me, ExpiresUtc = expires, Version = 1 });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return new WorkLease(name, me, expires, 1);
        }
        catch (DbUpdateException)
        {
            // Another instance inserted it first (the primary key refused ours): theirs.
            return null;
        }
    }

    public async Task<WorkLease?> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var expires = time.GetUtcNow() + duration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var renewed = await db.WorkLeases
            .Where(l => l.Name == lease.Name && l.Owner == lease.Owner && l.Version == lease.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.ExpiresUtc, expires)
                .SetProperty(l => l.Version, l => l.Version + 1), cancellationToken).ConfigureAwait(false);
        return renewed == 1 ? lease with { ExpiresUtc = expires, Version = lease.Version + 1 } : null;
    }

    public async Task<bool> ReleaseAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WorkLeases
            .Where(l => l.Name == lease.Name && l.Owner == lease.Owner && l.Version == lease.Version)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlySet<string>> HeldElsewhereAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return new HashSet<string>();
        }

        var now = time.GetUtcNow();
        var me = instance.Id;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var held = await db.WorkLeases.AsNoTracking()
            .Where(l => names.Contains(l.Name) && l.Owner != me && l.ExpiresUtc >= now)
            .Select(l => l.Name)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return held.ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<WorkLease?> ReadOwnAsync(PortalDbContext db, string name, string me, CancellationToken cancellationToken)
    {
        var row = await db.WorkLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Name == name, cancellationToken).ConfigureAwait(false);
        return row is null || row.Owner != me ? null : new WorkLease(row.Name, row.Owner, row.ExpiresUtc, row.Version);
    }
}
