using System.Security.Claims;
using Microsoft.Extensions.Options;
using Portal.Data.Access;

namespace Portal.Web.Access;

/// <summary>
/// Works out a user's effective role: the highest of the provider's role claim, the role an Owner assigned in
/// Settings → Access, and Owner for the bootstrap list (<c>Portal:Auth:Owners</c>); <c>Portal:Auth:DefaultRole</c> when
/// none applies. With sign-in off, the local user is the Owner.
/// </summary>
public sealed class UserRoles(IUserDirectoryStore directory, IOptions<AuthOptions> options)
{
    public async Task<PortalRole?> EffectiveRoleAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        // The settings as the portal started with them: the authentication schemes were set up from those, so a reloaded
        // file must not change who is Owner while sign-in stays as it was.
        var settings = options.Value;
        if (!settings.SignInRequired)
        {
            return PortalRole.Owner;
        }

        if (principal.Identity?.IsAuthenticated != true || principal.Get(PortalClaims.UserId) is not { Length: > 0 } userId)
        {
            return null;
        }

        // A browser whose session was signed out has no role any more, also in a page that has not noticed yet.
        if (principal.SessionId() is { } session && !await directory.IsSessionActiveAsync(session, cancellationToken))
        {
            return null;
        }

        var row = await directory.GetAsync(userId, cancellationToken);
        var verifiedEmail = principal.Get(PortalClaims.EmailVerified) == "true" ? principal.Get(PortalClaims.Email)
            : row is { EmailVerified: true } ? row.Email
            : null;
        return Resolve(settings, userId, verifiedEmail, principal.Get(PortalClaims.ProviderRole) ?? row?.ProviderRole, row?.AssignedRole);
    }

    /// <summary>The rule itself, for the directory page and the tests.</summary>
    public static PortalRole Resolve(AuthOptions settings, string userId, string? verifiedEmail, string? providerRole, string? assignedRole)
    {
        ArgumentNullException.ThrowIfNull(settings);
        PortalRole? best = null;
        if (PortalRoles.TryParse(providerRole, out var fromProvider))
        {
            best = fromProvider;
        }

        if (PortalRoles.TryParse(assignedRole, out var assigned) && (best is null || assigned > best))
        {
            best = assigned;
        }

        if (IsBootstrapOwner(settings, userId, verifiedEmail))
        {
            best = PortalRole.Owner;
        }

        return best ?? settings.DefaultRole;
    }

    /// <summary>
    /// Whether <c>Portal:Auth:Owners</c> names the user: by the portal's id, the provider's subject, or an email the
    /// provider verified (pass null for an email nobody vouched for: anyone may write any address in a self-service
    /// profile). Microsoft Entra ID users match by object id ("tenant/object id" or the object id), never by email.
    /// </summary>
    public static bool IsBootstrapOwner(AuthOptions settings, string userId, string? verifiedEmail)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var subject = userId.Contains(':', StringComparison.Ordinal) ? userId[(userId.IndexOf(':', StringComparison.Ordinal) + 1)..] : userId;
        return settings.Owners.Select(o => o.Trim()).Where(o => o.Length > 0).Any(o =>
            string.Equals(o, userId, StringComparison.Ordinal)
            || string.Equals(o, subject, StringComparison.Ordinal)
            || (verifiedEmail is { Length: > 0 } && string.Equals(o, verifiedEmail, StringComparison.OrdinalIgnoreCase))
            || (userId.StartsWith("entra:", StringComparison.Ordinal) && subject.EndsWith("/" + o, StringComparison.Ordinal)));
    }

    /// <summary>The highest portal role among a token's role claims (unknown roles are ignored).</summary>
    public static PortalRole? HighestOf(IEnumerable<string> roleClaims)
    {
        PortalRole? best = null;
        foreach (var value in roleClaims)
        {
            if (PortalRoles.TryParse(value, out var role) && (best is null || role > best))
            {
                best = role;
            }
        }

        return best;
    }
}
