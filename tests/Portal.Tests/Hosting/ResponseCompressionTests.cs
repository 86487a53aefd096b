using System.Net;
using System.Net.Http.Headers;

namespace Portal.Tests.Hosting;

/// <summary>Pages and JSON go out compressed when the client accepts it (Brotli first, then gzip), and plain otherwise.</summary>
public sealed class ResponseCompressionTests
{
    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, params string[] encodings)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        foreach (var encoding in encodings)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        }

        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("/models")]
    [InlineData("/api/models")]
    public async Task Get_AcceptsBrotliAndGzip_AnswersBrotli_VaryingByAcceptEncoding(string path)
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await GetAsync(client, path, "gzip", "br");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
    }

    [Fact]
    public async Task Get_AcceptsGzipOnly_AnswersGzip_ThatDecompressesToThePage()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        using var plain = await GetAsync(client, "/models");
        var plainLength = (await plain.Content.ReadAsByteArrayAsync()).Length;

        using var response = await GetAsync(client, "/models", "gzip");
        var compressed = await response.Content.ReadAsByteArrayAsync();
        await using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var html = await reader.ReadToEndAsync();

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.True(compressed.Length * 4 < plainLength, $"gzip {compressed.Length} bytes against {plainLength} plain.");
    }

    [Fact]
    public async Task Get_NoAcceptEncoding_AnswersPlain()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await GetAsync(client, "/models");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("<h1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_LinksMudBlazorFilesByTheirCompressedPlainRoutes_AndTheLogoOnce()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var html = await client.GetStringAsync(new Uri("/models", UriKind.Relative));

        // The package's fingerprinted routes have no Brotli/gzip variants (627 KB instead of 42 KB for the stylesheet).
        Assert.Contains("href=\"_content/MudBlazor/MudBlazor.min.css\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"_content/MudBlazor/MudBlazor.min.js\"", html, StringComparison.Ordinal);
        // The favicon and the brand image are one fetch: both use the fingerprinted route.
        Assert.DoesNotContain("\"img/logo.svg\"", html, StringComparison.Ordinal);
    }
}
