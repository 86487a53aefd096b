using System.Globalization;
using Portal.Catalog.Query;

namespace Portal.Catalog.Benchmarks;

/// <summary>What the dashboard was asked for; every part comes from the URL.</summary>
public sealed record BenchmarkViewQuery
{
    public const int MaxModels = 200;
    public const int DefaultColumnCount = 10;

    /// <summary>The catalog filter (search text and facets), the same parameters as the catalog page.</summary>
    public CatalogQuery Catalog { get; init; } = new();

    /// <summary>Explicitly chosen models; when empty the catalog filter chooses.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Explicitly chosen datasets; when empty the most widely reported ones are shown.</summary>
    public IReadOnlyList<BenchmarkColumn> Datasets { get; init; } = [];

    public MetricKind Metric { get; init; } = MetricKind.Accuracy;

    public TokenRatio Ratio { get; init; } = TokenRatio.Default;

    /// <summary>"index", "name" or a column key.</summary>
    public string Sort { get; init; } = "index";

    public bool Ascending { get; init; }
}

public sealed record ParsedBenchmarkViewQuery(BenchmarkViewQuery Query, IReadOnlyList<string> Notices);

/// <summary>One model's row in the dashboard table: the index and the number shown per column (null is "—").</summary>
public sealed record BenchmarkTableRow(CatalogModel Model, ModelIndexValue? Index, IReadOnlyList<BenchmarkScore?> Cells, BlendedPrice? Price);

/// <summary>A point of the quality-vs-cost chart: only models with both an index and a price.</summary>
public sealed record QualityCostPoint(CatalogModel Model, double Index, BlendedPrice Price);

/// <summary>The best three models in one column, in the order the metric ranks them.</summary>
public sealed record TopList(BenchmarkColumnInfo Column, IReadOnlyList<(CatalogModel Model, BenchmarkScore Score)> Leaders);

/// <summary>Everything the dashboard (and its CSV export) shows, computed once from the query.</summary>
public sealed class BenchmarkView
{
    private BenchmarkView(BenchmarkViewQuery query, IReadOnlyList<CatalogModel> models, IReadOnlyList<BenchmarkColumnInfo> available,
        IReadOnlyList<BenchmarkColumnInfo> columns, QualityIndexResult index, IReadOnlyList<BenchmarkTableRow> rows, IReadOnlyList<QualityCostPoint> points)
    {
        Query = query;
        Models = models;
        AvailableColumns = available;
        Columns = columns;
        Index = index;
        Rows = rows;
        Points = points;
    }

    public BenchmarkViewQuery Query { get; }

    /// <summary>The models on the dashboard: those chosen, or the catalog filter's matches that have numbers.</summary>
    public IReadOnlyList<CatalogModel> Models { get; }

    /// <summary>Every column of the chosen metric that at least one of the models has.</summary>
    public IReadOnlyList<BenchmarkColumnInfo> AvailableColumns { get; }

    /// <summary>The columns shown: the chosen datasets, or the most widely reported ones.</summary>
    public IReadOnlyList<BenchmarkColumnInfo> Columns { get; }

    public QualityIndexResult Index { get; }

    public IReadOnlyList<BenchmarkTableRow> Rows { get; }

    public IReadOnlyList<QualityCostPoint> Points { get; }

