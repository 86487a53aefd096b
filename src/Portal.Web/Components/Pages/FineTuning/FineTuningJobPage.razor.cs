using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Playground.FineTuning;
using Portal.Web.Access;
using Portal.Web.Components.Controls;
using Portal.Web.FineTuning;

namespace Portal.Web.Components.Pages.FineTuning;

/// <summary>
/// One fine-tuning job, followed live: the page re-reads the stored job when the follower reports a change (and on a
/// timer while the job runs, for changes another instance wrote): status with the training step, events as they
/// arrive, checkpoints and the loss curves. Cancelling asks first, and the service checks the permission.
/// </summary>
public sealed partial class FineTuningJobPage : PortalComponentBase
{
    /// <summary>How often the page re-reads the job while it runs, besides the change signal.</summary>
    internal static TimeSpan FallbackInterval { get; set; } = TimeSpan.FromSeconds(3);

    private FineTuningJobView? _job;
    private bool _notFound;
    private string? _loadError;
    private string? _problem;
    private bool _mayManage;
    private bool _busy;
    private LiveReader? _live;
    private bool _subscribed;
    private Task? _fallback;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    public required FineTuningService Service { get; init; }

    [Inject]
    public required FineTuningChanges Changes { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<FineTuningJobPage> Logger { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        if (!_subscribed)
        {
            Changes.Changed += OnChanged;
            _subscribed = true;
        }

        if (_job?.Id != Id)
        {
            _job = null;
            _problem = null;
            await LoadAsync();
            await OnAccessChangedAsync();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _fallback = ReadOnTimerAsync();
        }
    }

    protected override async Task OnAccessChangedAsync() =>
        _mayManage = _job is not null && await Service.MayManageAsync(_job, ComponentToken);

    private async Task LoadAsync()
    {
        try
        {
            var job = await Service.GetAsync(Id, ComponentToken);
            _notFound = job is null;
            _job = job;
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read fine-tuning job {Job}", Id);
            _loadError = "The job could not be read from the store just now; what is shown may be out of date, and the page tries again.";
        }
    }

    private static string Name(FineTuningJobView job) => job.Row.Suffix is { Length: > 0 } suffix ? $"{suffix} ({job.Row.ProviderJobId})" : job.Row.ProviderJobId;

    private static string FileText(string? name, string? id) => name is null ? id ?? "—" : $"{name} ({id})";

    /// <summary>The last training step reported and the steps in all, from the metrics events.</summary>
    internal static (int Step, int Total)? Progress(FineTuningJobView job)
    {
        var last = job.Metrics.LastOrDefault(m => m.TotalSteps is > 0);
        return last is null ? null : (last.Step, last.TotalSteps!.Value);
    }

    private static string StatusWords(FineTuningJobView job, (int Step, int Total)? progress) => job.State switch
    {
        FineTuningState.ValidatingFiles => "The provider is checking the training files.",
        FineTuningState.Queued => "Waiting for the provider to start training.",
        FineTuningState.Running when progress is { } p => $"Training: step {p.Step} of {p.Total}.",
        FineTuningState.Running => "Training has started; the steps appear with the first metrics.",
        FineTuningState.Paused => "The provider paused the job.",
        FineTuningState.Succeeded => $"Finished{(progress is { } p ? $" after {p.Total} steps" : "")}; the fine-tuned model is ready.",
        FineTuningState.Failed => "The job ended without a model (see why below).",
        FineTuningState.Cancelled => "The job was cancelled.",
        _ => $"The provider says '{job.Row.Status}'.",
    };

    private async Task RefreshAsync()
    {
        _busy = true;
        try
        {
            _job = await Service.RefreshAsync(Id, ComponentToken) ?? _job;
            _problem = null;
        }
        catch (PortalAccessDeniedException ex)
        {
            _problem = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read fine-tuning job {Job} now", Id);
            _problem = "The job could not be read just now; the portal keeps following it.";
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CancelAsync()
    {
        if (_job is not { } job || !await Dialogs.ConfirmAsync("Cancel this fine-tuning job?",
            $"The provider stops training {Name(job)}; a cancelled job cannot be resumed. What it reported so far stays here.", action: "Cancel job", keep: "Keep running"))
        {
            return;
        }

        _busy = true;
        try
        {
            _problem = await Service.CancelAsync(Id, ComponentToken);
            await LoadAsync();
        }
        catch (PortalAccessDeniedException ex)
        {
            _problem = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not cancel fine-tuning job {Job}", Id);
            _problem = "The job could not be cancelled just now; try again.";
        }
        finally
        {
            _busy = false;
        }
    }

    // A change of this job re-reads it, at most one read at a time (changes during a read are covered by the next).
    private LiveReader Live => _live ??= new(InvokeAsync, async () =>
    {
        if (!IsDisposed)
        {
            await LoadAsync();
            StateHasChanged();
        }
    }, TimeSpan.FromMilliseconds(100), ComponentToken);

    private void OnChanged(Guid id)
    {
        if (id != Id)
        {
            return;
        }

        Live.Request();
    }

    private Task ReadOnTimerAsync() => Live.RunTimerAsync(FallbackInterval, () => _job is null || !_job.State.IsFinal());

    protected override void Dispose(bool disposing)
    {
        Changes.Changed -= OnChanged;
        base.Dispose(disposing);
    }
}
