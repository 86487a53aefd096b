namespace Portal.Web.FineTuning;

/// <summary>
/// Tells the open pages of this instance that a job's stored row changed (the follower read new events, a job was
/// created or cancelled), so they re-read it at once; pages also re-read on a timer, for changes written by another
/// instance.
/// </summary>
public sealed partial class FineTuningChanges(ILogger<FineTuningChanges> logger)
{
    /// <summary>Raised on a background thread with the job's id.</summary>
    public event Action<Guid>? Changed;

    public void Raise(Guid id)
    {
        try
        {
            Changed?.Invoke(id);
        }
        catch (Exception ex)
        {
            LogListenerFailed(logger, ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A page listening to fine-tuning job {Job} failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, Guid job);
}
