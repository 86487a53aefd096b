using System.Text;
using Portal.Web.Evaluations;

namespace Portal.Components.Tests.Evaluations;

/// <summary>
/// The dataset service as the pages see it, in memory: <see cref="Parse"/> decides what a file holds (a test gives the
/// rows and problems it wants shown), saves are kept, and <see cref="Deny"/> refuses every change as the service does
/// for a role that may not.
/// </summary>
public sealed class FakeDatasetService : IDatasetService
{
    public List<DatasetSummary> Items { get; } = [];

    public Dictionary<Guid, List<DatasetRow>> Rows { get; } = [];

    public List<(string Name, string FileName, Guid? AddVersionTo, string Content)> Saved { get; } = [];

    public List<(string Name, IReadOnlyList<DatasetRow> Rows)> Created { get; } = [];

    public List<Guid> Deleted { get; } = [];

    public Func<string, string, DatasetParseResult> Parse { get; set; } = (content, fileName) =>
        new("jsonl", ["question", "expected"], [new DatasetRow(1, new DatasetInput("What is 2 + 2?", null), "4", new Dictionary<string, string>())], [], 1);

    public Portal.Web.Access.PortalAction? Deny { get; set; }

    public DatasetSummary Add(string name, int rows = 3, string owner = "tester", bool example = false)
    {
        var summary = new DatasetSummary(Guid.NewGuid(), name, null, 1, rows, new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), owner, owner, example);
        Items.Add(summary);
        Rows[summary.Id] = [.. Enumerable.Range(1, rows).Select(i => new DatasetRow(i, new DatasetInput($"What is {i} + {i}?", null), $"{2 * i}", new Dictionary<string, string>()))];
        return summary;
    }

    public async Task<DatasetParseResult> ParseAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, Encoding.UTF8);
        return Parse(await reader.ReadToEndAsync(cancellationToken), fileName);
    }

    public Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DatasetSummary>>([.. Items]);

    public Task<DatasetSummary?> GetAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Items.FirstOrDefault(d => d.Id == id));

    public Task<IReadOnlyList<DatasetVersionInfo>> VersionsAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DatasetVersionInfo>>(Items.FirstOrDefault(d => d.Id == id) is { } d
            ? [.. Enumerable.Range(1, d.LatestVersion).Select(v => new DatasetVersionInfo(v, d.Rows, $"{d.Name}.jsonl", "jsonl", 2048, new string('a', 64), d.UpdatedUtc, d.OwnerName))]
            : []);

    public Task<IReadOnlyList<DatasetRow>> RowsAsync(Guid id, int? version, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DatasetRow>>(Rows.TryGetValue(id, out var rows) ? rows : []);

    public async Task<DatasetSaveResult> SaveAsync(string name, string? description, Stream content, string fileName, Guid? addVersionTo, CancellationToken cancellationToken)
    {
        ThrowIfDenied();
        using var reader = new StreamReader(content, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        Saved.Add((name, fileName, addVersionTo, text));
        var parsed = Parse(text, fileName);
        if (!parsed.IsValid)
        {
            return new DatasetSaveResult(null, null, parsed.Problems);
        }

        var summary = new DatasetSummary(addVersionTo ?? Guid.NewGuid(), name, description, 1, parsed.TotalRows, DateTimeOffset.UnixEpoch, "tester", "tester", false);
        Items.Add(summary);
        return new DatasetSaveResult(summary, 1, []);
    }

    public Task<DatasetSaveResult> CreateFromRowsAsync(string name, string? description, IReadOnlyList<DatasetRow> rows, CancellationToken cancellationToken)
    {
        ThrowIfDenied();
        Created.Add((name, rows));
        var summary = new DatasetSummary(Guid.NewGuid(), name, description, 1, rows.Count, DateTimeOffset.UnixEpoch, "tester", "tester", false);
        Items.Add(summary);
        return Task.FromResult(new DatasetSaveResult(summary, 1, []));
    }

    public Task<DatasetDownload?> DownloadAsync(Guid id, int version, CancellationToken cancellationToken) =>
        Task.FromResult<DatasetDownload?>(Items.Any(d => d.Id == id) ? new DatasetDownload("{}\n"u8.ToArray(), "d.jsonl", "application/jsonl") : null);

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        ThrowIfDenied();
        Deleted.Add(id);
        Items.RemoveAll(d => d.Id == id);
        return Task.CompletedTask;
    }

    private void ThrowIfDenied()
    {
        if (Deny is { } action)
        {
            throw new Portal.Web.Access.PortalAccessDeniedException(action, Portal.Web.Access.PortalPermissions.Required(action), Portal.Web.Access.PortalRole.Reader);
        }
    }
}

/// <summary>
/// The evaluation service as the pages see it, in memory: runs and rows a test sets, <see cref="Problems"/> returned by
/// Start, and <see cref="RaiseChanged"/> to report progress from another thread as the engine does.
/// </summary>
public sealed class FakeEvaluationService : IEvaluationService
{
    public static readonly IReadOnlyList<ScorerInfo> DefaultScorers =
    [
        new("exact-match", "Exact match", ScorerKind.Deterministic, "The answer equals the expected one.", null, null),
        new("substring-match", "Substring match", ScorerKind.Deterministic, "The expected answer appears in the answer.", null, null),
        new("regex:<pattern>", "Regex", ScorerKind.Deterministic, "The answer matches a regular expression.", "pattern", null),
        new("judge:relevance", "Relevance", ScorerKind.Judge, "How relevant the answer is (1–5).", null, "Rate the relevance of the ANSWER to the QUESTION from 1 to 5."),
    ];

