using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Access;
using Portal.Web.Access;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Plain HTTP against the portal with sign-in on: what answers anonymously (health, static files), what needs a
/// signed-in user or a token (pages, API), and which tokens the API takes (personal API tokens, the provider's access
/// tokens for the API's audience) or refuses (expired, revoked, unknown, a token meant for another audience).
/// </summary>
[Collection(SignInServerGroup.Name)]
public sealed class SignInHttpTests(SignInServerFixture server) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Api_WithoutToken_Returns401ProblemDetails()
    {
        using var response = await _http.GetAsync(new Uri("api/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Anonymous_RedirectsToSignInThenToTheProvider()
    {
        using var page = await _http.GetAsync(new Uri("models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var signIn = page.Headers.Location!;
        Assert.Equal(AccountEndpoints.SignInPath, signIn.IsAbsoluteUri ? signIn.AbsolutePath : signIn.OriginalString.Split('?')[0]);

        using var challenge = await _http.GetAsync(signIn);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!.AbsoluteUri;
        Assert.StartsWith(server.Provider.Authority + "/auth?", authorize, StringComparison.Ordinal);
        Assert.Contains("client_id=portal", authorize, StringComparison.Ordinal);

        // The provider offers pushed authorization requests, so the handler sent the request (scopes, PKCE challenge)
        // to it directly and the browser carries only a reference; the provider refuses a request without PKCE.
        Assert.Contains("request_uri=", authorize, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Provider.ClientSecret, authorize, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_Anonymous_Returns200()
    {
        using var response = await _http.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StaticAsset_Anonymous_Returns200()
    {
        using var response = await _http.GetAsync(new Uri("css/portal.css", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ApiToken_ActiveThenRevoked_Returns200Then401()
    {
        var (token, row) = await AddTokenAsync("api-revoke", DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(HttpStatusCode.OK, await GetModelsAsync(token));

        var store = server.Services.GetRequiredService<IApiTokenStore>();
        Assert.True(await store.RevokeAsync(row.UserId, row.Id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetModelsAsync(token));
        AssertNotLogged(token);
    }

    [Fact]
    public async Task ApiToken_Expired_Returns401()
    {
        var (token, _) = await AddTokenAsync("api-expired", DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetModelsAsync(token));
        AssertNotLogged(token);
    }

    [Fact]
    public async Task ApiToken_Unknown_Returns401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await GetModelsAsync(ApiTokens.Prefix + "NotATokenThePortalIssued0000000000000000000"));
    }

    [Fact]
    public async Task ProviderAccessToken_ForTheApiAudience_Returns200()
    {
        var token = await server.Provider.ClientCredentialsTokenAsync(_http, OidcProviderFixture.ApiAudience);

        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(HttpStatusCode.OK, await GetModelsAsync(token));
        AssertNotLogged(token);
    }

    [Fact]
    public async Task ProviderAccessToken_NotForTheApi_Returns401()
    {
        // Without a resource the provider issues an opaque token (for its own userinfo endpoint), not one for the portal.
        var token = await server.Provider.ClientCredentialsTokenAsync(_http, resource: null);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetModelsAsync(token));
    }

    private async Task<HttpStatusCode> GetModelsAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/models", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A user who signed in once and a personal API token of theirs, stored as the portal stores them (a hash).</summary>
    private async Task<(string Token, ApiTokenRow Row)> AddTokenAsync(string login, DateTimeOffset expiresUtc)
    {
        var userId = $"oidc:{login}-{Guid.NewGuid():N}";
        var directory = server.Services.GetRequiredService<IUserDirectoryStore>();
        await directory.RecordSignInAsync(userId, $"{login}@example.test", login, "Reader", CancellationToken.None);

        var token = ApiTokens.Prefix + Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray())
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var row = await server.Services.GetRequiredService<IApiTokenStore>().AddAsync(new ApiTokenRow
        {
            UserId = userId,
            Name = login,
            Hash = ApiTokens.Hash(token),
            Prefix = token[..8],
            CreatedUtc = expiresUtc.AddDays(-30),
            ExpiresUtc = expiresUtc,
        }, CancellationToken.None);
        return (token, row);
    }

    private void AssertNotLogged(string secret)
    {
        Assert.DoesNotContain(server.Logs, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs, line => line.Contains(server.Provider.ClientSecret, StringComparison.Ordinal));
    }
}
