using Portal.Playground.Inference;

namespace Portal.Web.Evaluations;

// The contract between the evaluation engine (datasets, runs, scorers, the HTTP API) and the pages that show them.
// Datasets and evaluation runs are the team's: every signed-in person can read them; their owner (or a Contributor)
// can change or delete them. Every mutating method demands its PortalAction in the service.

/// <summary>One dataset row's input: a question, or a messages array (exactly one of the two).</summary>
public sealed record DatasetInput(string? Question, IReadOnlyList<ChatTurn>? Messages)
{
    /// <summary>The input as one line of text, for tables and exports.</summary>
    public string Display => Question ?? string.Join("\n", (Messages ?? []).Select(m => $"{m.Role.ToString().ToLowerInvariant()}: {m.Content}"));
}

/// <summary>A row of a dataset; <see cref="Number"/> counts from 1 in file order (a CSV's header is not a row).</summary>
public sealed record DatasetRow(int Number, DatasetInput Input, string? Expected, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A problem with a dataset file: the row (from 1) and column when known.</summary>
public sealed record DatasetProblem(int? Row, string? Column, string Message);

/// <summary>The whole file read and checked; <see cref="Rows"/> is empty unless it is valid.</summary>
public sealed record DatasetParseResult(string Format, IReadOnlyList<string> Columns, IReadOnlyList<DatasetRow> Rows, IReadOnlyList<DatasetProblem> Problems, int TotalRows)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>The limits a dataset file must keep (a clear message names the limit when one is passed).</summary>
public static class DatasetLimits
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 5_000;
    public const int MaxFieldChars = 100_000;
}

public sealed record DatasetSummary(Guid Id, string Name, string? Description, int LatestVersion, int Rows, DateTimeOffset UpdatedUtc, string OwnerId, string OwnerName, bool IsExample);

public sealed record DatasetVersionInfo(int Version, int Rows, string FileName, string Format, long Bytes, string Sha256, DateTimeOffset CreatedUtc, string CreatedBy);

/// <summary>A save either stored a version (<see cref="Dataset"/> and <see cref="Version"/> set) or stored nothing and says why.</summary>
public sealed record DatasetSaveResult(DatasetSummary? Dataset, int? Version, IReadOnlyList<DatasetProblem> Problems);

public sealed record DatasetDownload(byte[] Content, string FileName, string ContentType);

public interface IDatasetService
{
    /// <summary>Reads and validates a JSONL or CSV file (by extension, else by content) without storing anything.</summary>
    Task<DatasetParseResult> ParseAsync(Stream content, string fileName, CancellationToken cancellationToken);

    Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken cancellationToken);

    Task<DatasetSummary?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<DatasetVersionInfo>> VersionsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The rows of a version (the latest when <paramref name="version"/> is null); empty when there is no such dataset.</summary>
    Task<IReadOnlyList<DatasetRow>> RowsAsync(Guid id, int? version, CancellationToken cancellationToken);

    /// <summary>
    /// Validates the whole file and stores it as a new dataset (<paramref name="addVersionTo"/> null) or a new version
    /// of an existing one; nothing is stored when any row has a problem.
    /// </summary>
    Task<DatasetSaveResult> SaveAsync(string name, string? description, Stream content, string fileName, Guid? addVersionTo, CancellationToken cancellationToken);

    /// <summary>Stores rows made in the portal (from playground compare sessions) as a new dataset, written as JSONL.</summary>
    Task<DatasetSaveResult> CreateFromRowsAsync(string name, string? description, IReadOnlyList<DatasetRow> rows, CancellationToken cancellationToken);

    /// <summary>The file of a version exactly as stored; null when there is no such version.</summary>
    Task<DatasetDownload?> DownloadAsync(Guid id, int version, CancellationToken cancellationToken);

    /// <remarks>
    /// Runs keep a copy of the rows they ran on, so deleting a dataset leaves its runs readable. The example dataset
    /// (<see cref="DatasetSummary.IsExample"/>) cannot be deleted: it throws <see cref="InvalidOperationException"/>
    /// with a message to show.
    /// </remarks>
    Task DeleteAsync(Guid id, CancellationToken cancellationToken);
}

public enum ScorerKind
{
    Deterministic,
    Judge,
}

/// <summary>
/// A scorer the portal offers. Ids as in the HTTP API: <c>exact-match</c>, <c>substring-match</c>,
/// <c>substring-match-ci</c>, <c>regex:&lt;pattern&gt;</c>, <c>json-valid</c>, <c>json-field:&lt;path&gt;</c> (equals the
/// expected answer), <c>numeric:&lt;tolerance&gt;</c>, <c>judge:coherence|fluency|groundedness|relevance|similarity</c>.
/// <see cref="Argument"/> names what follows the colon when the scorer takes one.
/// </summary>
public sealed record ScorerInfo(string Id, string Label, ScorerKind Kind, string Description, string? Argument, string? DefaultJudgePrompt);

public sealed record EvaluationTargetSpec(string Connection, string Model, string? SystemPrompt = null, GenerationParameters? Parameters = null);

public sealed record JudgeSpec(string Connection, string Model);

