using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Web.Components.Controls;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;

namespace Portal.Web.Components.Pages.Settings;

/// <summary>
/// Settings → Connections: add, edit, test and delete inference connections (personal ones for Azure AI Developers, the
/// team's shared ones for Contributors); test the ones declared in configuration. Readers see the list only.
/// </summary>
public sealed partial class Connections
{
    [Inject]
    public required ConnectionService Service { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    private sealed class Form
    {
        public Guid? Id { get; init; }

        public string OriginalName { get; init; } = "";

        public string Name { get; set; } = "";

        public ConnectionKind Kind { get; set; } = ConnectionKind.OpenAICompatible;

        public string Endpoint { get; set; } = "";

        public ConnectionAuth Auth { get; set; } = ConnectionAuth.ApiKey;

        public string? KeyHint { get; init; }

        public string Models { get; set; } = "";

        /// <summary>For the whole team (a new connection only; an existing one stays what it is).</summary>
        public bool Shared { get; set; }
    }

    private IReadOnlyList<ConnectionView>? _connections;
    private Form? _form;
    private string? _apiKey;
    private int _keyFieldVersion;
    private readonly List<string> _errors = [];
    private ConnectionTestResult? _test;
    private bool _busy;
    private string? _status;
    private string? _denied;
    private bool _mayPersonal;
    private bool _mayShared;
    private bool _offerSharing;
    private bool _mayTest;
    private readonly Dictionary<string, ConnectionTestResult> _rowTests = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _testing = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A problem with the key field (the server or kind changed and the saved key is not sent there), from Save or
    /// Test, shown on that field.
    /// </summary>
    private string? KeyError =>
        _errors.FirstOrDefault(e => e.StartsWith(ConnectionService.ReenterKeyMessage, StringComparison.Ordinal))
        ?? (_test is { Success: false, Message: var message } && message.StartsWith(ConnectionService.ReenterKeyMessage, StringComparison.Ordinal) ? message : null);

    /// <summary>The key field's problem: a missing key, or a saved key that may not go to the new server or kind.</summary>
    private string? KeyFieldError =>
        KeyError ?? _errors.FirstOrDefault(e => e.StartsWith("Enter the API key", StringComparison.Ordinal));

    /// <summary>The name field's problem (missing, too long, or taken by a connection from configuration).</summary>
    private string? NameError =>
        _errors.FirstOrDefault(e => e == "Enter a name." || e.EndsWith("for the name.", StringComparison.Ordinal) || e.EndsWith("choose another name.", StringComparison.Ordinal));

    /// <summary>The base URL's problem (not a URL, or refused by the endpoint policy).</summary>
    private string? EndpointError =>
        _errors.FirstOrDefault(e => e != KeyFieldError && e != NameError && !IsGeneral(e));

    /// <summary>Problems that belong to no single field (the connection went away, the store did not answer).</summary>
    private List<string> OtherErrors => [.. _errors.Where(e => e != KeyFieldError && e != NameError && e != EndpointError)];

    private static bool IsGeneral(string error) =>
        error.StartsWith("This connection no longer exists", StringComparison.Ordinal) || error.StartsWith("The connection could not be saved", StringComparison.Ordinal);

    protected override async Task OnAccessChangedAsync()
    {
        var role = await Access.RoleAsync(ComponentToken);
        _mayPersonal = role.Allows(PortalAction.SavePersonalConnection);
        _mayShared = role.Allows(PortalAction.SaveSharedConnection);
        // With sign-in off there is one user, the local Owner: nobody to share with.
        _offerSharing = _mayShared && Access.User.IsSignedIn;
        _mayTest = role.Allows(PortalAction.TestConnection);
    }

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        await LoadAsync();
    }

    /// <summary>Whether Edit and Delete show for a listed connection (the service checks again).</summary>
    private bool MayChange(ConnectionView c) => !c.FromConfiguration && (c.Shared ? _mayShared : _mayPersonal);

    private async Task LoadAsync()
    {
        try
        {
            _connections = await Service.ListAsync(ComponentToken);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _connections = [];
            _status = "The connections could not be read from the store. Check Settings → Storage.";
        }
    }

    private void StartAdd()
    {
        ResetForm();
        _form = new Form();
    }

    private void StartEdit(ConnectionView c)
    {
        ResetForm();
        _form = new Form
        {
            Id = c.Id,
            OriginalName = c.Name,
            Name = c.Name,
            Kind = c.Kind,
            Endpoint = c.Endpoint.AbsoluteUri,
            Auth = c.Auth,
            KeyHint = c.KeyHint,
            Models = string.Join('\n', c.Models),
            Shared = c.Shared,
        };
    }

    private void Cancel()
    {
        ResetForm();
        _form = null;
    }

    private void ResetForm()
    {
        _errors.Clear();
        _test = null;
        _apiKey = null;
        _keyFieldVersion++;
        _status = null;
        _denied = null;
    }

    private ConnectionInput Input(Form form) => new(
        form.Id,
        form.Name,
        form.Kind,
        form.Endpoint,
        form.Auth,
        _apiKey,
        [.. form.Models.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        form.Shared);

    private async Task TestAsync()
    {
        if (_form is not { } form)
        {
            return;
        }

        _busy = true;
        _errors.Clear();
        try
        {
            _test = await Service.TestAsync(Input(form), ComponentToken);
            if (_test.Success && _test.Models.Count > 0)
            {
                form.Models = string.Join('\n', _test.Models);
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            _denied = ex.Message;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away: nobody is waiting for the answer.
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Tests a listed connection as it is (saved or declared in configuration): lists its models.</summary>
    private async Task TestSavedAsync(ConnectionView connection)
    {
        _testing.Add(connection.Name);
        try
        {
            _rowTests[connection.Name] = await Service.TestAsync(connection.Name, ComponentToken);
        }
        catch (PortalAccessDeniedException ex)
        {
            _rowTests[connection.Name] = new ConnectionTestResult(false, ex.Message, []);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away: nobody is waiting for the answer.
        }
        finally
        {
            _testing.Remove(connection.Name);
        }
    }

    private async Task SaveAsync()
    {
        if (_form is not { } form)
        {
            return;
        }

        _busy = true;
        if (_test is { Success: false } && KeyError is not null)
        {
            _test = null; // Save gives its own verdict on the key field.
        }

        try
        {
            var (saved, errors) = await Service.SaveAsync(Input(form), ComponentToken);
            _errors.Clear();
            _errors.AddRange(errors);
            if (saved is not null)
            {
                ResetForm();
                _form = null;
                Snackbar.Add($"Saved {saved.Name}.", Severity.Success);
                await LoadAsync();
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            // The form keeps everything typed (the key field too); the message says which role is needed.
            _denied = ex.Message;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away while saving; the store finishes or rolls back on its own.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _errors.Add("The connection could not be saved: the store did not answer. Nothing was changed; try again.");
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Deletes after the user confirms in a dialog; nothing is deleted otherwise.</summary>
    private async Task DeleteAsync(ConnectionView c)
    {
        if (!await Dialogs.ConfirmAsync(
            $"Delete {c.Name}?",
            $"The connection {c.Name} and its saved key are removed from the portal's store. The playgrounds can no longer use it."))
        {
            return;
        }

        try
        {
            if (c.Id is { } id && await Service.DeleteAsync(id, ComponentToken))
            {
                Snackbar.Add($"Deleted {c.Name}.", Severity.Success);
            }
        }
        catch (PortalAccessDeniedException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }

        await LoadAsync();
    }
}
