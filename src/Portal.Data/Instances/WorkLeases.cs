using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Instances;

/// <summary>A lease this instance holds: renew or release it with the version it was given.</summary>
public sealed record WorkLease(string Name, string Owner, DateTimeOffset ExpiresUtc, long Version)
{
    /// <summary>The instance whose lapsed lease this one replaced (it stopped renewing: it died or lost the store), if any.</summary>
    public string? TakenOverFrom { get; init; }
}

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
        var current = await db.WorkLeases.AsNoTracking().Where(l => l.Name == name).OrderBy(l => l.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            // Of two instances inserting at once, one row goes in and the other statement does nothing (no error to log).
            var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO work_leases (\"Name\", \"Owner\", \"ExpiresUtc\", \"Version\") VALUES ({name}, {me}, {expires.UtcTicks}, {1L}) ON CONFLICT DO NOTHING",
                cancellationToken).ConfigureAwait(false);
            return inserted == 1 ? new WorkLease(name, me, expires, 1) : null;
        }

        if (current.Owner != me && current.ExpiresUtc >= now)
        {
            return null; // held by another instance
        }

        // Compare-and-set on the version read: of two instances taking the same lapsed lease, one UPDATE matches and the
        // other finds the version changed (on PostgreSQL it waits for the first and re-checks the row it left).
        var taken = await db.WorkLeases
            .Where(l => l.Name == name && l.Version == current.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Owner, me)
                .SetProperty(l => l.ExpiresUtc, expires)
                .SetProperty(l => l.Version, current.Version + 1), cancellationToken).ConfigureAwait(false);
        return taken == 1
            ? new WorkLease(name, me, expires, current.Version + 1) { TakenOverFrom = current.Owner == me ? null : current.Owner }
            : null;
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
}
