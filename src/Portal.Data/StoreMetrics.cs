using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Data;

/// <summary>The name of the portal's one <see cref="Meter"/> (store, circuits, streams, model calls).</summary>
public static class PortalMeter
{
    public const string Name = "Portal";
}

/// <summary>
/// Times every command the store runs (an EF Core interceptor on both providers) into the semantic conventions'
/// <c>db.client.operation.duration</c> histogram (seconds), by <c>db.system.name</c> and <c>db.operation.name</c> (the
/// statement's first keyword: SELECT, INSERT, UPDATE, DELETE… — never the SQL text or a parameter value), with
/// <c>error.type</c> when the command failed. Recording is a no-op while nothing listens to the meter.
/// </summary>
public sealed class StoreMetricsInterceptor : DbCommandInterceptor
{
    public const string DurationName = "db.client.operation.duration";

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK",
        "SAVEPOINT", "RELEASE", "LISTEN", "NOTIFY", "UNLISTEN", "LOCK", "VACUUM", "TRUNCATE",
    };

    private readonly Histogram<double> _duration;

    public StoreMetricsInterceptor(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _duration = meters.Create(PortalMeter.Name).CreateHistogram(
            DurationName,
            unit: "s",
            description: "Duration of the store's database commands.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record(command, eventData.Duration, null);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, null);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Record(command, eventData.Duration, null);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, null);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Record(command, eventData.Duration, null);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, null);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
        Record(command, eventData.Duration, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, eventData.Exception);
        return Task.CompletedTask;
    }

    private void Record(DbCommand command, TimeSpan duration, Exception? failure)
    {
        if (!_duration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "db.system.name", SystemName(command) },
            { "db.operation.name", OperationName(command.CommandText) },
        };
        if (failure is not null)
        {
            tags.Add("error.type", failure is OperationCanceledException ? "cancelled" : failure.GetType().FullName);
        }

        _duration.Record(duration.TotalSeconds, tags);
    }

    private static string SystemName(DbCommand command) =>
        command.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true ? "postgresql" : "sqlite";

    /// <summary>The statement's first keyword (past white space and <c>--</c> comments), from a short fixed list; else <c>OTHER</c>.</summary>
    internal static string OperationName(string? sql)
    {
        var text = sql.AsSpan();
        while (true)
        {
            text = text.TrimStart();
            if (!text.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var end = text.IndexOf('\n');
            text = end < 0 ? [] : text[(end + 1)..];
        }

        var length = 0;
        while (length < text.Length && char.IsAsciiLetter(text[length]))
        {
            length++;
        }

        var word = text[..length];
        return Keywords.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out var keyword) ? keyword : "OTHER";
    }
}
