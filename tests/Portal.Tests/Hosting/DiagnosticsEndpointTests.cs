using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Portal.Tests.Hosting;

/// <summary>The memory endpoint the load harness reads (bench/, <c>-- --circuits</c>): off by default, loopback only.</summary>
public sealed class DiagnosticsEndpointTests
{
    private const string Path = "/_diagnostics/memory";

    private static Task<HttpContext> GetAsync(PortalHost host, IPAddress? from, string? forwardedFor = null) =>
        host.App.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = Path;
            context.Connection.RemoteIpAddress = from;
            if (forwardedFor is not null)
            {
                context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        });

    [Fact]
    public async Task Memory_SettingAbsent_NotFoundEvenFromLoopback()
    {
        await using var host = await PortalHost.StartAsync();

        var context = await GetAsync(host, IPAddress.Loopback);

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
    }

    [Fact]
    public async Task Memory_OnFromLoopback_ReportsHeapAndResidentSet()
    {
        await using var host = await PortalHost.StartAsync("--Portal:Diagnostics:MemoryEndpoint=true");

        var context = await GetAsync(host, IPAddress.IPv6Loopback);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.True(json.RootElement.GetProperty("gcHeapBytes").GetInt64() > 1_000_000);
        Assert.True(json.RootElement.GetProperty("residentSetBytes").GetInt64() > json.RootElement.GetProperty("gcHeapBytes").GetInt64());
        Assert.Equal(Environment.ProcessId, json.RootElement.GetProperty("processId").GetInt32());
    }

    [Theory]
    [InlineData("10.1.2.3", null)]
    [InlineData("192.168.0.7", null)]
    [InlineData("127.0.0.1", "203.0.113.9")]
    public async Task Memory_OnFromElsewhere_Refused(string from, string? forwardedFor)
    {
        await using var host = await PortalHost.StartAsync("--Portal:Diagnostics:MemoryEndpoint=true");

        var context = await GetAsync(host, IPAddress.Parse(from), forwardedFor);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
    }

    [Fact]
    public async Task Memory_On_NotInTheApiDescription()
    {
        await using var host = await PortalHost.StartAsync("--Portal:Diagnostics:MemoryEndpoint=true");
        using var client = host.CreateClient();

        var description = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Contains("/api/models", description, StringComparison.Ordinal);
        Assert.DoesNotContain("_diagnostics", description, StringComparison.Ordinal);
    }
}
