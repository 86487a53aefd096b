using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Playground.FineTuning;
using Portal.Web.Access;
using Portal.Web.FineTuning;

namespace Portal.Web.Components.Pages.FineTuning;

/// <summary>
/// The fine-tuning jobs the user follows (a Contributor sees everyone's): status, duration and result, live (re-read
/// when the follower reports a change, and on a timer for changes made by another instance), with 2–4 of them to
/// select for the comparison page.
/// </summary>
public sealed partial class FineTuningJobs : PortalComponentBase
{
    public const int MaxCompared = 4;

    /// <summary>How often the list is read again while a job runs (changes from another instance).</summary>
    internal static TimeSpan FallbackInterval { get; set; } = TimeSpan.FromSeconds(5);

    private readonly List<Guid> _selected = [];
    private IReadOnlyList<FineTuningJobView>? _jobs;
    private IReadOnlyList<FineTuningConnection>? _connections;
    private string? _loadError;
    private bool _mayFineTune;
    private bool _everyone;
    private LiveReader? _live;
    private Task? _fallback;
    private string? _importConnection;
    private string? _importResult;
    private bool _importing;

    [Inject]
    public required FineTuningService Service { get; init; }

    [Inject]
    public required FineTuningChanges Changes { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<FineTuningJobs> Logger { get; init; }

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        await LoadAsync();
        Changes.Changed += OnChanged;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _fallback = ReadOnTimerAsync();
        }
    }

    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        _mayFineTune = role.Allows(PortalAction.FineTune);
        _everyone = role.Allows(PortalAction.ManageOthersFineTuning);
    }

    private async Task LoadAsync()
    {
        try
        {
            _connections = await Service.ListConnectionsAsync(ComponentToken);
            _jobs = await Service.ListAsync(ComponentToken);
            _selected.RemoveAll(id => _jobs.All(j => j.Id != id));
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list fine-tuning jobs");
            _loadError = "The fine-tuning jobs could not be read from the store just now; the page tries again in a moment.";
        }
    }

    private string? ImportConnection => _importConnection ?? (_connections is { Count: > 0 } list ? list[0].Name : null);

    private async Task ImportAsync()
    {
        if (ImportConnection is not { } connection || _importing)
        {
            return;
        }

        _importing = true;
        _importResult = null;
        try
        {
            var (added, problem) = await Service.ImportAsync(connection, ComponentToken);
            _importResult = problem ?? (added == 0
                ? $"Nothing to import: the portal already follows every job of '{connection}'."
                : $"Imported {added} job{(added == 1 ? "" : "s")} from '{connection}'.");
            await LoadAsync();
        }
        catch (PortalAccessDeniedException ex)
        {
            _importResult = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not import fine-tuning jobs");
            _importResult = "The jobs could not be imported just now (the portal could not reach its store); try again.";
        }
        finally
        {
            _importing = false;
        }
    }

    private void Toggle(Guid id, bool selected)
    {
        _selected.Remove(id);
        if (selected)
        {
            _selected.Add(id);
        }
    }

    private static string Name(FineTuningJobView job) => job.Row.Suffix is { Length: > 0 } suffix ? $"{suffix} ({job.Row.ProviderJobId})" : job.Row.ProviderJobId;

    internal static Color StateColor(FineTuningState state) => state switch
    {
        FineTuningState.Succeeded => Color.Success,
        FineTuningState.Failed => Color.Error,
        FineTuningState.Cancelled => Color.Default,
        FineTuningState.Running => Color.Info,
        _ => Color.Default,
    };

    // A change of any job re-reads the list, at most one read at a time (changes during a read are covered by the next).
    private LiveReader Live => _live ??= new(InvokeAsync, async () =>
    {
        if (!IsDisposed)
        {
            await LoadAsync();
            StateHasChanged();
        }
    }, TimeSpan.FromMilliseconds(200), ComponentToken);

    private void OnChanged(Guid id)
    {
        Live.Request();
    }

    private Task ReadOnTimerAsync() => Live.RunTimerAsync(FallbackInterval, () => _jobs?.Any(j => !j.State.IsFinal()) == true);

    protected override void Dispose(bool disposing)
    {
        Changes.Changed -= OnChanged;
        base.Dispose(disposing);
    }
}
