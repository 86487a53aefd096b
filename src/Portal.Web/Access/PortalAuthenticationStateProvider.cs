using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Portal.Web.Access;

/// <summary>
/// The authentication state of an open page. With sign-in on, it is checked again every
/// <see cref="AuthOptions.RevalidationInterval"/>: a sign-out (in any tab) makes the page anonymous, and a role changed
/// by an Owner replaces the role claim, so what the page shows follows within the interval. Services check the role
/// from the store on every action anyway.
/// </summary>
public sealed partial class PortalAuthenticationStateProvider : ServerAuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, IDisposable
{
    private readonly UserRoles _roles;
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PortalAuthenticationStateProvider> _logger;
    private readonly CancellationTokenSource _loop = new();
    private bool _started;
    private int _disposed;

    public PortalAuthenticationStateProvider(UserRoles roles, IOptions<AuthOptions> options, TimeProvider time, ILogger<PortalAuthenticationStateProvider> logger)
    {
        _roles = roles;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The principal of the page once the host has set it; null in a plain request.</summary>
    public ClaimsPrincipal? Current { get; private set; }

    void IHostEnvironmentAuthenticationStateProvider.SetAuthenticationState(Task<AuthenticationState> authenticationStateTask)
    {
        ArgumentNullException.ThrowIfNull(authenticationStateTask);
        if (authenticationStateTask.IsCompletedSuccessfully)
        {
            Current = authenticationStateTask.Result.User;
        }

        SetAuthenticationState(authenticationStateTask);
        if (!_started && _options.SignInRequired && Current?.Identity?.IsAuthenticated == true)
        {
            _started = true;
            _ = RevalidateLoopAsync(_loop.Token);
        }
    }

    /// <summary>One revalidation: the principal as it should be now (anonymous once its session ended).</summary>
    public async Task<ClaimsPrincipal> RevalidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            return principal;
        }

        // Null for a signed-in principal means its session was signed out.
        var role = await _roles.EffectiveRoleAsync(principal, cancellationToken);
        if (role is null && principal.SessionId() is not null)
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        return role is { } r && principal.EffectiveRole() == r ? principal : WithRole(principal, role);
    }

    /// <summary>A copy of the principal whose role claim says <paramref name="role"/> (none when null).</summary>
    public static ClaimsPrincipal WithRole(ClaimsPrincipal principal, PortalRole? role)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var copy = principal.Clone();
        var identity = (ClaimsIdentity)copy.Identity!;
        foreach (var claim in identity.FindAll(PortalClaims.Role).ToList())
        {
            identity.RemoveClaim(claim);
        }

        if (role is { } r)
        {
            identity.AddClaim(new Claim(PortalClaims.Role, r.ToString()));
        }

        return copy;
    }

    private async Task RevalidateLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RevalidationInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var before = Current;
                if (before is null)
                {
                    continue;
                }

                ClaimsPrincipal after;
                try
                {
                    after = await RevalidateAsync(before, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store that does not answer keeps the page as it is; the services still check on each action.
                    LogRevalidationFailed(_logger, ex);
                    continue;
                }

                if (!ReferenceEquals(after, before))
                {
                    Current = after;
                    SetAuthenticationState(Task.FromResult(new AuthenticationState(after)));
                }

                if (after.Identity?.IsAuthenticated != true)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The circuit ended.
        }
    }

    public void Dispose()
    {
        // Registered under two service types, so the scope may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _loop.Cancel();
            _loop.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An open page's sign-in could not be checked again; it stays as it was until the next check")]
    private static partial void LogRevalidationFailed(ILogger logger, Exception exception);
}

/// <summary>
/// Adds the effective role to each request's principal, and makes the principal anonymous when its browser session was
/// signed out (so a copied cookie stops working at sign-out).
/// </summary>
internal sealed class PortalClaimsTransformation(UserRoles roles, IOptions<AuthOptions> options, IHttpContextAccessor http) : Microsoft.AspNetCore.Authentication.IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (!options.Value.SignInRequired || principal.Identity?.IsAuthenticated != true || principal.HasClaim(c => c.Type == PortalClaims.Role))
        {
            return principal;
        }

        var role = await roles.EffectiveRoleAsync(principal, http.HttpContext?.RequestAborted ?? default);
        if (role is null && principal.SessionId() is not null)
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        return PortalAuthenticationStateProvider.WithRole(principal, role);
    }
}
