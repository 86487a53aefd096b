namespace Portal.Web.Components.Controls;

/// <summary>The theme as the server knows it for the first paint: the user's choice and the system's setting (from the browser's client hint).</summary>
public sealed record InitialTheme(ThemeMode Mode, bool SystemDark);
