using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Catalog;
using Portal.Playground.FineTuning;
using Portal.Web.Access;
using Portal.Web.Connections;
using Portal.Web.FineTuning;

namespace Portal.Web.Components.Pages.FineTuning;

/// <summary>
/// Fine-tuning → Training data: a chosen JSONL file is validated at once (nothing stored or sent), and only a valid one
/// can be uploaded to a fine-tuning connection, with progress; the user's kept files and the connection's files are
/// listed with upload-again and delete.
/// </summary>
public sealed partial class TrainingData : PortalComponentBase
{
    private IReadOnlyList<CatalogModel> _models = [];
    private IReadOnlyList<ConnectionView>? _connections;
    private IReadOnlyList<TrainingFileView>? _kept;
    private IReadOnlyList<FineTuningFile>? _providerFiles;
    private FineTuningMethod _method = FineTuningMethod.Supervised;
    private string? _modelId;
    private string? _connection;
    private string? _fileName;
    private byte[]? _content;
    private TrainingDataReport? _report;
    private TrainingCostEstimate? _cost;
    private string? _costNote;
    private int _epochs = 1;
    private string? _readProblem;
    private string? _keptError;
    private string? _providerError;
    private TrainingUploadResult? _uploadResult;
    private Guid? _confirmKept;
    private string? _confirmProvider;
    private bool _mayManage;
    private bool _roleKnown;
    private bool _checking;
    private bool _uploading;
    private bool _busy;
    private long _sent;
    private long _uploadTotal;

    [Inject]
    public required TrainingFileService Files { get; init; }

