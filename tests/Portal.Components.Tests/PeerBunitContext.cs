using Portal.TestPeers;
using Portal.Web.Connections;

namespace Portal.Components.Tests;

/// <summary>
/// A bUnit context whose playground talks to a real OpenAI-compatible peer on loopback, started for each test, with
/// the connections the test declares (given the peer) as if they were in configuration.
/// </summary>
public abstract class PeerBunitContext : PortalBunitContext, IAsyncLifetime
{
    /// <param name="key">The key the peer accepts (null: any).</param>
    /// <param name="connections">The connections declared in configuration, given the peer.</param>
    /// <param name="settings">More configuration for this test class (e.g. a short <c>Portal:Inference:Timeout</c>).</param>
    protected PeerBunitContext(string? key, Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections, IReadOnlyDictionary<string, string?>? settings = null)
        : this(OpenAiPeer.StartAsync(key).GetAwaiter().GetResult(), connections, settings)
    {
    }

    private PeerBunitContext(OpenAiPeer peer, Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections, IReadOnlyDictionary<string, string?>? settings)
        : base(configure: null, settings: new Dictionary<string, string?>(ConnectionSettings(connections(peer)).Concat(settings ?? new Dictionary<string, string?>())))
    {
        Peer = peer;
    }

    protected OpenAiPeer Peer { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Peer.DisposeAsync();
    }
}
