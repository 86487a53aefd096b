namespace Portal.Web.Components.Controls;

/// <summary>
/// The look as the server knows it for the first paint, without asking the store: the user's theme choice and the
/// system's setting (from the browser's client hint), and whether this browser last collapsed the sidebar (a cookie).
/// </summary>
public sealed record InitialTheme(ThemeMode Mode, bool SystemDark, bool SidebarCollapsed = false);
