using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Portal.Web.Access;
using Portal.Web.Evaluations;

namespace Portal.Web.Components.Pages.Evaluations;

/// <summary>Reads a chosen file once, shows what the dataset service makes of it, and saves it (a new dataset or a new version).</summary>
public sealed partial class DatasetUpload : PortalComponentBase
{
    public const int PreviewRows = 10;

    private string? _fileName;
    private byte[]? _content;
    private DatasetParseResult? _parsed;
    private string? _readProblem;
    private string? _nameProblem;
    private IReadOnlyList<DatasetProblem> _saveProblems = [];
    private string _name = "";
    private string? _description;
    private bool _busy;

    [Inject]
    public required IDatasetService Datasets { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required ILogger<DatasetUpload> Logger { get; init; }

    /// <summary>The dataset a new version is added to; null for a new dataset.</summary>
    [Parameter]
    public Guid? AddVersionTo { get; set; }

    [Parameter]
    public string IdPrefix { get; set; } = "upload";

    /// <summary>Called with what was stored.</summary>
    [Parameter]
    public EventCallback<DatasetSaveResult> Saved { get; set; }

    private async Task OnFileSelectedAsync(InputFileChangeEventArgs e)
    {
        var file = e.File;
        _fileName = file.Name;
        _content = null;
        _parsed = null;
        _readProblem = null;
        _saveProblems = [];
        if (file.Size > DatasetLimits.MaxBytes)
        {
            _readProblem = $"The file is {file.Size / 1024.0 / 1024.0:N1} MB; a dataset file may be at most {DatasetLimits.MaxBytes / 1024 / 1024} MB. Split it, or keep the rows you need.";
            return;
        }

        _busy = true;
        try
        {
            await using (var stream = file.OpenReadStream(DatasetLimits.MaxBytes, ComponentToken))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ComponentToken);
                _content = buffer.ToArray();
            }

            using var parse = new MemoryStream(_content, writable: false);
            _parsed = await Datasets.ParseAsync(parse, file.Name, ComponentToken);
            if (AddVersionTo is null && (string.IsNullOrWhiteSpace(_name) || _name == _nameFromFile))
            {
                _name = _nameFromFile = Path.GetFileNameWithoutExtension(file.Name);
            }
        }
        catch (IOException ex)
        {
            Logger.LogWarning(ex, "Dataset upload could not be read");
            _readProblem = "The file could not be read from the browser. Choose it again.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Dataset file could not be checked");
            _readProblem = "The file could not be checked just now (the portal's store did not answer). Try again in a moment.";
        }
        finally
        {
            _busy = false;
        }
    }

    private string _nameFromFile = "";

    private async Task SaveAsync()
    {
        if (_content is null || _fileName is null)
        {
            return;
        }

        _nameProblem = null;
        if (AddVersionTo is null && string.IsNullOrWhiteSpace(_name))
        {
            _nameProblem = "Name the dataset.";
            return;
        }

        _busy = true;
        _saveProblems = [];
        try
        {
            using var stream = new MemoryStream(_content, writable: false);
            var result = await Datasets.SaveAsync(_name.Trim(), string.IsNullOrWhiteSpace(_description) ? null : _description.Trim(), stream, _fileName, AddVersionTo, ComponentToken);
            if (result.Problems.Count > 0 || result.Dataset is null)
            {
                _saveProblems = result.Problems.Count > 0 ? result.Problems : [new DatasetProblem(null, null, "The dataset was not stored.")];
                return;
            }

            Snackbar.Add($"Saved '{result.Dataset.Name}' version {result.Version} ({result.Dataset.Rows} rows).", Severity.Success);
            _parsed = null;
            _content = null;
            _fileName = null;
            _name = _nameFromFile = "";
            _description = null;
            await Saved.InvokeAsync(result);
        }
        catch (PortalAccessDeniedException ex)
        {
            // The file stays chosen, for someone with the role (or after a role change).
            _saveProblems = [new DatasetProblem(null, null, ex.Message)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Dataset could not be saved");
            _saveProblems = [new DatasetProblem(null, null, "The dataset could not be stored just now (the portal's store did not answer). The file is still chosen: try again.")];
        }
        finally
        {
            _busy = false;
        }
    }
}
