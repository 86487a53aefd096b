using Microsoft.AspNetCore.Components;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Query;
using Portal.Web.Components.Pages.Catalog;

namespace Portal.Web.Components.Pages.Benchmarks;

/// <summary>
/// The benchmark dashboard. Like the catalog page, everything shown is derived from the URL (the catalog's filter
/// parameters plus models, dataset, metric, ratio, sort, dir and view), so any view can be bookmarked and shared.
/// </summary>
public sealed partial class Benchmarks : Portal.Web.Components.Pages.Catalog.CatalogFilterPage
{
    [Inject]
    public required ICatalogService Catalog { get; init; }

    [Inject]
    public required BenchmarkData Data { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery(Name = "models")] public string[]? ModelIds { get; set; }

    [SupplyParameterFromQuery(Name = "dataset")] public string[]? Dataset { get; set; }

    [SupplyParameterFromQuery(Name = "metric")] public string? Metric { get; set; }

    [SupplyParameterFromQuery(Name = "ratio")] public string? Ratio { get; set; }

    [SupplyParameterFromQuery(Name = "dir")] public string? Dir { get; set; }

    internal const int ChartCount = 6;

    private BenchmarkView? _view;

    /// <summary>
    /// The catalog's facet values for the filter drop-downs, computed once per URL rather than per render: the most common
    /// ones and every selected one (never all of them: a catalog can hold thousands of publishers).
    /// </summary>
    private IReadOnlyList<FacetResult> _facets = [];

    private readonly List<string> _notices = [];
    private readonly HashSet<string> _expanded = new(StringComparer.OrdinalIgnoreCase);
    private string _searchText = "";
    private string _ratioText = "";

    /// <summary>The views, in tab order: URL value and title.</summary>
    internal static readonly (string Key, string Title)[] Views =
        [("charts", "Charts"), ("heatmap", "Heatmap"), ("cost", "Quality vs cost"), ("list", "List"), ("embeddings", "Embeddings")];

    private static readonly Facet[] FilterFacets = [Facet.Collection, Facet.Publisher, Facet.Task, Facet.Deployment, Facet.License];

    internal string ViewName => Views.FirstOrDefault(v => string.Equals(v.Key, View, StringComparison.OrdinalIgnoreCase)).Key ?? "charts";

    /// <summary>The filter panel starts open only when a filter is set, so the numbers come first.</summary>
    private bool FiltersOpen => Query.Models.Count > 0 || Query.Datasets.Count > 0 || Query.Metric != MetricKind.Accuracy || Query.Ratio != TokenRatio.Default
        || Query.Catalog.Selected.Count > 0 || !string.IsNullOrEmpty(Query.Catalog.Text);

    private BenchmarkViewQuery Query => _view?.Query ?? new BenchmarkViewQuery();

    private IEnumerable<CatalogModel> ModelsWithScores => Catalog.Current.Models.Where(m => Data.HasScores(m.Id));

    private static IEnumerable<MetricKind> MetricOptions => Enum.GetValues<MetricKind>();

    protected override void OnInitialized() => Catalog.Changed += OnCatalogChanged;

    protected override void OnParametersSet()
    {
        var parameters = FilterParameters(("models", ModelIds), ("dataset", Dataset), ("metric", [Metric]), ("ratio", [Ratio]), ("dir", [Dir]));

        var parsed = BenchmarkViewParser.Parse(parameters, Catalog.Current, Data);
        _notices.Clear();
        _notices.AddRange(parsed.Notices);
        var known = new HashSet<string>(BenchmarkViewParser.OwnParameters.Concat(CatalogQueryParser.Parameters), StringComparer.OrdinalIgnoreCase);
        _notices.AddRange(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(Navigation.Uri).Query).Keys
            .Where(k => !known.Contains(k)).Select(k => $"Ignored the unknown parameter '{k}'."));
        if (View is not null && !string.Equals(ViewName, View, StringComparison.OrdinalIgnoreCase))
        {
            _notices.Add($"Ignored view '{View}': use {string.Join(", ", Views.Select(v => v.Key))}.");
        }

