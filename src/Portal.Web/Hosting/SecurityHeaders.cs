using Microsoft.Extensions.Options;
using Portal.Web.Access;

namespace Portal.Web.Hosting;

/// <summary>
/// Hardening headers on every answer (pages, API, health, static files, error pages). The content security policy allows
/// only the portal's own scripts (blazor.web.js, MudBlazor's script, component modules: no inline script, no eval), its
/// own circuit connection, no framing at all, and forms that post to the portal (and, for sign-out, its sign-in provider).
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "Content-Security-Policy";

    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app)
    {
        // Read at the first request, not while the pipeline is built: settings are validated at start, with one line each.
        var signInOrigin = new Lazy<string?>(() => SignInOrigin(
            app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value,
            app.ApplicationServices.GetRequiredService<IConfiguration>()));
        return app.Use((context, next) =>
        {
            // OnStarting: the exception handler clears the headers before it renders the error page; these come back.
            context.Response.OnStarting(() =>
            {
                var http = context;
                var headers = http.Response.Headers;
                headers[ContentSecurityPolicy] = Policy(http.Request, signInOrigin.Value);
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>
    /// The sign-in provider's origin ("https://login.example.com"), which the sign-out form's redirect goes to (browsers
    /// apply form-action to redirects); null with sign-in off.
    /// </summary>
    internal static string? SignInOrigin(AuthOptions auth, IConfiguration configuration)
    {
        var address = auth.Mode switch
        {
            AuthMode.Oidc => auth.Oidc.Authority,
            AuthMode.EntraId => configuration["AzureAd:Instance"] is { Length: > 0 } instance ? instance : "https://login.microsoftonline.com/",
            _ => null,
        };
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }

    internal static string Policy(HttpRequest request, string? signInOrigin = null)
    {
        // 'self' covers the circuit's WebSocket in current browsers (CSP 3); the explicit ws(s) origin covers older
        // ones. The Host header has passed host filtering (AllowedHosts) by now.
        var socket = $"{(request.IsHttps ? "wss" : "ws")}://{request.Host.ToUriComponent()}";
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            // MudBlazor sets style attributes and its theme's style element; Blazor sets style attributes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            $"connect-src 'self' {socket}",
            // No page of the portal is shown inside another page, its own included (clickjacking).
            "frame-ancestors 'none'",
            signInOrigin is null ? "form-action 'self'" : $"form-action 'self' {signInOrigin}",
            "object-src 'none'",
            "base-uri 'self'");
    }
}
