using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Probes;

/// <summary>
/// A performance probe's result: N streamed chat requests at concurrency C against one connection and model, measured in
/// the portal. Times in milliseconds; null when no request succeeded. <see cref="Failures"/> is "count × reason" lines.
/// </summary>
public sealed class PerformanceProbeRow
{
    public Guid Id { get; set; }

    /// <summary>The catalog model the probe was run from (its page shows it).</summary>
    public string CatalogModelId { get; set; } = "";

    public string Connection { get; set; } = "";

    public string Model { get; set; } = "";

    public string UserId { get; set; } = "";

    public int Requests { get; set; }

    public int Concurrency { get; set; }

    public int MaxTokens { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    public double? TtftP50Ms { get; set; }

    public double? TtftP90Ms { get; set; }

    public double? TtftP99Ms { get; set; }

    public double? TotalP50Ms { get; set; }

    public double? TotalP90Ms { get; set; }

    public double? TotalP99Ms { get; set; }

    /// <summary>Output tokens per second of a request (its tokens over its time after the first token), median over requests.</summary>
    public double? TokensPerSecond { get; set; }

    public bool TokensEstimated { get; set; }

    public string Failures { get; set; } = "";

    public bool Cancelled { get; set; }

    public DateTimeOffset StartedUtc { get; set; }

    public DateTimeOffset FinishedUtc { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<PerformanceProbeRow>(probe =>
    {
        probe.ToTable("performance_probes");
        probe.HasKey(p => p.Id);
        probe.Property(p => p.CatalogModelId).HasMaxLength(200);
        probe.Property(p => p.Connection).HasMaxLength(100);
        probe.Property(p => p.Model).HasMaxLength(200);
        probe.Property(p => p.UserId).HasMaxLength(200);
        probe.Property(p => p.Failures).HasMaxLength(4000);
        // UTC ticks, as the audit log: both providers order them as numbers.
        probe.Property(p => p.StartedUtc).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        probe.Property(p => p.FinishedUtc).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        probe.HasIndex(p => new { p.CatalogModelId, p.FinishedUtc });
    });
}

/// <summary>Stored probe results, newest first per catalog model.</summary>
public interface IPerformanceProbeStore
{
    Task AddAsync(PerformanceProbeRow row, CancellationToken cancellationToken);

    Task<IReadOnlyList<PerformanceProbeRow>> LatestAsync(string catalogModelId, int count, CancellationToken cancellationToken);
}

internal sealed class PerformanceProbeStore(IDbContextFactory<PortalDbContext> contexts) : IPerformanceProbeStore
{
    public async Task AddAsync(PerformanceProbeRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.PerformanceProbes.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PerformanceProbeRow>> LatestAsync(string catalogModelId, int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.PerformanceProbes.AsNoTracking().Where(p => p.CatalogModelId == catalogModelId)
            .OrderByDescending(p => p.FinishedUtc).Take(count).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
