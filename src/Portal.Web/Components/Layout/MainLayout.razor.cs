using Portal.Web.Access;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Data.Preferences;
using Portal.Web.Components.Controls;
using Portal.Web.Hosting;

namespace Portal.Web.Components.Layout;

public sealed partial class MainLayout : IAsyncDisposable
{
    private readonly CancellationTokenSource _lifetime = new();

    internal const string SidebarPreferenceKey = "layout.sidebar-expanded";

    private PortalErrorBoundary? _errorBoundary;
    private MudThemeProvider? _themeProvider;
    private IJSObjectReference? _themeModule;
    private ThemeMode _themeMode;
    private bool _systemDark;

    /// <summary>The theme the server worked out for the first paint (the user's cookie, the browser's client hint).</summary>
    [CascadingParameter]
    public InitialTheme? InitialTheme { get; set; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    private bool IsDark => _themeMode == ThemeMode.Dark || (_themeMode == ThemeMode.System && _systemDark);

    /// <summary>Set when the store did not give the saved preferences in time: the page then says it uses defaults.</summary>
    public bool PreferencesUnavailable { get; private set; }

    private bool _sidebarExpanded = true;

    [Inject]
    public required IPreferenceStore Preferences { get; init; }

    [Inject]
    public required ICurrentUser CurrentUser { get; init; }

    /// <summary>Changing a preference (the sidebar, the theme) is checked and recorded there.</summary>
    [Inject]
    public required UserPreferences UserPreferences { get; init; }

    [Inject]
    public required ILogger<MainLayout> Logger { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _themeMode = InitialTheme?.Mode ?? ThemeMode.System;
        _systemDark = InitialTheme?.SystemDark ?? false;
        // The prerender never waits on the store: the sidebar follows the cookie this browser keeps (written with the
        // stored preference, below). The circuit then reads the user's stored preference, which follows them everywhere.
        _sidebarExpanded = !(InitialTheme?.SidebarCollapsed ?? false);
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        try
        {
            var stored = await Preferences.GetAsync(CurrentUser.Id, SidebarPreferenceKey, _lifetime.Token);
            if (stored is not null && bool.TryParse(stored, out var expanded))
            {
                _sidebarExpanded = expanded;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A missing preference must never break or hold up the page: fall back to the default layout.
            Logger.LogWarning(ex, "Could not read layout preference {Key}", SidebarPreferenceKey);
            PreferencesUnavailable = true;
        }
    }

    protected override void OnParametersSet()
    {
        // A new page gets a fresh start after an error on the previous one.
        _errorBoundary?.Recover();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive && _themeProvider is not null)
        {
            try
            {
                // The browser knows the system's setting for sure (the client hint may not have been sent yet), and says when it changes.
                var dark = await _themeProvider.GetSystemDarkModeAsync();
                await _themeProvider.WatchSystemDarkModeAsync(OnSystemDarkModeChangedAsync);
                if (dark != _systemDark)
                {
                    _systemDark = dark;
                    StateHasChanged();
                }
            }
            catch (JSDisconnectedException)
            {
                // The page went away meanwhile.
            }
        }
    }

    private Task OnSystemDarkModeChangedAsync(bool dark)
    {
        _systemDark = dark;
        return InvokeAsync(StateHasChanged);
    }

    /// <summary>Applies the user's theme choice at once and remembers it in the browser (a cookie the server reads for the first paint).</summary>
    private async Task SetThemeAsync(ThemeMode mode)
    {
        _themeMode = mode;
        try
        {
            await UserPreferences.SetInBrowserAsync("theme", async () =>
            {
                _themeModule ??= await JS.InvokeAsync<IJSObjectReference>("import", _lifetime.Token, "./js/theme.js");
                await _themeModule.InvokeVoidAsync("remember", _lifetime.Token, PortalServiceCollectionExtensions.ThemeCookieName, PortalThemes.CookieValue(mode));
            }, _lifetime.Token);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or OperationCanceledException or PortalAccessDeniedException)
        {
            // The theme applies to this visit anyway; only remembering it failed.
            Logger.LogDebug(ex, "Could not remember the theme choice");
        }
    }

    private async Task ToggleSidebarAsync()
    {
        var expanded = !_sidebarExpanded;
        _sidebarExpanded = expanded;
        try
        {
            await UserPreferences.SetAsync(SidebarPreferenceKey, expanded.ToString(), _lifetime.Token);
            // This browser's next first paint follows it without asking the store (App.razor reads the cookie).
            _themeModule ??= await JS.InvokeAsync<IJSObjectReference>("import", _lifetime.Token, "./js/theme.js");
            await _themeModule.InvokeVoidAsync("remember", _lifetime.Token, PortalServiceCollectionExtensions.SidebarCookieName, expanded ? null : PortalThemes.SidebarCollapsedCookieValue);
        }
        catch (PortalAccessDeniedException)
        {
            // The sidebar changes for this visit anyway; it is not remembered (the denial is in the audit log).
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException)
        {
            Logger.LogDebug(ex, "Could not remember the sidebar choice in the browser");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not save layout preference {Key}", SidebarPreferenceKey);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
        if (_themeModule is not null)
        {
            try
            {
                await _themeModule.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }
}
