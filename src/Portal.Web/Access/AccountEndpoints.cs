using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Portal.Data.Access;

namespace Portal.Web.Access;

/// <summary>
/// Sign-in and sign-out (Microsoft.Identity.Web.UI is not available, so the portal has its own): sign-in challenges the
/// provider and comes back to a local address only; sign-out is a POST with an antiforgery token, ends the session (so
/// open pages lose their access at their next check) and signs out at the provider too.
/// </summary>
public static class AccountEndpoints
{
    public const string SignInPath = "/account/signin";
    public const string SignOutPath = "/account/signout";
    public const string SignedOutPath = "/account/signed-out";
    public const string SignInFailedPath = "/account/sign-in-failed";

    public static IEndpointRouteBuilder MapPortalAccount(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInPath, (HttpContext context, string? returnUrl, IOptions<AuthOptions> options) =>
        {
            var target = LocalOrRoot(returnUrl);
            if (!options.Value.SignInRequired || context.User.Identity?.IsAuthenticated == true)
            {
                return Results.LocalRedirect(target);
            }

            return Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectDefaults.AuthenticationScheme]);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapPost(SignOutPath, async (HttpContext context, IFormCollection form, IOptions<AuthOptions> options, IUserDirectoryStore directory, AuditLog audit) =>
        {
            _ = form;
            if (!options.Value.SignInRequired)
            {
                return Results.LocalRedirect("/");
            }

            if (context.User.SessionId() is { } session)
            {
                await directory.EndSessionAsync(session, context.RequestAborted);
            }

            await audit.RecordAsync(AuditLog.SignOutAction, "portal", AuditOutcome.Succeeded);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = SignedOutPath },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        }).ExcludeFromDescription();

        return app;
    }

    /// <summary>Only a path of this portal ("/models?q=x"); anything else (another site, "//host", "/\host", control characters) is the home page.</summary>
    public static string LocalOrRoot(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        // Browsers drop tabs and line breaks from a Location header ("/\t/evil.example" becomes "//evil.example").
        && !url.Any(char.IsControl)
            ? url
            : "/";
}
