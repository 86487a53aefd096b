using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Catalog;
using Portal.Web.Code;

namespace Portal.Web.Components.Pages.Catalog;

public sealed partial class ModelDetails : PortalComponentBase
{
    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    public required ICatalogService Catalog { get; init; }

    /// <summary>The request while the page is rendered on the server (prerender); null once interactive.</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    private CatalogModel? _model;
    private IReadOnlyList<CodeSample> _samples = [];

    /// <summary>One row of the facts table: label, value (null → "—") and the source of that field.</summary>
    private sealed record Fact(string Label, string? Value, string? Source, string? Detail = null);

    protected override void OnInitialized() => Catalog.Changed += OnCatalogChanged;

    protected override void OnParametersSet()
    {
        _model = Catalog.Current.Find(Id);
        if (_model is null && HttpContext is { Response.HasStarted: false } http)
        {
            // An unknown id answers 404, as the HTTP API does; the not-found page, re-executed for the status, says
            // which model was not found.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }

        _samples = _model is null ? [] : CodeSamples.For(_model);
    }

    private static IEnumerable<Fact> Facts(CatalogModel m)
    {
        string? Source(string field) => m.FieldSources.TryGetValue(field, out var url) ? url : null;
        string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(", ", values);

        yield return new("Publisher", m.Publisher, Source("publisher"));
        yield return new("Collection", m.Collection, Source("collection"));
        yield return new("Inference tasks", Join(m.InferenceTasks), Source("inference_tasks"));
        yield return new("Fine-tuning tasks", Join(m.FineTuningTasks), Source("fine_tuning_tasks"));
        yield return new("License", m.License, Source("license"),
            string.Join(" ", new[] { Licenses.Describe(Licenses.CommercialUseOf(m.License)) + ".", m.LicenseNote }.Where(s => !string.IsNullOrEmpty(s))));
        yield return new("Context window",
            m.ContextWindowTokens is { } tokens ? $"{tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens" : null,
            Source("context_window_tokens"),
            m.ContextWindowAsPrinted is { } printed ? $"As printed: {printed}" : null);
        yield return new("Max output tokens", m.MaxOutputTokens?.ToString("N0", CultureInfo.InvariantCulture), Source("max_output_tokens"));
        yield return new("Parameters", m.ParameterCount, Source("parameter_count"), m.ParameterNote);
        yield return new("Input", Join(m.InputModalities), Source("input_modalities"));
        yield return new("Output", Join(m.OutputModalities), Source("output_modalities"));
        yield return new("Knowledge cutoff", m.KnowledgeCutoff, Source("knowledge_cutoff"));
        yield return new("Release date", m.ReleaseDate, Source("release_date"));
        yield return new("Versions", Join(m.Versions), Source("versions"));
        yield return new("Deprecation date", m.Lifecycle?.DeprecationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Source("azure_lifecycle"));
        yield return new("Retirement date", m.Lifecycle?.RetirementDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Source("azure_lifecycle"));
        yield return new("Deployment options", DeploymentText(m.Deployment, m.Collection), m.Deployment?.Source ?? Source("deployment"), m.Deployment?.Note);
    }

    private static string? DeploymentText(DeploymentOptions? d, string? collection)
    {
        if (d is null || (d.ManagedCompute is null && d.ServerlessApi is null))
        {
            return string.Equals(collection, "Azure OpenAI", StringComparison.OrdinalIgnoreCase) ? "Azure OpenAI deployment" : null;
        }

        static string YesNo(bool? v) => v switch { true => "available", false => "not available", null => "—" };
        return $"Managed compute: {YesNo(d.ManagedCompute)}; serverless API: {YesNo(d.ServerlessApi)}";
    }

    private static string SourceLabel(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host + (uri.AbsolutePath.Length > 1 ? "/…/" + uri.Segments[^1].TrimEnd('/') : "") : url;

    private static bool IsLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

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

    /// <summary>The playground page for the model's API (chat, completions or images), or null when it has none there.</summary>
    private static string? PlaygroundUrl(CatalogModel model) => CodeSamples.ApiFor(model) switch
    {
        CodeApi.Chat => PortalUrls.Playground("playground/chat", null, model.Id),
        CodeApi.Completions => PortalUrls.Playground("playground/completions", null, model.Id),
        CodeApi.Images => PortalUrls.Playground("playground/images", null, model.Id),
        _ => null,
    };
}
