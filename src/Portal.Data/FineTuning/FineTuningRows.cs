namespace Portal.Data.FineTuning;

/// <summary>
/// A fine-tuning job the portal started (or follows), as last read from its provider: what was asked, where it is, its
/// events, metrics and checkpoints (JSON, written by the portal), so the job page, the list and comparisons read the
/// store and a restarted portal follows it again from there.
/// </summary>
public sealed class FineTuningJobRow
{
    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    public string OwnerName { get; set; } = "";

    /// <summary>The connection's name (its key stays with the connection).</summary>
    public required string Connection { get; set; }

    /// <summary>The provider's job id (<c>ftjob-…</c>, Azure's <c>ft-…</c>).</summary>
    public required string ProviderJobId { get; set; }

    /// <summary>The catalog model the job was started from, when known.</summary>
    public string? CatalogModelId { get; set; }

    /// <summary>The base model as the provider names it.</summary>
    public required string BaseModel { get; set; }

    /// <summary><c>supervised</c> or <c>dpo</c>.</summary>
    public string Method { get; set; } = "supervised";

    /// <summary>The hyperparameters asked for and, once the provider resolved them, the ones used (JSON).</summary>
    public string HyperparametersJson { get; set; } = "{}";

    public long? Seed { get; set; }

    public string? Suffix { get; set; }

    public required string TrainingFileId { get; set; }

    public string? TrainingFileName { get; set; }

    public string? ValidationFileId { get; set; }

    public string? ValidationFileName { get; set; }

    /// <summary>The provider's status word, as it said it.</summary>
    public string Status { get; set; } = "";

    /// <summary>The portal's state (<c>FineTuningState</c> name): what lists, filters and the follower read.</summary>
    public string State { get; set; } = "Queued";

    public string? FineTunedModel { get; set; }

    public long? TrainedTokens { get; set; }

    /// <summary>The job's error (a failed job), in the provider's words.</summary>
    public string? Error { get; set; }

    /// <summary>The last problem reading the job (429, unreachable…), cleared by the next good read.</summary>
    public string? FollowProblem { get; set; }

    /// <summary>Training examples and estimated tokens of the training file, when the portal validated it.</summary>
    public int? TrainingExamples { get; set; }

    public long? TrainingTokens { get; set; }

    /// <summary>The estimated cost in USD and where its price came from; null when the catalog has no training price.</summary>
    public decimal? EstimatedCostUsd { get; set; }

    public string? CostNote { get; set; }

    /// <summary>Metric points, oldest step first (JSON array).</summary>
    public string MetricsJson { get; set; } = "[]";

    /// <summary>Events, newest first (JSON array).</summary>
    public string EventsJson { get; set; } = "[]";

    /// <summary>Checkpoints, newest first (JSON array).</summary>
    public string CheckpointsJson { get; set; } = "[]";

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset? FinishedUtc { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }
}

/// <summary>
/// A training file a user validated: its content is kept, so a refused or failed upload loses nothing and can be sent
/// again; <see cref="ProviderFileId"/> is set once the connection's Files API took it.
/// </summary>
public sealed class FineTuningFileRow
{
    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    public required string Connection { get; set; }

    public required string FileName { get; set; }

    /// <summary><c>supervised</c> or <c>dpo</c>.</summary>
    public string Method { get; set; } = "supervised";

    public long Bytes { get; set; }

    public int Examples { get; set; }

    public long EstimatedTokens { get; set; }

    /// <summary>The validation's statistics (JSON).</summary>
    public string StatsJson { get; set; } = "{}";

    public required byte[] Content { get; set; }

    public string? ProviderFileId { get; set; }

    /// <summary>Why the last upload failed, in words; null once uploaded.</summary>
    public string? UploadError { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset? UploadedUtc { get; set; }
}
