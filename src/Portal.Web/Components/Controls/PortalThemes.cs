using MudBlazor;

namespace Portal.Web.Components.Controls;

/// <summary>The user's theme choice: the system's setting (until the user chooses), light or dark.</summary>
public enum ThemeMode
{
    System,
    Light,
    Dark,
}

/// <summary>
/// The portal's MudBlazor theme (one palette per mode, with text, links and muted text at WCAG AA contrast on their
/// backgrounds) and the cookie that remembers the user's choice.
/// </summary>
public static class PortalThemes
{
    public const string LightValue = "light";
    public const string DarkValue = "dark";

    /// <summary>The choice the cookie holds; anything else (no cookie, a stale or tampered value) means the system's setting.</summary>
    /// <summary>The sidebar cookie's value when this browser last collapsed the sidebar (no cookie: expanded).</summary>
    public const string SidebarCollapsedCookieValue = "collapsed";

    public static ThemeMode Parse(string? cookie) => cookie?.Trim().ToUpperInvariant() switch
    {
        "LIGHT" or "MATERIAL" => ThemeMode.Light,
        "DARK" or "MATERIAL-DARK" => ThemeMode.Dark,
        _ => ThemeMode.System,
    };

    /// <summary>The cookie value for a choice; null for the system's setting (the cookie is removed).</summary>
    public static string? CookieValue(ThemeMode mode) => mode switch
    {
        ThemeMode.Light => LightValue,
        ThemeMode.Dark => DarkValue,
        _ => null,
    };

    /// <summary>What the choice names, for the theme menu and its button.</summary>
    public static string Describe(ThemeMode mode) => mode switch
    {
        ThemeMode.Light => "Light",
        ThemeMode.Dark => "Dark",
        _ => "System",
    };

    private static readonly string[] FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0f5bb5",
            Secondary = "#6b3fa0",
            Tertiary = "#00796b",
            Info = "#0b61a4",
            Success = "#1b7d3a",
            Warning = "#8a4b00",
            Error = "#b3261e",
            AppbarBackground = "#ffffff",
            AppbarText = "#1b1f24",
            Background = "#f6f7f9",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1b1f24",
            TextPrimary = "#1b1f24",
            TextSecondary = "#4a5360",
            ActionDefault = "#4a5360",
            LinesDefault = "#d5d9de",
            TableLines = "#e2e5e9",
            Divider = "#d5d9de",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8ab4f8",
            Secondary = "#c6a7f2",
            Tertiary = "#6fd3c3",
            Info = "#7cc4fa",
            Success = "#7fd49a",
            Warning = "#f5b860",
            Error = "#f2b8b5",
            PrimaryContrastText = "#0b1a2e",
            AppbarBackground = "#1b1d21",
            AppbarText = "#e8eaed",
            Background = "#121316",
            Surface = "#1b1d21",
            DrawerBackground = "#1b1d21",
            DrawerText = "#e8eaed",
            TextPrimary = "#e8eaed",
            TextSecondary = "#b4bac3",
            ActionDefault = "#b4bac3",
            LinesDefault = "#3a3e45",
            TableLines = "#30343a",
            Divider = "#3a3e45",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontFamily },
            H1 = new H1Typography { FontFamily = FontFamily, FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.3" },
            H2 = new H2Typography { FontFamily = FontFamily, FontSize = "1.375rem", FontWeight = "600", LineHeight = "1.35" },
            H3 = new H3Typography { FontFamily = FontFamily, FontSize = "1.125rem", FontWeight = "600", LineHeight = "1.4" },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "232px" },
    };
}
