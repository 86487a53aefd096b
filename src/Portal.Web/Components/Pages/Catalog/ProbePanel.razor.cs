using Microsoft.AspNetCore.Components;
using Portal.Web.Access;
using Portal.Web.Connections;
using Portal.Web.Evaluations;

namespace Portal.Web.Components.Pages.Catalog;

/// <summary>Runs a performance probe (with progress and Cancel) and lists this model's latest stored results.</summary>
public sealed partial class ProbePanel : PortalComponentBase
{
    private IReadOnlyList<ProbeResult>? _results;
    private IReadOnlyDictionary<string, string> _problems = new Dictionary<string, string>();
    private ProbeProgress? _progress;
    private CancellationTokenSource? _run;
    private string? _loadError;
    private string? _status;
    private string? _connection;
    private string? _model;
    private int _requests = 20;
    private int _concurrency = 4;
    private int _maxTokens = 128;
    private string _prompt = ProbeRequest.DefaultPrompt;
    private bool _running;
    private bool _mayRun;

    [Parameter, EditorRequired]
    public required string ModelId { get; set; }

    /// <summary>The user's connections (the page has read them).</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyList<ConnectionView> Connections { get; set; }

    /// <summary>The connection that lists this model, chosen first.</summary>
    [Parameter]
    public ConnectionView? Preferred { get; set; }

    [Inject]
    public required PerformanceProbe Probe { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required ILogger<ProbePanel> Logger { get; init; }

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        _connection = Preferred?.Name ?? (Connections.Count == 1 ? Connections[0].Name : null);
        _model = Preferred?.Models.FirstOrDefault(m => string.Equals(m, ModelId, StringComparison.OrdinalIgnoreCase)) ?? ModelId;
    }

    // Earlier results are read once the page is on screen, never while it is prerendered: the model page never waits for the store.
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await LoadAsync();
            StateHasChanged();
        }
    }

    protected override async Task OnAccessChangedAsync() =>
        _mayRun = await Access.CanAsync(PortalAction.RunPerformanceProbe, ComponentToken);

    private async Task LoadAsync()
    {
        try
        {
            _results = await Probe.LatestAsync(ModelId, ComponentToken);
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read probe results of {Model}", ModelId);
            _loadError = "The probe results could not be read from the store just now.";
        }
    }

    private async Task RunAsync()
    {
        var request = new ProbeRequest(ModelId, _connection, _model, _requests, _concurrency, _prompt, _maxTokens);
        _problems = PerformanceProbe.Validate(request);
        _status = null;
        if (_problems.Count > 0)
        {
            return;
        }

        _running = true;
        _progress = new ProbeProgress(0, 0, _requests);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ComponentToken);
        _run = run;
        try
        {
            var outcome = await Probe.RunAsync(request, ProgressOnRenderer<ProbeProgress>(p => _progress = p.Done >= (_progress?.Done ?? 0) ? p : _progress), run.Token);
            _problems = outcome.Problems;
            if (outcome.Result is { } result)
            {
                _status = result.Cancelled
                    ? $"Cancelled: {result.Succeeded + result.Failed} of {result.Requests} requests finished; their figures are kept below."
                    : $"Done: {result.Succeeded} of {result.Requests} requests succeeded.";
                await LoadAsync();
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            _status = ex.Message;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Probe of {Model} failed", ModelId);
            _status = "The probe could not be completed (the portal's store did not answer). Try again in a moment.";
        }
        finally
        {
            _run = null;
            _running = false;
            _progress = null;
        }
    }

    private void Cancel() => _run?.Cancel();
}
