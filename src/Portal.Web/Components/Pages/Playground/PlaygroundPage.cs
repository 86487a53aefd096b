using Microsoft.AspNetCore.Components;
using Portal.Catalog;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;
using Portal.Web.Playground;

namespace Portal.Web.Components.Pages.Playground;

/// <summary>
/// What every playground page shares: the connections, the URL's choice of connection and model, the catalog's facts
/// about the model, the history and the send flow (<see cref="Run"/>). Everything the page starts ends with it: calls
/// take <see cref="PortalComponentBase.ComponentToken"/>, and nothing touches the page or the address once it is gone.
/// </summary>
public abstract class PlaygroundPage : PortalComponentBase
{
    protected PlaygroundPage()
    {
        Run = new PlaygroundRun(ComponentToken);
    }

    [Inject]
    public required ConnectionService ConnectionService { get; init; }

    [Inject]
    public required InferenceService Inference { get; init; }

    [Inject]
    public required PlaygroundSessions Sessions { get; init; }

    [Inject]
    public required StreamRunner Runner { get; init; }

    /// <summary>A run holds it from sending to saving, so a shutdown waits for the answer so far to be saved.</summary>
    [Inject]
    public required PlaygroundShutdown Shutdown { get; init; }

    [Inject]
    public required ICatalogService Catalog { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    /// <summary>Whether the user's role lets them send (the connection service checks again on every send).</summary>
    protected bool MayRun { get; private set; } = true;

    /// <summary>What the page says next to a disabled Send.</summary>
    protected static string RunNote { get; } =
        $"Sending needs the {PortalRole.AzureAIDeveloper.Label()} role; your role lets you look around. Ask an Owner of the portal.";

    /// <summary>"View code" opens in a wide dialog; Escape, the close button and the dialog's own Close end it.</summary>
    protected static readonly MudBlazor.DialogOptions CodeDialog = new() { MaxWidth = MudBlazor.MaxWidth.Large, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };

    [SupplyParameterFromQuery(Name = "connection")] public string? ConnectionParameter { get; set; }

    [SupplyParameterFromQuery(Name = "model")] public string? ModelParameter { get; set; }

    [SupplyParameterFromQuery(Name = "session")] public string? SessionParameter { get; set; }

    protected IReadOnlyList<ConnectionView> Connections { get; private set; } = [];

    protected Guid SessionId { get; set; }

    /// <summary>A problem outside any one answer (history not saved, connections unreadable), shown at the top.</summary>
    protected string? Status { get; set; }

    /// <summary>The request running now (an answer, a completion, images), with Stop; cancelled when the page goes away.</summary>
    protected PlaygroundRun Run { get; }

    protected bool IsRunning => Run.IsRunning;

    protected abstract string Path { get; }

    protected override async Task OnAccessChangedAsync() =>
        MayRun = await Access.CanAsync(PortalAction.RunPlayground, ComponentToken);

    protected async Task LoadConnectionsAsync()
    {
        try
        {
            await OnAccessChangedAsync();
            Connections = await ConnectionService.ListAsync(ComponentToken);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            Connections = [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Connections = [];
            Status = "The saved connections could not be read from the store; only connections declared in configuration would be listed.";
        }
    }

    protected Guid? RequestedSession => Guid.TryParse(SessionParameter, out var id) ? id : null;

    /// <summary>
    /// The connection the URL names; else, when the URL names only a model ("Try in playground"), a connection whose
    /// model list has it (by the name, or the catalog model's id or one of its aliases); else the only one there is.
    /// </summary>
    protected string? DefaultConnection() =>
        Connections.FirstOrDefault(c => string.Equals(c.Name, ConnectionParameter, StringComparison.OrdinalIgnoreCase))?.Name
        ?? (ConnectionParameter is null && ModelParameter is { Length: > 0 } model ? Connections.FirstOrDefault(c => ServedName(c, model) is not null)?.Name : null)
        ?? (Connections.Count == 1 ? Connections[0].Name : null);

    /// <summary>
    /// The model the URL names (as the chosen connection lists it, when it lists it under an alias), or the connection's first model.
    /// </summary>
    protected string? DefaultModel(string? connection) =>
        ModelParameter is { Length: > 0 } model ? (Find(connection) is { } c ? ServedName(c, model) : null) ?? model
        : Connections.FirstOrDefault(c => c.Name == connection)?.Models is { Count: > 0 } models ? models[0] : null;

    /// <summary>
    /// When the URL names a model but no connection, and no connection lists that model (nor the catalog's id or an
    /// alias of it): the model, so the page can say so. Null otherwise.
    /// </summary>
    protected string? UnservedModel() =>
        ConnectionParameter is null && ModelParameter is { Length: > 0 } model && Connections.Count > 0 && !Connections.Any(c => ServedName(c, model) is not null)
            ? model
            : null;

    /// <summary>The name under which the connection lists the model (the name itself, the catalog id or an alias), or null.</summary>
    protected string? ServedName(ConnectionView connection, string model)
    {
        var names = new List<string> { model };
        if (CatalogModelFor(model) is { } known)
        {
            names.Add(known.Id);
            names.AddRange(known.Aliases);
        }

        return connection.Models.FirstOrDefault(m => names.Contains(m, StringComparer.OrdinalIgnoreCase));
    }

    protected ConnectionView? Find(string? name) => Connections.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The catalog's model for a model or deployment name (by id or alias), for limits and prices.</summary>
    protected CatalogModel? CatalogModelFor(string? model) =>
        model is null ? null : Catalog.Current.Find(model) ?? Catalog.Current.Models.FirstOrDefault(m => m.Aliases.Contains(model, StringComparer.OrdinalIgnoreCase));

    /// <summary>Keeps the URL in step with the choice (replacing the history entry), so the view can be shared.</summary>
    protected void SyncUrl(string? connection, string? model)
    {
        ReplaceUrl(PortalUrls.Playground(Path, connection, model, SessionId == Guid.Empty ? null : SessionId));
    }

    protected async Task<InferenceTarget?> TargetAsync(string? connection, Action<string> problem)
    {
        if (connection is null)
        {
            problem("Choose a connection first.");
            return null;
        }

        try
        {
            var target = await ConnectionService.TargetAsync(connection, ComponentToken);
            if (target is null)
            {
                problem($"The connection '{connection}' no longer exists. Choose another, or add it in Settings → Connections.");
            }

            return target;
        }
        catch (InferenceException ex)
        {
            problem(ex.Error.Message);
            return null;
        }
        catch (PortalAccessDeniedException ex)
        {
            // Nothing was sent: what the user typed stays in the box.
            problem(ex.Message);
            return null;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return null;
        }
    }

    protected async Task SaveSessionAsync<T>(string kind, string title, T state)
    {
        try
        {
            SessionId = await Sessions.SaveAsync(SessionId, kind, title, state, ComponentToken);
            Status = null;
        }
        catch (PortalAccessDeniedException ex)
        {
            Status = $"This session was not saved to history: {ex.Message} It stays on this page.";
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away while saving: there is nobody left to tell.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Status = "This session could not be saved to history (the store did not answer). It stays on this page; nothing you see is lost.";
        }
    }

    protected void Stop() => Run.Stop();

    /// <summary>
    /// A scope for the model calls of one answer: the trace recorder records them for the current user and this feature
    /// and writes the trace's id into it, for the answer's "View trace" link.
    /// </summary>
    protected ModelCallScope CallScope(string feature) => new() { Feature = feature, UserId = Access.User.Id };

    /// <summary>Replaces the address (same history entry) unless the page is gone: a late answer must never take the user back.</summary>
    protected void ReplaceUrl(string url)
    {
        if (!IsDisposed && !Navigation.Uri.EndsWith(url, StringComparison.Ordinal))
        {
            Navigation.NavigateTo(url, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }
}
