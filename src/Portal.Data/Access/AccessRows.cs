namespace Portal.Data.Access;

/// <summary>
/// A person the portal has seen sign in, and the role an Owner assigned to them in Settings → Access (none until then).
/// </summary>
public sealed class PortalUserRow
{
    /// <summary>The portal's id for the user: the sign-in mode and the provider's subject ("oidc:…", "entra:…").</summary>
    public required string UserId { get; set; }

    public string? Email { get; set; }

    /// <summary>
    /// Whether the provider vouched for <see cref="Email"/> at the last sign-in (OIDC <c>email_verified</c>); only a
    /// verified email may match a bootstrap Owner (<c>Portal:Auth:Owners</c>).
    /// </summary>
    public bool EmailVerified { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>The role an Owner assigned in the portal (Reader, AzureAIDeveloper, Contributor, Owner), or null.</summary>
    public string? AssignedRole { get; set; }

    /// <summary>The highest role the provider's token carried at the last sign-in, for calls made with an API token.</summary>
    public string? ProviderRole { get; set; }

    public DateTimeOffset FirstSeenUtc { get; set; }

    public DateTimeOffset LastSignInUtc { get; set; }

    public DateTimeOffset? RoleChangedUtc { get; set; }

    public string? RoleChangedBy { get; set; }
}

/// <summary>One sign-in of a user in a browser. Signing out ends it, which ends the access of that browser's open pages.</summary>
public sealed class UserSessionRow
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset? EndedUtc { get; set; }
}

/// <summary>A personal API token: only its SHA-256 hash is kept, the token itself is shown once.</summary>
public sealed class ApiTokenRow
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string Hash { get; set; }

    /// <summary>The token's first characters ("pat_AbC1"), enough to tell tokens apart, useless to an attacker.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset ExpiresUtc { get; set; }

    public DateTimeOffset? RevokedUtc { get; set; }

    public DateTimeOffset? LastUsedUtc { get; set; }
}

/// <summary>One audited action: who did what to which target, when, from where, and how it ended.</summary>
public sealed class AuditEntryRow
{
    public long Id { get; set; }

    public DateTimeOffset WhenUtc { get; set; }

    public required string UserId { get; set; }

    public string? UserName { get; set; }

    public required string Action { get; set; }

    public required string Target { get; set; }

    /// <summary>Succeeded, Failed or Denied.</summary>
    public required string Outcome { get; set; }

    public string? ClientAddress { get; set; }

    public string? Detail { get; set; }
}
