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
        foreach (var (nav, href) in new[] { ("Catalog", "models"), ("Benchmarks", "benchmarks"), ("Playground", "playground"), ("Deployments", "deployments"), ("Settings", "settings") })
        {
            Assert.Matches($"<a href=\"{href}\"[^>]*>(?:(?!</a>).)*{nav}(?:(?!</a>).)*</a>", html);
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

    // The dark palette's page background (PortalThemes), as the theme provider writes it into the first paint.
    private const string DarkBackground = "--mud-palette-background: rgba(18,19,22,1)";

    [Theory]
    [InlineData("portal-theme=dark", null)]
    [InlineData("portal-theme=material-dark", null)] // an earlier version's cookie
    [InlineData(null, "\"dark\"")] // no choice yet: the system's setting, from the browser's client hint
    public async Task FirstPaint_Dark_FromTheCookieOrTheSystemSetting(string? cookie, string? prefersColorScheme)
    {
        var html = await HomeAsync(cookie, prefersColorScheme);

        Assert.Contains(DarkBackground, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("portal-theme=light", "\"dark\"")] // the user's choice wins over the system's setting
    [InlineData("portal-theme=%22%3E%3Cscript%3E", null)] // tampered: the system's setting (light here)
    [InlineData(null, null)]
    public async Task FirstPaint_Light_WhenChosenOrTheSystemIsLight(string? cookie, string? prefersColorScheme)
    {
        var html = await HomeAsync(cookie, prefersColorScheme);

        Assert.DoesNotContain(DarkBackground, html, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-background: rgba(246,247,249,1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_AskForTheSystemColourSchemeHint()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal("Sec-CH-Prefers-Color-Scheme", Assert.Single(response.Headers.GetValues("Accept-CH")));
        Assert.Contains("Sec-CH-Prefers-Color-Scheme", response.Headers.Vary);
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

    private static async Task<string> HomeAsync(string? cookie, string? prefersColorScheme)
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (prefersColorScheme is not null)
        {
            request.Headers.Add("Sec-CH-Prefers-Color-Scheme", prefersColorScheme);
        }

        return await (await client.SendAsync(request)).Content.ReadAsStringAsync();
    }
}
