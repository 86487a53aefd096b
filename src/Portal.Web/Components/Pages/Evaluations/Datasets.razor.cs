using Microsoft.AspNetCore.Components;
using Portal.Web.Access;
using Portal.Web.Evaluations;

namespace Portal.Web.Components.Pages.Evaluations;

/// <summary>Evaluations → Datasets: the team's datasets, and an upload for those whose role may add one.</summary>
public sealed partial class Datasets : PortalComponentBase
{
    private IReadOnlyList<DatasetSummary>? _items;
    private string? _loadError;
    private bool _mayManage;
    private bool _mayRun;

    [Inject]
    public required IDatasetService Service { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<Datasets> Logger { get; init; }

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        await LoadAsync();
    }

    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        _mayManage = role?.Allows(PortalAction.ManageDatasets) == true;
        _mayRun = role?.Allows(PortalAction.RunEvaluation) == true;
    }

    private async Task LoadAsync()
    {
        try
        {
            _items = await Service.ListAsync(ComponentToken);
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list datasets");
            _loadError = "The datasets could not be read from the store just now. Try again in a moment.";
        }
    }

    private Task OnSavedAsync(DatasetSaveResult result)
    {
        if (result.Dataset is { } dataset)
        {
            Navigation.NavigateTo(EvaluationUrls.Dataset(dataset.Id));
        }

        return LoadAsync();
    }
}
