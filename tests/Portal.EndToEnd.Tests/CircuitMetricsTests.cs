using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Observability;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A page opened in Chromium counts as an open circuit on the portal's meter (<c>portal.circuits.open</c>) and leaving
/// it closes the circuit again. Only this portal's meter is listened to (its <see cref="IMeterFactory"/>), and the portal
/// is this class's own, so no other test's circuits come and go meanwhile.
/// </summary>
public sealed class CircuitMetricsTests(PortalServerFixture server) : PortalPageTest(server), IClassFixture<PortalServerFixture>
{
    [Fact]
    public async Task OpenAPage_CountsACircuit_LeaveIt_TheCountGoesBack()
    {
        var factory = Server.Services.GetRequiredService<IMeterFactory>();
        long open = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == PortalMetrics.OpenCircuitsName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref open, value));
        listener.Start();

        await OpenInteractiveAsync("models");
        await WaitForAsync(() => Interlocked.Read(ref open) == 1, "The open circuit was not counted.");

        await Page.GotoAsync("about:blank"); // the page goes away: Blazor tells the server, which closes the circuit
        await WaitForAsync(() => Interlocked.Read(ref open) == 0, "The closed circuit was not counted down.");
    }

    private static async Task WaitForAsync(Func<bool> condition, string message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, message);
            await Task.Delay(50);
        }
    }
}
