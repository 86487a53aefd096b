namespace Portal.Web.Evaluations;

/// <summary>What the run page derives from a run: scorer labels, pass/fail of an answer, and the row filters.</summary>
public static class RunPresentation
{
    /// <summary>The scorer's label, with its argument (<c>regex:^\d+$</c> → "Regex ^\d+$").</summary>
    public static string ScorerLabel(IReadOnlyList<ScorerInfo> scorers, string id)
    {
        ArgumentNullException.ThrowIfNull(scorers);
        ArgumentNullException.ThrowIfNull(id);
        if (scorers.FirstOrDefault(s => s.Id == id) is { } exact)
        {
            return exact.Label;
        }

        var parts = id.Split(':', 2);
        return scorers.FirstOrDefault(s => s.Argument is not null && s.Id.Split(':', 2)[0] == parts[0]) is { } withArgument && parts.Length == 2
            ? $"{withArgument.Label} {parts[1]}"
            : id;
    }

    public static bool IsJudge(IReadOnlyList<ScorerInfo> scorers, string id)
    {
        ArgumentNullException.ThrowIfNull(scorers);
        return scorers.FirstOrDefault(s => s.Id == id)?.Kind == ScorerKind.Judge || (id ?? "").StartsWith("judge:", StringComparison.Ordinal);
    }

    /// <summary>0–1 for any scorer: judge grades 1–5 map to 0–1.</summary>
    public static double? Normalise(double? value, bool judge) => value is not { } v ? null : judge ? Math.Clamp((v - 1) / 4, 0, 1) : Math.Clamp(v, 0, 1);

    /// <summary>
    /// Whether a target's answer to a row passed a scorer: at least 0.5 on a 0–1 scorer, 3 or more of 5 from a judge.
    /// A failed call is wrong; an answer the scorer could not score (or still pending) is neither.
    /// </summary>
    public static bool? Passed(RowCell cell, string scorer, bool judge)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Status == CellStatus.Failed)
        {
            return false;
        }

        if (cell.Status == CellStatus.Pending || cell.Scores.FirstOrDefault(s => s.Scorer == scorer)?.Value is not { } value)
        {
            return null;
        }

        return Normalise(value, judge) >= 0.5;
    }

    /// <summary>Rows where the targets disagree on <paramref name="scorer"/>: some passed it and some did not.</summary>
    public static bool Disagree(EvaluationRowResult row, string scorer, bool judge)
    {
        ArgumentNullException.ThrowIfNull(row);
        var verdicts = row.Cells.Select(c => Passed(c, scorer, judge)).Where(v => v is not null).Distinct().Count();
        return verdicts > 1;
    }

    /// <summary>Rows target <paramref name="target"/> got wrong on <paramref name="scorer"/> (or whose call failed).</summary>
    public static bool Wrong(EvaluationRowResult row, int target, string scorer, bool judge)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Cells.FirstOrDefault(c => c.Target == target) is { } cell && Passed(cell, scorer, judge) == false;
    }

    public static bool Matches(EvaluationRowResult row, string? search)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (string.IsNullOrWhiteSpace(search))
        {
            return true;
        }

        var s = search.Trim();
        return row.Input.Display.Contains(s, StringComparison.OrdinalIgnoreCase)
            || (row.Expected?.Contains(s, StringComparison.OrdinalIgnoreCase) ?? false)
            || row.Cells.Any(c => (c.Answer?.Contains(s, StringComparison.OrdinalIgnoreCase) ?? false) || (c.Error?.Contains(s, StringComparison.OrdinalIgnoreCase) ?? false));
    }
}
