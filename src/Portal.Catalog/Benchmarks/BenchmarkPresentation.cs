namespace Portal.Catalog.Benchmarks;

/// <summary>One published number and every page that prints it (the same label, setting, value and table, copied into several model cards).</summary>
public sealed record ScoreWithSources(BenchmarkScore Score, IReadOnlyList<BenchmarkSource> Sources);

/// <summary>How the dashboard and the compare view word and group published numbers; nothing here changes a number.</summary>
public static class BenchmarkPresentation
{
    /// <summary>
    /// The numbers with duplicates folded: rows with the same dataset, label, setting, value, kind, publisher and table
    /// become one, keeping every page they were read from (in file order).
    /// </summary>
    public static IReadOnlyList<ScoreWithSources> Deduplicate(IEnumerable<BenchmarkScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return [.. scores
            .GroupBy(s => (s.Column, s.Label, s.PrintedSetting, s.Value, s.Kind, s.Metric, s.Source.ReportedBy, s.Source.Table, s.Note))
            .Select(g => new ScoreWithSources(g.First(), [.. g.Select(s => s.Source).DistinctBy(s => s.Url, StringComparer.Ordinal)]))];
    }

    /// <summary>The label as printed, with the printed setting added only when the label does not already say it ("MMLU (5-shot)", not "MMLU (5-shot) (5-shot)").</summary>
    public static string LabelWithSetting(BenchmarkScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var setting = score.PrintedSetting?.Trim();
        return string.IsNullOrEmpty(setting) || Squash(score.Label).Contains(Squash(setting), StringComparison.Ordinal)
            ? score.Label
            : $"{score.Label} ({setting})";
    }

    /// <summary>What makes two numbers comparable beyond the dataset: shots, chain of thought, language or subtask, and metric.</summary>
    public static string SettingKey(BenchmarkScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return string.Join('|', score.Setting.Shots ?? "?", score.Setting.ChainOfThought ? "cot" : "", score.Setting.Language ?? "", score.Setting.Variant ?? "", score.Metric.ToString());
    }

    /// <summary>A short description of the setting for a chip: "5-shot · CoT", or "setting not printed".</summary>
    public static string SettingText(BenchmarkScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return score.Setting.Summary ?? "setting not printed";
    }

    /// <summary>
    /// Which of the shown numbers (one per model, null where none) is best: only among numbers of the same setting
    /// (<see cref="SettingKey"/>), and only where at least two numbers share it. A 2-shot and a 0-shot number are never
    /// ranked against each other.
    /// </summary>
    public static bool[] Best(IReadOnlyList<BenchmarkScore?> shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var best = new bool[shown.Count];
        foreach (var group in shown.Select((s, i) => (Score: s, Index: i)).Where(p => p.Score is not null).GroupBy(p => SettingKey(p.Score!)))
        {
            var members = group.ToList();
            if (members.Count < 2)
            {
                continue;
            }

            var higher = MetricKinds.HigherIsBetter(members[0].Score!.Metric);
            var target = higher ? members.Max(m => m.Score!.Value) : members.Min(m => m.Score!.Value);
            foreach (var member in members.Where(m => m.Score!.Value == target))
            {
                best[member.Index] = true;
            }
        }

        return best;
    }

    /// <summary>
    /// The number to show per model in a column when models are compared side by side: in the setting most of them
    /// have a number in (so like is shown next to like), the model owner's first; a model without a number in that
    /// setting shows its usual one (<see cref="BenchmarkData.Representative"/>), and its setting says it differs.
    /// </summary>
    public static IReadOnlyList<BenchmarkScore?> Comparable(BenchmarkData data, IReadOnlyList<string> modelIds, BenchmarkColumn column)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(modelIds);
        var values = modelIds.Select(id => data.Values(id, column)).ToList();
        var usual = modelIds.Select(id => data.Representative(id, column)).ToList();
        var common = values
            .SelectMany((rows, i) => rows.Select(SettingKey).Distinct().Select(key => (Key: key, Model: i)))
            .GroupBy(p => p.Key)
            .Select(g => (g.Key, Models: g.Count(), Usual: usual.Count(u => u is not null && SettingKey(u) == g.Key)))
            .OrderByDescending(g => g.Models)
            .ThenByDescending(g => g.Usual)
            .FirstOrDefault();
        if (common.Key is null || common.Models < 2)
        {
            return usual;
        }

        return [.. values.Select((rows, i) =>
            rows.Where(r => SettingKey(r) == common.Key).OrderBy(r => r.Kind == SourceKind.ModelOwner ? 0 : 1).FirstOrDefault() ?? usual[i])];
    }

    private static string Squash(string text) => new([.. text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
