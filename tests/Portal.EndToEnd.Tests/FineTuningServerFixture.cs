namespace Portal.EndToEnd.Tests;

/// <summary>
/// A portal with a fine-tuning peer on loopback (the OpenAI-compatible peer's files and fine-tuning API, which also
/// answers chat for the models it fine-tuned) and two connections to it declared in configuration: one in the OpenAI
/// style, one in the Azure OpenAI style. <c>StopPortalAsync</c> and <c>StartPortalAsync</c> restart the portal
/// while the peer's jobs go on.
/// </summary>
public sealed class FineTuningServerFixture : PortalServerFixture
{
    public const string OpenAIConnection = "openai-ft";
    public const string AzureConnection = "aoai-ft";
    public const string PeerKey = "sk-e2e-fine-tuning-key-8K3W";

    public Portal.TestPeers.OpenAiPeer Peer { get; private set; } = default!;

    protected override async Task BeforeBuildAsync()
    {
        Peer = await Portal.TestPeers.OpenAiPeer.StartAsync(PeerKey);
        Peer.TokenDelay = TimeSpan.FromMilliseconds(20);
        Peer.FineTuningStepInterval = TimeSpan.FromMilliseconds(500);
        Peer.FineTuningSteps = 9;
    }

    protected override IEnumerable<string> ExtraArgs() =>
    [
        $"--Portal:Connections:0:Name={OpenAIConnection}",
        "--Portal:Connections:0:Kind=OpenAI",
        $"--Portal:Connections:0:Endpoint={Peer.V1.AbsoluteUri}",
        $"--Portal:Connections:0:ApiKey={PeerKey}",
        "--Portal:Connections:0:Models:0=gpt-4o-mini",
        "--Portal:Connections:0:Models:1=gpt-4o",
        $"--Portal:Connections:1:Name={AzureConnection}",
        "--Portal:Connections:1:Kind=AzureOpenAI",
        $"--Portal:Connections:1:Endpoint={new Uri(Peer.BaseUrl, "openai/v1/").AbsoluteUri}",
        $"--Portal:Connections:1:ApiKey={PeerKey}",
        "--Portal:Connections:1:Models:0=gpt-4o-mini",
        "--Portal:FineTuning:PollInterval=00:00:00.300",
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Peer is not null)
        {
            await Peer.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FineTuningServerGroup : ICollectionFixture<FineTuningServerFixture>
{
    public const string Name = "Portal server with a fine-tuning peer";
}
