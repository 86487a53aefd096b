using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Data;

/// <summary>Readiness: the store answers a query.</summary>
public sealed class StoreHealthCheck(IDbContextFactory<PortalDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var name = db is PostgreSqlPortalDbContext ? "PostgreSQL" : "SQLite";
            return await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy($"{name} store reachable.")
                : HealthCheckResult.Unhealthy($"{name} store not reachable.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception is attached for logs; the response writer shows only the description.
            return HealthCheckResult.Unhealthy("Store not reachable.", ex);
        }
    }
}
