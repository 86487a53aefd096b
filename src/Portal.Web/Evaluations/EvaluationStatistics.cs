namespace Portal.Web.Evaluations;

/// <summary>
/// The statistics of a run's summary. A 0/1 scorer's mean is a proportion: its 95 % interval is the Wilson score
/// interval (sound for small samples and for proportions near 0 or 1). A 1–5 judge scorer's mean gets Student's t
/// interval (mean ± t₀.₉₇₅,ₙ₋₁ · s/√n; the normal 1.96 from 30 degrees of freedom on), none with fewer than 2 scores.
/// Latency percentiles are nearest-rank.
/// </summary>
public static class EvaluationStatistics
{
    private const double Z95 = 1.959963984540054;

    // t(0.975, df) for df = 1..30.
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The Wilson score interval of <paramref name="successes"/> in <paramref name="n"/>.</summary>
    public static (double Low, double High) Wilson(double successes, int n)
    {
        if (n <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var p = successes / n;
        var z2 = Z95 * Z95;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = Z95 * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Mean ± t·s/√n; null with fewer than two values.</summary>
    public static (double Low, double High)? TInterval(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        var df = values.Count - 1;
        var t = df <= T975.Length ? T975[df - 1] : Z95;
        var half = t * Math.Sqrt(variance / values.Count);
        return (mean - half, mean + half);
    }

    /// <summary>A scorer's summary over the values of one target's rows (null values are missing).</summary>
    public static ScoreSummary Summarise(string scorer, ScorerKind kind, IReadOnlyList<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var scored = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        var missing = values.Count - scored.Count;
        if (scored.Count == 0)
        {
            return new(scorer, null, null, null, null, 0, missing);
        }

        var mean = scored.Average();
        if (kind == ScorerKind.Judge)
        {
            var interval = TInterval(scored);
            return new(scorer, mean, interval?.Low, interval?.High, (mean - 1) / 4, scored.Count, missing);
        }

        if (scored.All(v => v is 0 or 1))
        {
            var (low, high) = Wilson(scored.Sum(), scored.Count);
            return new(scorer, mean, low, high, mean, scored.Count, missing);
        }

        var t = TInterval(scored);
        return new(scorer, mean, t?.Low, t?.High, mean, scored.Count, missing);
    }

    /// <summary>The nearest-rank percentile (0–100) of the values; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
