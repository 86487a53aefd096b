using System.Globalization;
using System.Net;
using System.Runtime;

namespace Portal.Web.Hosting;

/// <summary>
/// <c>GET /_diagnostics/memory</c>: the server's memory after a forced, blocking, compacting full collection, for the
/// load harness (bench/, <c>-- --circuits</c>) to divide by the circuits it holds. Off unless
/// <c>Portal:Diagnostics:MemoryEndpoint=true</c> (then 404, as any unknown address); answers only a request made on the
/// machine itself (loopback, and not relayed by a proxy), 403 otherwise. Not in the HTTP API description: it is no API.
/// A collection stops the whole process for a moment, which is why nobody else may ask for one.
/// </summary>
internal static class DiagnosticsEndpoints
{
    public const string MemoryPath = "/_diagnostics/memory";
    public const string MemoryEndpointSetting = "Portal:Diagnostics:MemoryEndpoint";

    public static WebApplication MapPortalDiagnostics(this WebApplication app)
    {
        // The setting is read per request (not while the pipeline is built), so the endpoint exists either way and
        // answers 404 while it is off.
        app.MapGet(MemoryPath, (HttpContext context, IConfiguration configuration) =>
        {
            if (!configuration.GetValue<bool>(MemoryEndpointSetting))
            {
                return Results.NotFound();
            }

            if (!IsLocal(context))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            // Twice around the finalizers: what they release is collected by the second pass.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            return Results.Json(new MemoryReport(GC.GetTotalMemory(forceFullCollection: false), info.HeapSizeBytes, ResidentSetBytes(), Environment.ProcessId));
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>From the machine itself: a loopback peer and no forwarding header (a proxy on the same host relays others).</summary>
    internal static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For") && !context.Request.Headers.ContainsKey("Forwarded");

    /// <summary>VmRSS from /proc/self/status on Linux (what the kernel charges the process), the working set elsewhere.</summary>
    private static long ResidentSetBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return Environment.WorkingSet;
    }

    internal sealed record MemoryReport(long GcHeapBytes, long GcHeapSizeBytes, long ResidentSetBytes, int ProcessId);
}
