using Microsoft.AspNetCore.Components;
using Portal.Data.Preferences;
using Portal.Web.Hosting;

namespace Portal.Web.Components.Layout;

public sealed partial class MainLayout : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();

    internal const string SidebarPreferenceKey = "layout.sidebar-expanded";

    private PortalErrorBoundary? _errorBoundary;

    // Loaded once during prerender and carried into the interactive circuit, so the store is read once per visit.
    [PersistentState]
    public bool? SidebarExpanded { get; set; }

    /// <summary>Set when the store did not give the saved preferences in time: the page then says it uses defaults.</summary>
    [PersistentState]
    public bool PreferencesUnavailable { get; set; }

    private bool _sidebarExpanded = true;

    [Inject]
    public required IPreferenceStore Preferences { get; init; }

    [Inject]
    public required ICurrentUser CurrentUser { get; init; }

    [Inject]
    public required ILogger<MainLayout> Logger { get; init; }

    protected override async Task OnInitializedAsync()
    {
        if (SidebarExpanded is null)
        {
            try
            {
                var stored = await Preferences.GetAsync(CurrentUser.Id, SidebarPreferenceKey, _lifetime.Token);
                SidebarExpanded = stored is null || !bool.TryParse(stored, out var expanded) || expanded;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missing preference must never break or hold up the page: fall back to the default layout.
                Logger.LogWarning(ex, "Could not read layout preference {Key}", SidebarPreferenceKey);
                SidebarExpanded = true;
                PreferencesUnavailable = true;
            }
        }

        _sidebarExpanded = SidebarExpanded.Value;
    }

    protected override void OnParametersSet()
    {
        // A new page gets a fresh start after an error on the previous one.
        _errorBoundary?.Recover();
    }

    private async Task ToggleSidebarAsync()
    {
        var expanded = !_sidebarExpanded;
        _sidebarExpanded = expanded;
        SidebarExpanded = expanded;
        try
        {
            await Preferences.SetAsync(CurrentUser.Id, SidebarPreferenceKey, expanded.ToString(), _lifetime.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not save layout preference {Key}", SidebarPreferenceKey);
        }
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