/// <summary>
/// What to evaluate: a stored dataset (its latest version unless <see cref="DatasetVersion"/> is set) or inline
/// <see cref="Rows"/>; 1–4 targets; scorer ids; a judge when a <c>judge:</c> scorer is chosen, with optional edited
/// judge prompts by scorer id.
/// </summary>
public sealed record EvaluationSpec(
    string Name,
    Guid? DatasetId,
    int? DatasetVersion,
    IReadOnlyList<DatasetRow>? Rows,
    IReadOnlyList<EvaluationTargetSpec> Targets,
    IReadOnlyList<string> Scorers,
    JudgeSpec? Judge = null,
    IReadOnlyDictionary<string, string>? JudgePrompts = null,
    int Concurrency = 4);

/// <summary>Either the new run's id or the problems, by field name as in the HTTP API (<c>targets[1].model</c>).</summary>
public sealed record EvaluationStartResult(Guid? Id, IReadOnlyDictionary<string, string[]> Problems);

public enum EvaluationStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>Counts of cells (rows × targets): finished well, failed, still to run.</summary>
public sealed record EvaluationCounts(int Total, int Succeeded, int Failed, int Pending);

/// <summary>A scorer's mean over the rows it could score, with a 95 % confidence interval; <see cref="Missing"/> rows had no score.</summary>
/// <remarks>Deterministic scorers are 0–1; judge scorers are 1–5 in <see cref="Mean"/> and 0–1 in <see cref="Normalised"/>.</remarks>
public sealed record ScoreSummary(string Scorer, double? Mean, double? Low, double? High, double? Normalised, int Scored, int Missing);

public sealed record LatencySummary(double? TtftP50Ms, double? TtftP95Ms, double? TotalP50Ms, double? TotalP95Ms);

public sealed record TargetSummary(
    int Index,
    string Connection,
    string Model,
    string? SystemPrompt,
    IReadOnlyList<ScoreSummary> Scores,
    LatencySummary Latency,
    long InputTokens,
    long OutputTokens,
    bool TokensEstimated,
    double? CostUsd,
    EvaluationCounts Counts);

public sealed record EvaluationRunInfo(
    Guid Id,
    string Name,
    EvaluationStatus Status,
    Guid? DatasetId,
    string DatasetName,
    int? DatasetVersion,
    int Rows,
    IReadOnlyList<string> Scorers,
    JudgeSpec? Judge,
    IReadOnlyList<TargetSummary> Targets,
    EvaluationCounts Counts,
    TimeSpan? Eta,
    DateTimeOffset CreatedUtc,
    DateTimeOffset? StartedUtc,
    DateTimeOffset? FinishedUtc,
    string OwnerId,
    string OwnerName,
    bool ShownOnBenchmarks,
    string? Error);

/// <summary>One score of one answer: 0/1 (or 0–1) for deterministic scorers, 1–5 for judges; null when missing, with the judge's raw answer kept.</summary>
public sealed record ScoreValue(string Scorer, double? Value, string? Reasoning, string? Raw);

public enum CellStatus
{
    Pending,
    Succeeded,
    Failed,
}

public sealed record RowCell(
    int Target,
    CellStatus Status,
    string? Answer,
    string? Error,
    double? TtftMs,
    double? TotalMs,
    int? InputTokens,
    int? OutputTokens,
    bool TokensEstimated,
    double? CostUsd,
    IReadOnlyList<ScoreValue> Scores,
    Guid? TraceId);

public sealed record EvaluationRowResult(int Row, DatasetInput Input, string? Expected, IReadOnlyList<RowCell> Cells);

/// <summary>An accuracy-type result of a run shown on the benchmark dashboard as a dataset of kind <c>measured-here</c>.</summary>
public sealed record MeasuredResult(
    Guid RunId,
    string RunName,
    string Connection,
    string Model,
    string? CatalogModelId,
    string Scorer,
    string ScorerLabel,
    double Value,
    double? Low,
    double? High,
    string DatasetName,
    int? DatasetVersion,
    int Rows,
    DateTimeOffset MeasuredUtc);

public interface IEvaluationService
{
    IReadOnlyList<ScorerInfo> Scorers { get; }

    /// <summary>Validates and queues a run; it runs in the background (and resumes after a restart).</summary>
    Task<EvaluationStartResult> StartAsync(EvaluationSpec spec, CancellationToken cancellationToken);

    Task<IReadOnlyList<EvaluationRunInfo>> ListAsync(CancellationToken cancellationToken);

    Task<EvaluationRunInfo?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<EvaluationRowResult>> RowsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Raised (on a background thread) when a run's counts or status change; pages re-read and re-render.</summary>
    event Action<Guid>? Changed;

    Task CancelAsync(Guid id, CancellationToken cancellationToken);

    Task DeleteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Shows or hides the run's accuracy-type results on the benchmark dashboard.</summary>
    Task SetShownOnBenchmarksAsync(Guid id, bool shown, CancellationToken cancellationToken);

    Task<IReadOnlyList<MeasuredResult>> MeasuredResultsAsync(CancellationToken cancellationToken);

    /// <summary>The summary and every row, as <c>csv</c> or <c>json</c>.</summary>
    Task<DatasetDownload?> ExportAsync(Guid id, string format, CancellationToken cancellationToken);
}
