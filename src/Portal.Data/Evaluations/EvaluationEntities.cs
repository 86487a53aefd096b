namespace Portal.Data.Evaluations;

/// <summary>A dataset: a name, its owner and its versions (files kept exactly as uploaded).</summary>
public sealed class StoredDataset
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public required string OwnerId { get; set; }

    public required string OwnerName { get; set; }

    /// <summary>The example shipped with the portal: read-only.</summary>
    public bool IsExample { get; set; }

    public int LatestVersion { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }
}

/// <summary>One version of a dataset: the file's bytes as uploaded, and what was read from it.</summary>
public sealed class StoredDatasetVersion
{
    public Guid DatasetId { get; set; }

    public int Version { get; set; }

    public required string FileName { get; set; }

    /// <summary><c>jsonl</c> or <c>csv</c>.</summary>
    public required string Format { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>SHA-256 of <see cref="Content"/>, lower-case hex.</summary>
    public required string Sha256 { get; set; }

    public int Rows { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }
}

/// <summary>
/// An evaluation run: what to evaluate (<see cref="Spec"/>, JSON: targets, scorers, judge, prompts, concurrency — no
/// keys), the rows it runs on (<see cref="RowsJson"/>, a copy taken when it was queued) and where it stands.
/// </summary>
public sealed class EvaluationRunRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string OwnerId { get; set; }

    public required string OwnerName { get; set; }

    /// <summary>Queued, Running, Completed, Failed or Cancelled.</summary>
    public required string Status { get; set; }

    public required string Spec { get; set; }

    public required string RowsJson { get; set; }

    public Guid? DatasetId { get; set; }

    public required string DatasetName { get; set; }

    public int? DatasetVersion { get; set; }

    public int Rows { get; set; }

    public int Targets { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset? StartedUtc { get; set; }

    public DateTimeOffset? FinishedUtc { get; set; }

    public string? Error { get; set; }

    public bool ShownOnBenchmarks { get; set; }
}

/// <summary>One finished (or failed) answer: a dataset row × a target. Cells still to run have no row.</summary>
public sealed class EvaluationCellRow
{
    public Guid RunId { get; set; }

    /// <summary>The dataset row's number (from 1).</summary>
    public int Row { get; set; }

    /// <summary>The target's index in the run's spec (from 0).</summary>
    public int Target { get; set; }

    /// <summary>Succeeded or Failed.</summary>
    public required string Status { get; set; }

    public string? Answer { get; set; }

    public string? Error { get; set; }

    public double? TtftMs { get; set; }

    public double? TotalMs { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public bool TokensEstimated { get; set; }

    /// <summary>The low estimate, USD (unofficial community price).</summary>
    public double? CostUsd { get; set; }

    /// <summary>The scores as JSON: <c>[{scorer, value, reasoning, raw}]</c>.</summary>
    public required string Scores { get; set; }

    public Guid? TraceId { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset FinishedUtc { get; set; }
}
