using System.Net;
using Microsoft.Extensions.Options;
using Portal.Tests.Support;

namespace Portal.Tests.Hosting;

public sealed class PortalHostTests
{
    [Fact]
    public async Task Healthz_Running_ReportsHealthy()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthzReady_StoreGone_ReportsUnhealthyWhileLivenessStaysUp()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(host.StoreFolder, recursive: true);

        var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Home_Prerendered_ShowsShellAndNavigation()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Model Catalog Portal", html, StringComparison.Ordinal);
        foreach (var nav in new[] { "Catalog", "Benchmarks", "Playground", "Deployments", "Settings" })
        {
            Assert.Contains($"<span class=\"rz-navigation-item-text\">{nav}</span>", html, StringComparison.Ordinal);
        }

        Assert.Contains("_framework/blazor.web", html, StringComparison.Ordinal);
        Assert.Contains("components-reconnect-modal", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/playground/chat")]
    [InlineData("/models")]
    [InlineData("/settings/connections")]
    public async Task Prerendered_Page_DisablesItsControlsUntilTheCircuitIsUp(string path)
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.Matches("<fieldset class=\"portal-page\"[^>]* disabled", html);
        Assert.Contains("aria-busy=\"true\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no/such/page", "Page not found")]
    [InlineData("/models/unknown-id", "Model not found")]
    public async Task UnknownAddress_Returns404WithThePortalsOwnPage(string path, string heading)
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(heading, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThemeCookie_Dark_IsAppliedInTheFirstPaint()
    {
        var html = await HomeWithThemeCookieAsync("material-dark");

        Assert.Contains("css/material-dark-base.css", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Switch to light theme\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThemeCookie_Tampered_FallsBackToLightTheme()
    {
        var html = await HomeWithThemeCookieAsync("%22%3E%3Cscript%3E");

        Assert.Contains("css/material-base.css", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgreSqlWithoutConnectionString_FailsNamingTheSetting()
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, "--Portal:Storage:Provider=PostgreSQL");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Portal:Storage:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownStorageProvider_FailsNamingTheSetting()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<InvalidOperationException>(() => PortalHost.Build(temp, "--Portal:Storage:Provider=Oracle"));

        Assert.Contains("Portal:Storage:Provider", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> HomeWithThemeCookieAsync(string cookieValue)
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", "portal-theme=" + cookieValue);
        return await (await client.SendAsync(request)).Content.ReadAsStringAsync();
    }
}
