using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using Portal.Data.Tracing;
using Portal.Web.Access;
using Portal.Web.Tracing;

namespace Portal.Web.Components.Pages.Traces;

/// <summary>
/// <c>/traces</c>: the model calls the user may read (their own; everyone's with ReadAllTraces), newest first, paged by
/// the grid from the store. Filters and hidden columns are in the address, so a filtered list can be shared.
/// </summary>
public sealed partial class Traces : PortalComponentBase
{
    /// <summary>The columns the chooser can hide: key (in the address, <c>hide=</c>) and label.</summary>
    public static readonly IReadOnlyList<(string Key, string Label)> Hideable =
    [
        ("user", "User"), ("connection", "Connection"), ("operation", "Operation"), ("feature", "Feature"),
        ("ttft", "TTFT"), ("total", "Total"), ("tokens", "Tokens in / out"), ("cost", "Cost (estimated)"),
    ];

    private MudDataGrid<TraceRow>? _grid;
    private TraceFilter _filter = new();
    private HashSet<string> _hidden = new(StringComparer.Ordinal);
    private TraceFacets _facets = new([], [], []);
    private bool _all;
    private bool _columnsOpen;
    private string? _loadError;

    [SupplyParameterFromQuery(Name = "model")] public string? QueryModel { get; set; }

    [SupplyParameterFromQuery(Name = "connection")] public string? QueryConnection { get; set; }

    [SupplyParameterFromQuery(Name = "feature")] public string? QueryFeature { get; set; }

    [SupplyParameterFromQuery(Name = "operation")] public string? QueryOperation { get; set; }

    [SupplyParameterFromQuery(Name = "status")] public string? QueryStatus { get; set; }

    [SupplyParameterFromQuery(Name = "user")] public string? QueryUser { get; set; }

    [SupplyParameterFromQuery(Name = "q")] public string? QueryText { get; set; }

    [SupplyParameterFromQuery(Name = "from")] public string? QueryFrom { get; set; }

    [SupplyParameterFromQuery(Name = "to")] public string? QueryTo { get; set; }

    [SupplyParameterFromQuery(Name = "range")] public string? QueryRange { get; set; }

    [SupplyParameterFromQuery(Name = "hide")] public string[]? QueryHide { get; set; }

    [Inject]
    public required TraceService TraceService { get; init; }

    [Inject]
    public required IOptions<TracingOptions> Options { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<Traces> Logger { get; init; }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            (_, _all) = await TraceService.ScopeAsync(ComponentToken);
            _facets = await TraceService.FacetsAsync(ComponentToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read the trace filters' values");
            _loadError = "The traces could not be read from the store just now. Try again in a moment.";
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var filter = TraceFilter.Parse(QueryModel, QueryConnection, QueryFeature, QueryOperation, QueryStatus, QueryUser, QueryText, QueryFrom, QueryTo, QueryRange);
        _hidden = new HashSet<string>((QueryHide ?? []).Where(h => Hideable.Any(c => c.Key == h)), StringComparer.Ordinal);
        if (filter != _filter)
        {
            _filter = filter;
            if (_grid is not null)
            {
                await _grid.ReloadServerData();
            }
        }
    }

    /// <summary>The grid's page of traces, from the store (the service restricts it to what the user may read).</summary>
    private async Task<GridData<TraceRow>> LoadAsync(GridState<TraceRow> state, CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ComponentToken);
            var (items, total) = await TraceService.QueryAsync(_filter, state.Page * state.PageSize, state.PageSize, linked.Token);
            _loadError = null;
            return new GridData<TraceRow> { Items = items, TotalItems = total };
        }
        catch (PortalAccessDeniedException ex)
        {
            _loadError = ex.Message;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            // The page went away, or the grid asked for another page meanwhile.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read the traces");
            _loadError = "The traces could not be read from the store just now. Try again in a moment.";
        }

        return new GridData<TraceRow> { Items = [], TotalItems = 0 };
    }

    /// <summary>Shows another filter: the address changes (for bookmarks and sharing), and the grid reloads from it.</summary>
    private Task ApplyAsync(TraceFilter filter)
    {
        Navigation.NavigateTo(PortalUrls.Traces(filter, _hidden));
        return Task.CompletedTask;
    }

    private void ToggleColumn(string key, bool shown)
    {
        var hidden = new HashSet<string>(_hidden, StringComparer.Ordinal);
        if (shown)
        {
            hidden.Remove(key);
        }
        else
        {
            hidden.Add(key);
        }

        _hidden = hidden;
        Navigation.NavigateTo(PortalUrls.Traces(_filter, _hidden), new NavigationOptions { ReplaceHistoryEntry = true });
    }

    /// <summary>The values a filter lists, plus the one chosen (a shared link may name one this user has no trace of).</summary>
    private static IEnumerable<string> Offered(IReadOnlyList<string> values, string? chosen) =>
        chosen is not null && !values.Contains(chosen, StringComparer.Ordinal) ? [chosen, .. values] : values;

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string RangeLabel(string range) => range switch
    {
        "1h" => "Last hour",
        "24h" => "Last 24 hours",
        "7d" => "Last 7 days",
        _ => "Last 30 days",
    };

    private string RangeText() =>
        $"{(_filter.From is { } from ? "From " + TraceText.Time(from) : "")}{(_filter.From is not null && _filter.To is not null ? " " : "")}{(_filter.To is { } to ? "until " + TraceText.Time(to) : "")} (UTC)";

    private static string Time(DateTimeOffset when) => TraceText.Time(when);

    private static Color StatusColor(string status) => status switch
    {
        TraceStatus.Ok => Color.Success,
        TraceStatus.Cancelled => Color.Default,
        _ => Color.Error,
    };
}
