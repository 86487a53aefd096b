using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Pages.Catalog;

/// <summary>
/// A page that takes the catalog's filter from its URL (search text and the facets), so the catalog page and the
/// benchmark dashboard read the very same parameters.
/// </summary>
public abstract class CatalogFilterPage : PortalComponentBase
{
    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }

    [SupplyParameterFromQuery(Name = "collection")] public string[]? Collection { get; set; }

    [SupplyParameterFromQuery(Name = "publisher")] public string[]? Publisher { get; set; }

    [SupplyParameterFromQuery(Name = "task")] public string[]? Task { get; set; }

    [SupplyParameterFromQuery(Name = "deployment")] public string[]? Deployment { get; set; }

    [SupplyParameterFromQuery(Name = "finetune")] public string[]? Finetune { get; set; }

    [SupplyParameterFromQuery(Name = "license")] public string[]? License { get; set; }

    [SupplyParameterFromQuery(Name = "context")] public string[]? Context { get; set; }

    [SupplyParameterFromQuery(Name = "input")] public string[]? Input { get; set; }

    [SupplyParameterFromQuery(Name = "output")] public string[]? Output { get; set; }

    [SupplyParameterFromQuery(Name = "region")] public string[]? Region { get; set; }

    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "view")] public string? View { get; set; }

    /// <summary>The filter parameters present in the URL, plus <paramref name="more"/> (name, values) pairs.</summary>
    protected List<KeyValuePair<string, IReadOnlyList<string?>>> FilterParameters(params (string Name, string?[]? Values)[] more)
    {
        var parameters = new List<KeyValuePair<string, IReadOnlyList<string?>>>();
        foreach (var (name, values) in new (string, string?[]?)[]
        {
            ("q", [Q]), ("collection", Collection), ("publisher", Publisher), ("task", Task), ("deployment", Deployment),
            ("finetune", Finetune), ("license", License), ("context", Context), ("input", Input), ("output", Output), ("region", Region), ("sort", [Sort]),
        }.Concat(more))
        {
            if (values is { Length: > 0 } && values.Any(v => v is not null))
            {
                parameters.Add(new(name, values));
            }
        }

        return parameters;
    }
}