    public Dictionary<Guid, EvaluationRunInfo> Runs { get; } = [];

    public Dictionary<Guid, List<EvaluationRowResult>> RowResults { get; } = [];

    public List<MeasuredResult> Measured { get; } = [];

    public List<EvaluationSpec> Started { get; } = [];

    public List<Guid> Cancelled { get; } = [];

    public List<(Guid Id, bool Shown)> ShownChanges { get; } = [];

    public IReadOnlyDictionary<string, string[]> Problems { get; set; } = new Dictionary<string, string[]>();

    public Portal.Web.Access.PortalAction? Deny { get; set; }

    public int Reads { get; private set; }

    public IReadOnlyList<ScorerInfo> Scorers { get; set; } = DefaultScorers;

    public event Action<Guid>? Changed;

    public int Subscribers => Changed?.GetInvocationList().Length ?? 0;

    public void RaiseChanged(Guid id) => Task.Run(() => Changed?.Invoke(id)).Wait();

    public Task<EvaluationStartResult> StartAsync(EvaluationSpec spec, CancellationToken cancellationToken)
    {
        ThrowIfDenied();
        Started.Add(spec);
        return Task.FromResult(Problems.Count > 0 ? new EvaluationStartResult(null, Problems) : new EvaluationStartResult(Guid.NewGuid(), new Dictionary<string, string[]>()));
    }

    public Task<IReadOnlyList<EvaluationRunInfo>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<EvaluationRunInfo>>([.. Runs.Values]);

    public Task<EvaluationRunInfo?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        Reads++;
        return Task.FromResult(Runs.GetValueOrDefault(id));
    }

    public Task<IReadOnlyList<EvaluationRowResult>> RowsAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EvaluationRowResult>>(RowResults.TryGetValue(id, out var rows) ? rows : []);

    public Task CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        ThrowIfDenied();
        Cancelled.Add(id);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        ThrowIfDenied();
        Runs.Remove(id);
        return Task.CompletedTask;
    }

    public Task SetShownOnBenchmarksAsync(Guid id, bool shown, CancellationToken cancellationToken)
    {
        ThrowIfDenied();
        ShownChanges.Add((id, shown));
        Runs[id] = Runs[id] with { ShownOnBenchmarks = shown };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MeasuredResult>> MeasuredResultsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<MeasuredResult>>([.. Measured]);

    public Task<DatasetDownload?> ExportAsync(Guid id, string format, CancellationToken cancellationToken) =>
        Task.FromResult<DatasetDownload?>(Runs.ContainsKey(id) ? new DatasetDownload("x"u8.ToArray(), $"run.{format}", "text/plain") : null);

    /// <summary>A run of 4 rows over the given models, on dataset "arith" v2, with made-up scores (target i: mean 0.5 + 0.25 i).</summary>
    public EvaluationRunInfo AddRun(string name, EvaluationStatus status, EvaluationCounts counts, string[] scorers, string owner = "tester", params string[] models)
    {
        var id = Guid.NewGuid();
        var targets = models.Select((m, i) => new TargetSummary(i, "peer", m, null,
            [.. scorers.Select(s => new ScoreSummary(s, 0.5 + (0.25 * i), 0.3 + (0.25 * i), 0.7 + (0.2 * i), 0.5 + (0.25 * i), 4, 0))],
            new LatencySummary(120, 180, 900, 1400), 400, 120, true, 0.0021, counts)).ToList();
        var run = new EvaluationRunInfo(id, name, status, Guid.NewGuid(), "arith", 2, 4, scorers, null, targets, counts, TimeSpan.FromSeconds(42),
            new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), null, null, owner, owner, false, null);
        Runs[id] = run;
        return run;
    }

    private void ThrowIfDenied()
    {
        if (Deny is { } action)
        {
            throw new Portal.Web.Access.PortalAccessDeniedException(action, Portal.Web.Access.PortalPermissions.Required(action), Portal.Web.Access.PortalRole.Reader);
        }
    }
}

/// <summary>Performance probe results in memory.</summary>
public sealed class FakeProbeStore : Portal.Data.Probes.IPerformanceProbeStore
{
    public List<Portal.Data.Probes.PerformanceProbeRow> Rows { get; } = [];

    public Task AddAsync(Portal.Data.Probes.PerformanceProbeRow row, CancellationToken cancellationToken)
    {
        lock (Rows)
        {
            Rows.Add(row);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Portal.Data.Probes.PerformanceProbeRow>> LatestAsync(string catalogModelId, int count, CancellationToken cancellationToken)
    {
        lock (Rows)
        {
            return Task.FromResult<IReadOnlyList<Portal.Data.Probes.PerformanceProbeRow>>([.. Rows.Where(r => r.CatalogModelId == catalogModelId).OrderByDescending(r => r.FinishedUtc).Take(count)]);
        }
    }
}
