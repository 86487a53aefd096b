using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Data;

/// <summary>
/// Readiness: the store answers a real query (a locked or corrupted SQLite file still "connects"), within
/// <see cref="StorageOptions.QuickTimeout"/>, so a stuck store is reported instead of hanging the probe.
/// </summary>
public sealed class StoreHealthCheck(QuickReads quickReads) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string? name = null;
        try
        {
            var count = await quickReads.RunAsync(
                async (db, token) =>
                {
                    name = db is PostgreSqlPortalDbContext ? "PostgreSQL" : "SQLite";
                    return await db.UserPreferences.AsNoTracking().Take(1).CountAsync(token).ConfigureAwait(false);
                },
                skipWhenRecentlyFailed: false,
                cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{name} store answers.");
        }
        catch (StoreUnavailableException ex)
        {
            // The exception is attached for logs; the response writer shows only the status.
            return HealthCheckResult.Unhealthy($"{name ?? "The"} store does not answer: {ex.Message}", ex.InnerException ?? ex);
        }
    }
}
