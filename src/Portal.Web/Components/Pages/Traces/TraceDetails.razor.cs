using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Portal.Data.Tracing;
using Portal.Web.Tracing;

namespace Portal.Web.Components.Pages.Traces;

/// <summary>
/// <c>/traces/{id}</c>: one model call — request (parameters, messages), response, finish reason, content-filter
/// results, timings, tokens (reported or estimated), cost with its source, error, and the evaluation run it belongs to.
/// Someone else's trace (without ReadAllTraces) is "not found", as an unknown one is.
/// </summary>
public sealed partial class TraceDetails : PortalComponentBase
{
    private TraceRow? _trace;
    private bool _loaded;
    private string? _loadError;
    private List<(string Role, string Content)> _messages = [];
    private List<(string Name, string Value)> _parameters = [];
    private List<(string Name, string? Severity, bool Filtered)> _filters = [];

    [Parameter]
    public string? Id { get; set; }

    [Inject]
    public required TraceService TraceService { get; init; }

    [Inject]
    public required ILogger<TraceDetails> Logger { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _trace = null;
        _loadError = null;
        try
        {
            if (Guid.TryParse(Id, out var id) && await TraceService.GetAsync(id, ComponentToken) is { } trace)
            {
                _trace = trace;
                _messages = Messages(trace.Messages);
                _parameters = Parameters(trace.Parameters);
                _filters = Filters(trace.ContentFilter);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read a trace");
            _loadError = "The trace could not be read from the store just now. Try again in a moment.";
        }

        _loaded = true;
    }

    private static List<(string Role, string Content)> Messages(string? json)
    {
        var list = new List<(string, string)>();
        if (string.IsNullOrEmpty(json))
        {
            return list;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var message in document.RootElement.EnumerateArray())
        {
            list.Add((Text(message, "role") ?? "user", Text(message, "content") ?? ""));
        }

        return list;
    }

    private static List<(string Name, string Value)> Parameters(string? json)
    {
        var list = new List<(string, string)>();
        if (string.IsNullOrEmpty(json))
        {
            return list;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            list.Add((property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText()));
        }

        return list;
    }

    private static List<(string Name, string? Severity, bool Filtered)> Filters(string? json)
    {
        var list = new List<(string, string?, bool)>();
        if (string.IsNullOrEmpty(json))
        {
            return list;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var category in document.RootElement.EnumerateArray())
        {
            list.Add((Text(category, "name") ?? "?", Text(category, "severity"), category.TryGetProperty("filtered", out var f) && f.ValueKind == JsonValueKind.True));
        }

        return list;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
