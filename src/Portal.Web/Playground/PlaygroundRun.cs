namespace Portal.Web.Playground;

/// <summary>
/// The send flow every playground shares: check what the user gave, run one request (an answer, a completion, a set of
/// images) with a token that Stop, a new run or the page going away cancels, and say whether the page is still there
/// to save the result and update the address. One per page, used on the renderer's thread.
/// </summary>
public sealed class PlaygroundRun(CancellationToken lifetime)
{
    public const string NoModel = "Choose or type a model (or deployment) name first.";

    /// <summary>
    /// The longest text a playground's box sends (a message, a prompt). The box's text reaches the server once, when
    /// it changes (never per keystroke), in one SignalR message: the hub accepts <see cref="MaxReceiveMessageBytes"/>,
    /// which holds this many characters even at three UTF-8 bytes each. A longer text (up to that size) is refused
    /// here, stays in the box and the page says so; one over the hub's limit still ends the circuit.
    /// </summary>
    public const int MaxTextChars = 262_144;

    /// <summary>The hub's <c>MaximumReceiveMessageSize</c> (1 MiB instead of SignalR's 32 KB), set for <see cref="MaxTextChars"/>.</summary>
    public const long MaxReceiveMessageBytes = 1024 * 1024;

    /// <summary>What the page says about a text longer than <see cref="MaxTextChars"/>.</summary>
    public static string TooLong(int length) =>
        $"This text is {length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters long; at most {MaxTextChars.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters can be sent. It was not sent: shorten it.";

    private CancellationTokenSource? _running;

    public bool IsRunning => _running is not null;

    /// <summary>What stands in the way of sending (no text, no model, no connection), shown next to the composer; null when nothing does.</summary>
    public string? Problem { get; set; }

    /// <summary>Whether the text and the model are there; otherwise <see cref="Problem"/> says what is missing (and nothing typed is lost).</summary>
    public bool Ready(string text, string? model, string missingText)
    {
        ArgumentNullException.ThrowIfNull(text);
        Problem = text.Trim().Length == 0 ? missingText : text.Length > MaxTextChars ? TooLong(text.Length) : model is null ? NoModel : null;
        return Problem is null;
    }

    /// <summary>Whether a model is chosen (for Regenerate and Retry, which send no new text).</summary>
    public bool Ready(string? model)
    {
        Problem = model is null ? NoModel : null;
        return Problem is null;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a token linked to the page's lifetime; <see cref="Stop"/> cancels it.
    /// Returns false when the page went away meanwhile: then nothing more may be done (no save, no navigation).
    /// </summary>
    public async Task<bool> RunAsync(Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_running is not null)
        {
            throw new InvalidOperationException("A request is already running; stop it first.");
        }

        if (lifetime.IsCancellationRequested)
        {
            return false;
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        _running = running;
        try
        {
            await work(running.Token);
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
            // Stopped, or the page went away: what arrived was kept by the work itself.
        }
        finally
        {
            _running = null;
        }

        return !lifetime.IsCancellationRequested;
    }

    /// <summary>Stops the running request, if any; what arrived so far is kept.</summary>
    public void Stop() => _running?.Cancel();
}