    [Inject]
    public required FineTuningCost Costs { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required ILogger<TrainingData> Logger { get; init; }

    /// <summary>The catalog model to preselect (<c>?model=</c>), e.g. from a model page.</summary>
    [SupplyParameterFromQuery(Name = "model")]
    public string? ModelQuery { get; set; }

    /// <summary>The connection to preselect (<c>?connection=</c>).</summary>
    [SupplyParameterFromQuery(Name = "connection")]
    public string? ConnectionQuery { get; set; }

    /// <summary><c>?method=dpo</c> preselects preference fine-tuning.</summary>
    [SupplyParameterFromQuery(Name = "method")]
    public string? MethodQuery { get; set; }

    protected override void OnInitialized()
    {
        _models = Files.FineTunableModels();
        _modelId = Files.Model(ModelQuery) is { } preselected && _models.Contains(preselected) ? preselected.Id : null;
        _method = TrainingFileView.MethodOf(MethodQuery);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !IsInteractive)
        {
            return;
        }

        await OnAccessChangedAsync();
        try
        {
            _connections = await Files.ConnectionsAsync(ComponentToken);
            _connection = _connections.FirstOrDefault(c => string.Equals(c.Name, ConnectionQuery, StringComparison.OrdinalIgnoreCase))?.Name
                ?? (_connections.Count > 0 ? _connections[0].Name : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list the fine-tuning connections");
            _connections = [];
        }

        StateHasChanged();
        await LoadKeptAsync();
        await LoadProviderFilesAsync();
        StateHasChanged();
    }

    protected override async Task OnAccessChangedAsync()
    {
        _mayManage = await Access.CanAsync(PortalAction.ManageTrainingFiles, ComponentToken);
        _roleKnown = true;
    }

    /// <summary>Why Upload is disabled, in words; null when it may be pressed.</summary>
    private string? UploadBlockedBecause =>
        !IsInteractive ? "Waiting for the page to connect…"
        : _report is null ? "Choose a file first."
        : !_report.IsValid ? "The file has problems (listed above): fix them and choose it again."
        : !_mayManage ? "Uploading needs the Azure AI Developer role."
        : _connection is null ? "Add a fine-tuning connection (OpenAI or Azure OpenAI) in Settings → Connections."
        : _busy ? "Uploading…"
        : null;

    private bool CanUploadAgain => IsInteractive && _mayManage && _connection is not null && !_busy;

    private int UploadPercent => _uploadTotal <= 0 ? 0 : (int)Math.Min(100, _sent * 100 / _uploadTotal);

    private async Task SetMethodAsync(FineTuningMethod method)
    {
        _method = method;
        await RevalidateAsync();
    }

    private async Task OnModelChangedAsync(ChangeEventArgs e)
    {
        var id = e.Value?.ToString();
        _modelId = string.IsNullOrEmpty(id) ? null : id;
        await RevalidateAsync();
    }

    private void OnEpochsChanged(int epochs)
    {
        _epochs = epochs;
        UpdateCost();
    }

    private async Task OnConnectionChangedAsync(ChangeEventArgs e)
    {
        var name = e.Value?.ToString();
        _connection = string.IsNullOrEmpty(name) ? null : name;
        _confirmProvider = null;
        await LoadProviderFilesAsync();
    }

    private async Task OnFileSelectedAsync(InputFileChangeEventArgs e)
    {
        var file = e.File;
        _fileName = file.Name;
        _content = null;
        _report = null;
        _readProblem = null;
        _uploadResult = null;
        if (file.Size > TrainingDataValidator.MaxBytes)
        {
            _readProblem = $"The file is {Bytes(file.Size)}; the portal checks and keeps files of at most {Bytes(TrainingDataValidator.MaxBytes)}. Split it into smaller files.";
            return;
        }

        _busy = true;
        try
        {
            await using var stream = file.OpenReadStream(TrainingDataValidator.MaxBytes, ComponentToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ComponentToken);
            _content = buffer.ToArray();
        }
        catch (IOException ex)
        {
            Logger.LogWarning(ex, "Training file could not be read from the browser");
            _readProblem = "The file could not be read from the browser. Choose it again.";
        }
        finally
        {
            _busy = false;
        }

        await RevalidateAsync();
    }

    private async Task RevalidateAsync()
    {
        if (_content is not { } content)
        {
            return;
        }

        _checking = true;
        StateHasChanged();
        try
        {
            var method = _method;
            var model = _modelId;
            // Tokenizing a large file takes a moment: off the renderer's thread.
            _report = await Task.Run(() => Files.Validate(content, method, model), ComponentToken);
            UpdateCost();
        }
        finally
        {
            _checking = false;
        }
    }

    private void UpdateCost()
    {
        if (_report is not { } report)
        {
            return;
        }

        if (_modelId is null)
        {
            _cost = null;
            _costNote = "Choose a base model to estimate the cost.";
            return;
        }

        _cost = Costs.Estimate(_modelId, report.TotalTokens, _epochs);
        _costNote = _cost is null ? Costs.NoPrice(_modelId) : null;
    }

    private async Task UploadAsync()
    {
        if (UploadBlockedBecause is not null || _content is null || _fileName is null || _connection is null)
        {
            return;
        }

        await RunUploadAsync(_content.LongLength, progress => Files.UploadNewAsync(_fileName, _content, _method, _modelId, _connection, progress, ComponentToken));
    }

    private async Task UploadAgainAsync(Guid id)
    {
        if (!CanUploadAgain || _connection is null)
        {
            return;
        }

        var bytes = _kept?.FirstOrDefault(f => f.Id == id)?.Bytes ?? 0;
        await RunUploadAsync(bytes, progress => Files.UploadAgainAsync(id, _connection, progress, ComponentToken));
    }

    private async Task RunUploadAsync(long total, Func<IProgress<long>, Task<TrainingUploadResult>> upload)
    {
        _busy = true;
        _uploading = true;
        _sent = 0;
        _uploadTotal = total;
        _uploadResult = null;
        try
        {
            _uploadResult = await upload(ProgressOnRenderer<long>(sent => _sent = sent));
            if (_uploadResult.Report is { } report)
            {
                _report = report;
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            _uploadResult = new TrainingUploadResult(null, null, null, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Training file upload failed in the portal");
            _uploadResult = new TrainingUploadResult(null, null, null, "The portal could not keep or send the file just now (its store did not answer). Nothing was lost: choose Upload again in a moment.");
        }
        finally
        {
            _busy = false;
            _uploading = false;
        }

        await LoadKeptAsync();
        await LoadProviderFilesAsync();
    }

    private async Task DeleteKeptAsync(Guid id)
    {
        _confirmKept = null;
        _busy = true;
        try
        {
            await Files.DeleteKeptAsync(id, ComponentToken);
        }
        catch (PortalAccessDeniedException ex)
        {
            _keptError = ex.Message;
        }
        finally
        {
            _busy = false;
        }

        await LoadKeptAsync();
    }

    private async Task DeleteProviderFileAsync(string fileId)
    {
        _confirmProvider = null;
        if (_connection is null)
        {
            return;
        }

        _busy = true;
        try
        {
            var problem = await Files.DeleteProviderFileAsync(_connection, fileId, ComponentToken);
            await LoadProviderFilesAsync();
            _providerError = problem is null ? null : $"{fileId} was not deleted: {problem}";
        }
        catch (PortalAccessDeniedException ex)
        {
            _providerError = ex.Message;
        }
        finally
        {
            _busy = false;
        }

        await LoadKeptAsync();
    }

    private async Task LoadKeptAsync()
    {
        try
        {
            _kept = await Files.ListKeptAsync(ComponentToken);
            _keptError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list the kept training files");
            _keptError = "Your training files could not be read from the store just now. Reload the page in a moment.";
        }
    }

    private async Task LoadProviderFilesAsync()
    {
        _providerFiles = null;
        _providerError = null;
        if (_connection is null)
        {
            return;
        }

        try
        {
            var result = await Files.ListProviderFilesAsync(_connection, ComponentToken);
            _providerFiles = result.Files;
            _providerError = result.Problem is null ? null : $"The files on {_connection} could not be listed: {result.Problem}";
        }
        catch (PortalAccessDeniedException ex)
        {
            _providerError = ex.Message;
        }
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes",
        < 1024 * 1024 => (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " MB",
    };
}
