using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Catalog.Query;

namespace Portal.Web.Components.Pages.Catalog;

/// <summary>What a facet checkbox asks for: select or clear one value.</summary>
public sealed record FacetToggle(string Value, bool Selected);

/// <summary>
/// One facet of the catalog filter: the values the search listed (the most common ones and every selected one) and, when
/// there are more, a "Show all" search that asks the catalog for the rest by name, a bounded number at a time. Checking a
/// value is the page's to turn into a URL.
/// </summary>
public sealed partial class CatalogFacet
{
    /// <summary>Most values the search lists at once; more matches ask the user to refine the search.</summary>
    public const int SearchLimit = 50;

    internal const int MaxSearchLength = 100;

    private bool _open;
    private string _text = "";
    private FacetResult? _found;

    [Parameter, EditorRequired]
    public required FacetResult Facet { get; set; }

    /// <summary>Searches this facet's values under the page's current filters: (text, limit) → the matches.</summary>
    [Parameter, EditorRequired]
    public required Func<string, int, FacetResult> SearchValues { get; set; }

    [Parameter]
    public EventCallback<FacetToggle> OnToggle { get; set; }

    [Parameter]
    public EventCallback OnClear { get; set; }

    private string Plural => CatalogFacets.Get(Facet.Facet).Plural;

    private string PanelId => $"facet-all-{Facet.Parameter}";

    protected override void OnParametersSet()
    {
        // The filters changed (or the catalog did): the counts in an open search follow them.
        if (_open)
        {
            _found = SearchValues(_text, SearchLimit);
        }
    }

    private void ToggleOpen()
    {
        _open = !_open;
        _found = _open ? SearchValues(_text, SearchLimit) : null;
    }

    private void OnSearchInput(string? value)
    {
        var text = value ?? "";
        _text = text.Length > MaxSearchLength ? text[..MaxSearchLength] : text;
        _found = SearchValues(_text, SearchLimit);
    }

    private Task Toggle(string value, bool selected) => OnToggle.InvokeAsync(new FacetToggle(value, selected));

    private string StatusText(FacetResult found)
    {
        var singular = Facet.Title.ToLowerInvariant();
        var count = found.DistinctCount.ToString("N0", CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(_text))
        {
            return found.IsTruncated
                ? $"The {found.Values.Count} {Plural} with the most models. Type part of a name to find any of the {count}."
                : $"All {count} {Plural}.";
        }

        return found.DistinctCount switch
        {
            0 => $"No {singular} matches “{_text.Trim()}”.",
            1 => $"1 {singular} matches.",
            _ when found.IsTruncated => $"Showing {found.Values.Count} of {count} matching {Plural}: refine your search to see the others.",
            _ => $"{count} {Plural} match.",
        };
    }
}
