using System.Globalization;
using Portal.Catalog.Sources;

namespace Portal.Catalog.Benchmarks;

/// <summary>A comparison column and how many models have a number in it.</summary>
public sealed record BenchmarkColumnInfo(BenchmarkColumn Column, BenchmarkDataset Dataset, string Name, MetricKind Metric, int ModelCount);

/// <summary>
/// Every published number and price, indexed by model and comparison column. Immutable; built once from the embedded
/// facts file.
/// </summary>
public sealed class BenchmarkData
{
    private static readonly Lazy<BenchmarkData> EmbeddedData = new(() =>
    {
        var result = BenchmarkFactsReader.Read(EmbeddedCatalogSource.ReadJson());
        return result.IsValid
            ? new BenchmarkData(result.Scores, result.Prices)
            : throw new InvalidOperationException("The embedded benchmarks are invalid: " + string.Join("; ", result.Errors.Take(5).Select(e => $"{e.Path}: {e.Reason}")));
    });

    private readonly Dictionary<string, BenchmarkScore[]> _byModel;
    private readonly Dictionary<(string Model, BenchmarkColumn Column), BenchmarkScore[]> _byModelColumn;
    private readonly Dictionary<string, ModelPrice[]> _prices;

    public BenchmarkData(IReadOnlyList<BenchmarkScore> scores, IReadOnlyList<ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(prices);
        Scores = scores;
        Prices = prices;
        _byModel = scores.GroupBy(s => s.ModelId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        _byModelColumn = scores.GroupBy(s => (s.ModelId, s.Column)).ToDictionary(g => (g.Key.ModelId, g.Key.Column), g => g.ToArray());
        _prices = prices.GroupBy(p => p.ModelId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        Columns = [.. scores
            .GroupBy(s => s.Column)
            .Select(g => new BenchmarkColumnInfo(g.Key, g.First().Dataset, ColumnName(g.First().Dataset, g.Key.Variant), g.First().Metric, g.Select(s => s.ModelId).Distinct(StringComparer.OrdinalIgnoreCase).Count()))
            .OrderByDescending(c => c.ModelCount)
            .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The numbers in the facts shipped with the portal.</summary>
    public static BenchmarkData Embedded => EmbeddedData.Value;

    public static BenchmarkData Empty { get; } = new([], []);

    public IReadOnlyList<BenchmarkScore> Scores { get; }

    public IReadOnlyList<ModelPrice> Prices { get; }

    /// <summary>Every column, most widely reported first.</summary>
    public IReadOnlyList<BenchmarkColumnInfo> Columns { get; }

    public IEnumerable<string> ModelIds => _byModel.Keys;

    public static string ColumnName(BenchmarkDataset dataset, string? variant)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return variant is null ? dataset.Name : $"{dataset.Name} · {variant}";
    }

    public BenchmarkColumnInfo? Column(BenchmarkColumn column) => Columns.FirstOrDefault(c => c.Column == column);

    /// <summary>The column for a URL value: a dataset id ("MMLU"), a key ("MMLU:French") or a name, case-insensitively.</summary>
    public BenchmarkColumnInfo? FindColumn(string text) =>
        Columns.FirstOrDefault(c => string.Equals(c.Column.Key, text, StringComparison.OrdinalIgnoreCase))
        ?? Columns.FirstOrDefault(c => string.Equals(c.Name, text, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<BenchmarkScore> ForModel(string modelId) => _byModel.TryGetValue(modelId, out var rows) ? rows : [];

    public bool HasScores(string modelId) => _byModel.ContainsKey(modelId);

    /// <summary>Every number for a model in a column, in file order.</summary>
    public IReadOnlyList<BenchmarkScore> Values(string modelId, BenchmarkColumn column) =>
        _byModelColumn.TryGetValue((modelId, column), out var rows) ? rows : [];

    /// <summary>
    /// The number shown for a model in a column when one must be picked: the model owner's first, otherwise the first
    /// row in the file. The others stay visible as alternatives.
    /// </summary>
    public BenchmarkScore? Representative(string modelId, BenchmarkColumn column)
    {
        var rows = Values(modelId, column);
        return rows.FirstOrDefault(r => r.Kind == SourceKind.ModelOwner) ?? (rows.Count > 0 ? rows[0] : null);
    }

    /// <summary>
    /// True when sources give different numbers for the same model, dataset and setting. A row whose shot count is not
    /// printed is taken to be in the same setting as any other.
    /// </summary>
    public bool HasConflict(string modelId, BenchmarkColumn column)
    {
        var rows = Values(modelId, column);
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = i + 1; j < rows.Count; j++)
            {
                if (Conflicts(rows[i], rows[j]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Two numbers for the same model and column that differ although their settings do not (as far as printed).</summary>
    public static bool Conflicts(BenchmarkScore a, BenchmarkScore b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Value != b.Value && SameSetting(a.Setting, b.Setting);
    }

    public static bool SameSetting(BenchmarkSetting a, BenchmarkSetting b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return (a.Shots is null || b.Shots is null || a.Shots == b.Shots) && a.ChainOfThought == b.ChainOfThought && a.Variant == b.Variant;
    }

    public IReadOnlyList<ModelPrice> PricesFor(string modelId) => _prices.TryGetValue(modelId, out var rows) ? rows : [];

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
