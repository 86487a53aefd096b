using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Web.Access;
using Portal.Web.Components.Controls;
using Portal.Web.Evaluations;

namespace Portal.Web.Components.Pages.Evaluations;

/// <summary>A dataset: its versions (each downloadable), the rows of one version, a new version, and delete.</summary>
public sealed partial class DatasetDetails : PortalComponentBase
{
    public const int RowsShown = 100;

    private DatasetSummary? _dataset;
    private IReadOnlyList<DatasetVersionInfo> _versions = [];
    private IReadOnlyList<DatasetRow>? _rows;
    private int _shownVersion;
    private bool _notFound;
    private string? _loadError;
    private string? _problem;
    private bool _mayRun;
    private bool _mayAddVersion;
    private bool _mayDelete;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    public required IDatasetService Service { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<DatasetDetails> Logger { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync();
        await OnAccessChangedAsync();
    }

    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        // The owner changes their own dataset; a Contributor anyone's. The service decides again on every change.
        var own = _dataset is { } d && d.OwnerId == Access.User.Id;
        var manage = role?.Allows(PortalAction.ManageDatasets) == true && (own || role?.Allows(PortalAction.ManageOthersEvaluations) == true);
        _mayRun = role?.Allows(PortalAction.RunEvaluation) == true;
        _mayAddVersion = manage && _dataset is { IsExample: false };
        _mayDelete = manage;
    }

    private async Task LoadAsync()
    {
        try
        {
            _dataset = await Service.GetAsync(Id, ComponentToken);
            _notFound = _dataset is null;
            if (_dataset is null)
            {
                return;
            }

            _versions = [.. (await Service.VersionsAsync(Id, ComponentToken)).OrderByDescending(v => v.Version)];
            _shownVersion = _dataset.LatestVersion;
            _rows = await Service.RowsAsync(Id, _shownVersion, ComponentToken);
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read dataset {Dataset}", Id);
            _loadError = "The dataset could not be read from the store just now. Try again in a moment.";
        }
    }

    private async Task ShowRowsAsync(int version)
    {
        _shownVersion = version;
        _rows = null;
        try
        {
            _rows = await Service.RowsAsync(Id, version, ComponentToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read rows of dataset {Dataset}", Id);
            _rows = [];
            _problem = "The rows could not be read from the store just now. Try again in a moment.";
        }
    }

    private async Task OnVersionSavedAsync(DatasetSaveResult result)
    {
        await LoadAsync();
        await OnAccessChangedAsync();
    }

    private async Task DeleteAsync()
    {
        if (_dataset is not { } d || !await Dialogs.ConfirmAsync("Delete dataset",
                $"Delete '{d.Name}' and all its {_versions.Count} versions? This cannot be undone."))
        {
            return;
        }

        _problem = null;
        try
        {
            await Service.DeleteAsync(d.Id, ComponentToken);
            Snackbar.Add($"Deleted '{d.Name}'.", Severity.Success);
            Navigation.NavigateTo(EvaluationUrls.DatasetsPath);
        }
        catch (PortalAccessDeniedException ex)
        {
            _problem = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not delete dataset {Dataset}", d.Id);
            _problem = "The dataset could not be deleted just now (the store did not answer). Nothing was removed; try again.";
        }
    }
}
