namespace Portal.Web.Playground;

/// <summary>
/// Ends the playgrounds' work promptly when the portal shuts down (SIGTERM, a restart, a new deployment slot) without
/// losing it: streams end at once (<see cref="Stopping"/>, which <see cref="StreamRunner"/> watches), the answer so far
/// is marked interrupted, and the host waits (at most <see cref="SaveTimeout"/>) for the pages to save their sessions
/// before the store goes away. A page holds the shutdown (<see cref="Hold"/>) from sending to saving.
/// </summary>
public sealed partial class PlaygroundShutdown(IHostApplicationLifetime lifetime, ILogger<PlaygroundShutdown> logger) : IHostedService
{
    /// <summary>Far below the host's shutdown timeout (<c>Portal:Shutdown:Timeout</c>, 30 s unless set, never under 10 s): a save is one small write.</summary>
    public static readonly TimeSpan SaveTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private bool _stopping;

    /// <summary>Cancelled when the portal starts shutting down.</summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;

    /// <summary>Keeps the shutdown waiting (up to <see cref="SaveTimeout"/>) until the returned hold is disposed.</summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _held);
        return new Release(this);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for the pages still finishing an answer to save it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, true);
        if (Volatile.Read(ref _held) == 0)
        {
            return;
        }

        try
        {
            await _idle.Task.WaitAsync(SaveTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogNotSaved(logger, Volatile.Read(ref _held), SaveTimeout.TotalSeconds);
        }
    }

    private void Released()
    {
        if (Interlocked.Decrement(ref _held) == 0 && Volatile.Read(ref _stopping))
        {
            _idle.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down with {Count} playground session(s) not saved within {Seconds} s.")]
    private static partial void LogNotSaved(ILogger logger, int count, double seconds);

    private sealed class Release(PlaygroundShutdown owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.Released();
            }
        }
    }
}
