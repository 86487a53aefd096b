namespace Portal.Web.Hosting;

/// <summary>
/// Hardening headers on every answer (pages, API, health, static files, error pages). The content security policy allows
/// only the portal's own scripts (blazor.web.js, MudBlazor's script, component modules: no inline script, no eval), its
/// own circuit connection, and no framing by other sites.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "Content-Security-Policy";

    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // OnStarting: the exception handler clears the headers before it renders the error page; these come back.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers[ContentSecurityPolicy] = Policy(http.Request);
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    internal static string Policy(HttpRequest request)
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
            "frame-ancestors 'self'",
            "form-action 'self'",
            "object-src 'none'",
            "base-uri 'self'");
    }
}
