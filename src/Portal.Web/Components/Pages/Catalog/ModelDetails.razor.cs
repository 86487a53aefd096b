using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Catalog;
using Portal.Web.Access;
using Portal.Web.Code;
using Portal.Web.Connections;

namespace Portal.Web.Components.Pages.Catalog;

public sealed partial class ModelDetails : PortalComponentBase
{
    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    public required ICatalogService Catalog { get; init; }

    [Inject]
    public required ConnectionService Connections { get; init; }

    [Inject]
    public required ILogger<ModelDetails> Logger { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    /// <summary>The request while the page is rendered on the server (prerender); null once interactive.</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    private CatalogModel? _model;
    private IReadOnlyList<CodeSample> _samples = [];
    private IReadOnlyList<ConnectionView> _connections = [];
    private ConnectionView? _connection;
    private bool _mayDeploy = true;
    private bool _mayFineTune = true;
    private bool _connectionsRead;

    /// <summary>One row of the facts table: label, value (null → "—") and the source of that field.</summary>
    private sealed record Fact(string Label, string? Value, string? Source, string? Detail = null);

    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        _mayDeploy = role.Allows(PortalAction.DeployModel);
        _mayFineTune = role.Allows(PortalAction.FineTune);
    }

    protected override async Task OnInitializedAsync()
    {
        Catalog.Changed += OnCatalogChanged;
        await OnAccessChangedAsync();
        try
        {
            _connections = await Connections.ListAsync(ComponentToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The samples fall back to the generic form; the connections page says what is wrong with the store.
            Log.ConnectionsUnavailable(Logger, e);
        }

        _connectionsRead = true;

        Refresh();
    }

    protected override void OnParametersSet() => Refresh();

    private void Refresh()
    {
        _model = Catalog.Current.Find(Id);
        if (_model is null && HttpContext is { Response.HasStarted: false } http)
        {
            // An unknown id answers 404, as the HTTP API does; the not-found page, re-executed for the status, says
            // which model was not found.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }

        // The first of the user's connections that lists this model fills the samples; otherwise they read OPENAI_BASE_URL.
        _connection = _model is null ? null : _connections.FirstOrDefault(c => c.Models.Contains(_model.Id, StringComparer.OrdinalIgnoreCase));
        _samples = _model is null ? []
            : _connection is { } c ? CodeSamples.For(_model, c.Kind, c.Endpoint, c.Auth)
            : CodeSamples.For(_model);
    }

    private static string TaskList(CatalogModel m) => string.Join(", ", m.InferenceTasks.Select(CatalogLabels.Task));

    private static IEnumerable<Fact> Facts(CatalogModel m)
    {
        string? Source(string field) => m.FieldSources.TryGetValue(field, out var url) ? url : null;
        string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(", ", values);

        yield return new("Publisher", m.Publisher, Source("publisher"));
        yield return new("Collection", m.Collection, Source("collection"));
        yield return new("Inference tasks", Join([.. m.InferenceTasks.Select(CatalogLabels.Task)]), Source("inference_tasks"));
        yield return new("Fine-tuning tasks", Join([.. m.FineTuningTasks.Select(CatalogLabels.Task)]), Source("fine_tuning_tasks"));
        yield return new("License", CatalogLabels.LicenseOf(m), m.License is null ? null : Source("license"),
            string.Join(" ", new[] { m.License is null ? null : Licenses.Describe(Licenses.CommercialUseOf(m.License)) + ".", m.LicenseNote }.Where(s => !string.IsNullOrEmpty(s))));
        yield return new("Context window",
            m.ContextWindowTokens is { } tokens ? $"{tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens" : null,
            Source("context_window_tokens"),
            m.ContextWindowAsPrinted is { } printed ? $"As printed: {printed}" : null);
        yield return new("Max output tokens", m.MaxOutputTokens?.ToString("N0", CultureInfo.InvariantCulture), Source("max_output_tokens"));
        yield return new("Parameters", m.ParameterCount, Source("parameter_count"), m.ParameterNote);
        yield return new("Input", Join(m.InputModalities), Source("input_modalities"));
        yield return new("Output", Join(m.OutputModalities), Source("output_modalities"));
        yield return new("Knowledge cutoff", m.KnowledgeCutoff, Source("knowledge_cutoff"));
        yield return new("Release date", NullIfEmpty(CatalogLabels.Date(m.ReleaseDate)), Source("release_date"));
        yield return new("Versions", Join(m.Versions), Source("versions"),
            m.Regions.Count > 0 ? "Versions the live Azure OpenAI models name are listed too; see Region availability for where each came from." : null);
        yield return new("Deprecation date", NullIfEmpty(CatalogLabels.Date(m.Lifecycle?.DeprecationDate)), Source("azure_lifecycle"));
        yield return new("Retirement date", NullIfEmpty(CatalogLabels.Date(m.Lifecycle?.RetirementDate)), Source("azure_lifecycle"));
        yield return new("Deployment options", DeploymentText(m.Deployment, m.Collection), m.Deployment?.Source ?? Source("deployment"), m.Deployment?.Note);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string? DeploymentText(DeploymentOptions? d, string? collection)
    {
        if (d is null || (d.ManagedCompute is null && d.ServerlessApi is null))
        {
            return string.Equals(collection, "Azure OpenAI", StringComparison.OrdinalIgnoreCase) ? "Azure OpenAI deployment" : null;
        }

        static string YesNo(bool? v) => v switch { true => "available", false => "not available", null => "—" };
        return $"Managed compute: {YesNo(d.ManagedCompute)}; serverless API: {YesNo(d.ServerlessApi)}";
    }

    private static bool IsLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private void OnCatalogChanged() => _ = InvokeAsync(() =>
    {
        Refresh();
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

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The model page could not read the user's connections; its code samples use the generic form.")]
        public static partial void ConnectionsUnavailable(ILogger logger, Exception exception);
    }
}
