using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Portal.Catalog;
using Portal.Catalog.Export;
using Portal.Catalog.Sources;
using Portal.Web.Exports;

namespace Portal.Tests.Hosting;

/// <summary>How a streamed export fails: a problem before its first byte, an aborted connection after it.</summary>
public sealed class StreamedExportTests : IAsyncLifetime
{
    private const string Secret = "connection string Password=hunter2";
    private WebApplication _app = default!;
    private HttpClient _client = default!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        _app = builder.Build();
        _app.MapGet("/fails-at-once", () => new StreamedExport("text/csv; charset=utf-8", "x.csv", (_, _) => throw new InvalidOperationException(Secret)));
        _app.MapGet("/fails-midway", () => new StreamedExport("text/csv; charset=utf-8", "x.csv", async (body, cancellationToken) =>
        {
            await body.WriteAsync("id,name\n"u8.ToArray(), cancellationToken);
            await body.FlushAsync(cancellationToken);
            throw new InvalidOperationException(Secret);
        }));
        _app.MapGet("/catalog-fails-early", () => new StreamedExport("application/json", "catalog.json", (body, cancellationToken) =>
            CatalogExporter.WriteJsonAsync(body, FailingAfter(3), cancellationToken)));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("/fails-at-once")]
    [InlineData("/catalog-fails-early")]
    public async Task Export_FailsBeforeTheFirstByte_Is500ProblemWithoutTheExceptionOrAnAttachment(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentDisposition);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("models", text, StringComparison.Ordinal);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal("The export failed", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Export_FailsAfterTheFirstByte_AbortsTheDownloadInsteadOfEndingIt()
    {
        using var response = await _client.GetAsync(new Uri("/fails-midway", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var read = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());

        // The test server reports the aborted request as a broken copy of the body, as a real client would see a reset.
        var failure = Assert.IsType<HttpRequestException>(read);
        Assert.IsType<IOException>(failure.InnerException);
        Assert.DoesNotContain("hunter2", failure.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The embedded models, then a failure (as if the catalog changed under the export) after <paramref name="count"/>.</summary>
    private static IEnumerable<CatalogModel> FailingAfter(int count)
    {
        foreach (var model in EmbeddedCatalogSource.Models.Take(count))
        {
            yield return model;
        }

        throw new InvalidOperationException(Secret);
    }
}
