using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Instances;

/// <summary>
/// A counter per kind of shared data (<c>store_versions</c>), raised in the same transaction as the change, so every
/// instance on the store can tell with one single-row read that it must reload (see <see cref="IStoreVersions"/>).
/// </summary>
public sealed class StoreVersionRow
{
    public required string Key { get; set; }

    public long Version { get; set; }
}

/// <summary>
/// Who owns a piece of long-running work (<c>work_leases</c>), until when. Taken, renewed and released with
/// compare-and-set updates (see <see cref="IWorkLeases"/>).
/// </summary>
public sealed class WorkLeaseRow
{
    public required string Name { get; set; }

    public required string Owner { get; set; }

    /// <summary>When the lease lapses unless renewed (UTC ticks in the store, so both providers compare numbers).</summary>
    public DateTimeOffset ExpiresUtc { get; set; }

    /// <summary>Raised on every take and renewal: a renewal must name the version it last saw.</summary>
    public long Version { get; set; }
}

internal static class InstanceModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoreVersionRow>(version =>
        {
            version.ToTable("store_versions");
            version.HasKey(v => v.Key);
            version.Property(v => v.Key).HasMaxLength(100);
            version.HasData(new StoreVersionRow { Key = StoreVersionKeys.Catalog, Version = 0 });
        });

        modelBuilder.Entity<WorkLeaseRow>(lease =>
        {
            lease.ToTable("work_leases");
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(200);
            lease.Property(l => l.Owner).HasMaxLength(200);
            lease.Property(l => l.ExpiresUtc).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
    }
}
