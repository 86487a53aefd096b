using Microsoft.AspNetCore.Components;
using Portal.Catalog;
using Portal.Catalog.Query;

namespace Portal.Web.Components.Pages.Catalog;

/// <summary>
/// The catalog page. Everything the user sees is derived from the URL: changing a filter, the sort, the page or the
/// view navigates, so reload, back/forward and shared links reproduce the exact view.
/// </summary>
public sealed partial class Models : CatalogFilterPage
{
    internal static readonly int[] PageSizes = [24, 48, 96];

    [Inject]
    public required ICatalogService Catalog { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [SupplyParameterFromQuery(Name = "page")] public string? PageNumber { get; set; }

    [SupplyParameterFromQuery(Name = "pageSize")] public string? PageSize { get; set; }

    private CatalogQuery _query = new();
    private CatalogSearchResult? _result;
    private readonly List<string> _notices = [];
    private string _searchText = "";

    private bool ListView => string.Equals(View, "list", StringComparison.OrdinalIgnoreCase);

    private string ViewName => ListView ? "list" : "cards";

    private int ActiveFilterCount => _query.Selected.Sum(s => s.Value.Count) + (_query.Text is null ? 0 : 1);

    protected override void OnInitialized() => Catalog.Changed += OnCatalogChanged;

    protected override void OnParametersSet()
    {
        var index = Catalog.Current;
        var parameters = FilterParameters(("page", [PageNumber]), ("pageSize", [PageSize]));

        var parsed = CatalogQueryParser.Parse(parameters, index, keepUnknownValues: false);
        _notices.Clear();
        _notices.AddRange(parsed.Notices);
        var unknownParameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(Navigation.Uri).Query).Keys
            .Where(key => !CatalogQueryParser.Parameters.Contains(key));
        _notices.AddRange(unknownParameters.Select(key => $"Ignored the unknown parameter '{key}'."));
        if (View is not null && !string.Equals(View, "list", StringComparison.OrdinalIgnoreCase) && !string.Equals(View, "cards", StringComparison.OrdinalIgnoreCase))
        {
            _notices.Add($"Ignored view '{View}': use cards or list.");
        }

        _query = parsed.Query;
        // Keep what the user is typing ("llama " with its space) when the URL already says the same.
        if (!string.Equals(string.IsNullOrWhiteSpace(_searchText) ? null : _searchText.Trim(), _query.Text, StringComparison.Ordinal))
        {
            _searchText = _query.Text ?? "";
        }

        _result = index.Search(_query);
        if (_result.Items.Count == 0 && _result.Total > 0 && _query.Page > 1)
        {
            _notices.Add($"There is no page {_query.Page}; showing the last page.");
            _query = _query with { Page = _result.PageCount };
            _result = index.Search(_query);
        }
    }

    private void NavigateTo(CatalogQuery query, string? view = null) =>
        Navigation.NavigateTo(PortalUrls.Catalog(query, view ?? ViewName));

    private void ToggleValue(Facet facet, string value, bool selected)
    {
        var current = _query.SelectedValues(facet).ToList();
        current.RemoveAll(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
        if (selected)
        {
            current.Add(value);
        }

        var map = _query.Selected.ToDictionary(p => p.Key, p => p.Value);
        if (current.Count == 0)
        {
            map.Remove(facet);
        }
        else
        {
            map[facet] = current;
        }

        NavigateTo(_query with { Selected = map, Page = 1 });
    }

    /// <summary>A facet's values by name, counted under the filters in the URL (the "Show all" search).</summary>
    private FacetResult SearchFacet(Facet facet, string text, int limit) => Catalog.Current.SearchFacet(_query, facet, text, limit);

    private void ClearFacet(Facet facet)
    {
        var map = _query.Selected.Where(p => p.Key != facet).ToDictionary(p => p.Key, p => p.Value);
        NavigateTo(_query with { Selected = map, Page = 1 });
    }

    private void ClearAll() => NavigateTo(new CatalogQuery { Sort = _query.Sort, PageSize = _query.PageSize });

    /// <summary>The filters in the URL, facet by facet, as (facet, value id) pairs for the chips.</summary>
    private IEnumerable<(Facet Facet, string Value)> ActiveFilters =>
        _query.Selected.OrderBy(p => p.Key).SelectMany(p => p.Value.Select(v => (p.Key, v)));

    /// <summary>A chip's words: the facet's title and the value by name ("Inference task: Chat completion").</summary>
    private static string FilterLabel(Facet facet, string value)
    {
        var definition = CatalogFacets.Get(facet);
        var words = value == CatalogFacets.Unknown ? "Unknown" : facet switch
        {
            Facet.Task or Facet.FineTuning => CatalogLabels.Task(value),
            Facet.License => CatalogLabels.License(value),
            _ => definition.Label(value),
        };
        return $"{definition.Title}: {words}";
    }

    private void ClearText() => NavigateTo(_query with { Text = null, Page = 1 });

    /// <summary>How long the search box waits after the last key before it searches.</summary>
    internal static readonly TimeSpan SearchPause = TimeSpan.FromMilliseconds(500);

    private CancellationTokenSource? _pause;

    /// <summary>
    /// The box's text as it is typed (so Search and Enter always use what the box shows); once the user pauses, it
    /// searches (the URL carries the text, as a submitted search does). The box's own debounce would hold the text back
    /// from a submit that comes before the pause ends, so the pause is kept here.
    /// </summary>
    private async Task OnSearchTyped(string? text)
    {
        _searchText = text ?? "";
        if (_pause is { } previous)
        {
            await previous.CancelAsync();
            previous.Dispose();
        }

        var pause = _pause = CancellationTokenSource.CreateLinkedTokenSource(ComponentToken);
        try
        {
            await System.Threading.Tasks.Task.Delay(SearchPause, Time, pause.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var wanted = string.IsNullOrWhiteSpace(_searchText) ? null : _searchText.Trim();
        if (!string.Equals(wanted, _query.Text, StringComparison.Ordinal))
        {
            Search();
        }
    }

    /// <summary>
    /// Searches for the box's text. Enter and leaving the box (to press Search) hand the text over before the submit
    /// arrives, so a submit doesn't wait for the pause.
    /// </summary>
    private void Search()
    {
        var text = _searchText;
        NavigateTo(_query with { Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim(), Page = 1 });
    }

    private void OnSortChanged(CatalogSort sort) => NavigateTo(_query with { Sort = sort, Page = 1 });

    private void OnPageSizeChanged(int size) => NavigateTo(_query with { PageSize = size, Page = 1 });

    private string PageUrl(int page) => PortalUrls.Catalog(_query with { Page = page }, ViewName);

    private void OnCatalogChanged() => _ = InvokeAsync(() =>
    {
        OnParametersSet();
        StateHasChanged();
    });

    protected override void Dispose(bool disposing)
    {
        _pause?.Dispose();
        Catalog.Changed -= OnCatalogChanged;
        base.Dispose(disposing);
    }
}
