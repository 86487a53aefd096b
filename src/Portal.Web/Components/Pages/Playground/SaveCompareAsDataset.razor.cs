using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Web.Access;
using Portal.Web.Evaluations;
using Portal.Web.Playground;

namespace Portal.Web.Components.Pages.Playground;

/// <summary>Stores a compare session's prompts (and the chosen answers) as a new dataset, then offers a link to it.</summary>
public sealed partial class SaveCompareAsDataset : PortalComponentBase
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };

    private IReadOnlyList<ComparePrompt> _prompts = [];
    private List<int?> _expected = [];
    private string _name = "";
    private string? _description;
    private string? _nameProblem;
    private string? _problem;
    private bool _saving;
    private bool _wasVisible;

    [Parameter, EditorRequired]
    public required CompareSessionState State { get; set; }

    [Parameter]
    public bool Visible { get; set; }

    [Parameter]
    public EventCallback<bool> VisibleChanged { get; set; }

    [Inject]
    public required IDatasetService Datasets { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<SaveCompareAsDataset> Logger { get; init; }

    protected override void OnParametersSet()
    {
        // Read the session each time the dialog opens: it may have grown since.
        if (Visible && !_wasVisible)
        {
            _prompts = CompareDataset.Prompts(State);
            _expected = [.. _prompts.Select(_ => (int?)null)];
            _name = string.IsNullOrWhiteSpace(_name) ? $"Compare: {(_prompts.Count > 0 ? _prompts[0].Prompt : "session")}" : _name;
            if (_name.Length > 100)
            {
                _name = _name[..100];
            }

            _problem = null;
            _nameProblem = null;
        }

        _wasVisible = Visible;
    }

    private async Task SaveAsync()
    {
        _nameProblem = string.IsNullOrWhiteSpace(_name) ? "Name the dataset." : null;
        if (_nameProblem is not null)
        {
            return;
        }

        _saving = true;
        _problem = null;
        try
        {
            var rows = CompareDataset.Rows(State, _prompts, _expected);
            var result = await Datasets.CreateFromRowsAsync(_name.Trim(), string.IsNullOrWhiteSpace(_description) ? null : _description.Trim(), rows, ComponentToken);
            if (result.Dataset is not { } dataset)
            {
                _problem = result.Problems.Count > 0
                    ? string.Join(" ", result.Problems.Select(p => p.Row is { } row ? $"Prompt {row}: {p.Message}" : p.Message))
                    : "The dataset was not stored.";
                return;
            }

            var url = EvaluationUrls.Dataset(dataset.Id);
            Snackbar.Add($"Saved dataset '{dataset.Name}' with {dataset.Rows} rows.", Severity.Success, config =>
            {
                config.Action = "Open dataset";
                config.ActionColor = Color.Inherit;
                config.OnClick = _ =>
                {
                    Navigation.NavigateTo(url);
                    return Task.CompletedTask;
                };
            });
            _name = "";
            _description = null;
            await VisibleChanged.InvokeAsync(false);
        }
        catch (PortalAccessDeniedException ex)
        {
            _problem = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "A compare session could not be saved as a dataset");
            _problem = "The dataset could not be stored just now (the store did not answer). Nothing was lost: try again.";
        }
        finally
        {
            _saving = false;
        }
    }
}
