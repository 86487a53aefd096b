using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Export;
using Portal.Catalog.Facts;
using Portal.Catalog.Sources;
using Portal.Tests.Support;
using Portal.Web.Benchmarks;
using Portal.Web.Catalog;

namespace Portal.Tests.Hosting;

/// <summary>Exports go to the client as they are written, in small pieces, with the same bytes as the in-memory writers.</summary>
public sealed class ExportStreamingTests
{
    private const int LargeCatalogModels = 1_500;

    /// <summary>The biggest single write a streamed export may make: two of the exporter's chunks, far below a whole export.</summary>
    private const int MaxWriteBytes = 2 * CatalogExporter.ChunkBytes;

    [Theory]
    [InlineData("/api/models/export.json")]
    [InlineData("/api/models/export.csv")]
    public async Task Export_LargeCatalog_IsStreamedInSmallWritesWithoutContentLength(string path)
    {
        var recorder = new ResponseWriteRecorder(path);
        await using var host = await PortalHost.StartAsync(builder => builder.Services.AddSingleton<IStartupFilter>(recorder));
        await LargeCatalog.ImportAsync(host.App, LargeCatalogModels);
        using var client = host.CreateClient();

        // Headers first: reading the whole body into HttpClient's buffer would give it a Content-Length of its own.
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var contentLength = response.Content.Headers.ContentLength;
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.Length > 1_000_000, $"the export of {LargeCatalogModels} models is only {body.Length} bytes");
        var writes = recorder.WritesTo(path);
        Assert.Equal(body.Length, writes.Sum());
        Assert.True(writes.Max() <= MaxWriteBytes, $"one write of {writes.Max()} bytes out of {body.Length}: the export was buffered");
        Assert.Null(contentLength);
    }

    [Fact]
    public async Task ExportJson_LargeCatalog_IsACatalogFileWithEveryModel()
    {
        await using var host = await PortalHost.StartAsync();
        await LargeCatalog.ImportAsync(host.App, LargeCatalogModels);
        using var client = host.CreateClient();
        var total = (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/models?pageSize=1", UriKind.Relative))).GetProperty("total").GetInt32();

        var json = await client.GetStringAsync(new Uri("/api/models/export.json", UriKind.Relative));

        var read = CatalogFileReader.Read(json, EmbeddedCatalogSource.Provenance);
        Assert.True(read.IsValid, string.Join("; ", read.Errors.Take(5)));
        Assert.True(total > LargeCatalogModels, $"the catalog has {total} models");
        Assert.Equal(total, read.Models.Count);
    }

    [Fact]
    public async Task ExportJson_EmbeddedCatalog_IsTheInMemoryWritersBytesAsAnAttachment()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        using var expected = new MemoryStream();
        CatalogExporter.WriteJson(expected, AllModels(host));

        using var response = await client.GetAsync(new Uri("/api/models/export.json", UriKind.Relative));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("catalog.json", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(expected.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ExportCsv_EmbeddedCatalog_IsTheInMemoryWritersBytesAsAnAttachment()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        var expected = Encoding.UTF8.GetBytes(CatalogExporter.ToCsv(AllModels(host)));

        using var response = await client.GetAsync(new Uri("/api/models/export.csv", UriKind.Relative));

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("catalog.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ExportBenchmarksCsv_IsTheInMemoryWritersBytesAsAnAttachment()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        var view = BenchmarkApi.BuildView([], host.App.Services.GetRequiredService<ICatalogService>(), BenchmarkData.Embedded);
        var expected = Encoding.UTF8.GetBytes(CatalogExporter.ToCsv(view.TableText()));

        using var response = await client.GetAsync(new Uri("/api/benchmarks/export.csv", UriKind.Relative));

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("benchmarks.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Every model, in the order the export endpoints use when no filter is given.</summary>
    private static IReadOnlyList<CatalogModel> AllModels(PortalHost host)
    {
        var index = host.App.Services.GetRequiredService<ICatalogService>().Current;
        return index.AllMatches(CatalogApi.Parse([], index, keepUnknownValues: true).Query);
    }
}
