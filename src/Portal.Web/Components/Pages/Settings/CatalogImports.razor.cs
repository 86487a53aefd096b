using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Catalog.Facts;
using Portal.Catalog.Sources;
using Portal.Web.Access;
using Portal.Web.Catalog;
using MudBlazor;
using Portal.Web.Components.Controls;

namespace Portal.Web.Components.Pages.Settings;

/// <summary>Import a catalog file (validated whole, applied only when all is valid), list versions, remove one.</summary>
public sealed partial class CatalogImports : PortalComponentBase
{
    private IReadOnlyList<CatalogImportRecord>? _imports;
    private IReadOnlyList<CatalogFileError> _errors = [];
    private string? _loadError;
    private string? _success;
    private string _name = "";
    private string _nameFromFile = "";
    private IBrowserFile? _file;
    private bool _busy;
    private bool _mayImport;
    private bool _mayRemove;
    private string? _denied;

    [Inject]
    public required CatalogImporter Importer { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required ILogger<CatalogImports> Logger { get; init; }

    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        _mayImport = role.Allows(PortalAction.ImportCatalog);
        _mayRemove = role.Allows(PortalAction.RemoveCatalogImport);
    }

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _imports = await Importer.ListAsync(ComponentToken);
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list catalog imports");
            _loadError = "The list of imports could not be read from the store. The embedded catalog is unaffected; try again later.";
        }
    }

    private void OnFileSelected(InputFileChangeEventArgs e)
    {
        _file = e.File;
        _errors = [];
        _success = null;
        // The name follows the chosen file, unless the user typed a name of their own.
        if (string.IsNullOrWhiteSpace(_name) || _name == _nameFromFile)
        {
            _name = _nameFromFile = Path.GetFileNameWithoutExtension(e.File.Name);
        }
    }

    private async Task ImportAsync()
    {
        if (_file is null)
        {
            _errors = [new CatalogFileError("file", "Choose a catalog file (.json) first.")];
            return;
        }

        _busy = true;
        _errors = [];
        _success = null;
        _denied = null;
        try
        {
            if (_file.Size > CatalogImporter.MaxFileBytes)
            {
                _errors = [new CatalogFileError("file", $"The file is {_file.Size / 1024:N0} KB; the limit is {CatalogImporter.MaxFileBytes / 1024 / 1024} MB.")];
                return;
            }

            string content;
            try
            {
                await using var stream = _file.OpenReadStream(CatalogImporter.MaxFileBytes, ComponentToken);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                content = await reader.ReadToEndAsync(ComponentToken);
            }
            catch (IOException ex)
            {
                Logger.LogWarning(ex, "Catalog file upload failed");
                _errors = [new CatalogFileError("file", "The file could not be read from the browser. Choose it again.")];
                return;
            }

            var outcome = await Importer.ImportAsync(_name, _file.Name, content, ComponentToken);
            if (outcome.Succeeded)
            {
                _success = $"Imported '{outcome.Import!.Name}' v{outcome.Import.Version}: {outcome.Import.ModelCount} model(s) added to the catalog.";
                _file = null;
                _name = _nameFromFile = "";
                await LoadAsync();
            }
            else
            {
                _errors = outcome.Errors;
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            // The chosen file and the name stay, for someone with the role (or after a role change).
            _denied = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Catalog import failed");
            _errors = [new CatalogFileError("store", "The file is valid but could not be saved; nothing was changed. Try again.")];
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync(CatalogImportRecord import)
    {
        if (!await Dialogs.ConfirmAsync(
            "Remove import",
            $"Remove '{import.Name}' v{import.Version} ({import.ModelCount} models)?" + (import.IsActive ? " The previous version, if any, becomes active." : ""),
            action: "Remove",
            keep: "Cancel"))
        {
            return;
        }

        try
        {
            _success = await Importer.RemoveAsync(import.Id, ComponentToken)
                ? $"Removed '{import.Name}' v{import.Version}."
                : $"'{import.Name}' v{import.Version} was already removed.";
            _errors = [];
            _denied = null;
        }
        catch (PortalAccessDeniedException ex)
        {
            _denied = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Removing catalog import {Id} failed", import.Id);
            _errors = [new CatalogFileError("store", "The import could not be removed; nothing was changed. Try again.")];
        }

        await LoadAsync();
    }
}
