using System.Text;
using Portal.Catalog.Query;

namespace Portal.Web;

/// <summary>Every portal address is built here, so that what a user sees can always be bookmarked and shared.</summary>
public static class PortalUrls
{
    public const string CatalogPath = "models";
    public const string CatalogImportsPath = "settings/catalog-imports";

    public const string BenchmarksPath = "benchmarks";
    public const string ConnectionsPath = "settings/connections";
    public const string AccessPath = "settings/access";
    public const string AuditPath = "settings/audit";
    public const string ApiTokensPath = "settings/api-tokens";

    /// <summary>Sign-in, coming back to <paramref name="returnUrl"/> (a path of this portal, "/models?q=x").</summary>
    public static string SignIn(string returnUrl) =>
        Portal.Web.Access.AccountEndpoints.SignInPath + Join([("returnUrl", Portal.Web.Access.AccountEndpoints.LocalOrRoot(returnUrl))]);

    /// <summary>Settings → Audit with its filters and page (page 1 is left out).</summary>
    public static string Audit(Portal.Web.Access.AuditFilter filter, int page = 1)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = filter.QueryParts();
        if (page > 1)
        {
            parts.Add(("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return AuditPath + Join(parts);
    }

    /// <summary>The audit log as CSV with the same filters (every value URL-encoded).</summary>
    public static string AuditExport(Portal.Web.Access.AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Portal.Web.Access.AuditApi.ExportPath + Join(filter.QueryParts());
    }

    /// <summary>The chat playground, with the connection and model chosen when given.</summary>
    public static string PlaygroundChat(string? connection, string? model, Guid? session = null) =>
        Playground("playground/chat", connection, model, session);

    /// <summary>A playground page (chat, completions, images) with its connection, model and saved session.</summary>
    public static string Playground(string path, string? connection, string? model, Guid? session = null) =>
        path + Join([
            .. connection is { Length: > 0 } ? new[] { ("connection", connection) } : [],
            .. model is { Length: > 0 } ? new[] { ("model", model) } : [],
            .. session is { } id ? new[] { ("session", id.ToString()) } : [],
        ]);

    public const string TracesPath = "traces";

    public const string ServicesPath = "services";

    public const string AzureSettingsPath = "settings/azure";

    /// <summary>The AI services directory, filtered by <paramref name="query"/> when given.</summary>
    public static string Services(string? query) =>
        ServicesPath + Join(string.IsNullOrWhiteSpace(query) ? [] : [("q", query.Trim())]);

    /// <summary><c>/traces</c> with its filters and hidden columns.</summary>
    public static string Traces(Portal.Web.Tracing.TraceFilter filter, IEnumerable<string>? hiddenColumns = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = filter.QueryParts();
        parts.AddRange((hiddenColumns ?? []).Order(StringComparer.Ordinal).Select(c => ("hide", c)));
        return TracesPath + Join(parts);
    }

    /// <summary>One model call's trace.</summary>
    public static string Trace(Guid id) => $"{TracesPath}/{id}";

    /// <summary>An evaluation run (the evaluations pages).</summary>
    public static string EvaluationRun(Guid id) => Portal.Web.Evaluations.EvaluationUrls.Run(id);

    /// <summary>The compare view for 2–4 models.</summary>
    public static string BenchmarkCompare(IEnumerable<string> models) =>
        "benchmarks/compare" + Join(models.Select(m => ("models", m)).ToList());

    /// <summary>The dashboard with a query; defaults are left out.</summary>
    public static string Benchmarks(Portal.Catalog.Benchmarks.BenchmarkViewQuery query, string? view = null) =>
        "benchmarks" + BenchmarkQueryString(query, view);

    public static string BenchmarksExport(Portal.Catalog.Benchmarks.BenchmarkViewQuery query) =>
        "api/benchmarks/export.csv" + BenchmarkQueryString(query, null);

    public static string BenchmarkQueryString(Portal.Catalog.Benchmarks.BenchmarkViewQuery query, string? view)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = CatalogParts(query.Catalog);
        parts.AddRange(query.Models.Select(m => ("models", m)));
        parts.AddRange(query.Datasets.Select(d => ("dataset", d.Key)));
        if (query.Metric != Portal.Catalog.Benchmarks.MetricKind.Accuracy)
        {
            parts.Add(("metric", Portal.Catalog.Benchmarks.MetricKinds.Parameter(query.Metric)));
        }

        if (query.Ratio != Portal.Catalog.Benchmarks.TokenRatio.Default)
        {
            parts.Add(("ratio", query.Ratio.ToString()));
        }

        if (query.Sort != "index")
        {
            parts.Add(("sort", query.Sort));
        }

        if (query.Ascending != (query.Sort == "name"))
        {
            parts.Add(("dir", query.Ascending ? "asc" : "desc"));
        }

        if (!string.IsNullOrEmpty(view) && view != "charts")
        {
            parts.Add(("view", view));
        }

        return Join(parts);
    }

    public static string Model(string id) => $"models/{Uri.EscapeDataString(id)}";

    /// <summary>The catalog page for a query; defaults (sort by name, page 1, 48 per page, cards) are left out.</summary>
    public static string Catalog(CatalogQuery query, string? view = null) => "models" + QueryString(query, view);

    public static string CatalogExport(CatalogQuery query, string format) => $"api/models/export.{format}" + QueryString(query with { Page = 1 }, null);

    public static string QueryString(CatalogQuery query, string? view)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = CatalogParts(query);

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

        return Join(parts);
    }

    private static List<(string Key, string Value)> CatalogParts(CatalogQuery query)
    {
        var parts = new List<(string Key, string Value)>();
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            parts.Add(("q", query.Text));
        }

        foreach (var facet in CatalogFacets.All)
        {
            parts.AddRange(query.SelectedValues(facet.Facet).Select(v => (facet.Parameter, v)));
        }

        return parts;
    }

    private static string Join(List<(string Key, string Value)> parts)
    {
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
