using System.Globalization;
using System.Text;
using Portal.Web.Exports;
using Portal.Web.Hosting;

namespace Portal.Web.Access;

/// <summary><c>/api/audit/export.csv</c>: the audit log as CSV with the filters of Settings → Audit. Owners only.</summary>
public static class AuditApi
{
    public const string ExportPath = "/api/audit/export.csv";

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, async (HttpContext context, string? from, string? to, string? user, string? action, string? outcome,
                AccessControl access, AuditReader reader, TimeProvider time) =>
            {
                var filter = AuditFilter.Parse(from, to, user, action, outcome);
                try
                {
                    // Checked before the first byte: once the file streams, a refusal could only abort the download.
                    await access.DemandAsync(PortalAction.ReadAuditLog, "audit-log", context.RequestAborted);
                }
                catch (PortalAccessDeniedException ex)
                {
                    return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: ex.Message);
                }

                if (AuditFilter.Problems(from, to, action, outcome) is { Count: > 0 } problems)
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The filters are not valid", detail: string.Join(" ", problems));
                }

                return (IResult)new StreamedExport("text/csv; charset=utf-8", string.Create(CultureInfo.InvariantCulture, $"audit-{time.GetUtcNow():yyyyMMdd}.csv"), async (body, cancellationToken) =>
                {
                    await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
                    await reader.ExportCsvAsync(filter.ToQuery(), writer, cancellationToken);
                    await writer.FlushAsync(cancellationToken);
                });
            })
            .RequireRateLimiting(ExportServiceCollectionExtensions.ExportPolicy)
            .WithTags("Audit")
            .WithName("ExportAuditCsv")
            .WithSummary("The audit log as CSV, newest first, streamed (Owners only)")
            .WithDescription("from, to: ISO dates (UTC days, both included); user: part of a user's id or name; action: a portal action, SignIn or SignOut; outcome: Succeeded, Failed or Denied. A value that is none of these → 400 problem details.");
        return endpoints;
    }
}
