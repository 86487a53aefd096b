namespace Portal.Catalog.Benchmarks;

/// <summary>Who produced a number: the model's owner, someone else's comparison table, or this portal.</summary>
public enum SourceKind
{
    /// <summary>The model's publisher evaluated its own model (first-party).</summary>
    ModelOwner,

    /// <summary>A column in someone else's comparison table (e.g. Microsoft's Phi tables quoting Llama), or a leaderboard.</summary>
    ThirdPartyComparison,

    /// <summary>Measured by this portal (playground runs; later issues).</summary>
    MeasuredHere,
}

/// <summary>What a number measures, and so how it may be compared and whether it counts towards the quality index.</summary>
public enum MetricKind
{
    /// <summary>Accuracy, exact match or pass@k, in percent (0–100). The only kind the quality index averages.</summary>
    Accuracy,

    /// <summary>Token-overlap F1 in percent (0–100).</summary>
    F1,

    /// <summary>Another score on 0–100 whose metric is given by the source (ROUGE, win rate, judge score...).</summary>
    Score,

    /// <summary>A score on 0–1 as printed by the source.</summary>
    ScoreZeroToOne,

    /// <summary>An LLM-judged score on 1–10 (MT-Bench).</summary>
    JudgeScore1To10,

    /// <summary>GPT-judged generation quality on 1–5: coherence, fluency, groundedness, relevance, similarity.</summary>
    GptJudged1To5,

    /// <summary>Percent of generations that are toxic: lower is better.</summary>
    ToxicityPercent,

    /// <summary>An average the source computed over several benchmarks. Shown, never averaged again.</summary>
    Aggregate,

    /// <summary>Embedding quality: NDCG@10, MAP, Spearman, F1, V-measure or the source's average of them.</summary>
    Embedding,

    /// <summary>Latency in milliseconds (time to first token, P50, P95): lower is better.</summary>
    LatencyMs,

    /// <summary>Output tokens per second: higher is better.</summary>
    TokensPerSecond,
}

/// <summary>What the datasets are grouped by on the dashboard.</summary>
public enum BenchmarkCategory
{
    Knowledge,
    Reasoning,
    Math,
    Code,
    Reading,
    Multilingual,
    LongContext,
    Instruction,
    ToolUse,
    Safety,
    Vision,
    Domain,
    Embedding,
    Aggregate,
    Speed,
    Other,
}

public static class MetricKinds
{
    public static bool HigherIsBetter(MetricKind kind) => kind is not (MetricKind.ToxicityPercent or MetricKind.LatencyMs);

    public static string Describe(MetricKind kind) => kind switch
    {
        MetricKind.Accuracy => "Accuracy-type (accuracy, exact match, pass@k), 0–100",
        MetricKind.F1 => "F1, 0–100",
        MetricKind.Score => "Score, 0–100 (metric as defined by the source)",
        MetricKind.ScoreZeroToOne => "Score, 0–1 as printed",
        MetricKind.JudgeScore1To10 => "LLM-judged score, 1–10",
        MetricKind.GptJudged1To5 => "GPT-judged quality, 1–5",
        MetricKind.ToxicityPercent => "% toxic generations (lower is better)",
        MetricKind.Aggregate => "Average over several benchmarks, as computed by the source",
        MetricKind.Embedding => "Embedding quality score as printed",
        MetricKind.LatencyMs => "Latency, ms (lower is better)",
        MetricKind.TokensPerSecond => "Tokens per second",
        _ => kind.ToString(),
    };

