using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portal.Data;

namespace Portal.Web.Observability;

/// <summary>
/// The portal's own instruments, on the one <see cref="Meter"/> named <see cref="PortalMeter.Name"/> (the store's
/// <c>db.client.operation.duration</c> lives there too, see <see cref="StoreMetricsInterceptor"/>). They always exist and
/// cost next to nothing while no exporter listens; names follow the OpenTelemetry semantic conventions where they have
/// one (GenAI client metrics), <c>portal.*</c> otherwise. No attribute names a user.
/// </summary>
public sealed class PortalMetrics
{
    public const string OpenCircuitsName = "portal.circuits.open";
    public const string ActiveStreamsName = "portal.playground.streams.active";
    public const string OperationDurationName = "gen_ai.client.operation.duration";
    public const string TokenUsageName = "gen_ai.client.token.usage";

    private readonly UpDownCounter<long> _openCircuits;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Histogram<double> _operationDuration;
    private readonly Histogram<long> _tokenUsage;

    public PortalMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(PortalMeter.Name);
        _openCircuits = meter.CreateUpDownCounter<long>(OpenCircuitsName, unit: "{circuit}", description: "Blazor circuits open on this instance.");
        _activeStreams = meter.CreateUpDownCounter<long>(ActiveStreamsName, unit: "{stream}", description: "Answers being streamed into a playground on this instance.");

        // Bucket boundaries as the GenAI semantic conventions advise for these two histograms.
        _operationDuration = meter.CreateHistogram(OperationDurationName, unit: "s", description: "Duration of model calls (chat, completions, images).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
        _tokenUsage = meter.CreateHistogram(TokenUsageName, unit: "{token}", description: "Input and output tokens of model calls, as the provider reported them.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });
    }

    public void CircuitOpened() => _openCircuits.Add(1);

    public void CircuitClosed() => _openCircuits.Add(-1);

    /// <summary>Counts a streamed answer until the returned handle is disposed.</summary>
    public IDisposable StreamStarted()
    {
        _activeStreams.Add(1);
        return new StreamEnd(_activeStreams);
    }

    /// <summary>
    /// One finished model call: its duration, and the tokens the provider reported (none recorded when it reported none:
    /// the portal's estimates stay in the traces). Attributes: <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>,
    /// <c>gen_ai.request.model</c>, <c>server.address</c> and <c>server.port</c> (the endpoint's host and port, never its path
    /// or query), <c>portal.feature</c>, and <c>error.type</c> for a failed or
    /// cancelled call.
    /// </summary>
    public void ModelCallEnded(string operation, string provider, string model, Uri endpoint, string feature, TimeSpan duration, string? errorType, int? inputTokens, int? outputTokens)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!_operationDuration.Enabled && !_tokenUsage.Enabled)
        {
            return;
        }

        _operationDuration.Record(duration.TotalSeconds, Tags(null));
        if (inputTokens is { } input)
        {
            _tokenUsage.Record(input, Tags("input"));
        }

        if (outputTokens is { } output)
        {
            _tokenUsage.Record(output, Tags("output"));
        }

        TagList Tags(string? tokenType)
        {
            var tags = new TagList
            {
                { "gen_ai.operation.name", operation },
                { "gen_ai.provider.name", provider },
                { "gen_ai.request.model", model },
                { "server.address", endpoint.Host },
                { "server.port", endpoint.Port },
                { "portal.feature", feature },
            };
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            if (tokenType is not null)
            {
                tags.Add("gen_ai.token.type", tokenType);
            }

            return tags;
        }
    }

    private sealed class StreamEnd(UpDownCounter<long> counter) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                counter.Add(-1);
            }
        }
    }
}
