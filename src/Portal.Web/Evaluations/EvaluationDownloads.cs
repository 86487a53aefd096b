using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Portal.Web.Access;
using Portal.Web.Hosting;

namespace Portal.Web.Evaluations;

/// <summary>
/// The files the evaluation pages offer: a dataset version exactly as stored, and a run's summary and rows as CSV or
/// JSON. Any signed-in person may read them (datasets and runs are the team's), as the pages show them.
/// </summary>
public static class EvaluationDownloads
{
    public static IEndpointRouteBuilder MapEvaluationDownloads(this IEndpointRouteBuilder endpoints)
    {
        // [FromServices]: the services are registered with the evaluation engine; the attribute keeps these endpoints
        // from ever reading them from a request body.
        endpoints.MapGet("/evaluations/datasets/{id:guid}/versions/{version:int}/download",
                async (Guid id, int version, [FromServices] IDatasetService datasets, HttpContext context) =>
                    await FileOrProblemAsync(() => datasets.DownloadAsync(id, version, context.RequestAborted), "dataset version", context))
            .RequireRateLimiting(ExportServiceCollectionExtensions.ExportPolicy)
            .ExcludeFromDescription();

        endpoints.MapGet("/evaluations/{id:guid}/export.{format}",
                async (Guid id, string format, [FromServices] IEvaluationService evaluations, HttpContext context) =>
                    format is "csv" or "json"
                        ? await FileOrProblemAsync(() => evaluations.ExportAsync(id, format, context.RequestAborted), "evaluation", context)
                        : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown format", detail: "An evaluation exports as csv or json."))
            .RequireRateLimiting(ExportServiceCollectionExtensions.ExportPolicy)
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> FileOrProblemAsync(Func<Task<DatasetDownload?>> read, string what, HttpContext context)
    {
        try
        {
            if (await read() is not { } file)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no such {what}; it may have been deleted.");
            }

            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(file.FileName);
            context.Response.Headers.ContentDisposition = disposition.ToString();
            return Results.Bytes(file.Content, file.ContentType);
        }
        catch (PortalAccessDeniedException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EvaluationDownloads)).LogError(ex, "Download of a {What} failed", what);
            return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The download failed",
                detail: "The file could not be read from the store. Try again; if it keeps failing, tell the portal's operator the time it happened.");
        }
    }
}
