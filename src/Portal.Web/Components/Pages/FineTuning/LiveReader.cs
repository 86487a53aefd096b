namespace Portal.Web.Components.Pages.FineTuning;

/// <summary>
/// Keeps a fine-tuning page current: <see cref="Request"/> (on a change signal from <c>FineTuningChanges</c>) re-reads it
/// after a short settle, at most one read at a time, a change during a read covered by the next; <see cref="RunTimerAsync"/>
/// also requests a read on a timer while something is unfinished, for changes another instance made.
/// </summary>
/// <param name="invoke">The component's <c>InvokeAsync</c> (reads run on its renderer's thread).</param>
/// <param name="read">Reads and renders the page (it checks the component is still there).</param>
/// <param name="settle">How long to wait after a signal, so a burst of them is one read.</param>
/// <param name="token">The component's token: cancelled when it goes.</param>
internal sealed class LiveReader(Func<Func<Task>, Task> invoke, Func<Task> read, TimeSpan settle, CancellationToken token)
{
    private int _reading;

    public void Request()
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1)
        {
            return;
        }

        _ = invoke(async () =>
        {
            try
            {
                await Task.Delay(settle, token);
                Volatile.Write(ref _reading, 0);
                if (!token.IsCancellationRequested)
                {
                    await read();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async Task RunTimerAsync(TimeSpan interval, Func<bool> live)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(token))
            {
                if (live())
                {
                    Request();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
