using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Portal.Data.Access;

namespace Portal.Web.Access;

/// <summary>
/// Runs once per sign-in, before the portal's cookie is written: gives the principal the portal's claims (user id,
/// session, the provider's role), records the user in the directory, and on the first sign-in of an Owner gives them the
/// data the single-user mode kept for "local".
/// </summary>
public sealed partial class SignInRecorder(
    IUserDirectoryStore directory,
    IAuditStore audit,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<SignInRecorder> logger)
{
    /// <summary>Adds the portal's claims to <paramref name="principal"/>; for a browser sign-in also starts a session.</summary>
    public async Task SignedInAsync(ClaimsPrincipal principal, bool browser, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var settings = options.Value;
        var identity = principal.Identities.First();

        // The portal's own claims come only from here: any the provider sent (portal_uid = "local", "#shared" or
        // another user's id, a portal_role) are dropped first.
        foreach (var own in principal.Identities)
        {
            foreach (var claim in own.Claims.Where(c => c.Type.StartsWith("portal_", StringComparison.Ordinal)).ToList())
            {
                own.RemoveClaim(claim);
            }
        }

        var (userId, email, name, roles) = Read(principal, settings);
        var emailVerified = email is not null && EmailIsVerified(principal, settings);
        if (userId is null)
        {
            throw new InvalidOperationException("The provider's token has no subject (sub, or oid for Microsoft Entra ID): the portal cannot tell who signed in.");
        }

        var providerRole = UserRoles.HighestOf(roles);
        identity.AddClaim(new Claim(PortalClaims.UserId, userId));
        if (name is not null && !principal.HasClaim(c => c.Type == PortalClaims.Name))
        {
            identity.AddClaim(new Claim(PortalClaims.Name, name));
        }

        if (email is not null && !principal.HasClaim(c => c.Type == PortalClaims.Email))
        {
            identity.AddClaim(new Claim(PortalClaims.Email, email));
        }

        if (providerRole is { } fromToken)
        {
            identity.AddClaim(new Claim(PortalClaims.ProviderRole, fromToken.ToString()));
        }

        if (emailVerified)
        {
            identity.AddClaim(new Claim(PortalClaims.EmailVerified, "true"));
        }

        if (!browser)
        {
            return;
        }

        var session = await directory.RecordSignInAsync(userId, email, name, providerRole?.ToString(), cancellationToken, emailVerified);
        identity.AddClaim(new Claim(PortalClaims.Session, session.ToString()));

        var row = await directory.GetAsync(userId, cancellationToken);
        var role = UserRoles.Resolve(settings, userId, emailVerified ? email : null, providerRole?.ToString(), row?.AssignedRole);
        string? detail = $"role {role.Label()}";
        if (role == PortalRole.Owner)
        {
            var moved = await directory.ReassignDataAsync(PortalClaims.LocalUserId, userId, cancellationToken);
            if (moved > 0)
            {
                LogLocalDataMoved(logger, moved);
                detail += $"; took over {moved} item(s) of the single-user mode";
            }
        }

        await audit.AddAsync(new AuditEntryRow
        {
            WhenUtc = time.GetUtcNow(),
            UserId = userId,
            UserName = email ?? name,
            Action = AuditLog.SignInAction,
            Target = "portal",
            Outcome = nameof(AuditOutcome.Succeeded),
            ClientAddress = clientAddress,
            Detail = detail,
        }, cancellationToken);
    }

    /// <summary>
    /// Whether the provider vouched for the email: OIDC's <c>email_verified</c> claim. Microsoft Entra ID's email and
    /// user name can be changed by their owners and are never used to grant a role.
    /// </summary>
    public static bool EmailIsVerified(ClaimsPrincipal principal, AuthOptions settings)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Mode == AuthMode.Oidc && string.Equals(principal.Get("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A sign-in the provider refused or that could not complete, for the audit log (no user is known).</summary>
    public Task RecordFailedSignInAsync(string? clientAddress, string reason, CancellationToken cancellationToken) =>
        audit.AddAsync(new AuditEntryRow
        {
            WhenUtc = time.GetUtcNow(),
            UserId = PortalClaims.AnonymousUserId,
            Action = AuditLog.SignInAction,
            Target = "portal",
            Outcome = nameof(AuditOutcome.Failed),
            ClientAddress = clientAddress,
            Detail = reason.Length <= 200 ? reason : reason[..200],
        }, cancellationToken);

    /// <summary>The user's id, email, name and role claims as the mode's provider writes them.</summary>
    public static (string? UserId, string? Email, string? Name, IReadOnlyList<string> Roles) Read(ClaimsPrincipal principal, AuthOptions settings)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Mode == AuthMode.EntraId)
        {
            var objectId = principal.GetObjectId();
            var tenant = principal.GetTenantId();
            var entraRoles = principal.FindAll("roles").Concat(principal.FindAll(ClaimTypes.Role)).Select(c => c.Value).ToList();
            return (objectId is null ? null : $"entra:{tenant}/{objectId}",
                principal.Get("email") ?? principal.Get("preferred_username") ?? principal.Get(ClaimTypes.Email),
                principal.Get("name") ?? principal.GetDisplayName(),
                entraRoles);
        }

        var subject = principal.Get("sub") ?? principal.Get(ClaimTypes.NameIdentifier);
        var roles = principal.FindAll(settings.Oidc.RoleClaim)
            .SelectMany(c => c.Value.StartsWith('[') ? ParseArray(c.Value) : [c.Value])
            .ToList();
        return (subject is null ? null : $"oidc:{subject}",
            principal.Get("email") ?? principal.Get(ClaimTypes.Email),
            principal.Get("name") ?? principal.Get("preferred_username"),
            roles);
    }

    private static string[] ParseArray(string json)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [json];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The first Owner to sign in took over {Count} item(s) the single-user mode kept")]
    private static partial void LogLocalDataMoved(ILogger logger, int count);
}