        _view = BenchmarkView.Build(parsed.Query, Catalog.Current, Data);
        _facets = Catalog.Current.Search(parsed.Query.Catalog with { Page = 1, PageSize = 1 }).Facets;
        _searchText = parsed.Query.Catalog.Text ?? "";
        _ratioText = parsed.Query.Ratio.ToString();
    }

    private string Url(BenchmarkViewQuery query, string? view = null) => PortalUrls.Benchmarks(query, view ?? ViewName);

    private void NavigateTo(BenchmarkViewQuery query, string? view = null) => Navigation.NavigateTo(Url(query, view));

    private void OnModelsChanged(IEnumerable<string>? ids) =>
        NavigateTo(Query with { Models = ids is null ? [] : [.. ids] });

    private void OnDatasetsChanged(IEnumerable<string>? keys) =>
        NavigateTo(Query with { Datasets = keys is null ? [] : [.. keys.Select(BenchmarkColumn.Parse)] });

    private void OnMetricChanged(MetricKind metric) =>
        NavigateTo(Query with { Metric = metric, Datasets = [], Sort = "index" });

    private void OnFacetChanged(Facet facet, IEnumerable<string>? values)
    {
        var map = Query.Catalog.Selected.Where(p => p.Key != facet).ToDictionary(p => p.Key, p => p.Value);
        if (values?.ToList() is { Count: > 0 } list)
        {
            map[facet] = list;
        }

        NavigateTo(Query with { Catalog = Query.Catalog with { Selected = map } });
    }

    /// <summary>A value found by the facet's search joins the selected ones (and so the URL).</summary>
    private void AddFacetValue(Facet facet, FacetValueCount? value)
    {
        if (value is not null)
        {
            OnFacetChanged(facet, [.. Query.Catalog.SelectedValues(facet).Where(v => v != value.Value), value.Value]);
        }
    }

    private string ModelName(string? id) => id is null ? "" : Catalog.Current.Find(id)?.DisplayName ?? id;

    private string DatasetName(string? key) => key is null ? "" : Data.FindColumn(key)?.Name ?? key;

    private string FacetLabel(Facet facet, string? value) =>
        value is null ? "" : _facets.First(f => f.Facet == facet).Values.FirstOrDefault(v => v.Value == value)?.Label ?? value;

    private void Search() =>
        NavigateTo(Query with { Catalog = Query.Catalog with { Text = string.IsNullOrWhiteSpace(_searchText) ? null : _searchText.Trim() } });

    private void ApplyRatio()
    {
        if (TokenRatio.TryParse(_ratioText, out var ratio))
        {
            NavigateTo(Query with { Ratio = ratio });
        }
        else
        {
            _notices.Add($"'{_ratioText}' is not a token ratio: write input:output, for example 3:1.");
        }
    }

    private string SortUrl(string key)
    {
        var ascending = Query.Sort == key ? !Query.Ascending : key == "name";
        return Url(Query with { Sort = key, Ascending = ascending });
    }

    private string? AriaSort(string key) => Query.Sort == key ? (Query.Ascending ? "ascending" : "descending") : null;

    private void Toggle(string modelId)
    {
        if (!_expanded.Remove(modelId))
        {
            _expanded.Add(modelId);
        }
    }

    /// <summary>
    /// The facet's search, answered by the catalog (through the circuit): at most <see cref="CatalogFacet.SearchLimit"/>
    /// matches over every value, not only the listed ten.
    /// </summary>
    internal System.Threading.Tasks.Task<IEnumerable<FacetValueCount>> SearchFacetAsync(Facet facet, string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return System.Threading.Tasks.Task.FromResult<IEnumerable<FacetValueCount>>([]);
        }

        var trimmed = text.Length > CatalogFacet.MaxSearchLength ? text[..CatalogFacet.MaxSearchLength] : text;
        return System.Threading.Tasks.Task.FromResult<IEnumerable<FacetValueCount>>(
            Catalog.Current.SearchFacet(Query.Catalog with { Page = 1, PageSize = 1 }, facet, trimmed, CatalogFacet.SearchLimit).Values);
    }

    private List<(CatalogModel Model, BenchmarkScore Score, bool Conflict)> Bars(BenchmarkColumnInfo column) =>
        [.. _view!.Ranked(column, Data).Select(p => (p.Model, p.Score, Data.HasConflict(p.Model.Id, column.Column)))];

    private void OnCatalogChanged() => _ = InvokeAsync(() =>
    {
        OnParametersSet();
        StateHasChanged();
    });

    protected override void Dispose(bool disposing)
    {
        Catalog.Changed -= OnCatalogChanged;
        base.Dispose(disposing);
    }
}
