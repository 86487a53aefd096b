using Microsoft.Extensions.Options;
using Portal.Catalog;
using Portal.Data.Instances;
using Portal.Web.Hosting;

namespace Portal.Web.Catalog;

/// <summary>
/// Loads every catalog source once the store is migrated (hosted services start in registration order), then reloads
/// the catalog whenever another instance on the same store imported or removed a catalog: it reads the catalog's change
/// counter (<c>store_versions</c>, raised in the import's transaction) every <see cref="InstanceOptions.ChangePollInterval"/>.
/// A reload raises <see cref="ICatalogService.Changed"/>, which pages (and caches of rendered output) listen to.
/// </summary>
/// <remarks>
/// A version row rather than PostgreSQL's LISTEN/NOTIFY: it works the same on SQLite (two processes on one file), it
/// holds no connection open per instance, and a notification sent while an instance's connection was down would be
/// lost, whereas the counter is simply read again. One indexed single-row read a second is negligible.
/// </remarks>
internal sealed partial class CatalogLoader(
    ICatalogService catalog,
    IStoreVersions versions,
    IOptions<InstanceOptions> options,
    TimeProvider time,
    ILogger<CatalogLoader> logger) : BackgroundService
{
    private long? _seen;
    private bool _failing;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The counter first, then the catalog: an import between the two is read now and reloaded once more later,
        // never missed.
        _seen = await ReadAsync(cancellationToken);
        await catalog.ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ChangePollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (await ReadAsync(stoppingToken) is not { } version || version == _seen)
                {
                    continue;
                }

                LogReloading(logger, _seen ?? 0, version);
                _seen = version;
                try
                {
                    await catalog.ReloadAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _seen = null; // tried again at the next tick
                    LogReloadFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The counter, or null when the store did not answer (logged once per outage; the catalog stays as it is).</summary>
    private async Task<long?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version = await versions.GetAsync(StoreVersionKeys.Catalog, cancellationToken);
            if (_failing)
            {
                _failing = false;
                LogReadRecovered(logger);
            }

            return version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (!_failing)
            {
                _failing = true;
                LogReadFailed(logger, ex);
            }

            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The catalog changed in the store (version {Old} to {New}); reloading it")]
    private static partial void LogReloading(ILogger logger, long old, long @new);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The catalog could not be reloaded after a change in the store; trying again")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The catalog's change counter could not be read from the store; other instances' imports show once it answers again")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The catalog's change counter is readable again")]
    private static partial void LogReadRecovered(ILogger logger);
}
