using System.Text.Json;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;

namespace Portal.Web.FineTuning;

/// <summary>
/// A stored job as pages read it: the row's JSON columns (metrics, events, checkpoints, hyperparameters) typed. The
/// follower writes them with <see cref="FineTuningRowJson"/>; everything else reads them through here.
/// </summary>
public sealed record FineTuningJobView(
    FineTuningJobRow Row,
    FineTuningState State,
    FineTuningMethod Method,
    FineTuningHyperparameters Hyperparameters,
    IReadOnlyList<MetricPoint> Metrics,
    IReadOnlyList<FineTuningEvent> Events,
    IReadOnlyList<FineTuningCheckpoint> Checkpoints)
{
    public Guid Id => Row.Id;

    public string Connection => Row.Connection;

    /// <summary>How long it ran (or has been running, at <paramref name="now"/>).</summary>
    public TimeSpan Duration(DateTimeOffset now) => (Row.FinishedUtc ?? now) - Row.CreatedUtc;

    /// <summary>The last reported training loss (the final one once the job ended).</summary>
    public double? FinalTrainLoss => Metrics.LastOrDefault(m => m.TrainLoss is not null)?.TrainLoss;

    /// <summary>The last reported validation loss: the full validation loss of the last checkpoint when there is one.</summary>
    public double? FinalValidLoss => Metrics.LastOrDefault(m => m.FullValidLoss is not null)?.FullValidLoss ?? Metrics.LastOrDefault(m => m.ValidLoss is not null)?.ValidLoss;

    public static FineTuningJobView From(FineTuningJobRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            row,
            Enum.TryParse<FineTuningState>(row.State, out var state) ? state : FineTuningStates.Parse(row.Status),
            Enum.TryParse<FineTuningMethod>(row.Method, ignoreCase: true, out var method) ? method : FineTuningMethod.Supervised,
            FineTuningRowJson.ReadHyperparameters(row.HyperparametersJson),
            FineTuningRowJson.Read<List<MetricPoint>>(row.MetricsJson) ?? [],
            FineTuningRowJson.Read<List<FineTuningEvent>>(row.EventsJson) ?? [],
            FineTuningRowJson.Read<List<FineTuningCheckpoint>>(row.CheckpointsJson) ?? []);
    }
}

/// <summary>How a job row's JSON columns are written and read (camelCase, the portal's own format, not the provider's).</summary>
public static class FineTuningRowJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string? json)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string WriteHyperparameters(FineTuningHyperparameters h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return Write(new HyperRow(Text(h.Epochs), Text(h.BatchSize), Text(h.LearningRateMultiplier), Text(h.Beta)));
    }

    public static FineTuningHyperparameters ReadHyperparameters(string? json)
    {
        var row = Read<HyperRow>(json);
        return row is null ? new(default, default, default) : new(Value(row.Epochs), Value(row.BatchSize), Value(row.LearningRateMultiplier), Value(row.Beta));
    }

    private static string? Text(HyperValue v) => v.Auto ? "auto" : v.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static HyperValue Value(string? text) => text switch
    {
        null => default,
        "auto" => HyperValue.Automatic,
        _ when double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) => HyperValue.Of(v),
        _ => default,
    };

    private sealed record HyperRow(string? Epochs, string? BatchSize, string? LearningRateMultiplier, string? Beta);
}
