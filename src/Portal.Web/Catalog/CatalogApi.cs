using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Portal.Catalog;
using Portal.Catalog.Export;
using Portal.Catalog.Query;
using Portal.Web.Exports;
using Portal.Web.Hosting;

namespace Portal.Web.Catalog;

/// <summary>One model in a list: what scripts and the checks need.</summary>
public sealed record ModelSummaryDto(
    string Id,
    string Name,
    string? Publisher,
    string? Collection,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<string> FineTuningTasks,
    string? License,
    string CommercialUse,
    IReadOnlyList<string> DeploymentOptions,
    int? ContextWindow,
    string? ContextWindowAsPrinted,
    DateOnly? DeprecationDate,
    DateOnly? RetirementDate);

public sealed record FacetValueDto(string Value, string Label, int Count, bool Selected);

/// <summary>One page of <c>/api/models</c>.</summary>
/// <param name="Total">Models the query matches.</param>
/// <param name="Page">The page, from 1.</param>
/// <param name="PageSize">Models per page.</param>
/// <param name="Items">The models on this page.</param>
/// <param name="Facets">Per facet parameter, the values listed: the most common ones (facetLimit, default 10) and every selected one.</param>
/// <param name="Notices">What was ignored or adjusted in the request, in words.</param>
/// <param name="FacetTotals">Per facet parameter, how many values it has under the other filters: more than listed when the list was cut.</param>
public sealed record ModelListDto(
    int Total,
    int Page,
    int PageSize,
    IReadOnlyList<ModelSummaryDto> Items,
    IReadOnlyDictionary<string, IReadOnlyList<FacetValueDto>> Facets,
    IReadOnlyList<string> Notices,
    IReadOnlyDictionary<string, int> FacetTotals);

/// <summary><c>/api/models</c>: the catalog for scripts, with the same query parameters as the catalog page.</summary>
public static class CatalogApi
{
    /// <summary>What every export endpoint says about streaming and the per-client limit.</summary>
    internal const string ExportDescription =
        "The same query parameters as /api/models (paging is ignored: every match is exported). The file is streamed as it is "
        + "written, without a Content-Length. A client may run Portal:Exports:MaxConcurrentPerClient exports at once (4 by default); "
        + "one more is answered 429 with a Retry-After header.";

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/models").WithTags("Catalog");

        group.MapGet("", (HttpRequest request, ICatalogService catalog) => List(request, catalog))
            .WithName("ListModels")
            .WithSummary("Search the model catalog")
            .WithDescription(
                "Query parameters: q (text), collection, publisher, task, deployment (managed-compute | serverless-api | azure-openai), "
                + "finetune, license, context (up-to-8k | 8k-32k | 32k-128k | over-128k | unknown), input, output, "
                + "region (an Azure region's API name, e.g. swedencentral: only models with region facts, which come from the live "
                + "Azure OpenAI models, match; a model without region facts may still be offered there), "
                + "sort (name | context | newest), page (from 1), pageSize (1-200, default 48). A repeated parameter means OR "
                + "within that facet; different facets are combined with AND. Facet counts are computed under the other facets' filters. "
                + "A value no model has matches nothing and is reported in notices. "
                + $"Facet lists: each facet lists its facetLimit (1-{MaxFacetLimit}, default {CatalogQuery.DefaultFacetLimit}) values with the most models, "
                + "plus every selected value; facetTotals says how many values each facet has, so a client knows when there are more. "
                + "facet (one facet parameter, e.g. facet=publisher) lists every value of that facet; with facetSearch (text) only "
                + "those whose name contains it, case-insensitive.");

