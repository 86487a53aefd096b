using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.FineTuning;
using Portal.TestPeers;
using Portal.Web.Connections;
using Portal.Web.Hosting;

namespace Portal.Components.Tests.FineTuning;

/// <summary>
/// A bUnit context with the portal's fine-tuning services (the real service, client and follower's reading) against a
/// fine-tuning peer on loopback, jobs kept in memory, and the connections the test class declares.
/// </summary>
public abstract class FineTuningBunitContext : PortalBunitContext, IAsyncLifetime
{
    public const string Key = "sk-bunit-fine-tuning-3D9F";

    protected FineTuningBunitContext(Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections)
        : this(OpenAiPeer.StartAsync(Key).GetAwaiter().GetResult(), new MemoryFineTuningStore(), connections)
    {
    }

    private FineTuningBunitContext(OpenAiPeer peer, MemoryFineTuningStore store, Func<OpenAiPeer, IEnumerable<ConfiguredConnection>> connections)
        : base(services => AddFineTuning(services, store), ConnectionSettings(connections(peer)))
    {
        Peer = peer;
        Jobs = store;
        Peer.FineTuningStepInterval = TimeSpan.FromMinutes(5); // jobs stay where the test puts them
    }

    protected OpenAiPeer Peer { get; }

    protected MemoryFineTuningStore Jobs { get; }

    private static void AddFineTuning(IServiceCollection services, MemoryFineTuningStore store)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:FineTuning:PollInterval"] = "00:00:01" }).Build();
        services.AddFineTuningJobs(configuration);
        services.AddSingleton<IFineTuningStore>(store);
    }

    protected static ConfiguredConnection OpenAI(OpenAiPeer peer, string name = "openai-ft") =>
        new() { Name = name, Kind = "OpenAI", Endpoint = peer.V1.AbsoluteUri, ApiKey = Key, Models = ["gpt-4o-mini-2024-07-18", "gpt-4o"] };

    public Task InitializeAsync() => Task.CompletedTask;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Peer.DisposeAsync();
    }
}
