using System.Globalization;
using Portal.Catalog;
using Portal.Data.Evaluations;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;

namespace Portal.Web.Evaluations;

/// <summary>
/// Evaluation runs: every signed-in person reads them (they are the team's results). Starting one needs
/// <see cref="PortalAction.RunEvaluation"/>; cancelling or deleting one's own too, someone else's
/// <see cref="PortalAction.ManageOthersEvaluations"/>; showing results on the benchmark dashboard
/// <see cref="PortalAction.ShowOnBenchmarks"/>. The work itself is done by <see cref="EvaluationRunner"/>.
/// </summary>
public sealed class EvaluationService(
    IEvaluationStore store,
    IDatasetService datasets,
    ConnectionService connections,
    AccessControl access,
    EvaluationRunner runner,
    ICatalogService catalog,
    TimeProvider time) : IEvaluationService
{
    public const int MaxTargets = 4;
    public const int MaxConcurrency = 16;
    public const int MaxNameLength = 200;

    public IReadOnlyList<ScorerInfo> Scorers => Evaluations.Scorers.Catalog;

    public event Action<Guid>? Changed
    {
        add => runner.Changed += value;
        remove => runner.Changed -= value;
    }

    public async Task<EvaluationStartResult> StartAsync(EvaluationSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = string.IsNullOrWhiteSpace(spec.Name) ? "" : spec.Name.Trim();
        await access.DemandAsync(PortalAction.RunEvaluation, $"evaluation:{(name.Length > 200 ? name[..200] : name)}", cancellationToken);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Problem(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(message);
        }

        if (name.Length > MaxNameLength)
        {
            Problem("name", $"Use at most {MaxNameLength} characters for the name.");
        }

        // The rows: a stored dataset's version, or rows given inline; copied into the run so it can always be read and resumed.
        IReadOnlyList<DatasetRow> rows = [];
        string datasetName = "Inline rows";
        int? version = null;
        if (spec.DatasetId.HasValue == (spec.Rows is not null))
        {
            Problem(spec.DatasetId is null ? "datasetId" : "rows", "Give either datasetId (a stored dataset) or rows (inline), not both and not neither.");
        }
        else if (spec.DatasetId is { } id)
        {
            var dataset = await datasets.GetAsync(id, cancellationToken);
            if (dataset is null)
            {
                Problem("datasetId", $"There is no dataset {id}.");
            }
            else
            {
                version = spec.DatasetVersion ?? dataset.LatestVersion;
                rows = await datasets.RowsAsync(id, version, cancellationToken);
                datasetName = dataset.Name;
                if (rows.Count == 0)
                {
                    Problem("datasetVersion", $"The dataset '{dataset.Name}' has no version {version}.");
                }
            }
        }
        else
        {
            rows = [.. spec.Rows!.Select((r, i) => r with { Number = i + 1, Metadata = r.Metadata ?? new Dictionary<string, string>() })];
            if (rows.Count == 0)
            {
                Problem("rows", "Give at least one row.");
            }
            else if (rows.Count > DatasetLimits.MaxRows)
            {
                Problem("rows", $"Give at most {DatasetLimits.MaxRows:N0} rows (there are {rows.Count:N0}).");
            }
            else
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    if (RowProblem(rows[i]) is { } problem)
                    {
                        Problem($"rows[{i}].input", problem);
                    }
                }
            }
        }

        var targets = spec.Targets ?? [];
        if (targets.Count is 0 or > MaxTargets)
        {
            Problem("targets", $"Choose 1 to {MaxTargets} targets (there are {targets.Count}).");
        }

        var known = await connections.ListAsync(cancellationToken);
        for (var i = 0; i < targets.Count && i < MaxTargets; i++)
        {
            var target = targets[i];
            if (target is null)
            {
                Problem($"targets[{i}]", "Give the target's connection and model.");
                continue;
            }

            ConnectionProblem($"targets[{i}].connection", target.Connection, known, Problem);
            if (string.IsNullOrWhiteSpace(target.Model))
            {
                Problem($"targets[{i}].model", "Give the model or deployment name.");
            }
            else if (target.Model.Length > 200)
            {
                Problem($"targets[{i}].model", "Use at most 200 characters for the model.");
            }

            if (target.SystemPrompt is { Length: > DatasetLimits.MaxFieldChars })
            {
                Problem($"targets[{i}].systemPrompt", $"Use at most {DatasetLimits.MaxFieldChars:N0} characters for the system prompt.");
            }

            if (target.Parameters is { } p)
            {
                if (p.Temperature is < 0 or > 2)
                {
                    Problem($"targets[{i}].parameters.temperature", "Use a temperature from 0 to 2.");
                }

                if (p.TopP is < 0 or > 1)
                {
                    Problem($"targets[{i}].parameters.topP", "Use a top_p from 0 to 1.");
                }

                if (p.MaxTokens is < 1)
                {
                    Problem($"targets[{i}].parameters.maxTokens", "Use max tokens of 1 or more.");
                }
            }
        }

        var scorers = (spec.Scorers ?? []).ToList();
        if (scorers.Count == 0)
        {
            Problem("scorers", "Choose at least one scorer.");
        }

        var judged = new List<string>();
        for (var i = 0; i < scorers.Count; i++)
        {
            var (scorer, problem) = Evaluations.Scorers.Resolve(scorers[i]);
            if (problem is not null)
            {
                Problem($"scorers[{i}]", problem);
            }
            else if (scorers.Take(i).Any(s => s?.Trim() == scorer!.Id))
            {
                Problem($"scorers[{i}]", $"'{scorer!.Id}' is chosen twice.");
            }
            else if (scorer!.Info.Kind == ScorerKind.Judge)
            {
                judged.Add(scorer.Id);
            }
        }

        if (judged.Count > 0 && spec.Judge is null)
        {
            Problem("judge", $"Choose a judge connection and model for {string.Join(", ", judged)}.");
        }
        else if (spec.Judge is { } judge)
        {
            ConnectionProblem("judge.connection", judge.Connection, known, Problem);
            if (string.IsNullOrWhiteSpace(judge.Model))
            {
                Problem("judge.model", "Give the judge's model or deployment name.");
            }
        }

        foreach (var (scorer, prompt) in spec.JudgePrompts ?? new Dictionary<string, string>())
        {
            if (!judged.Contains(scorer))
            {
                Problem($"judgePrompts.{scorer}", $"'{scorer}' is not a chosen judge scorer.");
            }
            else if (string.IsNullOrWhiteSpace(prompt) || !prompt.Contains("{answer}", StringComparison.Ordinal))
            {
                Problem($"judgePrompts.{scorer}", "The judge prompt must contain {answer} (where the answer to grade goes).");
            }
            else if (prompt.Length > DatasetLimits.MaxFieldChars)
            {
                Problem($"judgePrompts.{scorer}", $"Use at most {DatasetLimits.MaxFieldChars:N0} characters for a judge prompt.");
            }
        }

        if (spec.Concurrency is < 1 or > MaxConcurrency)
        {
            Problem("concurrency", $"Use a concurrency from 1 to {MaxConcurrency}.");
        }

        if (problems.Count > 0)
        {
            await access.FailedAsync(PortalAction.RunEvaluation, $"evaluation:{name}", $"refused: {problems.Count} problem(s)");
            return new(null, problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));
        }

        var now = time.GetUtcNow();
        var run = new EvaluationRunRow
        {
            Id = Guid.NewGuid(),
            Name = name.Length > 0 ? name : $"{datasetName} — {now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
            OwnerId = access.User.Id,
            OwnerName = access.User.IsSignedIn ? access.User.Email ?? access.User.DisplayName : access.User.DisplayName,
            Status = nameof(EvaluationStatus.Queued),
            Spec = EvaluationJson.Write(new StoredSpec(
                [.. targets.Select(t => t with { Connection = t.Connection.Trim(), Model = t.Model.Trim() })],
                [.. scorers.Select(s => s.Trim())],
                spec.Judge is { } j ? new JudgeSpec(j.Connection.Trim(), j.Model.Trim()) : null,
                spec.JudgePrompts,
                spec.Concurrency)),
            RowsJson = EvaluationJson.Write(rows),
            DatasetId = spec.DatasetId,
            DatasetName = datasetName.Length > 200 ? datasetName[..200] : datasetName,
            DatasetVersion = version,
            Rows = rows.Count,
            Targets = targets.Count,
            CreatedUtc = now,
        };
        await store.AddRunAsync(run, cancellationToken);
        await access.SucceededAsync(PortalAction.RunEvaluation, $"evaluation:{run.Name}", $"{run.Rows} rows × {run.Targets} target(s)");
        runner.Enqueue(run.Id);
        return new(run.Id, new Dictionary<string, string[]>());
    }

    private static void ConnectionProblem(string field, string? name, IReadOnlyList<ConnectionView> known, Action<string, string> problem)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problem(field, "Give the connection's name (Settings → Connections).");
        }
        else if (!known.Any(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            problem(field, $"There is no connection named '{name}' (Settings → Connections lists the ones you can use).");
        }
    }

    private static string? RowProblem(DatasetRow row)
    {
        var input = row.Input;
        if (input is null || (input.Question is null) == (input.Messages is null))
        {
            return "Give the input: a question, or a messages array.";
        }

        if (input.Question is { } q && (string.IsNullOrWhiteSpace(q) || q.Length > DatasetLimits.MaxFieldChars))
        {
            return string.IsNullOrWhiteSpace(q) ? "The input is empty." : $"The input has more than {DatasetLimits.MaxFieldChars:N0} characters.";
        }

        if (input.Messages is { } m && (m.Count == 0 || !m.Any(t => t.Role == ChatRole.User && !string.IsNullOrWhiteSpace(t.Content))))
        {
            return "The messages have no user message with text.";
        }

        return null;
    }

    public async Task<IReadOnlyList<EvaluationRunInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var runs = await store.ListRunsAsync(cancellationToken);
        var infos = new List<EvaluationRunInfo>(runs.Count);
        foreach (var run in runs)
        {
            infos.Add(Info(run, await store.ListCellMeasuresAsync(run.Id, cancellationToken)));
        }

        return infos;
    }

    public async Task<EvaluationRunInfo?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await store.GetRunHeaderAsync(id, cancellationToken) is { } run ? Info(run, await store.ListCellMeasuresAsync(id, cancellationToken)) : null;

    public async Task<IReadOnlyList<EvaluationRowResult>> RowsAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await store.GetRunAsync(id, cancellationToken) is not { } run)
        {
            return [];
        }

        var spec = EvaluationJson.Read<StoredSpec>(run.Spec);
        var rows = EvaluationJson.Read<List<DatasetRow>>(run.RowsJson);
        var cells = (await store.ListCellsAsync(id, cancellationToken)).ToDictionary(c => (c.Row, c.Target));
        return [.. rows.Select(r => new EvaluationRowResult(r.Number, r.Input, r.Expected, [.. spec.Targets.Select((_, t) => cells.TryGetValue((r.Number, t), out var cell)
            ? ToCell(cell)
            : new RowCell(t, CellStatus.Pending, null, null, null, null, null, null, false, null, [], null))]))];
    }

    private static RowCell ToCell(EvaluationCellRow c) => new(
        c.Target,
        Enum.TryParse<CellStatus>(c.Status, out var status) ? status : CellStatus.Failed,
        c.Answer,
        c.Error,
        c.TtftMs,
        c.TotalMs,
        c.InputTokens,
        c.OutputTokens,
        c.TokensEstimated,
        c.CostUsd,
        EvaluationJson.Scores(c.Scores),
        c.TraceId);

    private EvaluationRunInfo Info(EvaluationRunRow run, IReadOnlyList<EvaluationCellRow> cells)
    {
        var spec = EvaluationJson.Read<StoredSpec>(run.Spec);
        var kinds = spec.Scorers.ToDictionary(s => s, s => Evaluations.Scorers.Resolve(s).Scorer?.Info.Kind ?? ScorerKind.Deterministic, StringComparer.Ordinal);
        var targets = spec.Targets.Select((t, i) =>
        {
            var mine = cells.Where(c => c.Target == i).ToList();
            var ok = mine.Where(c => c.Status == nameof(CellStatus.Succeeded)).ToList();
            var scores = ok.Select(c => EvaluationJson.Scores(c.Scores)).ToList();
            var summaries = spec.Scorers.Select(s =>
            {
                var values = scores.Select(list => list.FirstOrDefault(v => v.Scorer == s)?.Value).ToList();
                var summary = EvaluationStatistics.Summarise(s, kinds[s], values);
                return summary with { Missing = summary.Missing + (mine.Count - ok.Count) };
            }).ToList();
            var ttft = ok.Where(c => c.TtftMs is not null).Select(c => c.TtftMs!.Value).ToList();
            var total = ok.Where(c => c.TotalMs is not null).Select(c => c.TotalMs!.Value).ToList();
            var latency = new LatencySummary(
                EvaluationStatistics.Percentile(ttft, 50), EvaluationStatistics.Percentile(ttft, 95),
                EvaluationStatistics.Percentile(total, 50), EvaluationStatistics.Percentile(total, 95));
            var costs = mine.Where(c => c.CostUsd is not null).Select(c => c.CostUsd!.Value).ToList();
            var counts = new EvaluationCounts(run.Rows, ok.Count, mine.Count - ok.Count, Math.Max(0, run.Rows - mine.Count));
            return new TargetSummary(i, t.Connection, t.Model, t.SystemPrompt, summaries, latency,
                mine.Sum(c => (long)(c.InputTokens ?? 0)), mine.Sum(c => (long)(c.OutputTokens ?? 0)), mine.Any(c => c.TokensEstimated),
                costs.Count == 0 ? null : costs.Sum(), counts);
        }).ToList();
        var all = new EvaluationCounts(
            targets.Sum(t => t.Counts.Total), targets.Sum(t => t.Counts.Succeeded), targets.Sum(t => t.Counts.Failed), targets.Sum(t => t.Counts.Pending));
        var status = Enum.TryParse<EvaluationStatus>(run.Status, out var s) ? s : EvaluationStatus.Failed;
        return new EvaluationRunInfo(run.Id, run.Name, status, run.DatasetId, run.DatasetName, run.DatasetVersion, run.Rows, spec.Scorers, spec.Judge, targets, all,
            status == EvaluationStatus.Running ? runner.Eta(run.Id, all.Pending) : null,
            run.CreatedUtc, run.StartedUtc, run.FinishedUtc, run.OwnerId, run.OwnerName, run.ShownOnBenchmarks, run.Error);
    }

    public async Task CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(id, cancellationToken);
        var target = $"evaluation:{run?.Name ?? id.ToString()}";
        await DemandOwnOrOthersAsync(run?.OwnerId, target, cancellationToken);
        if (run is null || run.Status is not (nameof(EvaluationStatus.Queued) or nameof(EvaluationStatus.Running)))
        {
            return;
        }

        await store.UpdateRunAsync(id, nameof(EvaluationStatus.Cancelled), null, time.GetUtcNow(), null, cancellationToken);
        await runner.CancelAsync(id, TimeSpan.FromSeconds(10));
        await access.SucceededAsync(PortalAction.RunEvaluation, target, "cancelled");
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(id, cancellationToken);
        var target = $"evaluation:{run?.Name ?? id.ToString()}";
        await DemandOwnOrOthersAsync(run?.OwnerId, target, cancellationToken);
        if (run is null)
        {
            return;
        }

        await store.UpdateRunAsync(id, nameof(EvaluationStatus.Cancelled), null, time.GetUtcNow(), null, cancellationToken);
        await runner.CancelAsync(id, TimeSpan.FromSeconds(10));
        await store.DeleteRunAsync(id, cancellationToken);
        await access.SucceededAsync(PortalAction.RunEvaluation, target, "deleted");
    }

    /// <summary>
    /// One's own run needs <see cref="PortalAction.RunEvaluation"/>; someone else's <see cref="PortalAction.ManageOthersEvaluations"/>
    /// (a higher role, which includes running evaluations).
    /// </summary>
    private Task DemandOwnOrOthersAsync(string? owner, string target, CancellationToken cancellationToken) =>
        access.DemandAsync(owner is not null && owner != access.User.Id ? PortalAction.ManageOthersEvaluations : PortalAction.RunEvaluation, target, cancellationToken);

    public async Task SetShownOnBenchmarksAsync(Guid id, bool shown, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(id, cancellationToken);
        var target = $"evaluation:{run?.Name ?? id.ToString()}";
        await access.DemandAsync(PortalAction.ShowOnBenchmarks, target, cancellationToken);
        if (run is not null && await store.SetShownAsync(id, shown, cancellationToken))
        {
            await access.SucceededAsync(PortalAction.ShowOnBenchmarks, target, shown ? "shown" : "hidden");
        }
    }

    public async Task<IReadOnlyList<MeasuredResult>> MeasuredResultsAsync(CancellationToken cancellationToken)
    {
        var runs = (await store.ListRunsAsync(cancellationToken)).Where(r => r.ShownOnBenchmarks && r.Status == nameof(EvaluationStatus.Completed)).ToList();
        var results = new List<MeasuredResult>();
        foreach (var run in runs)
        {
            var info = Info(run, await store.ListCellMeasuresAsync(run.Id, cancellationToken));
            foreach (var target in info.Targets)
            {
                var model = catalog.Current.Find(target.Model)
                    ?? catalog.Current.Models.FirstOrDefault(m => m.Aliases.Contains(target.Model, StringComparer.OrdinalIgnoreCase));
                foreach (var score in target.Scores.Where(s => s.Mean is not null && Evaluations.Scorers.Resolve(s.Scorer).Scorer?.Info.Kind == ScorerKind.Deterministic))
                {
                    var label = Evaluations.Scorers.Resolve(score.Scorer).Scorer!.Info.Label;
                    results.Add(new MeasuredResult(run.Id, run.Name, target.Connection, target.Model, model?.Id, score.Scorer,
                        score.Scorer.Contains(':', StringComparison.Ordinal) ? $"{label} ({score.Scorer[(score.Scorer.IndexOf(':', StringComparison.Ordinal) + 1)..]})" : label,
                        score.Mean!.Value, score.Low, score.High, run.DatasetName, run.DatasetVersion, score.Scored, run.FinishedUtc ?? run.CreatedUtc));
                }
            }
        }

        return results;
    }

    /// <summary>The summary and every row as <c>csv</c> (a row per dataset row × target) or <c>json</c>; null for an unknown run or format.</summary>
    public async Task<DatasetDownload?> ExportAsync(Guid id, string format, CancellationToken cancellationToken)
    {
        var info = await GetAsync(id, cancellationToken);
        if (info is null || format?.ToLowerInvariant() is not ("csv" or "json"))
        {
            return null;
        }

        var rows = await RowsAsync(id, cancellationToken);
        var stem = Slug(info.Name);
        return format.Equals("csv", StringComparison.OrdinalIgnoreCase)
            ? new DatasetDownload(EvaluationExport.Csv(info, rows), stem + ".csv", "text/csv")
            : new DatasetDownload(EvaluationExport.Json(info, rows), stem + ".json", "application/json");
    }

    private static string Slug(string name)
    {
        var slug = new string([.. name.Trim().ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-')]).Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return slug.Length == 0 ? "evaluation" : slug.Length > 60 ? slug[..60] : slug;
    }
}