    /// <summary>The models with a number in a column, best first as the metric ranks them (ties by name).</summary>
    public IEnumerable<(CatalogModel Model, BenchmarkScore Score)> Ranked(BenchmarkColumnInfo column, BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(data);
        var scored = Models
            .Select(m => (Model: m, Score: data.Representative(m.Id, column.Column)))
            .Where(p => p.Score is not null)
            .Select(p => (p.Model, Score: p.Score!));
        return (MetricKinds.HigherIsBetter(column.Metric) ? scored.OrderByDescending(p => p.Score.Value) : scored.OrderBy(p => p.Score.Value))
            .ThenBy(p => p.Model.DisplayName, StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<TopList> TopLists(BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var column in Columns)
        {
            var leaders = Ranked(column, data).Take(3).ToList();
            if (leaders.Count > 0)
            {
                yield return new(column, leaders);
            }
        }
    }

    /// <summary>The table as text, exactly as the list view shows it: header first. The CSV export writes these cells.</summary>
    public IEnumerable<string[]> TableText()
    {
        yield return ["Model", "Model id", "Publisher", IndexHeader, .. Columns.Select(c => c.Name)];
        foreach (var row in Rows)
        {
            yield return [row.Model.DisplayName, row.Model.Id, row.Model.Publisher ?? "—", IndexText(row.Index), .. row.Cells.Select(CellText)];
        }
    }

    /// <summary>The index column's header in the CSV export: it names the datasets (the page shows them in a tooltip and legend instead).</summary>
    public string IndexHeader => Index.Columns.Count == 0 ? "Quality index" : $"Quality index ({string.Join(", ", Index.Columns.Select(c => c.Name))})";

    public static string IndexText(ModelIndexValue? index) => index?.Value is { } value ? value.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    public static string CellText(BenchmarkScore? score) => score is null ? "—" : BenchmarkData.Format(score.Value);

    public static BenchmarkView Build(BenchmarkViewQuery query, CatalogIndex catalog, BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);

        IReadOnlyList<CatalogModel> models = query.Models.Count > 0
            ? [.. query.Models.Select(catalog.Find).OfType<CatalogModel>()]
            : [.. catalog.AllMatches(query.Catalog with { Page = 1 }).Where(m => data.ForModel(m.Id).Any(s => s.Metric == query.Metric)).Take(BenchmarkViewQuery.MaxModels)];

        var ids = models.Select(m => m.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var available = data.Columns
            .Where(c => c.Metric == query.Metric)
            .Select(c => (Column: c, Count: models.Count(m => data.Values(m.Id, c.Column).Count > 0)))
            .Where(c => c.Count > 0)
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Column.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => c.Column)
            .ToList();

        var accuracyDatasets = query.Datasets.Where(d => data.Column(d) is { Metric: MetricKind.Accuracy }).ToList();
        var index = accuracyDatasets.Count > 0
            ? QualityIndex.Compute(data, ids, accuracyDatasets)
            : QualityIndex.ComputeWidest(data, ids);

        var columns = query.Datasets.Count > 0
            ? [.. query.Datasets.Select(data.Column).OfType<BenchmarkColumnInfo>()]
            : DefaultColumns(query.Metric, available, index);

        var rows = models
            .Select(m => new BenchmarkTableRow(m, index.For(m.Id), [.. columns.Select(c => data.Representative(m.Id, c.Column))], BlendedCost.For(data, m.Id, query.Ratio)))
            .ToList();
        rows = Sort(rows, query, columns);

        var points = rows
            .Where(r => r.Index?.Value is not null && r.Price is not null)
            .Select(r => new QualityCostPoint(r.Model, r.Index!.Value!.Value, r.Price!))
            .ToList();

        return new(query, models, available, columns, index, rows, points);
    }

    /// <summary>
    /// The columns shown when none are chosen: for the accuracy metric exactly the datasets the quality index averages
    /// (so the list, heatmap and charts show what the index is made of), otherwise the most widely reported ones.
    /// </summary>
    public static IReadOnlyList<BenchmarkColumnInfo> DefaultColumns(MetricKind metric, IReadOnlyList<BenchmarkColumnInfo> available, QualityIndexResult index)
    {
        ArgumentNullException.ThrowIfNull(available);
        ArgumentNullException.ThrowIfNull(index);
        if (metric == MetricKind.Accuracy && index.Columns.Count > 0)
        {
            var used = index.Columns.Select(c => c.Column).ToHashSet();
            return [.. available.Where(c => used.Contains(c.Column)), .. index.Columns.Where(c => !available.Any(a => a.Column == c.Column))];
        }

        return [.. available.Take(BenchmarkViewQuery.DefaultColumnCount)];
    }

    private static List<BenchmarkTableRow> Sort(List<BenchmarkTableRow> rows, BenchmarkViewQuery query, IReadOnlyList<BenchmarkColumnInfo> columns)
    {
        if (string.Equals(query.Sort, "name", StringComparison.OrdinalIgnoreCase))
        {
            return query.Ascending
                ? [.. rows.OrderBy(r => r.Model.DisplayName, StringComparer.OrdinalIgnoreCase)]
                : [.. rows.OrderByDescending(r => r.Model.DisplayName, StringComparer.OrdinalIgnoreCase)];
        }

        var columnIndex = columns.ToList().FindIndex(c => string.Equals(c.Column.Key, query.Sort, StringComparison.OrdinalIgnoreCase));
        Func<BenchmarkTableRow, double?> key = columnIndex >= 0 ? r => r.Cells[columnIndex]?.Value : r => r.Index?.Value;

        // Missing numbers always sort last, whichever the direction.
        var present = rows.Where(r => key(r) is not null);
        var ordered = query.Ascending ? present.OrderBy(key) : present.OrderByDescending(key);
        return [.. ordered.ThenBy(r => r.Model.DisplayName, StringComparer.OrdinalIgnoreCase),
            .. rows.Where(r => key(r) is null).OrderBy(r => r.Model.DisplayName, StringComparer.OrdinalIgnoreCase)];
    }
}

