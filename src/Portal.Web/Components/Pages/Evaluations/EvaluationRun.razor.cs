using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Web.Access;
using Portal.Web.Components.Controls;
using Portal.Web.Evaluations;

namespace Portal.Web.Components.Pages.Evaluations;

/// <summary>
/// One evaluation: live progress (re-read when the service reports a change, at most one read at a time), the summary
/// per target with charts, another run on the same dataset version beside it, and every row's answers side by side.
/// The row filters and the compared run are in the address.
/// </summary>
public sealed partial class EvaluationRun : PortalComponentBase
{
    /// <summary>How long after a change the page re-reads: changes within it are read together.</summary>
    internal static TimeSpan Coalesce { get; set; } = TimeSpan.FromMilliseconds(300);

    private EvaluationRunInfo? _run;
    private IReadOnlyList<EvaluationRowResult>? _rows;
    private IReadOnlyList<EvaluationRunInfo> _comparable = [];
    private EvaluationRunInfo? _compare;
    private bool _notFound;
    private string? _loadError;
    private string? _problem;
    private bool _mayManage;
    private bool _mayShowOnBenchmarks;
    private bool _switching;
    private int _refreshQueued;
    private bool _subscribed;

    [Parameter]
    public Guid Id { get; set; }

    [SupplyParameterFromQuery(Name = "show")] public string? QueryShow { get; set; }

    [SupplyParameterFromQuery(Name = "scorer")] public string? QueryScorer { get; set; }

    [SupplyParameterFromQuery(Name = "q")] public string? QuerySearch { get; set; }

    [SupplyParameterFromQuery(Name = "page")] public int? QueryPage { get; set; }

    [SupplyParameterFromQuery(Name = "compare")] public Guid? QueryCompare { get; set; }

    [Inject]
    public required IEvaluationService Service { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<EvaluationRun> Logger { get; init; }

    private IReadOnlyList<ScorerInfo> Scorers => Service.Scorers;

    private RowFilter Filter => new(QueryShow ?? "all", QueryScorer, QuerySearch, Math.Max(1, QueryPage ?? 1));

    protected override async Task OnParametersSetAsync()
    {
        if (!_subscribed)
        {
            Service.Changed += OnChanged;
            _subscribed = true;
        }

        if (_run?.Id != Id)
        {
            _run = null;
            _rows = null;
            await LoadAsync(withComparable: true);
            await OnAccessChangedAsync();
        }

        await LoadCompareAsync();
    }

    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        var own = _run is { } r && r.OwnerId == Access.User.Id;
        _mayManage = role?.Allows(PortalAction.RunEvaluation) == true && (own || role?.Allows(PortalAction.ManageOthersEvaluations) == true);
        _mayShowOnBenchmarks = role?.Allows(PortalAction.ShowOnBenchmarks) == true;
    }

    private async Task LoadAsync(bool withComparable)
    {
        try
        {
            var run = await Service.GetAsync(Id, ComponentToken);
            _notFound = run is null;
            _run = run;
            if (run is null)
            {
                return;
            }

            _rows = await Service.RowsAsync(Id, ComponentToken);
            if (withComparable)
            {
                _comparable = [.. (await Service.ListAsync(ComponentToken))
                    .Where(r => r.Id != run.Id && r.DatasetId == run.DatasetId && r.DatasetVersion == run.DatasetVersion && run.DatasetId is not null)
                    .OrderByDescending(r => r.CreatedUtc)];
            }

            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read evaluation {Run}", Id);
            _loadError = "The evaluation could not be read from the store just now. What is shown may be out of date; the page tries again on the next change.";
            if (_run is not null)
            {
                _problem = _loadError;
            }
        }
    }

