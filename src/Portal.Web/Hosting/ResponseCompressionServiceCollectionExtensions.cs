using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Portal.Web.Hosting;

/// <summary>
/// Brotli (preferred) and gzip for what the portal generates: pages, JSON, CSV and text. Static assets are not touched
/// here: MapStaticAssets serves them precompressed at build time (their responses already carry Content-Encoding, which
/// this middleware leaves alone).
/// </summary>
internal static class ResponseCompressionServiceCollectionExtensions
{
    public static IServiceCollection AddPortalResponseCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            // Also over HTTPS (BREACH): the secrets a page carries, the antiforgery token and Blazor's component
            // descriptors and state, are Data Protection payloads encrypted afresh (random IV) for every response, so no
            // secret repeats across responses for a compression oracle to guess byte by byte. Keys, tokens and connection
            // secrets never reach a page or an API answer (they are write-only), and session cookies travel in headers,
            // which HTTP compression does not cover.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["text/csv", "application/problem+json", "image/svg+xml"]);
            // Streamed answers flush every token and must reach the browser at once: never buffered in a compressor.
            options.ExcludedMimeTypes = ["text/event-stream"];
        });
        // Fastest: a page compresses in well under a millisecond, and 85–90 % of its size is gone already.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }
}
