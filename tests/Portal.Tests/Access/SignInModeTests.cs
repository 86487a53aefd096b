using System.Net;
using System.Security.Claims;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Web;
using Portal.Azure;
using Portal.TestPeers;
using Portal.Tests.Hosting;
using Portal.Tests.Support;
using Portal.Web.Access;
using Portal.Web.Hosting;

namespace Portal.Tests.Access;

/// <summary>The three sign-in modes as the host sets them up: what an anonymous request gets, cookies, settings checks.</summary>
public sealed class SignInModeTests
{
    private const string Authority = "https://login.example.test/realms/team";

    private static readonly string[] Oidc =
    [
        "--Portal:Auth:Mode=Oidc",
        $"--Portal:Auth:Oidc:Authority={Authority}",
        "--Portal:Auth:Oidc:ClientId=portal",
        "--Portal:Auth:Oidc:ClientSecret=never-shown-secret",
    ];

    [Fact]
    public async Task NoConfiguration_EveryRequestIsTheLocalOwner_AndTheApiIsOpen()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/models?pageSize=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var roles = host.App.Services.GetRequiredService<UserRoles>();
        Assert.Equal(PortalRole.Owner, await roles.EffectiveRoleAsync(new ClaimsPrincipal(new ClaimsIdentity()), CancellationToken.None));
    }

    [Theory]
    [InlineData("/models", "/account/signin?ReturnUrl=%2Fmodels")]
    [InlineData("/settings/connections", "/account/signin?ReturnUrl=%2Fsettings%2Fconnections")]
    public async Task Oidc_AnonymousPage_IsSentToSignIn(string path, string expected)
    {
        await using var host = await PortalHost.StartAsync(Oidc);
        using var client = host.App.GetTestServer().CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.PathAndQuery);
    }

    [Theory]
    [InlineData("/api/models")]
    [InlineData("/api/benchmarks")]
    [InlineData("/api/models/export.csv")]
    public async Task Oidc_AnonymousApi_Is401ProblemDetails(string path)
    {
        await using var host = await PortalHost.StartAsync(Oidc);
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("Sign-in required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oidc_UnknownApiToken_Is401_AndTheTokenIsNotEchoed()
    {
        await using var host = await PortalHost.StartAsync(Oidc);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/models", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", "pat_not-a-real-token-0123456789");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("not-a-real-token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/ready")]
    public async Task Oidc_HealthChecks_AnswerAnonymousRequests(string path)
    {
        await using var host = await PortalHost.StartAsync(Oidc);
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Oidc_Cookies_AreSecureHttpOnlySameSite_AndCodeFlowUsesPkce()
    {
        await using var host = await PortalHost.StartAsync(Oidc);

        var cookie = host.App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var oidc = host.App.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);

        Assert.True(cookie.Cookie.HttpOnly);
        Assert.Equal(CookieSecurePolicy.Always, cookie.Cookie.SecurePolicy);
        Assert.Equal(SameSiteMode.Lax, cookie.Cookie.SameSite);
        Assert.Equal("code", oidc.ResponseType);
        Assert.True(oidc.UsePkce);
        Assert.True(oidc.RequireHttpsMetadata);
        Assert.Equal(CookieSecurePolicy.Always, oidc.CorrelationCookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.Always, oidc.NonceCookie.SecurePolicy);
    }

    [Fact]
    public async Task Oidc_SignOutForm_MayRedirectToTheProvider_AndNothingElse()
    {
        await using var host = await PortalHost.StartAsync(Oidc);
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("form-action 'self' https://login.example.test;", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Theory]
    [InlineData("http://login.example.test/", "must use https://")]
    [InlineData("not a url", "Authority must be the provider's absolute https:// address")]
    public async Task Oidc_UnsafeAuthority_StopsTheStart_NamingTheSetting(string authority, string expected)
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, "--Portal:Auth:Mode=Oidc", $"--Portal:Auth:Oidc:Authority={authority}", "--Portal:Auth:Oidc:ClientId=portal");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntraId_MissingSettings_StopTheStart_EachNamed()
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, "--Portal:Auth:Mode=EntraId", "--AzureAd:Instance=https://login.microsoftonline.com/");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("AzureAd:TenantId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientSecret, AzureAd:ClientCertificates or AzureAd:ClientCredentials is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntraId_BindsThroughMicrosoftIdentityWeb()
    {
        await using var host = await PortalHost.StartAsync(EntraSettings("https://127.0.0.1:9/"));

        var identity = host.App.Services.GetRequiredService<IOptionsMonitor<MicrosoftIdentityOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        var oidc = host.App.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);

        Assert.Equal("11111111-2222-3333-4444-555555555555", identity.ClientId);
        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", identity.TenantId);
        Assert.StartsWith("https://login.microsoftonline.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", oidc.Authority, StringComparison.Ordinal);
        Assert.Equal("code", oidc.ResponseType);
    }

    [Fact]
    public async Task EntraId_Azure_IsCalledWithTheSignedInUsersToken_NotTheServers()
    {
        await using var arm = await ArmPeer.StartAsync();
        var tokens = new RecordingTokenAcquisition(ArmPeer.Token);
        await using var host = await PortalHost.StartAsync(builder =>
        {
            builder.Services.AddKeyedSingleton<TokenCredential>(AzureServiceCollectionExtensions.CredentialKey, new RefusingCredential());
            builder.Services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
            builder.Services.AddSingleton<ITokenAcquisition>(tokens);
        }, EntraSettings(arm.BaseUrl.ToString()));

        await using var scope = host.App.Services.CreateAsyncScope();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(PortalClaims.UserId, "entra:tenant/alice"), new Claim(PortalClaims.Name, "Alice")], "test", PortalClaims.Name, PortalClaims.Role));
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = user, RequestServices = scope.ServiceProvider };
        var azure = scope.ServiceProvider.GetRequiredService<AzureService>();

        var subscriptions = await azure.ListSubscriptionsAsync(CancellationToken.None);

        Assert.Contains(subscriptions, s => s.SubscriptionId == ArmPeer.Subscription);
        var (scopes, principal) = Assert.Single(tokens.Calls);
        Assert.Equal([AuthServiceCollectionExtensions.ArmUserScope], scopes);
        Assert.Equal("entra:tenant/alice", principal?.Get(PortalClaims.UserId));
        Assert.NotSame(azure, host.App.Services.GetRequiredKeyedService<AzureService>(AzureServiceCollectionExtensions.ServerKey));
    }

    [Fact]
    public async Task EntraId_Azure_WithoutASignedInUser_AsksToSignIn_AndAsksEntraNothing()
    {
        await using var arm = await ArmPeer.StartAsync();
        var tokens = new RecordingTokenAcquisition(ArmPeer.Token);
        await using var host = await PortalHost.StartAsync(builder =>
        {
            builder.Services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
            builder.Services.AddSingleton<ITokenAcquisition>(tokens);
        }, EntraSettings(arm.BaseUrl.ToString()));
        await using var scope = host.App.Services.CreateAsyncScope();

        var error = await Assert.ThrowsAsync<ArmException>(() => scope.ServiceProvider.GetRequiredService<AzureService>().ListSubscriptionsAsync(CancellationToken.None));

        Assert.Contains("No Azure credential", error.Message, StringComparison.Ordinal);
        Assert.Empty(tokens.Calls);
    }

    [Theory]
    [InlineData("/models?q=llama", "/models?q=llama")]
    [InlineData("/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("/\t/evil.example/", "/")]
    [InlineData("/models\r\nSet-Cookie: x=1", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void SignIn_ReturnsOnlyToAPathOfThePortal(string? returnUrl, string expected) =>
        Assert.Equal(expected, AccountEndpoints.LocalOrRoot(returnUrl));

    private static string[] EntraSettings(string armEndpoint) =>
    [
        "--Portal:Auth:Mode=EntraId",
        "--AzureAd:Instance=https://login.microsoftonline.com/",
        "--AzureAd:TenantId=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "--AzureAd:ClientId=11111111-2222-3333-4444-555555555555",
        "--AzureAd:ClientSecret=never-shown-secret",
        $"--Portal:Azure:Endpoint={armEndpoint}",
        $"--Portal:Azure:Subscriptions:0={ArmPeer.Subscription}",
        "--Portal:Azure:MaxRetries=0",
    ];

    /// <summary>Microsoft.Identity.Web's token acquisition at its edge: no tenant is reachable here.</summary>
    private sealed class RecordingTokenAcquisition(string token) : ITokenAcquisition
    {
        public List<(string[] Scopes, ClaimsPrincipal? User)> Calls { get; } = [];

        public Task<AuthenticationResult> GetAuthenticationResultForUserAsync(IEnumerable<string> scopes, string? authenticationScheme, string? tenantId = null, string? userFlow = null, ClaimsPrincipal? user = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null)
        {
            Calls.Add(([.. scopes], user));
            return Task.FromResult(new AuthenticationResult(token, false, "alice", DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddHours(1), "tenant", null, null, scopes, Guid.NewGuid()));
        }

        public Task<string> GetAccessTokenForUserAsync(IEnumerable<string> scopes, string? authenticationScheme, string? tenantId = null, string? userFlow = null, ClaimsPrincipal? user = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null) =>
            throw new NotSupportedException("The portal asks for the whole result (with its expiry).");

        public Task<string> GetAccessTokenForAppAsync(string scope, string? authenticationScheme, string? tenant = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null) =>
            throw new NotSupportedException("The portal never calls Azure as the app in EntraId mode.");

        public Task<AuthenticationResult> GetAuthenticationResultForAppAsync(string scope, string? authenticationScheme, string? tenant = null, TokenAcquisitionOptions? tokenAcquisitionOptions = null) =>
            throw new NotSupportedException("The portal never calls Azure as the app in EntraId mode.");

        public void ReplyForbiddenWithWwwAuthenticateHeader(IEnumerable<string> scopes, MsalUiRequiredException msalServiceException, string? authenticationScheme, HttpResponse? httpResponse = null) =>
            throw new NotSupportedException();

        public string GetEffectiveAuthenticationScheme(string? authenticationScheme) => authenticationScheme ?? OpenIdConnectDefaults.AuthenticationScheme;

        public Task ReplyForbiddenWithWwwAuthenticateHeaderAsync(IEnumerable<string> scopes, MsalUiRequiredException msalServiceException, HttpResponse? httpResponse = null) =>
            throw new NotSupportedException();
    }

    /// <summary>The server's own credential: in EntraId mode, pages must never use it.</summary>
    private sealed class RefusingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The server's credential was used for a user's call.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The server's credential was used for a user's call.");
    }
}
