using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Portal.TestPeers;
using Portal.Web;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The real portal on Kestrel at http://127.0.0.1:0 (started in-process, store in a temp folder) and a headless
/// Debian Chromium driven by Playwright. Set PORTAL_CHROMIUM to use another Chromium binary.
/// </summary>
public class PortalServerFixture : IAsyncLifetime
{
    private readonly string _storeFolder = Path.Combine(Path.GetTempPath(), "portal-e2e-" + Guid.NewGuid().ToString("N")[..10]);
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The running portal's services (stores, options), for tests that arrange data the UI cannot.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The portal is not running.");

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Everything the portal logged, for assertions that secrets or exceptions do not leak.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {ChromiumPath}. Install it with 'apt-get install -y chromium' (the README test command does) or set PORTAL_CHROMIUM.");
        }

        await BeforeBuildAsync();
        await StartPortalAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            ],
        });
    }

    /// <summary>Builds and starts the portal (again, after <see cref="StopPortalAsync"/>: same store, a new port).</summary>
    public async Task StartPortalAsync()
    {
        _app = PortalWebApplication.Create(
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Development",
            $"--contentRoot={Path.Combine(RepositoryRoot, "src", "Portal.Web")}",
            $"--Portal:Storage:SqlitePath={Path.Combine(_storeFolder, "portal.db")}",
            .. ExtraArgs(),
        ],
        builder =>
        {
            builder.Logging.AddProvider(new CapturingLoggerProvider(Logs));
            ConfigureBuilder(builder);
        });
        AfterBuild();
        await _app.StartAsync();
        BaseUrl = _app.Urls.Single().TrimEnd('/') + "/";
        await AfterStartAsync();
    }

    /// <summary>Shuts the portal down as SIGTERM does (the host's graceful stop), and disposes it.</summary>
    public async Task StopPortalAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Runs before the portal is built (configuration is read then).</summary>
    protected virtual Task BeforeBuildAsync() => Task.CompletedTask;

    /// <summary>More configuration (<c>--Key=Value</c>).</summary>
    protected virtual IEnumerable<string> ExtraArgs() => [];

    /// <summary>Replaces services before the portal is built (outside clients the test controls).</summary>
    protected virtual void ConfigureBuilder(WebApplicationBuilder builder)
    {
    }

    /// <summary>Runs once the portal is built, before it starts.</summary>
    protected virtual void AfterBuild()
    {
    }

    /// <summary>Runs once the portal listens (<see cref="BaseUrl"/> is known).</summary>
    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await StopPortalAsync();

        if (Directory.Exists(_storeFolder))
        {
            Directory.Delete(_storeFolder, recursive: true);
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PortalServerGroup : ICollectionFixture<PortalServerFixture>
{
    public const string Name = "Portal server";
}

/// <summary>A server of its own, for tests that change the catalog (imports), so no other test sees their changes.</summary>
public sealed class WritablePortalServerFixture : PortalServerFixture;

[CollectionDefinition(Name)]
public sealed class WritablePortalServerGroup : ICollectionFixture<WritablePortalServerFixture>
{
    public const string Name = "Portal server for catalog changes";
}

/// <summary>
/// A portal with an OpenAI-compatible peer on loopback, declared the way a headless deployment would: in configuration
/// (<c>Portal:Connections:0:*</c>), given to this portal as arguments so no other portal in the test run sees it.
/// </summary>
public class PlaygroundServerFixture : PortalServerFixture
{
    public const string ConnectionName = "local-peer";
    public const string PeerKey = "sk-e2e-peer-key-7Q2Z";

    public Portal.TestPeers.OpenAiPeer Peer { get; private set; } = default!;

    protected override async Task BeforeBuildAsync()
    {
        Peer = await Portal.TestPeers.OpenAiPeer.StartAsync(PeerKey);
        Peer.TokenDelay = TimeSpan.FromMilliseconds(40);
    }

    /// <summary>A connection declared in configuration (as a headless deployment would), passed to this portal alone.</summary>
    protected override IEnumerable<string> ExtraArgs() =>
    [
        $"--Portal:Connections:0:Name={ConnectionName}",
        "--Portal:Connections:0:Kind=OpenAICompatible",
        $"--Portal:Connections:0:Endpoint={Peer.V1.AbsoluteUri}",
        $"--Portal:Connections:0:ApiKey={PeerKey}",
        "--Portal:Connections:0:Models:0=peer-chat",
        "--Portal:Connections:0:Models:1=peer-slow",
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
public sealed class PlaygroundServerGroup : ICollectionFixture<PlaygroundServerFixture>
{
    public const string Name = "Portal server with an inference peer";
}

/// <summary>A portal with an inference peer of its own, for tests that stop and restart it.</summary>
public sealed class RestartablePlaygroundServerFixture : PlaygroundServerFixture;

[CollectionDefinition(Name)]
public sealed class RestartablePlaygroundServerGroup : ICollectionFixture<RestartablePlaygroundServerFixture>
{
    public const string Name = "Portal server with an inference peer, restarted by its tests";
}

/// <summary>
/// A portal whose Azure Resource Manager is the HTTPS ARM peer (with a token the test controls) and whose deployed
/// serverless endpoints answer through the OpenAI-compatible peer.
/// </summary>
public sealed class AzureServerFixture : PortalServerFixture
{
    public Portal.TestPeers.ArmPeer Arm { get; private set; } = default!;

    public Portal.TestPeers.OpenAiPeer Inference { get; private set; } = default!;

    protected override async Task BeforeBuildAsync()
    {
        Inference = await Portal.TestPeers.OpenAiPeer.StartAsync("sk-deployed-endpoint-key-42");
        Inference.TokenDelay = TimeSpan.FromMilliseconds(20);
        Inference.ExtraModels.Add("Meta-Llama-3-8B-Instruct");
        Arm = await Portal.TestPeers.ArmPeer.StartAsync();
        Arm.InferenceUri = Inference.V1;
        Arm.InferenceKey = "sk-deployed-endpoint-key-42";
        Arm.PollsToFinish = 3;

        // Azure OpenAI accounts serve their deployments from the OpenAI-compatible peer, with the account key it expects.
        Arm.SetOpenAIEndpoint(Inference.BaseUrl);
        Arm.AccountKey = "sk-deployed-endpoint-key-42";
    }

    protected override IEnumerable<string> ExtraArgs() =>
        [$"--Portal:Azure:Endpoint={Arm.BaseUrl}", $"--Portal:Azure:Subscriptions:0={Portal.TestPeers.ArmPeer.Subscription}", "--Portal:Azure:PollInterval=00:00:00.200"];

    protected override void ConfigureBuilder(WebApplicationBuilder builder)
    {
        builder.Services.AddKeyedSingleton<global::Azure.Core.TokenCredential>(Portal.Web.Hosting.AzureServiceCollectionExtensions.CredentialKey, new PeerToken());
        builder.Services.AddSingleton<global::Azure.Core.Pipeline.HttpPipelineTransport>(new global::Azure.Core.Pipeline.HttpClientTransport(Arm.CreateTrustingHandler()));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Arm.DisposeAsync();
        await Inference.DisposeAsync();
    }

    private sealed class PeerToken : global::Azure.Core.TokenCredential
    {
        public override global::Azure.Core.AccessToken GetToken(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(Portal.TestPeers.ArmPeer.Token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<global::Azure.Core.AccessToken> GetTokenAsync(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

[CollectionDefinition(Name)]
public sealed class AzureServerGroup : ICollectionFixture<AzureServerFixture>
{
    public const string Name = "Portal server with an Azure Resource Manager peer";
}