    private async Task LoadCompareAsync()
    {
        if (QueryCompare is not { } other || _comparable.All(r => r.Id != other))
        {
            _compare = null;
            return;
        }

        if (_compare?.Id == other)
        {
            return;
        }

        try
        {
            _compare = await Service.GetAsync(other, ComponentToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read evaluation {Run} to compare", other);
            _problem = "The other run could not be read from the store just now. Try again in a moment.";
        }
    }

    /// <summary>From the service's thread: one re-read after a short pause, however many changes arrive meanwhile.</summary>
    private void OnChanged(Guid id)
    {
        if (id != Id || IsDisposed || Interlocked.Exchange(ref _refreshQueued, 1) == 1)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            try
            {
                await Task.Delay(Coalesce, ComponentToken);
                Volatile.Write(ref _refreshQueued, 0);
                await LoadAsync(withComparable: false);
                if (!IsDisposed)
                {
                    StateHasChanged();
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away.
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        });
    }

    private void OnFilterChanged(RowFilter filter) =>
        Navigation.NavigateTo(Url(filter, _compare?.Id), new NavigationOptions { ReplaceHistoryEntry = true });

    private void CompareWith(Guid? other) =>
        Navigation.NavigateTo(Url(Filter, other), new NavigationOptions { ReplaceHistoryEntry = true });

    private string Url(RowFilter filter, Guid? compare)
    {
        var parts = new List<string>();
        if (filter.Show != "all")
        {
            parts.Add("show=" + Uri.EscapeDataString(filter.Show));
        }

        if (filter.Scorer is { Length: > 0 } scorer && filter.Show != "all")
        {
            parts.Add("scorer=" + Uri.EscapeDataString(scorer));
        }

        if (filter.Search is { Length: > 0 } search)
        {
            parts.Add("q=" + Uri.EscapeDataString(search));
        }

        if (filter.Page > 1)
        {
            parts.Add("page=" + filter.Page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (compare is { } c)
        {
            parts.Add($"compare={c}");
        }

        return EvaluationUrls.Run(Id) + (parts.Count > 0 ? "?" + string.Join('&', parts) : "");
    }

    private async Task CancelAsync()
    {
        if (_run is not { } run || !await Dialogs.ConfirmAsync("Cancel evaluation",
                $"Stop '{run.Name}'? Answers already scored are kept; the rest are not asked.", action: "Cancel evaluation", keep: "Keep running"))
        {
            return;
        }

        await ActAsync(() => Service.CancelAsync(run.Id, ComponentToken), $"Cancelled '{run.Name}'.", "cancelled");
        await LoadAsync(withComparable: false);
    }

    private async Task DeleteAsync()
    {
        if (_run is not { } run || !await Dialogs.ConfirmAsync("Delete evaluation", $"Delete '{run.Name}' and all its answers and scores? This cannot be undone."))
        {
            return;
        }

        if (await ActAsync(() => Service.DeleteAsync(run.Id, ComponentToken), $"Deleted '{run.Name}'.", "deleted"))
        {
            Navigation.NavigateTo(EvaluationUrls.RunsPath);
        }
    }

    private async Task SetShownAsync(bool shown)
    {
        if (_run is not { } run)
        {
            return;
        }

        _switching = true;
        try
        {
            if (await ActAsync(() => Service.SetShownOnBenchmarksAsync(run.Id, shown, ComponentToken),
                    shown ? "Shown on the benchmark dashboard as measured here." : "No longer shown on the benchmark dashboard.", "changed"))
            {
                await LoadAsync(withComparable: false);
            }
        }
        finally
        {
            _switching = false;
        }
    }

    private async Task<bool> ActAsync(Func<Task> act, string done, string verb)
    {
        _problem = null;
        try
        {
            await act();
            Snackbar.Add(done, Severity.Success);
            return true;
        }
        catch (PortalAccessDeniedException ex)
        {
            _problem = ex.Message;
        }
        catch (InvalidOperationException ex)
        {
            // The service's own explanation (e.g. a run with nothing accuracy-type to show).
            _problem = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Evaluation {Run} could not be {Verb}", Id, verb);
            _problem = $"The evaluation could not be {verb} just now (the store did not answer). Nothing changed; try again.";
        }

        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (_subscribed)
        {
            Service.Changed -= OnChanged;
        }

        base.Dispose(disposing);
    }
}
