using System.Globalization;

namespace Portal.Catalog.Query;

public sealed record ParsedCatalogQuery(CatalogQuery Query, IReadOnlyList<string> Notices);

/// <summary>
/// Turns URL / API query parameters into a <see cref="CatalogQuery"/>. Nothing here throws on user input: malformed
/// values are dropped with a notice. Facet values are matched case-insensitively and given the catalog's spelling.
/// </summary>
public static class CatalogQueryParser
{
    public static IReadOnlySet<string> Parameters { get; } = new HashSet<string>(
        ["q", "sort", "page", "pageSize", "view", .. CatalogFacets.All.Select(f => f.Parameter)], StringComparer.OrdinalIgnoreCase);

    /// <param name="parameters">Query parameters; a repeated parameter carries several values.</param>
    /// <param name="index">The catalog, to recognise facet values.</param>
    /// <param name="keepUnknownValues">
    /// True for the HTTP API: a value no model has still filters (and matches nothing). False for the page: it is ignored.
    /// Both add a notice.
    /// </param>
    public static ParsedCatalogQuery Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> parameters, CatalogIndex index, bool keepUnknownValues)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(index);

        var notices = new List<string>();
        var lookup = parameters
            .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList(), StringComparer.OrdinalIgnoreCase);

        foreach (var unknown in lookup.Keys.Where(k => !Parameters.Contains(k)))
        {
            notices.Add($"Ignored the unknown parameter '{unknown}'.");
        }

        var selected = new Dictionary<Facet, IReadOnlyList<string>>();
        foreach (var facet in CatalogFacets.All)
        {
            if (!lookup.TryGetValue(facet.Parameter, out var raw) || raw.Count == 0)
            {
                continue;
            }

            var values = new List<string>();
            foreach (var value in raw.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (index.CanonicalValue(facet.Facet, value) is { } canonical)
                {
                    values.Add(canonical);
                }
                else if (keepUnknownValues)
                {
                    values.Add(value);
                    notices.Add($"No model has {facet.Title.ToLowerInvariant()} '{value}'.");
                }
                else
                {
                    notices.Add($"Ignored {facet.Title.ToLowerInvariant()} '{value}': no model in the catalog has it.");
                }
            }

            if (values.Count > 0)
            {
                selected[facet.Facet] = values;
            }
        }

        var sort = CatalogSort.Name;
        if (Single(lookup, "sort") is { } sortText)
        {
            switch (sortText.ToLowerInvariant())
            {
                case "name":
                    break;
                case "context":
                    sort = CatalogSort.ContextWindow;
                    break;
                case "newest":
                    sort = CatalogSort.Newest;
                    break;
                case "quality":
                    notices.Add("Sorted by name: models are ranked by quality on the benchmark dashboard (/benchmarks), where every ranked model is scored on the same datasets.");
                    break;
                default:
                    notices.Add($"Ignored sort '{sortText}': use name, context or newest.");
                    break;
            }
        }

        var pageSize = CatalogQuery.DefaultPageSize;
        if (Single(lookup, "pageSize") is { } pageSizeText)
        {
            if (int.TryParse(pageSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= CatalogQuery.MaxPageSize)
            {
                pageSize = size;
            }
            else
            {
                notices.Add($"Ignored page size '{pageSizeText}': use a number from 1 to {CatalogQuery.MaxPageSize}.");
            }
        }

        var page = 1;
        if (Single(lookup, "page") is { } pageText)
        {
            if (int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1)
            {
                page = number;
            }
            else
            {
                notices.Add($"Ignored page '{pageText}': pages are numbered from 1.");
            }
        }

        var text = lookup.TryGetValue("q", out var q) ? string.Join(' ', q) : null;
        if (text is { Length: > 200 })
        {
            notices.Add("The search text was cut to 200 characters.");
            text = text[..200];
        }

        return new(new CatalogQuery
        {
            Text = string.IsNullOrWhiteSpace(text) ? null : text,
            Selected = selected,
            Sort = sort,
            Page = page,
            PageSize = pageSize,
        }, notices);
    }

    private static string? Single(Dictionary<string, List<string>> lookup, string name) =>
        lookup.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;
}
