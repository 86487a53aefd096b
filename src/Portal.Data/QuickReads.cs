using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Portal.Data;

/// <summary>The store did not answer a quick read in time, or a recent quick read failed and the store is left alone for now.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads that no page depends on (and the readiness check) run with <see cref="StorageOptions.QuickTimeout"/>: the
/// command timeout bounds SQLite's retries on a locked file, the token bounds PostgreSQL and everything else. After
/// one fails, quick reads fail at once for <see cref="StorageOptions.QuickRetryAfter"/>, so a page under a stuck
/// store renders with defaults instead of waiting on every read.
/// </summary>
public sealed class QuickReads(IDbContextFactory<PortalDbContext> contexts, IOptions<StorageOptions> options, TimeProvider time)
{
    private long _failedUntilTicks;

    public async Task<T> RunAsync<T>(Func<PortalDbContext, CancellationToken, Task<T>> read, bool skipWhenRecentlyFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = time.GetUtcNow().UtcTicks;
        if (skipWhenRecentlyFailed && now < Interlocked.Read(ref _failedUntilTicks))
        {
            throw new StoreUnavailableException("The store did not answer a moment ago; it is not asked again yet.");
        }

        var limit = options.Value.QuickTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(timeout.Token).ConfigureAwait(false);
            db.Database.SetCommandTimeout(Math.Max(1, (int)Math.Ceiling(limit.TotalSeconds)));
            var result = await read(db, timeout.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _failedUntilTicks, 0);
            return result;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed();
            throw new StoreUnavailableException($"The store did not answer within {limit.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not StoreUnavailableException)
        {
            Failed();
            throw new StoreUnavailableException("The store could not be read.", ex);
        }
    }

    private void Failed() =>
        Interlocked.Exchange(ref _failedUntilTicks, (time.GetUtcNow() + options.Value.QuickRetryAfter).UtcTicks);
}
