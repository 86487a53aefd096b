using System.Net;
using Microsoft.AspNetCore.TestHost;
using Portal.Tests.Hosting;
using Portal.Tests.Support;

namespace Portal.Tests.Security;

/// <summary>Only the hosts the portal is meant to be reached by are served, so DNS rebinding gets nothing.</summary>
public sealed class HostFilteringTests
{
    private static async Task<HttpStatusCode> GetAsync(string host, params string[] settings)
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, settings);
        await app.StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/healthz", UriKind.Relative));
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        await app.StopAsync();
        return response.StatusCode;
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5080")]
    [InlineData("localhost.evil.example")]
    public async Task Request_ForeignHost_IsRefused(string host)
    {
        Assert.Equal(HttpStatusCode.BadRequest, await GetAsync(host));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5080")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    public async Task Request_LoopbackHost_IsServedByDefault(string host)
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync(host));
    }

    [Fact]
    public async Task Request_HostOfConfiguredUrl_IsServed()
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync("portal.internal:8080", "--Urls=http://portal.internal:8080"));
        Assert.Equal(HttpStatusCode.BadRequest, await GetAsync("evil.example:8080", "--Urls=http://portal.internal:8080"));
    }

    [Fact]
    public async Task Request_ExplicitAllowedHosts_AreHonoured()
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync("portal.example.com", "--AllowedHosts=portal.example.com"));
        Assert.Equal(HttpStatusCode.BadRequest, await GetAsync("localhost", "--AllowedHosts=portal.example.com"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("anything.example", "--AllowedHosts=*"));
    }
}
