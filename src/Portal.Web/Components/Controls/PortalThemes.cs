namespace Portal.Web.Components.Controls;

/// <summary>
/// The two themes the portal offers. Radzen's free package ships "material" and "material-dark"
/// (its Material 3 themes are a paid add-on); both are used with WCAG-compliant colours.
/// </summary>
public static class PortalThemes
{
    public const string Light = "material";
    public const string Dark = "material-dark";

    public static bool IsDark(string? theme) => string.Equals(theme, Dark, StringComparison.OrdinalIgnoreCase);

    /// <summary>Any value other than a known theme (a stale or tampered cookie) falls back to the light theme.</summary>
    public static string Normalize(string? theme) => IsDark(theme) ? Dark : Light;
}
