using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Routing;
using Portal.Web.Components.Controls;

namespace Portal.Web.Components;

public sealed partial class App
{
    private const string PrefersColorScheme = "Sec-CH-Prefers-Color-Scheme";

    private ThemeMode _themeMode;
    private bool _systemDark;
    private bool _sidebarCollapsed;

    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    /// <summary>Interactive server everywhere, except pages marked [ExcludeFromInteractiveRouting] (the error page).</summary>
    private IComponentRenderMode? PageRenderMode =>
        HttpContext.AcceptsInteractiveRouting() ? RenderMode.InteractiveServer : null;

    protected override void OnInitialized()
    {
        // The theme is known on the server so the first paint already has it: the user's choice from its cookie, or
        // else the system's setting as the browser's client hint tells it (asked for here, sent from the next request on).
        _themeMode = PortalThemes.Parse(HttpContext.Request.Cookies[Hosting.PortalServiceCollectionExtensions.ThemeCookieName]);
        _sidebarCollapsed = string.Equals(HttpContext.Request.Cookies[Hosting.PortalServiceCollectionExtensions.SidebarCookieName], PortalThemes.SidebarCollapsedCookieValue, StringComparison.Ordinal);
        _systemDark = string.Equals(HttpContext.Request.Headers[PrefersColorScheme].ToString().Trim('"'), "dark", StringComparison.OrdinalIgnoreCase);
        if (!HttpContext.Response.HasStarted)
        {
            HttpContext.Response.Headers["Accept-CH"] = PrefersColorScheme;
            HttpContext.Response.Headers.Append("Vary", PrefersColorScheme);
        }
    }
}
