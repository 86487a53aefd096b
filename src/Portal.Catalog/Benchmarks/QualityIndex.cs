namespace Portal.Catalog.Benchmarks;

/// <summary>One model's index: the mean of the numbers used (one per column), or why it has none.</summary>
public sealed record ModelIndexValue(string ModelId, double? Value, IReadOnlyList<BenchmarkScore> Used, string? Reason);

/// <summary>
/// The portal's quality index for a set of models: the mean of accuracy-type scores over one set of datasets, the
/// same for every ranked model. Models without a number in every one of those datasets are not ranked, and say why.
/// </summary>
public sealed record QualityIndexResult(IReadOnlyList<BenchmarkColumnInfo> Columns, IReadOnlyList<ModelIndexValue> Models, string? Explanation)
{
    public IEnumerable<ModelIndexValue> Ranked => Models.Where(m => m.Value is not null).OrderByDescending(m => m.Value);

    public ModelIndexValue? For(string modelId) => Models.FirstOrDefault(m => string.Equals(m.ModelId, modelId, StringComparison.OrdinalIgnoreCase));
}

public static class QualityIndex
{
    /// <summary>
    /// The index over the datasets <paramref name="modelIds"/> all have (when <paramref name="columns"/> is empty), or
    /// over the given datasets (accuracy-type only), ranking just the models that have all of them.
    /// </summary>
    public static QualityIndexResult Compute(BenchmarkData data, IEnumerable<string> modelIds, IReadOnlyList<BenchmarkColumn>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(modelIds);
        var ids = modelIds.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        List<BenchmarkColumnInfo> used;
        string? explanation = null;
        if (columns is { Count: > 0 })
        {
            used = [.. columns.Distinct().Select(data.Column).OfType<BenchmarkColumnInfo>().Where(c => c.Metric == MetricKind.Accuracy)];
            if (used.Count == 0)
            {
                explanation = "None of the chosen datasets is accuracy-type (0–100), so no index can be computed from them.";
            }
        }
        else
        {
            used = [.. data.Columns.Where(c => c.Metric == MetricKind.Accuracy && ids.Count > 0 && ids.All(id => data.Representative(id, c.Column) is { Metric: MetricKind.Accuracy }))];
            if (ids.Count > 0 && used.Count == 0)
            {
                explanation = ids.Count == 1
                    ? "This model has no accuracy-type benchmark score."
                    : $"These {ids.Count} models share no accuracy-type dataset, so they cannot be ranked on one index. Choose fewer models or specific datasets.";
            }
        }

        var models = new List<ModelIndexValue>();
        foreach (var id in ids)
        {
            if (used.Count == 0)
            {
                models.Add(new(id, null, [], explanation));
                continue;
            }

            var picked = used.Select(c => data.Representative(id, c.Column)).ToList();
            var missing = used.Where((c, i) => picked[i] is not { Metric: MetricKind.Accuracy }).Select(c => c.Name).ToList();
            models.Add(missing.Count > 0
                ? new(id, null, [], $"No {string.Join(", ", missing)} score.")
                : new(id, picked.Average(p => p!.Value), [.. picked.OfType<BenchmarkScore>()], null));
        }

        return new(used, models, explanation);
    }

    /// <summary>
    /// For a dashboard over many models: picks datasets greedily, most widely reported first, keeping each one only if
    /// at least half of the models that have any accuracy-type score (and at least two) still have all chosen datasets.
    /// Every ranked model is then scored on exactly the same datasets.
    /// </summary>
    public static QualityIndexResult ComputeWidest(BenchmarkData data, IEnumerable<string> modelIds)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(modelIds);
        var ids = modelIds.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var scored = ids.Where(id => data.ForModel(id).Any(s => s.Metric == MetricKind.Accuracy)).ToList();
        if (scored.Count <= 1)
        {
            return Compute(data, ids);
        }

        var threshold = Math.Max(2, (scored.Count + 1) / 2);
        var candidates = data.Columns
            .Where(c => c.Metric == MetricKind.Accuracy)
            .Select(c => (Column: c, Models: scored.Where(id => data.Representative(id, c.Column) is { Metric: MetricKind.Accuracy }).ToHashSet(StringComparer.OrdinalIgnoreCase)))
            .Where(c => c.Models.Count >= threshold)
            .OrderByDescending(c => c.Models.Count)
            .ThenBy(c => c.Column.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var chosen = new List<BenchmarkColumn>();
        HashSet<string>? remaining = null;
        foreach (var (column, models) in candidates)
        {
            var next = remaining is null ? new HashSet<string>(models, StringComparer.OrdinalIgnoreCase) : [.. remaining.Where(models.Contains)];
            if (next.Count >= threshold)
            {
                chosen.Add(column.Column);
                remaining = new HashSet<string>(next, StringComparer.OrdinalIgnoreCase);
            }
        }

        return chosen.Count > 0 ? Compute(data, ids, chosen) : Compute(data, ids);
    }
}

/// <summary>How many input tokens per output token a workload has: "3:1" by default.</summary>
public readonly record struct TokenRatio(double Input, double Output)
{
    public static TokenRatio Default { get; } = new(3, 1);

    public override string ToString() =>
        $"{Input.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}:{Output.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Parses "3:1"; both parts positive (an input-only or output-only workload is "1:0" or "0:1"), at most 1000.</summary>
    public static bool TryParse(string? text, out TokenRatio ratio)
    {
        ratio = Default;
        var parts = text?.Split(':', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 }
            || !double.TryParse(parts[0], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var input)
            || !double.TryParse(parts[1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var output)
            || input < 0 || output < 0 || input + output <= 0 || input > 1000 || output > 1000)
        {
            return false;
        }

        ratio = new(input, output);
        return true;
    }
}

/// <summary>A model's blended price under a token ratio: the cheapest listed offer, with every offer kept.</summary>
public sealed record BlendedPrice(string ModelId, double UsdPerMillion, ModelPrice Offer, IReadOnlyList<ModelPrice> AllOffers);

public static class BlendedCost
{
    /// <summary>USD per 1M tokens of a workload with the given input:output ratio.</summary>
    public static double Blend(ModelPrice price, TokenRatio ratio)
    {
        ArgumentNullException.ThrowIfNull(price);
        return ((price.InputPerMillion * ratio.Input) + (price.OutputPerMillion * ratio.Output)) / (ratio.Input + ratio.Output);
    }

    /// <summary>The cheapest blended offer for a model, or null when no price is listed.</summary>
    public static BlendedPrice? For(BenchmarkData data, string modelId, TokenRatio ratio)
    {
        ArgumentNullException.ThrowIfNull(data);
        var offers = data.PricesFor(modelId);
        if (offers.Count == 0)
        {
            return null;
        }

        var cheapest = offers.MinBy(o => Blend(o, ratio))!;
        return new(modelId, Blend(cheapest, ratio), cheapest, offers);
    }
}
