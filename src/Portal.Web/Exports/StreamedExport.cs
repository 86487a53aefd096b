using Microsoft.Net.Http.Headers;

namespace Portal.Web.Exports;

/// <summary>
/// An export written straight to the response body as it is produced (chunked, never held whole in memory), as an
/// attachment. A failure before the first byte is answered with a 500 ProblemDetails; once bytes have gone out the
/// connection is aborted, so the client sees a failed download rather than a file with something appended to it.
/// </summary>
internal sealed partial class StreamedExport(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) : IResult
{
    public string ContentType { get; } = contentType;

    public string FileName { get; } = fileName;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(FileName);
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = disposition.ToString();

        try
        {
            await write(response.Body, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (Kestrel may report it as a cancellation or as a failed write); no one is left to answer.
        }
        catch (Exception ex) when (!response.HasStarted)
        {
            LogFailedBeforeStart(Logger(httpContext), ex, httpContext.Request.Path);
            response.Headers.ContentDisposition = default;
            response.ContentType = null;
            await TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "The export failed",
                detail: "The export could not be written. Try again; if it keeps failing, tell the portal's operator the time it happened.")
                .ExecuteAsync(httpContext);
        }
        catch (Exception ex)
        {
            LogFailedWhileStreaming(Logger(httpContext), ex, httpContext.Request.Path);
            httpContext.Abort();
        }
    }

    private static ILogger Logger(HttpContext httpContext) =>
        httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<StreamedExport>();

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {Path} failed before its first byte; answered with a problem")]
    private static partial void LogFailedBeforeStart(ILogger logger, Exception exception, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {Path} failed while streaming; the connection was aborted")]
    private static partial void LogFailedWhileStreaming(ILogger logger, Exception exception, PathString path);
}
