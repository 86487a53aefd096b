namespace Portal.Azure;

/// <summary>
/// Reports progress at once, on the caller's thread and in order (<see cref="Progress{T}"/> would post each report
/// later, possibly after the result).
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
