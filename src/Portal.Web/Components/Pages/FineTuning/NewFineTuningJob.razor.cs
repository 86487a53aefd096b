using Microsoft.AspNetCore.Components;
using Portal.Playground.FineTuning;
using Portal.Web.Access;
using Portal.Web.FineTuning;

namespace Portal.Web.Components.Pages.FineTuning;

/// <summary>
/// The new fine-tuning job form: a fine-tuning connection, one of the catalog's fine-tunable models it offers, the
/// training (and validation) file from the connection's uploaded files or typed, the method and hyperparameters.
/// <c>?model=</c> (a catalog id), <c>?connection=</c> and <c>?trainingFile=</c> preselect. On success the job page
/// opens; on failure the provider's words are shown and the form stays as typed.
/// </summary>
public sealed partial class NewFineTuningJob : PortalComponentBase
{
    private readonly NewFineTuningJobForm _form = new();
    private IReadOnlyList<FineTuningConnection>? _connections;
    private IReadOnlyList<FineTuningFile>? _files;
    private string? _filesProblem;
    private string? _loadError;
    private Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private string? _error;
    private bool _mayFineTune;
    private bool _creating;
    private int _filesRead;

    [SupplyParameterFromQuery(Name = "model")] public string? QueryModel { get; set; }

    [SupplyParameterFromQuery(Name = "connection")] public string? QueryConnection { get; set; }

    [SupplyParameterFromQuery(Name = "trainingFile")] public string? QueryTrainingFile { get; set; }

    [Inject]
    public required FineTuningService Service { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<NewFineTuningJob> Logger { get; init; }

    private FineTuningConnection? Selected => _connections?.FirstOrDefault(c => string.Equals(c.Name, _form.Connection, StringComparison.OrdinalIgnoreCase));

    private BaseModelOption? SelectedBase => Selected?.BaseModels.FirstOrDefault(m => string.Equals(m.ProviderModel, _form.BaseModel, StringComparison.OrdinalIgnoreCase));

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        if (!_mayFineTune)
        {
            return;
        }

        try
        {
            _connections = await Service.ListConnectionsAsync(ComponentToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list the fine-tuning connections");
            _loadError = "The connections could not be read just now; reload the page in a moment.";
            return;
        }

        var wanted = _connections.FirstOrDefault(c => string.Equals(c.Name, QueryConnection?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? _connections.FirstOrDefault(c => QueryModel is not null && c.BaseModels.Any(m => string.Equals(m.CatalogId, QueryModel, StringComparison.OrdinalIgnoreCase)))
            ?? _connections.FirstOrDefault(c => c.BaseModels.Count > 0)
            ?? (_connections.Count > 0 ? _connections[0] : null);
        SelectConnection(wanted, QueryModel);
        if (!string.IsNullOrWhiteSpace(QueryTrainingFile))
        {
            _form.TrainingFile = QueryTrainingFile.Trim();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The provider's file list is not needed for the first paint: it is read once the page is live.
        if (firstRender && _form.Connection is not null)
        {
            await LoadFilesAsync();
            StateHasChanged();
        }
    }

    protected override async Task OnAccessChangedAsync() => _mayFineTune = await Access.CanAsync(PortalAction.FineTune, ComponentToken);

    private void SelectConnection(FineTuningConnection? connection, string? catalogModel)
    {
        _form.Connection = connection?.Name;
        var models = connection?.BaseModels ?? [];
        _form.BaseModel = (models.FirstOrDefault(m => string.Equals(m.CatalogId, catalogModel, StringComparison.OrdinalIgnoreCase))
            ?? models.FirstOrDefault(m => string.Equals(m.ProviderModel, _form.BaseModel, StringComparison.OrdinalIgnoreCase))
            ?? (models.Count > 0 ? models[0] : null))?.ProviderModel;
    }

    private async Task OnConnectionChangedAsync(ChangeEventArgs e)
    {
        var catalogModel = SelectedBase?.CatalogId ?? QueryModel;
        SelectConnection(_connections?.FirstOrDefault(c => c.Name == e.Value?.ToString()), catalogModel);
        await LoadFilesAsync();
    }

    private void OnMethodChanged(ChangeEventArgs e) =>
        _form.Method = Enum.TryParse<FineTuningMethod>(e.Value?.ToString(), out var method) ? method : FineTuningMethod.Supervised;

    private async Task LoadFilesAsync()
    {
        var read = Interlocked.Increment(ref _filesRead);
        _files = null;
        _filesProblem = null;
        if (_form.Connection is not { } connection)
        {
            _files = [];
            return;
        }

        var (files, problem) = await Service.ListProviderFilesAsync(connection, ComponentToken);
        if (read == Volatile.Read(ref _filesRead))
        {
            _files = files;
            _filesProblem = problem ?? (files.Count == 0 ? $"'{connection}' has no uploaded training file yet: upload one under Training data, or type a file id." : null);
        }
    }

    private bool? FileListed(string id) => string.IsNullOrEmpty(id) ? false : _files?.Any(f => f.Id == id);

    private string? Problem(string field) => _errors.TryGetValue(field, out var message) ? message : null;

    private string Invalid(string field) => _errors.ContainsKey(field) ? "true" : "false";

    private string HelpClass(string field) => _errors.ContainsKey(field) ? "ftn-error" : "ftn-help";

    private async Task CreateAsync()
    {
        if (_creating)
        {
            return;
        }

        _creating = true;
        _error = null;
        try
        {
            var (input, errors) = _form.Read();
            if (errors.Count > 0)
            {
                _errors = errors;
                return;
            }

            var result = await Service.CreateAsync(input, ComponentToken);
            _errors = new Dictionary<string, string>(result.FieldErrors, StringComparer.Ordinal);
            _error = result.Error;
            if (result.Id is { } id)
            {
                Navigation.NavigateTo(FineTuningJobUrls.Job(id));
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            _error = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not create a fine-tuning job");
            _error = "The job could not be created just now (the portal could not reach its store). The form is kept; try again.";
        }
        finally
        {
            _creating = false;
        }
    }
}
