using Microsoft.Extensions.Options;

namespace Portal.Web.Access;

public enum AuthMode
{
    /// <summary>No sign-in: everyone who reaches the portal is the local Owner (the embedded single-user mode).</summary>
    None,

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web (the <c>AzureAd</c> section).</summary>
    EntraId,

    /// <summary>Any OpenID Connect provider (<c>Portal:Auth:Oidc</c>).</summary>
    Oidc,
}

public sealed class OidcProviderOptions
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Scopes to ask for besides <c>openid</c> (default <c>profile email</c>); a list or one space-separated string.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The claim that carries the user's roles (default <c>roles</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The access tokens' audience the HTTP API accepts (default: the client id).</summary>
    public string? Audience { get; set; }

    /// <summary>Keep true; false only for a provider on loopback in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

/// <summary>The <c>Portal:Auth</c> section: sign-in mode, provider, bootstrap Owners, default role.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Portal:Auth";

    public AuthMode Mode { get; set; } = AuthMode.None;

    public OidcProviderOptions Oidc { get; set; } = new();

    /// <summary>Emails or subjects of the first Owners (<c>Portal:Auth:Owners:0</c>).</summary>
    public List<string> Owners { get; set; } = [];

    /// <summary>The role of a signed-in user who has none from the token or the portal.</summary>
    public PortalRole DefaultRole { get; set; } = PortalRole.Reader;

    /// <summary>How often open pages re-read the user's role and session (a role change or sign-out shows within it).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a personal API token may live, in days.</summary>
    public int ApiTokenMaxDays { get; set; } = 365;

    public bool SignInRequired => Mode != AuthMode.None;

    /// <summary>
    /// The section as registration reads it, before the host is built (which schemes to add). The validated options
    /// (<c>IOptions&lt;AuthOptions&gt;</c>) report problems at start, one line each.
    /// </summary>
    public static AuthOptions Read(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<AuthOptions>() ?? new AuthOptions();

    /// <summary>The scopes asked of an OIDC provider.</summary>
    public IReadOnlyList<string> OidcScopes()
    {
        var scopes = Oidc.Scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return scopes.Count == 0 ? ["openid", "profile", "email"] : [.. scopes.Prepend("openid").Distinct(StringComparer.Ordinal)];
    }
}

public sealed class AuditOptions
{
    public const string SectionName = "Portal:Audit";

    /// <summary>Entries older than this are deleted (daily).</summary>
    public int RetentionDays { get; set; } = 365;
}

/// <summary>Each problem of the sign-in settings is named at start; the portal does not start half-secured.</summary>
internal sealed class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"{AuthOptions.SectionName}:Mode must be None, EntraId or Oidc.");
        }

        if (!Enum.IsDefined(options.DefaultRole))
        {
            errors.Add($"{AuthOptions.SectionName}:DefaultRole must be Reader, AzureAIDeveloper, Contributor or Owner.");
        }

        if (options.RevalidationInterval < TimeSpan.FromSeconds(1) || options.RevalidationInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{AuthOptions.SectionName}:RevalidationInterval must be between 00:00:01 and 00:10:00.");
        }

        if (options.ApiTokenMaxDays is < 1 or > 3650)
        {
            errors.Add($"{AuthOptions.SectionName}:ApiTokenMaxDays must be between 1 and 3650.");
        }

        if (options.Mode == AuthMode.Oidc)
        {
            var oidc = options.Oidc;
            if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            {
                errors.Add($"{AuthOptions.SectionName}:Oidc:Authority must be the provider's absolute https:// address.");
            }
            else if (authority.Scheme == "http" && (oidc.RequireHttpsMetadata || !authority.IsLoopback))
            {
                errors.Add($"{AuthOptions.SectionName}:Oidc:Authority must use https:// (http:// only for a provider on loopback with RequireHttpsMetadata=false).");
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                errors.Add($"{AuthOptions.SectionName}:Oidc:ClientId is required.");
            }

            if (string.IsNullOrWhiteSpace(oidc.RoleClaim))
            {
                errors.Add($"{AuthOptions.SectionName}:Oidc:RoleClaim must not be empty.");
            }
        }

        if (options.Mode == AuthMode.EntraId)
        {
            // Microsoft.Identity.Web reads the AzureAd section; its own checks run only at the first sign-in.
            var azureAd = configuration.GetSection("AzureAd");
            if (!Uri.TryCreate(azureAd["Instance"] is { Length: > 0 } instance ? instance : "https://login.microsoftonline.com/", UriKind.Absolute, out var entra) || entra.Scheme != "https")
            {
                errors.Add("AzureAd:Instance must be an https:// address (default https://login.microsoftonline.com/).");
            }

            foreach (var key in new[] { "TenantId", "ClientId" })
            {
                if (string.IsNullOrWhiteSpace(azureAd[key]))
                {
                    errors.Add($"AzureAd:{key} is required with {AuthOptions.SectionName}:Mode=EntraId.");
                }
            }

            if (string.IsNullOrWhiteSpace(azureAd["ClientSecret"]) && !azureAd.GetSection("ClientCredentials").GetChildren().Any() && !azureAd.GetSection("ClientCertificates").GetChildren().Any())
            {
                errors.Add("AzureAd:ClientSecret, AzureAd:ClientCertificates or AzureAd:ClientCredentials is required: the portal calls Azure on the signed-in user's behalf.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        options.RetentionDays is < 1 or > 36500
            ? ValidateOptionsResult.Fail($"{AuditOptions.SectionName}:RetentionDays must be between 1 and 36500.")
            : ValidateOptionsResult.Success;
}