    public static string Parameter(MetricKind kind) => kind switch
    {
        MetricKind.Accuracy => "accuracy",
        MetricKind.F1 => "f1",
        MetricKind.Score => "score",
        MetricKind.ScoreZeroToOne => "score-0-1",
        MetricKind.JudgeScore1To10 => "judge-1-10",
        MetricKind.GptJudged1To5 => "gpt-judged",
        MetricKind.ToxicityPercent => "toxicity",
        MetricKind.Aggregate => "aggregate",
        MetricKind.Embedding => "embedding",
        MetricKind.LatencyMs => "latency",
        MetricKind.TokensPerSecond => "tokens-per-second",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static MetricKind? FromParameter(string? value) =>
        Enum.GetValues<MetricKind>().Cast<MetricKind?>().FirstOrDefault(k => string.Equals(Parameter(k!.Value), value?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string SourceKindLabel(SourceKind kind) => kind switch
    {
        SourceKind.ModelOwner => "Model owner",
        SourceKind.ThirdPartyComparison => "Third-party comparison",
        _ => "Measured here",
    };

    public static string SourceKindParameter(SourceKind kind) => kind switch
    {
        SourceKind.ModelOwner => "model-owner",
        SourceKind.ThirdPartyComparison => "third-party",
        _ => "measured-here",
    };
}

/// <summary>A benchmark dataset, with the metric its numbers use by default.</summary>
public sealed record BenchmarkDataset(string Id, string Name, BenchmarkCategory Category, MetricKind Metric, string Description);

/// <summary>Where a number was read: the page, the table in it, who published it and when (null when the source gives no date).</summary>
public sealed record BenchmarkSource(string Url, string? Table, string ReportedBy, string? Date);

/// <summary>The setting a number was obtained under, parsed from the printed label and setting.</summary>
public sealed record BenchmarkSetting(string? Shots, bool ChainOfThought, string? Language, string? Variant)
{
    /// <summary>"5-shot · CoT · French", or null when nothing is known.</summary>
    public string? Summary =>
        string.Join(" · ", new[] { Shots is null ? null : $"{Shots}-shot", ChainOfThought ? "CoT" : null, Language }.Where(p => p is not null)) is { Length: > 0 } s ? s : null;
}

/// <summary>
/// One number as published: the printed label and setting are kept verbatim next to the dataset and setting they
/// were normalised to. Nothing here is computed.
/// </summary>
public sealed record BenchmarkScore
{
    public required string ModelId { get; init; }

    public required BenchmarkDataset Dataset { get; init; }

    /// <summary>The label as printed in the source ("MMLU (5-shot)").</summary>
    public required string Label { get; init; }

    /// <summary>The setting as printed in the facts file (null when none was given).</summary>
    public string? PrintedSetting { get; init; }

    public required BenchmarkSetting Setting { get; init; }

    public required double Value { get; init; }

    public required MetricKind Metric { get; init; }

    public required SourceKind Kind { get; init; }

    public required BenchmarkSource Source { get; init; }

    public string? Note { get; init; }

    /// <summary>The comparison column this number belongs to: the dataset plus a language or subtask where it has one.</summary>
    public BenchmarkColumn Column => new(Dataset.Id, Setting.Variant);
}

/// <summary>
/// A dataset (plus language or subtask) that numbers can be compared on: "MMLU", "MMLU · French", "BLINK · Counting".
/// </summary>
public readonly record struct BenchmarkColumn(string DatasetId, string? Variant)
{
    public string Key => Variant is null ? DatasetId : $"{DatasetId}:{Variant}";

    public static BenchmarkColumn Parse(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new(key, null) : new(key[..colon], key[(colon + 1)..]);
    }

    public override string ToString() => Key;
}

/// <summary>
/// A community price row: USD per 1M tokens, unofficial, with its offer key and caveat. <see cref="TrainingPerMillion"/>
/// is the fine-tuning training price (USD per 1M training tokens) when the row has one (<c>training_price</c>).
/// </summary>
public sealed record ModelPrice(
    string ModelId,
    string? OfferKey,
    double InputPerMillion,
    double OutputPerMillion,
    string Unit,
    string? DeploymentType,
    string? Date,
    string Source,
    string? Caveat,
    string? Note,
    double? TrainingPerMillion = null);
