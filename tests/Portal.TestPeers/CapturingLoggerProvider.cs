using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.TestPeers;

/// <summary>Keeps every log line of a portal under test ("Level Category: message exception"), so tests can read them.</summary>
public sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
{
    public CapturingLoggerProvider()
        : this(new ConcurrentQueue<string>())
    {
    }

    public ConcurrentQueue<string> Lines { get; } = sink;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
