using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portal.Data.Access;

namespace Portal.Web.Access;

public sealed record ApiTokenView(Guid Id, string Name, string Prefix, DateTimeOffset CreatedUtc, DateTimeOffset ExpiresUtc, DateTimeOffset? RevokedUtc, DateTimeOffset? LastUsedUtc)
{
    public bool IsActive(DateTimeOffset now) => RevokedUtc is null && ExpiresUtc > now;
}

/// <summary>What creating a token gives back: the token itself, shown once and never stored.</summary>
public sealed record CreatedApiToken(ApiTokenView Token, string Secret);

/// <summary>
/// Personal API tokens (Settings → API tokens): <c>pat_</c> and 43 random base64url characters, stored as a SHA-256 hash,
/// with an expiry, revocable. A call made with one acts as its user, with the user's current role.
/// </summary>
public sealed class ApiTokens(IApiTokenStore store, AccessControl access, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Prefix = "pat_";
    public const int MaxNameLength = 100;

    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(access.User.Id, cancellationToken)).Select(ToView)];

    /// <summary>Creates a token for the current user; the errors instead when the input is not acceptable.</summary>
    public async Task<(CreatedApiToken? Created, IReadOnlyList<string> Errors)> CreateAsync(string name, int days, CancellationToken cancellationToken)
    {
        var trimmed = (name ?? "").Trim();
        await access.DemandAsync(PortalAction.CreateApiToken, $"api-token:{trimmed}", cancellationToken);
        var errors = new List<string>();
        if (!options.Value.SignInRequired)
        {
            errors.Add("Sign-in is off (Portal:Auth:Mode is None): the HTTP API needs no token.");
        }

        if (trimmed.Length is 0 or > MaxNameLength)
        {
            errors.Add($"Give the token a name of 1 to {MaxNameLength} characters.");
        }

        if (days < 1 || days > options.Value.ApiTokenMaxDays)
        {
            errors.Add($"Choose an expiry of 1 to {options.Value.ApiTokenMaxDays} days.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var secret = Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var row = await store.AddAsync(new ApiTokenRow
        {
            UserId = access.User.Id,
            Name = trimmed,
            Hash = Hash(secret),
            Prefix = secret[..8],
            CreatedUtc = now,
            ExpiresUtc = now.AddDays(days),
        }, cancellationToken);
        await access.SucceededAsync(PortalAction.CreateApiToken, $"api-token:{trimmed}", $"{row.Prefix}…, expires {row.ExpiresUtc:yyyy-MM-dd}");
        return (new CreatedApiToken(ToView(row), secret), []);
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await access.DemandAsync(PortalAction.RevokeApiToken, $"api-token:{id}", cancellationToken);
        var revoked = await store.RevokeAsync(access.User.Id, id, cancellationToken);
        if (revoked)
        {
            await access.SucceededAsync(PortalAction.RevokeApiToken, $"api-token:{id}");
        }

        return revoked;
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ApiTokenView ToView(ApiTokenRow row) =>
        new(row.Id, row.Name, row.Prefix, row.CreatedUtc, row.ExpiresUtc, row.RevokedUtc, row.LastUsedUtc);
}

/// <summary>Authenticates <c>Authorization: Bearer pat_…</c>: an unknown, expired or revoked token is a 401.</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiTokenStore tokens,
    IUserDirectoryStore directory,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PortalApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadToken(Request, out var secret))
        {
            return AuthenticateResult.NoResult();
        }

        var row = await tokens.FindByHashAsync(ApiTokens.Hash(secret), Context.RequestAborted);
        var now = time.GetUtcNow();
        if (row is null || row.RevokedUtc is not null || row.ExpiresUtc <= now)
        {
            return AuthenticateResult.Fail(row is null ? "Unknown API token." : row.RevokedUtc is not null ? "The API token was revoked." : "The API token expired.");
        }

        if (row.LastUsedUtc is null || now - row.LastUsedUtc > TimeSpan.FromMinutes(1))
        {
            await tokens.TouchAsync(row.Id, now, Context.RequestAborted);
        }

        var user = await directory.GetAsync(row.UserId, Context.RequestAborted);
        var claims = new List<Claim>
        {
            new(PortalClaims.UserId, row.UserId),
            new(PortalClaims.ApiToken, row.Id.ToString()),
        };
        if (user?.DisplayName is { } name)
        {
            claims.Add(new Claim(PortalClaims.Name, name));
        }

        if (user?.Email is { } email)
        {
            claims.Add(new Claim(PortalClaims.Email, email));
        }

        var identity = new ClaimsIdentity(claims, SchemeName, PortalClaims.Name, PortalClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Sign-in required",
            "Send a personal API token (Settings → API tokens) or the provider's access token: Authorization: Bearer <token>.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this.");

    public static bool TryReadToken(HttpRequest request, out string token)
    {
        token = "";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var value = header["Bearer ".Length..].Trim();
        if (!value.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        token = value;
        return true;
    }
}

/// <summary>With sign-in off, every request is the local Owner.</summary>
internal sealed class LocalAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PortalLocal";

    private static readonly ClaimsPrincipal Local = new(new ClaimsIdentity(
        [
            new Claim(PortalClaims.UserId, PortalClaims.LocalUserId),
            new Claim(PortalClaims.Name, "Local user"),
            new Claim(PortalClaims.Role, nameof(PortalRole.Owner)),
        ],
        SchemeName,
        PortalClaims.Name,
        PortalClaims.Role));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Local, SchemeName)));
}

/// <summary>RFC 9457 problem details written by the authentication handlers (401, 403).</summary>
internal static class ProblemResponses
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