        group.MapGet("{id}", Results<Ok<CatalogModel>, ProblemHttpResult> (string id, ICatalogService catalog) =>
                catalog.Current.Find(id) is { } model
                    ? TypedResults.Ok(model)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Model not found",
                        detail: $"The catalog has no model with id '{id}'."))
            .WithName("GetModel")
            .WithSummary("One model with every field, its provenance and the conflicts between sources");

        group.MapGet("export.json", (HttpRequest request, ICatalogService catalog) =>
                new StreamedExport("application/json", "catalog.json", (body, cancellationToken) =>
                    CatalogExporter.WriteJsonAsync(body, AllMatches(request, catalog), cancellationToken)))
            .RequireRateLimiting(ExportServiceCollectionExtensions.ExportPolicy)
            .WithName("ExportModelsJson")
            .WithSummary("The filtered catalog as a catalog file (importable again), streamed")
            .WithDescription(ExportDescription);

        group.MapGet("export.csv", (HttpRequest request, ICatalogService catalog) =>
                new StreamedExport("text/csv; charset=utf-8", "catalog.csv", (body, cancellationToken) =>
                    CatalogExporter.WriteCsvAsync(body, AllMatches(request, catalog), cancellationToken)))
            .RequireRateLimiting(ExportServiceCollectionExtensions.ExportPolicy)
            .WithName("ExportModelsCsv")
            .WithSummary("The filtered catalog as CSV, one row per model, streamed")
            .WithDescription(ExportDescription);

        return endpoints;
    }

    /// <summary>Most values a facet lists per facet when the client asks (facetLimit); every value of one facet is facet=….</summary>
    public const int MaxFacetLimit = 100;

    private static readonly string[] FacetListParameters = ["facetLimit", "facet", "facetSearch"];

    private static Ok<ModelListDto> List(HttpRequest request, ICatalogService catalog)
    {
        var index = catalog.Current;
        var parsed = Parse(request.Query.Where(p => !FacetListParameters.Contains(p.Key, StringComparer.OrdinalIgnoreCase)), index, keepUnknownValues: true);
        var notices = parsed.Notices.ToList();
        var (limit, expanded, search) = ParseFacetList(request.Query, notices);

        var query = parsed.Query with { FacetLimit = limit };
        var result = index.Search(query);
        var facets = result.Facets
            .Select(f => f.Facet == expanded ? index.SearchFacet(query, f.Facet, search, limit: null) : f)
            .ToList();
        return TypedResults.Ok(new ModelListDto(
            result.Total,
            result.Page,
            result.PageSize,
            [.. result.Items.Select(ToSummary)],
            facets.ToDictionary(f => f.Parameter, f => (IReadOnlyList<FacetValueDto>)[.. f.Values.Select(v => new FacetValueDto(v.Value, v.Label, v.Count, v.Selected))]),
            notices,
            facets.ToDictionary(f => f.Parameter, f => f.DistinctCount)));
    }

    /// <summary>facetLimit, facet and facetSearch; a malformed one is dropped with a notice, as the other parameters are.</summary>
    private static (int Limit, Facet? Expanded, string? Search) ParseFacetList(IQueryCollection query, List<string> notices)
    {
        var limit = CatalogQuery.DefaultFacetLimit;
        if (Last(query, "facetLimit") is { } limitText)
        {
            if (int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxFacetLimit)
            {
                limit = n;
            }
            else
            {
                notices.Add($"Ignored facet limit '{limitText}': use a number from 1 to {MaxFacetLimit}, or facet=… for every value of one facet.");
            }
        }

        Facet? expanded = null;
        if (Last(query, "facet") is { } facetText)
        {
            if (CatalogFacets.ByParameter(facetText) is { } definition)
            {
                expanded = definition.Facet;
            }
            else
            {
                notices.Add($"Ignored facet '{facetText}': use one of {string.Join(", ", CatalogFacets.All.Select(f => f.Parameter))}.");
            }
        }

        var search = Last(query, "facetSearch");
        if (search is { Length: > 200 })
        {
            notices.Add("The facet search text was cut to 200 characters.");
            search = search[..200];
        }

        if (search is not null && expanded is null)
        {
            notices.Add("Ignored facetSearch: name the facet to search with facet=… (for example facet=publisher).");
            search = null;
        }

        return (limit, expanded, search);
    }

    private static string? Last(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.LastOrDefault(v => !string.IsNullOrWhiteSpace(v)) is { } value ? value.Trim() : null;

    /// <summary>Every model the query matches, in its sort order (paging parameters are ignored for exports).</summary>
    internal static IReadOnlyList<CatalogModel> AllMatches(HttpRequest request, ICatalogService catalog)
    {
        var index = catalog.Current;
        return index.AllMatches(Parse(request.Query, index, keepUnknownValues: true).Query);
    }

    public static ParsedCatalogQuery Parse(IEnumerable<KeyValuePair<string, StringValues>> query, CatalogIndex index, bool keepUnknownValues) =>
        CatalogQueryParser.Parse(
            query.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Key, p.Value.ToArray())),
            index,
            keepUnknownValues);

    public static ModelSummaryDto ToSummary(CatalogModel m) => new(
        m.Id,
        m.DisplayName,
        m.Publisher,
        m.Collection,
        m.InferenceTasks,
        m.FineTuningTasks,
        m.License,
        Licenses.Describe(Licenses.CommercialUseOf(m.License)),
        [.. CatalogFacets.Get(Facet.Deployment).Values(m)],
        m.ContextWindowTokens,
        m.ContextWindowAsPrinted,
        m.Lifecycle?.DeprecationDate,
        m.Lifecycle?.RetirementDate);
}
