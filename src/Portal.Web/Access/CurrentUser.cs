using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Portal.Web.Access;

/// <summary>The claims the portal puts on a signed-in principal.</summary>
public static class PortalClaims
{
    /// <summary>The portal's id for the user: "local", "oidc:&lt;sub&gt;" or "entra:&lt;tenant&gt;/&lt;object id&gt;".</summary>
    public const string UserId = "portal_uid";

    /// <summary>The sign-in session (browser) the principal belongs to; ended by sign-out.</summary>
    public const string Session = "portal_sid";

    /// <summary>The highest portal role the provider's token carried.</summary>
    public const string ProviderRole = "portal_provider_role";

    /// <summary>The effective role, worked out per request (and per minute in open pages) from token, store and settings.</summary>
    public const string Role = "portal_role";

    /// <summary>Set when the request was authenticated with a personal API token (its id).</summary>
    public const string ApiToken = "portal_token";

    /// <summary>"true" when the provider vouched for the email at sign-in (OIDC <c>email_verified</c>).</summary>
    public const string EmailVerified = "portal_email_verified";

    public const string Name = "name";

    public const string Email = "email";

    public const string LocalUserId = "local";

    public const string AnonymousUserId = "anonymous";

    public static string? Get(this ClaimsPrincipal principal, string type) => principal.FindFirst(type)?.Value;

    /// <summary>The browser sign-in session the principal belongs to; null for API tokens, bearer tokens and sign-in off.</summary>
    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.Get(Session), out var session) ? session : null;

    public static PortalRole? EffectiveRole(this ClaimsPrincipal principal) =>
        PortalRoles.TryParse(principal.Get(Role), out var role) ? role : null;
}

/// <summary>Who is using the portal: preferences, connections, history and audit entries are theirs.</summary>
public interface ICurrentUser
{
    /// <summary>The portal's id for the user (<see cref="PortalClaims.UserId"/>); "local" when sign-in is off.</summary>
    string Id { get; }

    string DisplayName { get; }

    string? Email { get; }

    bool IsSignedIn { get; }

    ClaimsPrincipal Principal { get; }
}

/// <summary>
/// The user of this request or circuit: in an open page the circuit's authentication state (revalidated every minute), in
/// a plain request (the HTTP API, prerendering) the request's principal.
/// </summary>
internal sealed class CurrentUser(IHttpContextAccessor http, AuthenticationStateProvider authentication, IOptions<AuthOptions> options) : ICurrentUser
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    public ClaimsPrincipal Principal =>
        (authentication as PortalAuthenticationStateProvider)?.Current
        ?? http.HttpContext?.User
        ?? Anonymous;

    public string Id => options.Value.SignInRequired
        ? Principal.Get(PortalClaims.UserId) is { Length: > 0 } id && Principal.Identity?.IsAuthenticated == true ? id : PortalClaims.AnonymousUserId
        : PortalClaims.LocalUserId;

    public string DisplayName => options.Value.SignInRequired
        ? Principal.Get(PortalClaims.Name) ?? Principal.Get(PortalClaims.Email) ?? Id
        : "Local user";

    public string? Email => options.Value.SignInRequired ? Principal.Get(PortalClaims.Email) : null;

    public bool IsSignedIn => options.Value.SignInRequired && Principal.Identity?.IsAuthenticated == true && Id != PortalClaims.AnonymousUserId;
}
