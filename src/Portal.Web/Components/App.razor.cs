using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Routing;
using Portal.Web.Components.Controls;
using Radzen;

namespace Portal.Web.Components;

public sealed partial class App
{
    private string _theme = PortalThemes.Light;

    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [Inject]
    public required ThemeService ThemeService { get; init; }

    /// <summary>Interactive server everywhere, except pages marked [ExcludeFromInteractiveRouting] (the error page).</summary>
    private IComponentRenderMode? PageRenderMode =>
        HttpContext.AcceptsInteractiveRouting() ? RenderMode.InteractiveServer : null;

    protected override void OnInitialized()
    {
        // The theme cookie is read on the server so the first paint already has the user's theme.
        _theme = PortalThemes.Normalize(HttpContext.Request.Cookies[Hosting.PortalServiceCollectionExtensions.ThemeCookieName]);
        ThemeService.SetTheme(_theme, triggerChange: false);
    }
}
