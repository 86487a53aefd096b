using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Portal.Web.Observability;

/// <summary>Counts the circuits open on this instance (<see cref="PortalMetrics.OpenCircuitsName"/>).</summary>
internal sealed class CircuitMetricsHandler(PortalMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
