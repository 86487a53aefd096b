using System.Diagnostics;
using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Layout;

/// <summary>
/// Shows a friendly message with a correlation id instead of the exception; the exception goes to the log under that id.
/// </summary>
public sealed partial class PortalErrorBoundary
{
    [Inject]
    public required ILogger<PortalErrorBoundary> Logger { get; init; }

    public string? CorrelationId { get; private set; }

    protected override Task OnErrorAsync(Exception exception)
    {
        CorrelationId = NewCorrelationId();
        Logger.LogError(exception, "Unhandled error in a page, correlation id {CorrelationId}", CorrelationId);
        return Task.CompletedTask;
    }

    internal static string NewCorrelationId() =>
        Activity.Current?.TraceId.ToHexString()[..12] ?? Guid.NewGuid().ToString("N")[..12];
}
