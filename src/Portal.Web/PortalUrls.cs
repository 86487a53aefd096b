using System.Text;
using Portal.Catalog.Query;

namespace Portal.Web;

/// <summary>Every portal address is built here, so that what a user sees can always be bookmarked and shared.</summary>
public static class PortalUrls
{
    public const string CatalogPath = "models";
    public const string CatalogImportsPath = "settings/catalog-imports";

    public static string Model(string id) => $"models/{Uri.EscapeDataString(id)}";

    /// <summary>The catalog page for a query; defaults (sort by name, page 1, 48 per page, cards) are left out.</summary>
    public static string Catalog(CatalogQuery query, string? view = null) => "models" + QueryString(query, view);

    public static string CatalogExport(CatalogQuery query, string format) => $"api/models/export.{format}" + QueryString(query with { Page = 1 }, null);

    public static string QueryString(CatalogQuery query, string? view)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<(string Key, string Value)>();
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            parts.Add(("q", query.Text));
        }

        foreach (var facet in CatalogFacets.All)
        {
            parts.AddRange(query.SelectedValues(facet.Facet).Select(v => (facet.Parameter, v)));
        }

        if (query.Sort != CatalogSort.Name)
        {
            parts.Add(("sort", CatalogQuery.SortParameter(query.Sort)));
        }

        if (query.PageSize != CatalogQuery.DefaultPageSize)
        {
            parts.Add(("pageSize", query.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (query.Page > 1)
        {
            parts.Add(("page", query.Page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrEmpty(view) && view != "cards")
        {
            parts.Add(("view", view));
        }

        if (parts.Count == 0)
        {
            return "";
        }

        var builder = new StringBuilder("?");
        foreach (var (key, value) in parts)
        {
            if (builder.Length > 1)
            {
                builder.Append('&');
            }

            builder.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
