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

    public string? Text { get; init; }

    public IReadOnlyDictionary<Facet, IReadOnlyList<string>> Selected { get; init; } = new Dictionary<Facet, IReadOnlyList<string>>();

    public CatalogSort Sort { get; init; } = CatalogSort.Name;

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = DefaultPageSize;

    public IReadOnlyList<string> SelectedValues(Facet facet) => Selected.TryGetValue(facet, out var values) ? values : [];

    public static string SortParameter(CatalogSort sort) => sort switch
    {
        CatalogSort.ContextWindow => "context",
        CatalogSort.Newest => "newest",
        _ => "name",
    };
}

public sealed record FacetValueCount(string Value, string Label, int Count, bool Selected);

public sealed record FacetResult(Facet Facet, string Parameter, string Title, IReadOnlyList<FacetValueCount> Values);

public sealed record CatalogSearchResult(
    int Total,
    int Page,
    int PageSize,
    IReadOnlyList<CatalogModel> Items,
    IReadOnlyList<FacetResult> Facets)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
