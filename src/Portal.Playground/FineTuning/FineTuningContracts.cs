using System.Globalization;
using System.Text.Json;

namespace Portal.Playground.FineTuning;

/// <summary>
/// A job's status, the same for OpenAI and Azure OpenAI. Azure's older data-plane API says <c>created</c>,
/// <c>pending</c> or <c>notRunning</c> where OpenAI says <c>queued</c>; <see cref="FineTuningStates.Parse"/> maps both.
/// </summary>
public enum FineTuningState
{
    Unknown,
    ValidatingFiles,
    Queued,
    Running,
    Paused,
    Succeeded,
    Failed,
    Cancelled,
}

public static class FineTuningStates
{
    public static FineTuningState Parse(string? status) => (status ?? "").Trim().ToLowerInvariant() switch
    {
        "validating_files" => FineTuningState.ValidatingFiles,
        "queued" or "pending" or "created" or "notrunning" => FineTuningState.Queued,
        "running" => FineTuningState.Running,
        "paused" or "pausing" => FineTuningState.Paused,
        "succeeded" => FineTuningState.Succeeded,
        "failed" => FineTuningState.Failed,
        "cancelled" or "canceled" or "cancelling" => FineTuningState.Cancelled,
        _ => FineTuningState.Unknown,
    };

    /// <summary>Ended: nothing will change any more, so the job is no longer followed.</summary>
    public static bool IsFinal(this FineTuningState state) => state is FineTuningState.Succeeded or FineTuningState.Failed or FineTuningState.Cancelled;

    public static string Label(FineTuningState state) => state switch
    {
        FineTuningState.ValidatingFiles => "Validating files",
        FineTuningState.Queued => "Queued",
        FineTuningState.Running => "Running",
        FineTuningState.Paused => "Paused",
        FineTuningState.Succeeded => "Succeeded",
        FineTuningState.Failed => "Failed",
        FineTuningState.Cancelled => "Cancelled",
        _ => "Unknown",
    };
}

/// <summary>
/// The training method: supervised (chat <c>messages</c>) or preference (DPO) fine-tuning, which the portal starts;
/// reinforcement jobs (graders) started elsewhere are read and followed, not started here.
/// </summary>
public enum FineTuningMethod
{
    Supervised,
    Dpo,
    Reinforcement,
}

/// <summary>
/// One hyperparameter as the provider reports it: <c>"auto"</c>, a number, or missing. Azure's older API writes
/// <c>-1</c> for "the default", read as automatic.
/// </summary>
public readonly record struct HyperValue(bool Auto, double? Value)
{
    public static HyperValue Automatic => new(true, null);

    public static HyperValue Of(double value) => new(false, value);

    public bool IsSet => Auto || Value is not null;

    public override string ToString() => Auto ? "auto" : Value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";

    internal static HyperValue Read(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return default;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when string.Equals(value.GetString(), "auto", StringComparison.OrdinalIgnoreCase) => Automatic,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => Of(parsed),
            JsonValueKind.Number when value.GetDouble() < 0 => Automatic,
            JsonValueKind.Number => Of(value.GetDouble()),
            _ => default,
        };
    }
}

/// <summary>The hyperparameters of a job (<c>beta</c> for DPO only).</summary>
public sealed record FineTuningHyperparameters(HyperValue Epochs, HyperValue BatchSize, HyperValue LearningRateMultiplier, HyperValue Beta = default)
{
    public static FineTuningHyperparameters Automatic { get; } = new(HyperValue.Automatic, HyperValue.Automatic, HyperValue.Automatic);
}

/// <summary>A provider's error on a job (<c>error: {code, message, param}</c>); null when all its fields are null.</summary>
public sealed record FineTuningJobError(string? Code, string? Message, string? Param)
{
    public override string ToString() => string.Join(" ", new[] { Message, Code is null ? null : $"({Code}{(Param is null ? "" : ", " + Param)})" }.Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>A fine-tuning job as OpenAI or Azure OpenAI returns it (<c>object: fine_tuning.job</c>).</summary>
public sealed record FineTuningJob(
    string Id,
    string Model,
    string Status,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? FinishedAt,
    string? FineTunedModel,
    string TrainingFile,
    string? ValidationFile,
    FineTuningMethod Method,
    FineTuningHyperparameters Hyperparameters,
    long? Seed,
    string? Suffix,
    long? TrainedTokens,
    DateTimeOffset? EstimatedFinish,
    FineTuningJobError? Error,
    IReadOnlyList<string> ResultFiles)
{
    public FineTuningState State => FineTuningStates.Parse(Status);
}

/// <summary>An uploaded file (<c>object: file</c>).</summary>
public sealed record FineTuningFile(string Id, string FileName, long Bytes, DateTimeOffset? CreatedAt, string Purpose, string? Status, DateTimeOffset? ExpiresAt);

/// <summary>One point of a job's metrics: the training step and the losses and accuracies the provider reported there.</summary>
public sealed record MetricPoint(
    int Step,
    double? TrainLoss,
    double? ValidLoss,
    double? TrainAccuracy,
    double? ValidAccuracy,
    double? FullValidLoss = null,
    double? FullValidAccuracy = null,
    int? TotalSteps = null);

/// <summary>
/// One event of a job (<c>object: fine_tuning.job.event</c>): a message, or (<c>type: metrics</c>) a metrics step whose
/// <c>data</c> carries <c>step</c>, <c>train_loss</c>, <c>valid_loss</c>…
/// </summary>
public sealed record FineTuningEvent(string Id, DateTimeOffset? CreatedAt, string Level, string Message, string Type, MetricPoint? Metrics);

/// <summary>A checkpoint of a job (<c>object: fine_tuning.job.checkpoint</c>), usable as a model of its own.</summary>
public sealed record FineTuningCheckpoint(string Id, DateTimeOffset? CreatedAt, string Model, int Step, IReadOnlyDictionary<string, double> Metrics);

/// <summary>One page of a list (<c>object: list</c>, <c>data</c>, <c>has_more</c>).</summary>
public sealed record FineTuningPage<T>(IReadOnlyList<T> Data, bool HasMore);

/// <summary>What a new job asks for. Unset hyperparameters are left to the provider (automatic).</summary>
public sealed record FineTuningJobRequest(
    string Model,
    string TrainingFile,
    string? ValidationFile,
    FineTuningMethod Method,
    FineTuningHyperparameters Hyperparameters,
    long? Seed,
    string? Suffix);
