namespace Portal.Catalog.Query;

public enum CatalogSort
{
    Name,
    ContextWindow,
    Newest,
}

/// <summary>What the user asked the catalog for. Selected values are OR-ed within a facet and AND-ed across facets.</summary>
public sealed record CatalogQuery
{
    public const int DefaultPageSize = 48;
    public const int MaxPageSize = 200;

    /// <summary>Values listed per facet unless asked otherwise: the most common ones, plus every selected value.</summary>
    public const int DefaultFacetLimit = 10;

    public string? Text { get; init; }

    public IReadOnlyDictionary<Facet, IReadOnlyList<string>> Selected { get; init; } = new Dictionary<Facet, IReadOnlyList<string>>();

    public CatalogSort Sort { get; init; } = CatalogSort.Name;

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>
    /// How many values each facet lists: those with the most models (ties by label), plus every selected value.
    /// Null lists every value. Not part of the URL: the page always uses the default.
    /// </summary>
    public int? FacetLimit { get; init; } = DefaultFacetLimit;

    public IReadOnlyList<string> SelectedValues(Facet facet) => Selected.TryGetValue(facet, out var values) ? values : [];

    public static string SortParameter(CatalogSort sort) => sort switch
    {
        CatalogSort.ContextWindow => "context",
        CatalogSort.Newest => "newest",
        _ => "name",
    };
}

public sealed record FacetValueCount(string Value, string Label, int Count, bool Selected);

/// <summary>One facet of a search: the values listed and how many there are in all.</summary>
/// <param name="Facet">The facet.</param>
/// <param name="Parameter">Its URL/API parameter.</param>
/// <param name="Title">Its title, as the page shows it.</param>
/// <param name="Values">The values listed, in the facet's order (by name; context windows by size).</param>
/// <param name="DistinctCount">How many values there are to list (with models under the other filters, or selected); more than
/// <c>Values.Count</c> when the list was cut to the facet limit.</param>
public sealed record FacetResult(Facet Facet, string Parameter, string Title, IReadOnlyList<FacetValueCount> Values, int DistinctCount)
{
    public bool IsTruncated => DistinctCount > Values.Count;
}

public sealed record CatalogSearchResult(
    int Total,
    int Page,
    int PageSize,
    IReadOnlyList<CatalogModel> Items,
    IReadOnlyList<FacetResult> Facets)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
