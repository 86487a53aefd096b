using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Hosting;

/// <summary>One client may run only Portal:Exports:MaxConcurrentPerClient exports at once; one more is refused at once.</summary>
public sealed class ExportLimitTests
{
    [Fact]
    public async Task SecondExport_WhileTheFirstStreams_Is429WithProblemAndRetryAfter_ThenSucceedsOnceItIsDone()
    {
        await using var host = await PortalHost.StartAsync("--Portal:Exports:MaxConcurrentPerClient=1");
        // Megabytes of export: the unread body fills the test server's pipe, so the first export waits, still running.
        await LargeCatalog.ImportAsync(host.App, 1_500);
        using var client = host.CreateClient();
        using var first = await client.GetAsync(new Uri("/api/models/export.json", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await client.GetAsync(new Uri("/api/models/export.csv", UriKind.Relative));
        using var benchmarks = await client.GetAsync(new Uri("/api/benchmarks/export.csv", UriKind.Relative));
        using var list = await client.GetAsync(new Uri("/api/models?pageSize=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("Too many exports at once from this client", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {second.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, benchmarks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        // The first export runs to its end; then the client may export again.
        using (var document = await JsonDocument.ParseAsync(await first.Content.ReadAsStreamAsync()))
        {
            Assert.True(document.RootElement.GetProperty("models").GetArrayLength() > 1_500);
        }

        using var third = await client.GetAsync(new Uri("/api/models/export.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task Export_FromAnotherClient_IsNotHeldBackByTheFirstClientsExport()
    {
        await using var host = await PortalHost.StartAsync("--Portal:Exports:MaxConcurrentPerClient=1");
        await LargeCatalog.ImportAsync(host.App, 1_500);
        using var client = host.CreateClient();
        using var first = await client.GetAsync(new Uri("/api/models/export.json", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var other = await host.App.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Host = new HostString("localhost");
            context.Request.Path = "/api/models/export.csv";
            context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
        });

        Assert.Equal(StatusCodes.Status200OK, other.Response.StatusCode);
    }

    [Fact]
    public async Task Export_ClientLeavesMidway_FreesItsPermitWithoutLoggingAFailure()
    {
        using var temp = new TempDirectory();
        var logs = new CapturingLoggerProvider();
        await using var app = PortalHost.Build(temp, logs, "--Portal:Exports:MaxConcurrentPerClient=1");
        await app.StartAsync();
        await LargeCatalog.ImportAsync(app, 1_500);
        using var client = app.GetTestClient();
        var first = await client.GetAsync(new Uri("/api/models/export.json", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        first.Dispose();

        // The export notices the client has gone and ends; until then its permit refuses the next export.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode next;
        do
        {
            using var response = await client.GetAsync(new Uri("/api/benchmarks/export.csv", UriKind.Relative));
            next = response.StatusCode;
        }
        while (next == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, next);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Export /api/models/export.json failed", StringComparison.Ordinal));
        await app.StopAsync();
    }
}
