using Microsoft.AspNetCore.Components;
using Portal.Catalog;
using Portal.Playground.Inference;
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

    protected async Task LoadConnectionsAsync()
    {
        try
        {
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

    /// <summary>The connection the URL names, or the only one there is.</summary>
    protected string? DefaultConnection() =>
        Connections.FirstOrDefault(c => string.Equals(c.Name, ConnectionParameter, StringComparison.OrdinalIgnoreCase))?.Name
        ?? (Connections.Count == 1 ? Connections[0].Name : null);

    protected string? DefaultModel(string? connection) =>
        ModelParameter is { Length: > 0 } model ? model
        : Connections.FirstOrDefault(c => c.Name == connection)?.Models is { Count: > 0 } models ? models[0] : null;

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

    /// <summary>Replaces the address (same history entry) unless the page is gone: a late answer must never take the user back.</summary>
    protected void ReplaceUrl(string url)
    {
        if (!IsDisposed && !Navigation.Uri.EndsWith(url, StringComparison.Ordinal))
        {
            Navigation.NavigateTo(url, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }
}
