using Microsoft.AspNetCore.Components;
using Radzen;

namespace Portal.Web.Components.Controls;

/// <summary>Switches between the light and dark theme; Radzen's CookieThemeService remembers the choice in the browser.</summary>
public sealed partial class ThemeToggle : IDisposable
{
    [Inject]
    public required ThemeService ThemeService { get; init; }

    // Instantiating it subscribes it to theme changes, which it writes to the theme cookie.
    [Inject]
    public required CookieThemeService CookieThemeService { get; init; }

    private bool IsDark => PortalThemes.IsDark(ThemeService.Theme);

    private string Label => IsDark ? "Switch to light theme" : "Switch to dark theme";

    protected override void OnInitialized() => ThemeService.ThemeChanged += OnThemeChanged;

    private Task ToggleAsync()
    {
        ThemeService.SetTheme(IsDark ? PortalThemes.Light : PortalThemes.Dark);
        return Task.CompletedTask;
    }

    private void OnThemeChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => ThemeService.ThemeChanged -= OnThemeChanged;
}
