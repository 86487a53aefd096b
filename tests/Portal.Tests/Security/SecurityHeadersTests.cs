using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Tests.Hosting;

namespace Portal.Tests.Security;

/// <summary>Pages and API answers carry a content security policy and the usual hardening headers.</summary>
public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/models")]
    [InlineData("/api/models")]
    [InlineData("/api/models/no-such-model")]
    [InlineData("/no-such-page")]
    [InlineData("/healthz")]
    public async Task Response_Any_CarriesSecurityHeaders(string path)
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal(["'self'"], directives["base-uri"]);
        Assert.Contains("'self'", directives["connect-src"]);
        Assert.DoesNotContain(directives.Values.SelectMany(v => v), v => v is "'unsafe-eval'" or "*");
    }

    [Fact]
    public async Task Home_Prerendered_HasNoInlineScript()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        // script-src 'self' would block an inline script: every <script> has a src.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script(?<attrs>[^>]*)>");
        Assert.NotEmpty(scripts);
        Assert.All(scripts, m => Assert.Contains("src=", m.Groups["attrs"].Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CircuitOptions_AreSetExplicitly()
    {
        await using var host = await PortalHost.StartAsync();

        var options = host.App.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;

        // Below the framework's defaults (3 min, 100, 1 min, 10): a forgotten tab costs less memory for less time.
        Assert.Equal(TimeSpan.FromMinutes(2), options.DisconnectedCircuitRetentionPeriod);
        Assert.Equal(50, options.DisconnectedCircuitMaxRetained);
        Assert.Equal(TimeSpan.FromSeconds(30), options.JSInteropDefaultCallTimeout);
        Assert.Equal(10, options.MaxBufferedUnacknowledgedRenderBatches);
    }

    [Fact]
    public async Task CircuitOptions_DisconnectedLimits_FollowTheSettings()
    {
        await using var host = await PortalHost.StartAsync("--Portal:Circuits:DisconnectedMaxRetained=7", "--Portal:Circuits:DisconnectedRetentionPeriod=00:00:45");

        var options = host.App.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;

        Assert.Equal(7, options.DisconnectedCircuitMaxRetained);
        Assert.Equal(TimeSpan.FromSeconds(45), options.DisconnectedCircuitRetentionPeriod);
    }
}
