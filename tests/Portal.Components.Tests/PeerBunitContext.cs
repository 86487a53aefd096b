using Portal.TestPeers;
using Portal.Web.Connections;

namespace Portal.Components.Tests;

/// <summary>
/// A bUnit context whose playground talks to a real OpenAI-compatible peer on loopback, started for each test, with
/// the connections the test declares (given the peer) as if they were in configuration.
/// </summary>
public abstract class PeerBunitContext : PortalBunitContext, IAsyncLifetime
{
    protected PeerBunitContext(string? key, Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections)
        : this(OpenAiPeer.StartAsync(key).GetAwaiter().GetResult(), connections)
    {
    }

    private PeerBunitContext(OpenAiPeer peer, Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections)
        : base(configure: null, settings: ConnectionSettings(connections(peer)))
    {
        Peer = peer;
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected OpenAiPeer Peer { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Peer.DisposeAsync();
    }
}
