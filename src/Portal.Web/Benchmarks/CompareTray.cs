using Portal.Web.Access;
using Portal.Catalog;
using Portal.Data.Preferences;

namespace Portal.Web.Benchmarks;

/// <summary>
/// The models the user set aside to compare (up to four). Kept in the store per user, so the tray survives
/// navigation, reloads and new tabs. If the store fails the tray still works for this session and says so.
/// Changing it is <see cref="PortalAction.EditCompareTray"/> (every signed-in user, on their own tray).
/// </summary>
public sealed partial class CompareTray(IPreferenceStore preferences, ICurrentUser user, ICatalogService catalog, AccessControl access, ILogger<CompareTray> logger) : IDisposable
{
    public const int MaxModels = 4;
    public const string PreferenceKey = "compare-tray";

    private readonly List<string> _models = [];
    private readonly CancellationTokenSource _lifetime = new();
    private bool _loaded;

    public event Action? Changed;

    public IReadOnlyList<string> Models => _models;

    /// <summary>Set when the last save failed: the tray then lives only as long as this session.</summary>
    public string? StorageProblem { get; private set; }

    public bool IsFull => _models.Count >= MaxModels;

    public bool Contains(string id) => _models.Contains(id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Ends with the circuit (the tray is scoped to it): a save still running is cancelled.</summary>
    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded)
        {
            return;
        }

        _loaded = true;
        try
        {
            var saved = await preferences.GetAsync(user.Id, PreferenceKey, cancellationToken);
            _models.Clear();
            _models.AddRange((saved ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(id => catalog.Current.Find(id) is not null)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Take(MaxModels));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLoadFailed(logger, ex);
            StorageProblem = "The compare tray could not be read from the store; it is kept for this session only.";
        }

        Changed?.Invoke();
    }

    /// <returns>False when the tray is full or the model is unknown.</returns>
    public async Task<bool> AddAsync(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        await access.DemandAsync(PortalAction.EditCompareTray, $"compare-tray:{id}", _lifetime.Token);
        await LoadAsync();
        if (Contains(id))
        {
            return true;
        }

        if (IsFull || catalog.Current.Find(id) is not { } model)
        {
            return false;
        }

        _models.Add(model.Id);
        await SaveAsync();
        await access.SucceededAsync(PortalAction.EditCompareTray, $"compare-tray:{model.Id}", "added");
        return true;
    }

    public async Task RemoveAsync(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        await access.DemandAsync(PortalAction.EditCompareTray, $"compare-tray:{id}", _lifetime.Token);
        await LoadAsync();
        if (_models.RemoveAll(m => string.Equals(m, id, StringComparison.OrdinalIgnoreCase)) > 0)
        {
            await SaveAsync();
            await access.SucceededAsync(PortalAction.EditCompareTray, $"compare-tray:{id}", "removed");
        }
    }

    public async Task ClearAsync()
    {
        await access.DemandAsync(PortalAction.EditCompareTray, "compare-tray", _lifetime.Token);
        await LoadAsync();
        _models.Clear();
        await SaveAsync();
        await access.SucceededAsync(PortalAction.EditCompareTray, "compare-tray", "cleared");
    }

    private async Task SaveAsync()
    {
        try
        {
            await preferences.SetAsync(user.Id, PreferenceKey, string.Join('\n', _models), _lifetime.Token);
            StorageProblem = null;
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // The circuit ended while saving: nobody is left to tell.
            return;
        }
        catch (Exception ex)
        {
            LogSaveFailed(logger, ex);
            StorageProblem = "The compare tray could not be saved; it is kept for this session only.";
        }

        Changed?.Invoke();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the compare tray from the store.")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the compare tray to the store.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception);
}
