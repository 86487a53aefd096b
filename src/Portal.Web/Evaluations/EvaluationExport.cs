using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace Portal.Web.Evaluations;

/// <summary>The shapes of a run as the HTTP API and the JSON export give it (camelCase; scores 0–1).</summary>
public static class EvaluationDocuments
{
    public static string Status(EvaluationStatus status) => status.ToString().ToLowerInvariant();

    public static string Status(CellStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>A score as the API gives it: 0–1 (a judge's 1–5 mean normalised as (mean − 1) / 4).</summary>
    public static double? ZeroToOne(ScoreSummary score) => score.Normalised ?? score.Mean;

    public static object Run(EvaluationRunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new
        {
            id = run.Id,
            name = run.Name,
            status = Status(run.Status),
            counts = Counts(run.Counts),
            dataset = new { id = run.DatasetId, name = run.DatasetName, version = run.DatasetVersion, rows = run.Rows },
            scorers = run.Scorers,
            judge = run.Judge is { } j ? new { connection = j.Connection, model = j.Model } : null,
            etaSeconds = run.Eta?.TotalSeconds,
            createdUtc = run.CreatedUtc,
            startedUtc = run.StartedUtc,
            finishedUtc = run.FinishedUtc,
            owner = run.OwnerName,
            shownOnBenchmarks = run.ShownOnBenchmarks,
            error = run.Error,
            targets = run.Targets.Select(t => new
            {
                index = t.Index,
                connection = t.Connection,
                model = t.Model,
                systemPrompt = t.SystemPrompt,
                counts = Counts(t.Counts),
                scores = t.Scores.ToDictionary(s => s.Scorer, ZeroToOne),
                scoreDetails = t.Scores.ToDictionary(s => s.Scorer, s => new
                {
                    mean = s.Mean,
                    low = s.Low,
                    high = s.High,
                    normalised = s.Normalised,
                    scored = s.Scored,
                    missing = s.Missing,
                    scale = Scorers.Resolve(s.Scorer).Scorer?.Info.Kind == ScorerKind.Judge ? "1-5 (t interval)" : "0-1 (Wilson interval)",
                }),
                latency = new { ttftP50Ms = t.Latency.TtftP50Ms, ttftP95Ms = t.Latency.TtftP95Ms, totalP50Ms = t.Latency.TotalP50Ms, totalP95Ms = t.Latency.TotalP95Ms },
                tokens = new { input = t.InputTokens, output = t.OutputTokens, estimated = t.TokensEstimated },
                cost = new { usd = t.CostUsd, source = "estimate: low end of the unofficial community price map; null when the model has no price there" },
            }),
        };
    }

    public static object Counts(EvaluationCounts c) => new { total = c.Total, succeeded = c.Succeeded, failed = c.Failed, pending = c.Pending };

    public static object Row(EvaluationRowResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new
        {
            row = row.Row,
            input = row.Input.Question ?? (object)(row.Input.Messages ?? []).Select(m => new { role = m.Role.ToString().ToLowerInvariant(), content = m.Content }),
            expected = row.Expected,
            cells = row.Cells.Select(c => new
            {
                target = c.Target,
                status = Status(c.Status),
                answer = c.Answer,
                error = c.Error,
                ttftMs = c.TtftMs,
                totalMs = c.TotalMs,
                inputTokens = c.InputTokens,
                outputTokens = c.OutputTokens,
                tokensEstimated = c.TokensEstimated,
                costUsd = c.CostUsd,
                traceId = c.TraceId,
                scores = c.Scores.ToDictionary(s => s.Scorer, s => new { value = s.Value, reasoning = s.Reasoning, raw = s.Raw }),
            }),
        };
    }
}

/// <summary>Writes a run's export files.</summary>
internal static class EvaluationExport
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static byte[] Json(EvaluationRunInfo run, IReadOnlyList<EvaluationRowResult> rows) =>
        JsonSerializer.SerializeToUtf8Bytes(new { summary = EvaluationDocuments.Run(run), rows = rows.Select(EvaluationDocuments.Row) }, Indented);

    /// <summary>One line per dataset row × target, with each scorer's value (and a judge's reasoning).</summary>
    public static byte[] Csv(EvaluationRunInfo run, IReadOnlyList<EvaluationRowResult> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Cells a spreadsheet would run as a formula (=, +, -, @) are escaped.
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, NewLine = "\n" };
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true))
        {
            string[] fixedColumns = ["row", "input", "expected", "target", "connection", "model", "status", "answer", "error", "ttft_ms", "total_ms", "input_tokens", "output_tokens", "tokens_estimated", "cost_usd_estimate", "trace_id"];
            foreach (var column in fixedColumns)
            {
                csv.WriteField(column);
            }

            foreach (var scorer in run.Scorers)
            {
                csv.WriteField(scorer);
                if (scorer.StartsWith(Scorers.JudgePrefix, StringComparison.Ordinal))
                {
                    csv.WriteField(scorer + " reasoning");
                }
            }

            csv.EndRecord();
            foreach (var row in rows)
            {
                foreach (var cell in row.Cells)
                {
                    var target = run.Targets[cell.Target];
                    csv.WriteField(row.Row.ToString(CultureInfo.InvariantCulture));
                    csv.WriteField(row.Input.Display);
                    csv.WriteField(row.Expected);
                    csv.WriteField((cell.Target + 1).ToString(CultureInfo.InvariantCulture));
                    csv.WriteField(target.Connection);
                    csv.WriteField(target.Model);
                    csv.WriteField(EvaluationDocuments.Status(cell.Status));
                    csv.WriteField(cell.Answer);
                    csv.WriteField(cell.Error);
                    csv.WriteField(Number(cell.TtftMs));
                    csv.WriteField(Number(cell.TotalMs));
                    csv.WriteField(cell.InputTokens?.ToString(CultureInfo.InvariantCulture));
                    csv.WriteField(cell.OutputTokens?.ToString(CultureInfo.InvariantCulture));
                    csv.WriteField(cell.TokensEstimated ? "true" : "false");
                    csv.WriteField(Number(cell.CostUsd));
                    csv.WriteField(cell.TraceId?.ToString());
                    foreach (var scorer in run.Scorers)
                    {
                        var score = cell.Scores.FirstOrDefault(s => s.Scorer == scorer);
                        csv.WriteField(Number(score?.Value));
                        if (scorer.StartsWith(Scorers.JudgePrefix, StringComparison.Ordinal))
                        {
                            csv.WriteField(score?.Reasoning);
                        }
                    }

                    csv.EndRecord();
                }
            }
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    private static string? Number(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);
}
