using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Azure;
using Portal.Data.Access;
using Portal.TestPeers;
using Portal.Tests.Azure;
using Portal.Tests.Hosting;
using Portal.Tests.Support;
using Portal.Web.Access;
using Portal.Web.Hosting;

namespace Portal.Tests.Access;

/// <summary>
/// The real portal with sign-in on (OpenID Connect at a provider that is never called), its store in a SQLite file,
/// Azure Resource Manager as the ARM peer and an OpenAI-compatible peer for connections. Users get their role through
/// the user directory, as an Owner would give it; the HTTP API is called with their personal API tokens.
/// </summary>
public sealed class MatrixHost : IAsyncLifetime, IDisposable
{
    public const string PeerKey = "sk-matrix-peer-key-WXYZ9876";

    private TempDirectory _temp = default!;

    public WebApplication App { get; private set; } = default!;

    public ArmPeer Arm { get; private set; } = default!;

    public OpenAiPeer Peer { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _temp = new TempDirectory();
        Arm = await ArmPeer.StartAsync();
        Arm.PollsToFinish = 0;
        Arm.RetryAfterSeconds = 0;
        Peer = await OpenAiPeer.StartAsync(PeerKey);
        App = PortalHost.Build(_temp, logs: null, builder =>
        {
            builder.Services.AddKeyedSingleton<TokenCredential>(AzureServiceCollectionExtensions.CredentialKey, new TestCredential());
            builder.Services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(Arm.CreateTrustingHandler()));
        },
        "--Portal:Auth:Mode=Oidc",
        "--Portal:Auth:Oidc:Authority=https://login.example.test",
        "--Portal:Auth:Oidc:ClientId=portal-matrix-tests",
        $"--Portal:Azure:Endpoint={Arm.BaseUrl}",
        $"--Portal:Azure:Subscriptions:0={ArmPeer.Subscription}",
        "--Portal:Azure:PollInterval=00:00:00.020");
        // Stands in for the provider's sign-in: gives the browser the portal's sign-in cookie for a user.
        App.MapGet("/test/cookie-sign-in", (HttpContext http, string user) => http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(PortalClaims.UserId, user), new Claim(PortalClaims.Name, user)], "test-provider", PortalClaims.Name, PortalClaims.Role))))
            .AllowAnonymous();
        await App.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Peer.DisposeAsync();
        await Arm.DisposeAsync();
    }

    /// <summary>xUnit calls this after <see cref="DisposeAsync"/>: the store's folder goes once the portal is stopped.</summary>
    public void Dispose() => _temp.Dispose();

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A user who signed in once and was given <paramref name="role"/> in Settings → Access.</summary>
    public async Task<string> UserAsync(PortalRole role, string name)
    {
        var id = $"oidc:{name}-{Guid.NewGuid():N}";
        var directory = Get<IUserDirectoryStore>();
        await directory.RecordSignInAsync(id, $"{name}@example.test", name, null, CancellationToken.None);
        await directory.AssignRoleAsync(id, role.ToString(), "oidc:matrix-owner", CancellationToken.None);
        return id;
    }

    /// <summary>
    /// A scope whose current user is <paramref name="userId"/>, signed in, as a plain request would have it (the real
    /// <see cref="ICurrentUser"/> reads the request's principal).
    /// </summary>
    public AsyncServiceScope ScopeFor(string userId)
    {
        var scope = App.Services.CreateAsyncScope();
        var identity = new ClaimsIdentity([new Claim(PortalClaims.UserId, userId), new Claim(PortalClaims.Name, userId)], "matrix-test", PortalClaims.Name, PortalClaims.Role);
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext =
            new DefaultHttpContext { User = new ClaimsPrincipal(identity), RequestServices = scope.ServiceProvider };
        return scope;
    }

    /// <summary>An HTTP client that sends a personal API token of <paramref name="userId"/> (made as Settings → API tokens makes one).</summary>
    public async Task<HttpClient> ClientForAsync(string userId)
    {
        var secret = ApiTokens.Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        await Get<IApiTokenStore>().AddAsync(new ApiTokenRow
        {
            UserId = userId,
            Name = "matrix",
            Hash = ApiTokens.Hash(secret),
            Prefix = secret[..8],
            CreatedUtc = now,
            ExpiresUtc = now.AddDays(1),
        }, CancellationToken.None);
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>A client that carries only the portal's sign-in cookie for <paramref name="userId"/>, as a browser would.</summary>
    public async Task<HttpClient> CookieClientForAsync(string userId)
    {
        var client = App.GetTestClient();
        using var signIn = await client.GetAsync(new Uri($"/test/cookie-sign-in?user={Uri.EscapeDataString(userId)}", UriKind.Relative));
        signIn.EnsureSuccessStatusCode();
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthServiceCollectionExtensions.CookieName + "=", StringComparison.Ordinal));
        client.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        return client;
    }

    public async Task<int> AuditCountAsync(string userId, PortalAction action, AuditOutcome outcome) =>
        (await Get<IAuditStore>().QueryAsync(new AuditQuery(User: userId, Action: action.ToString(), Outcome: outcome.ToString(), Take: 1000), CancellationToken.None)).Total;

    /// <summary>The ARM peer's project, as discovery finds it.</summary>
    public async Task<AzureWorkspace> ProjectAsync() =>
        (await App.Services.GetRequiredKeyedService<AzureService>(AzureServiceCollectionExtensions.ServerKey)
            .DiscoverAsync([ArmPeer.Subscription], refresh: false, CancellationToken.None)).Projects.Single(p => p.Name == "team-project");

    /// <summary>A serverless endpoint made directly in Azure (no portal check), for the actions on existing deployments.</summary>
    public async Task<AzureDeployment> DeployedAsync()
    {
        var azure = App.Services.GetRequiredKeyedService<AzureService>(AzureServiceCollectionExtensions.ServerKey);
        return await azure.DeployServerlessAsync(await ProjectAsync(), "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", EndpointName(), false,
            new InlineProgress<DeployStep>(_ => { }), CancellationToken.None);
    }

    /// <summary>The ARM peer's Azure OpenAI account (team-openai), read from Azure.</summary>
    public Task<AzureAIAccount> AccountAsync(string name = ArmPeer.OpenAIAccountName) =>
        App.Services.GetRequiredKeyedService<AzureService>(AzureServiceCollectionExtensions.ServerKey).GetAccountAsync(ArmPeer.AccountId(name), CancellationToken.None);

    public static string EndpointName() => "m" + Guid.NewGuid().ToString("N")[..11];
}
