using System.Security.Claims;
using Microsoft.Extensions.Options;
using Portal.Data.Access;

namespace Portal.Web.Access;

/// <summary>
/// Works out a user's effective role: the highest of the provider's role claim, the role an Owner assigned in
/// Settings → Access, and Owner for the bootstrap list (<c>Portal:Auth:Owners</c>); <c>Portal:Auth:DefaultRole</c> when
/// none applies. With sign-in off, the local user is the Owner.
/// </summary>
public sealed class UserRoles(IUserDirectoryStore directory, IOptionsMonitor<AuthOptions> options)
{
    public async Task<PortalRole?> EffectiveRoleAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var settings = options.CurrentValue;
        if (!settings.SignInRequired)
        {
            return PortalRole.Owner;
        }

        if (principal.Identity?.IsAuthenticated != true || principal.Get(PortalClaims.UserId) is not { Length: > 0 } userId)
        {
            return null;
        }

        var row = await directory.GetAsync(userId, cancellationToken);
        return Resolve(settings, userId, principal.Get(PortalClaims.Email) ?? row?.Email, principal.Get(PortalClaims.ProviderRole) ?? row?.ProviderRole, row?.AssignedRole);
    }

    /// <summary>The rule itself, for the directory page and the tests.</summary>
    public static PortalRole Resolve(AuthOptions settings, string userId, string? email, string? providerRole, string? assignedRole)
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

        if (IsBootstrapOwner(settings, userId, email))
        {
            best = PortalRole.Owner;
        }

        return best ?? settings.DefaultRole;
    }

    public static bool IsBootstrapOwner(AuthOptions settings, string userId, string? email)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var subject = userId.Contains(':', StringComparison.Ordinal) ? userId[(userId.IndexOf(':', StringComparison.Ordinal) + 1)..] : userId;
        return settings.Owners.Select(o => o.Trim()).Where(o => o.Length > 0).Any(o =>
            string.Equals(o, userId, StringComparison.Ordinal)
            || string.Equals(o, subject, StringComparison.Ordinal)
            || (email is { Length: > 0 } && string.Equals(o, email, StringComparison.OrdinalIgnoreCase)));
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
