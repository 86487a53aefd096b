using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Portal.Web.Access;

namespace Portal.Web.Hosting;

internal static class AuthServiceCollectionExtensions
{
    /// <summary>Picks, per request, the scheme that can read its credentials: API token, bearer token or cookie.</summary>
    public const string PolicyScheme = "Portal";
    public const string CookieName = ".Portal.Auth";
    public const string ArmUserScope = "https://management.azure.com/user_impersonation";

    /// <summary>
    /// Identity for <c>Portal:Auth:Mode</c>: None (the local Owner, no sign-in), EntraId (Microsoft.Identity.Web) or Oidc
    /// (any OpenID Connect provider, code flow with PKCE). With sign-in on, every page and API needs a signed-in user; the
    /// API also takes the provider's access tokens and personal API tokens.
    /// </summary>
    public static IServiceCollection AddPortalAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();

        services.AddHttpContextAccessor();
        services.AddScoped<PortalAuthenticationStateProvider>();
        services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<PortalAuthenticationStateProvider>());
        services.AddCascadingAuthenticationState();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddSingleton<UserRoles>();
        services.AddSingleton<SignInRecorder>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AccessControl>();
        services.AddScoped<ApiTokens>();
        services.AddScoped<UserPreferences>();
        services.AddScoped<AccessDirectory>();
        services.AddScoped<AuditReader>();
        services.AddHostedService<AuditRetention>();
        services.AddTransient<IClaimsTransformation, PortalClaimsTransformation>();

        var settings = AuthOptions.Read(configuration);
        if (!settings.SignInRequired)
        {
            services.AddAuthentication(LocalAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, LocalAuthenticationHandler>(LocalAuthenticationHandler.SchemeName, null);
            services.AddAuthorization();
            return services;
        }

        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = PolicyScheme;
            options.DefaultChallengeScheme = PolicyScheme;
        });
        authentication.AddPolicyScheme(PolicyScheme, "Portal", options => options.ForwardDefaultSelector = SelectScheme);
        authentication.AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);

        if (settings.Mode == AuthMode.EntraId)
        {
            var azureAd = configuration.GetSection("AzureAd");
            authentication.AddMicrosoftIdentityWebApp(azureAd, OpenIdConnectDefaults.AuthenticationScheme, CookieAuthenticationDefaults.AuthenticationScheme)
                .EnableTokenAcquisitionToCallDownstreamApi([ArmUserScope])
                .AddInMemoryTokenCaches();
            services.AddAuthentication().AddMicrosoftIdentityWebApi(azureAd, JwtBearerDefaults.AuthenticationScheme);
        }
        else
        {
            authentication.AddCookie(CookieAuthenticationDefaults.AuthenticationScheme);
            authentication.AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                var oidc = settings.Oidc;
                options.Authority = oidc.Authority;
                options.ClientId = oidc.ClientId;
                options.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
                options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.SaveTokens = false;
                options.MapInboundClaims = false;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.Scope.Clear();
                foreach (var scope in settings.OidcScopes())
                {
                    options.Scope.Add(scope);
                }

                options.ClaimActions.MapJsonKey(oidc.RoleClaim, oidc.RoleClaim);
                options.TokenValidationParameters.NameClaimType = PortalClaims.Name;
                options.TokenValidationParameters.RoleClaimType = PortalClaims.Role;
            });
            authentication.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                var oidc = settings.Oidc;
                options.Authority = oidc.Authority;
                options.Audience = string.IsNullOrWhiteSpace(oidc.Audience) ? oidc.ClientId : oidc.Audience;
                options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = PortalClaims.Name;
                options.TokenValidationParameters.RoleClaimType = PortalClaims.Role;
            });
        }

        // Whatever registered them (Microsoft.Identity.Web or the lines above), the portal's rules apply last.
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, ConfigureCookie);
        services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, ConfigureOpenIdConnect);
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, ConfigureJwtBearer);

        services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    internal static string SelectScheme(HttpContext context)
    {
        if (ApiTokenAuthenticationHandler.TryReadToken(context.Request, out _))
        {
            return ApiTokenAuthenticationHandler.SchemeName;
        }

        return context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? JwtBearerDefaults.AuthenticationScheme
            : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    internal static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.LoginPath = AccountEndpoints.SignInPath;
        options.AccessDeniedPath = AccountEndpoints.SignInPath;
        options.SlidingExpiration = true;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        var redirectToLogin = options.Events.OnRedirectToLogin;
        var redirectToDenied = options.Events.OnRedirectToAccessDenied;
        options.Events.OnRedirectToLogin = context => IsApi(context.Request)
            ? ApiChallengeAsync(context.HttpContext)
            : redirectToLogin(context);
        options.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
            ? ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this.")
            : redirectToDenied(context);
    }

    private static Task ApiChallengeAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, "Sign-in required",
            "Send a personal API token (Settings → API tokens) or the provider's access token: Authorization: Bearer <token>.");
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions options)
    {
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
        options.SignedOutRedirectUri = AccountEndpoints.SignedOutPath;
        var ticketReceived = options.Events.OnTicketReceived;
        options.Events.OnTicketReceived = async context =>
        {
            await ticketReceived(context);
            if (context.Principal is { } principal)
            {
                var recorder = context.HttpContext.RequestServices.GetRequiredService<SignInRecorder>();
                await recorder.SignedInAsync(principal, browser: true, context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.HttpContext.RequestAborted);
            }
        };
        var signOutRedirect = options.Events.OnRedirectToIdentityProviderForSignOut;
        options.Events.OnRedirectToIdentityProviderForSignOut = async context =>
        {
            await signOutRedirect(context);

            // The id token is not kept (SaveTokens=false), so no id_token_hint: a provider then takes the
            // post_logout_redirect_uri only with the client id (OpenID Connect RP-Initiated Logout 1.0, section 2), and
            // without it stays on its own signed-out page instead of coming back to the portal's.
            if (string.IsNullOrEmpty(context.ProtocolMessage.IdTokenHint) && string.IsNullOrEmpty(context.ProtocolMessage.ClientId))
            {
                context.ProtocolMessage.ClientId = context.Options.ClientId;
            }
        };

        // The provider refused, the user cancelled, or the sign-in came back stale: the portal's own page says so, never a
        // raw exception (replacing, not chaining, whatever was there: every remote failure ends here).
        options.Events.OnRemoteFailure = async context =>
        {
            // The kind of failure only (the provider's error code or the exception's type), never its message: it may
            // carry a code or a token.
            var error = context.Request.Query["error"].ToString();
            var reason = error.Length is > 0 and <= 40 && error.All(c => c is (>= 'a' and <= 'z') or '_') ? $"provider said {error}"
                : error.Length > 0 ? "provider refused"
                : context.Failure?.GetType().Name ?? "unknown";
            await context.HttpContext.RequestServices.GetRequiredService<SignInRecorder>()
                .RecordFailedSignInAsync(context.HttpContext.Connection.RemoteIpAddress?.ToString(), reason, context.HttpContext.RequestAborted);
            context.Response.Redirect(AccountEndpoints.SignInFailedPath);
            context.HandleResponse();
        };
    }

    private static void ConfigureJwtBearer(JwtBearerOptions options)
    {
        var validated = options.Events?.OnTokenValidated;
        options.Events ??= new JwtBearerEvents();
        options.Events.OnTokenValidated = async context =>
        {
            if (validated is not null)
            {
                await validated(context);
            }

            if (context.Principal is { } principal)
            {
                var recorder = context.HttpContext.RequestServices.GetRequiredService<SignInRecorder>();
                await recorder.SignedInAsync(principal, browser: false, null, context.HttpContext.RequestAborted);
            }
        };
        options.Events.OnChallenge = async context =>
        {
            context.HandleResponse();
            await ApiChallengeAsync(context.HttpContext);
        };
        options.Events.OnForbidden = context =>
            ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this.");
    }
}