/// <summary>Turns URL / API parameters into a <see cref="BenchmarkViewQuery"/>; bad values are dropped with a notice.</summary>
public static class BenchmarkViewParser
{
    public static IReadOnlySet<string> OwnParameters { get; } = new HashSet<string>(["models", "dataset", "metric", "ratio", "sort", "dir", "view"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The columns named by <c>dataset</c> values (key or name, case-insensitive), once each; unknown ones become notices.</summary>
    public static List<BenchmarkColumn> Datasets(IEnumerable<string> values, BenchmarkData data, List<string> notices)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(notices);
        var datasets = new List<BenchmarkColumn>();
        foreach (var text in values)
        {
            if (data.FindColumn(text) is { } column)
            {
                if (!datasets.Contains(column.Column))
                {
                    datasets.Add(column.Column);
                }
            }
            else
            {
                notices.Add($"Ignored dataset '{text}': no benchmark score uses it.");
            }
        }

        return datasets;
    }

    public static ParsedBenchmarkViewQuery Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> parameters, CatalogIndex catalog, BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var list = parameters.ToList();
        var lookup = list
            .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList(), StringComparer.OrdinalIgnoreCase);

        // The catalog's own parameters (q and the facets) go through the catalog's parser.
        var catalogParameters = list.Where(p => CatalogQueryParser.Parameters.Contains(p.Key) && !OwnParameters.Contains(p.Key) && p.Key is not ("page" or "pageSize"));
        var parsedCatalog = CatalogQueryParser.Parse(catalogParameters, catalog, keepUnknownValues: false);
        var notices = new List<string>(parsedCatalog.Notices);
        foreach (var unknown in lookup.Keys.Where(k => !OwnParameters.Contains(k) && !CatalogQueryParser.Parameters.Contains(k)))
        {
            notices.Add($"Ignored the unknown parameter '{unknown}'.");
        }

        var models = new List<string>();
        foreach (var id in lookup.GetValueOrDefault("models") ?? [])
        {
            if (catalog.Find(id) is { } model)
            {
                if (!models.Contains(model.Id, StringComparer.OrdinalIgnoreCase))
                {
                    models.Add(model.Id);
                }
            }
            else
            {
                notices.Add($"Ignored model '{id}': the catalog has no model with that id.");
            }
        }

        var metric = MetricKind.Accuracy;
        if (lookup.GetValueOrDefault("metric") is [.., var metricText])
        {
            if (MetricKinds.FromParameter(metricText) is { } parsedMetric)
            {
                metric = parsedMetric;
            }
            else
            {
                notices.Add($"Ignored metric '{metricText}': use one of {string.Join(", ", Enum.GetValues<MetricKind>().Select(MetricKinds.Parameter))}.");
            }
        }

        var datasets = Datasets(lookup.GetValueOrDefault("dataset") ?? [], data, notices);

        var ratio = TokenRatio.Default;
        if (lookup.GetValueOrDefault("ratio") is [.., var ratioText] && !TokenRatio.TryParse(ratioText, out ratio))
        {
            notices.Add($"Ignored token ratio '{ratioText}': write input:output, for example 3:1.");
            ratio = TokenRatio.Default;
        }

        var sort = "index";
        if (lookup.GetValueOrDefault("sort") is [.., var sortText])
        {
            if (sortText.Equals("index", StringComparison.OrdinalIgnoreCase) || sortText.Equals("name", StringComparison.OrdinalIgnoreCase))
            {
                sort = sortText.ToLowerInvariant();
            }
            else if (data.FindColumn(sortText) is { } sortColumn)
            {
                sort = sortColumn.Column.Key;
            }
            else
            {
                notices.Add($"Ignored sort '{sortText}': use index, name or a dataset.");
            }
        }

        var ascending = sort == "name";
        if (lookup.GetValueOrDefault("dir") is [.., var dir])
        {
            ascending = dir.Equals("asc", StringComparison.OrdinalIgnoreCase) || (!dir.Equals("desc", StringComparison.OrdinalIgnoreCase) && ascending);
        }

        return new(new BenchmarkViewQuery
        {
            Catalog = parsedCatalog.Query with { Page = 1, PageSize = CatalogQuery.MaxPageSize },
            Models = models,
            Datasets = datasets,
            Metric = metric,
            Ratio = ratio,
            Sort = sort,
            Ascending = ascending,
        }, notices);
    }
}
