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

    [Inject]
    public required TimeProvider Time { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _trace = null;
        _loadError = null;
        try
        {
            if (Guid.TryParse(Id, out var id) && await FindAsync(id) is { } trace)
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

    /// <summary>
    /// The trace; a call that ended a moment ago may still be on its way to the store (it is written off the call path),
    /// so a just-made id is looked for again for up to two seconds before the page says "not found".
    /// </summary>
    private async Task<TraceRow?> FindAsync(Guid id)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await TraceService.GetAsync(id, ComponentToken) is { } trace)
            {
                return trace;
            }

            if (attempt >= 8 || !JustMade(id))
            {
                return null;
            }

            await Task.Delay(250, ComponentToken);
        }
    }

    /// <summary>Whether a trace id (a version 7 GUID: its first 48 bits are the Unix time in milliseconds) was made in the last ten seconds.</summary>
    private bool JustMade(Guid id)
    {
        if (id.Version != 7)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        var age = Time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return age > TimeSpan.FromSeconds(-10) && age < TimeSpan.FromSeconds(10);
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
