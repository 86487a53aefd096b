using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Portal.Catalog.Sources;
using Microsoft.AspNetCore.DataProtection;
using Portal.Data.Connections;
using Portal.Data.Playground;
using Portal.Web.Connections;
using Portal.Data.Preferences;
using Portal.Data.Access;
using Portal.Web.Access;
using Portal.Web.Hosting;

namespace Portal.Components.Tests;

/// <summary>
/// bUnit context with the portal's own service registration (the same extension methods the host calls, with settings
/// from memory), where only the edges are replaced: the stores (in memory), the clock, the user, and the network
/// (Azure and Entra ID credentials; tests that call an endpoint give a loopback peer).
/// </summary>
public abstract class PortalBunitContext : BunitContext, IAsyncLifetime
{
    protected PortalBunitContext()
        : this(null)
    {
    }

    /// <param name="configure">Edges a test replaces (a transport to a peer, a credential), added after the portal's registration.</param>
    /// <param name="settings">Configuration as the host would read it (<c>Portal:Azure:Endpoint</c>, <c>Portal:Connections:0:Name</c>…).</param>
    protected PortalBunitContext(Action<IServiceCollection>? configure, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Every store below is replaced, so no file is opened. Inference waits as long as in production
                // (Portal:Inference:Timeout): a test about a timeout sets its own.
                ["Portal:Storage:SqlitePath"] = Path.Combine(Path.GetTempPath(), "portal-bunit-never-opened.db"),
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddSingleton<IWebHostEnvironment>(HostEnvironment);
        Services.AddSingleton<IHostEnvironment>(HostEnvironment);
        // bUnit's own framework services (renderer, navigation, JS runtime…) stay: the portal's registration of Blazor
        // Server would otherwise replace them with the circuit's, which need a browser.
        var bunitServices = Services.Where(d => !d.ServiceType.IsGenericType).Select(d => d.ServiceType).ToHashSet();
        var firstPortalService = Services.Count;
        Services.AddPortalShell();
        Services.AddPortalAuth(configuration);
        Services.AddPortalStorageAndHealth(configuration);
        Services.AddCatalog();
        Services.AddPlayground(configuration);
        Services.AddEvaluations(configuration);
        Services.AddAzure(configuration);
        for (var i = Services.Count - 1; i >= firstPortalService; i--)
        {
            if (bunitServices.Contains(Services[i].ServiceType) && Services[i].ServiceType != typeof(IHostedService))
            {
                Services.RemoveAt(i);
            }
        }

        // The edges.
        Services.AddSingleton<ICurrentUser>(User);
        Services.AddSingleton<IUserDirectoryStore>(Directory);
        Services.AddSingleton<IApiTokenStore>(ApiTokenStore);
        Services.AddSingleton<IAuditStore>(AuditStore);
        Services.AddSingleton<IPreferenceStore>(Preferences);
        Services.AddSingleton<ICatalogImportStore>(Imports);
        Services.AddSingleton<IConnectionStore>(ConnectionStore);
        Services.AddSingleton<IPlaygroundSessionStore>(SessionStore);
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()); // its key ring lives in the store
        Services.AddSingleton<TimeProvider>(new FixedTime(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));
        Services.AddKeyedSingleton<global::Azure.Core.TokenCredential>(AzureServiceCollectionExtensions.CredentialKey, new NoCredential());
        Services.AddSingleton<Func<global::Azure.Core.TokenCredential>>(() => new NoCredential());
        Services.AddSingleton<IHostApplicationLifetime>(Lifetime);
        Services.AddSingleton<Portal.Data.Probes.IPerformanceProbeStore>(ProbeStore);
        Services.AddSingleton<Portal.Web.Evaluations.IDatasetService>(DatasetService);
        Services.AddSingleton<Portal.Web.Evaluations.IEvaluationService>(EvaluationService);
        configure?.Invoke(Services);

        // JS interop is Loose: the component library's own calls (focus, popovers, positioning, the system's dark mode)
        // answer their defaults. Tests about the portal's own calls set them up and check them (JSInterop.Invocations).
        JSInterop.Mode = JSRuntimeMode.Loose;

        // The portal runs as interactive server components. (Touching the renderer builds the services: keep it last.)
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// xUnit disposes the test class through this: the component library's services are only asynchronously
    /// disposable, which the synchronous <see cref="IDisposable.Dispose"/> cannot do.
    /// </summary>
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>The settings that declare <paramref name="connections"/>, as <c>Portal:Connections:N:*</c> in configuration.</summary>
    protected static Dictionary<string, string?> ConnectionSettings(IEnumerable<ConfiguredConnection> connections)
    {
        var settings = new Dictionary<string, string?>();
        var i = 0;
        foreach (var c in connections)
        {
            var prefix = $"Portal:Connections:{i++}:";
            settings[prefix + "Name"] = c.Name;
            settings[prefix + "Kind"] = c.Kind;
            settings[prefix + "Endpoint"] = c.Endpoint;
            settings[prefix + "ApiKey"] = c.ApiKey;
            settings[prefix + "Auth"] = c.Auth;
            for (var m = 0; m < c.Models.Count; m++)
            {
                settings[$"{prefix}Models:{m}"] = c.Models[m];
            }
        }

        return settings;
    }

    /// <summary>What the host would say about itself: the web project, in Production, with nothing on disk.</summary>
    protected TestHostEnvironment HostEnvironment { get; } = new();

    protected FakePreferenceStore Preferences { get; } = new();

    /// <summary>The host's lifetime: <c>Lifetime.StopApplication()</c> shuts the portal down as SIGTERM would.</summary>
    protected Portal.TestPeers.TestApplicationLifetime Lifetime { get; } = new();

    protected FakeImportStore Imports { get; } = new();

    protected FakeConnectionStore ConnectionStore { get; } = new();

    protected FakeSessionStore SessionStore { get; } = new();

    /// <summary>Who the pages run as ("tester"; with sign-in off, the portal makes every user the Owner).</summary>
    protected TestUser User { get; } = new("tester");

    protected FakeUserDirectoryStore Directory { get; } = new();

    protected FakeApiTokenStore ApiTokenStore { get; } = new();

    protected FakeAuditStore AuditStore { get; } = new();

    /// <summary>The evaluation engine's services, in memory (the pages only see their interfaces).</summary>
    protected Evaluations.FakeDatasetService DatasetService { get; } = new();

    protected Evaluations.FakeEvaluationService EvaluationService { get; } = new();

    protected Evaluations.FakeProbeStore ProbeStore { get; } = new();
}

public sealed class TestHostEnvironment : IWebHostEnvironment
{
    public string ApplicationName { get; set; } = "Portal.Web";

    public string EnvironmentName { get; set; } = Environments.Production;

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();

    public string WebRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
}

public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>In-memory preferences; <see cref="FailWith"/> makes every call throw, as a store that is down would.</summary>
public sealed class FakePreferenceStore : IPreferenceStore
{
    private readonly Dictionary<(string, string), string> _values = [];

    public Exception? FailWith { get; set; }

    public int Reads { get; private set; }

    public Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken)
    {
        Reads++;
        return FailWith is not null ? Task.FromException<string?>(FailWith) : Task.FromResult(_values.GetValueOrDefault((userId, key)));
    }

    public Task SetAsync(string userId, string key, string value, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            return Task.FromException(FailWith);
        }

        _values[(userId, key)] = value;
        return Task.CompletedTask;
    }

    public string? Peek(string userId, string key) => _values.GetValueOrDefault((userId, key));
}

/// <summary>Imports kept in memory; <see cref="FailWrites"/> makes adding fail as a full disk would.</summary>
public sealed class FakeImportStore : ICatalogImportStore
{
    public List<(CatalogImportRecord Record, string Content)> Rows { get; } = [];

    public bool FailWrites { get; set; }

    public Task<IReadOnlyList<CatalogImportRecord>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CatalogImportRecord>>([.. Rows.Select(r => r.Record)]);

    public Task<IReadOnlyList<(CatalogImportRecord Import, string Content)>> ListActiveWithContentAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(CatalogImportRecord, string)>>([.. Rows]);

    public Task<CatalogImportRecord> AddAsync(string name, string fileName, string content, int modelCount, CancellationToken cancellationToken)
    {
        if (FailWrites)
        {
            throw new IOException("disk full");
        }

        var record = new CatalogImportRecord(Rows.Count + 1, name, 1, DateTimeOffset.UnixEpoch, fileName, modelCount, true);
        Rows.Add((record, content));
        return Task.FromResult(record);
    }

    public Task<bool> RemoveAsync(int id, CancellationToken cancellationToken) => Task.FromResult(Rows.RemoveAll(r => r.Record.Id == id) > 0);
}

/// <summary>Connections in memory, as the store keeps them (the key already encrypted).</summary>
public sealed class FakeConnectionStore : IConnectionStore
{
    public List<StoredConnection> Rows { get; } = [];

    public Task<IReadOnlyList<StoredConnection>> ListAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredConnection>>([.. Rows.Where(r => r.UserId == userId)]);

    public Task<StoredConnection> SaveAsync(StoredConnection connection, CancellationToken cancellationToken)
    {
        if (Rows.Any(r => r.UserId == connection.UserId && r.Name == connection.Name && r.Id != connection.Id))
        {
            throw new DuplicateConnectionNameException(connection.Name);
        }

        Rows.RemoveAll(r => r.Id == connection.Id && connection.Id != Guid.Empty);
        if (connection.Id == Guid.Empty)
        {
            connection.Id = Guid.NewGuid();
        }

        Rows.Add(connection);
        return Task.FromResult(connection);
    }

    public Task<bool> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken) => Task.FromResult(Rows.RemoveAll(r => r.Id == id) > 0);
}

/// <summary>Playground history in memory; <see cref="FailWrites"/> makes saving fail as a store that is down would.</summary>
public sealed class FakeSessionStore : IPlaygroundSessionStore
{
    public Dictionary<Guid, PlaygroundSessionRow> Rows { get; } = [];

    public bool FailWrites { get; set; }

    public Task<IReadOnlyList<PlaygroundSessionSummary>> ListAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlaygroundSessionSummary>>([.. Rows.Values.Where(r => r.UserId == userId).Select(r => new PlaygroundSessionSummary(r.Id, r.Kind, r.Title, r.CreatedUtc, r.UpdatedUtc))]);

    public Task<PlaygroundSessionRow?> GetAsync(string userId, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Rows.TryGetValue(id, out var row) && row.UserId == userId ? row : null);

    public Task<Guid> SaveAsync(string userId, Guid id, string kind, string title, string state, CancellationToken cancellationToken)
    {
        if (FailWrites)
        {
            throw new IOException("disk full");
        }

        id = id == Guid.Empty ? Guid.NewGuid() : id;
        Rows[id] = new PlaygroundSessionRow { Id = id, UserId = userId, Kind = kind, Title = Rows.TryGetValue(id, out var old) ? old.Title : title, State = state };
        return Task.FromResult(id);
    }

    public Task<bool> RenameAsync(string userId, Guid id, string title, CancellationToken cancellationToken)
    {
        if (!Rows.TryGetValue(id, out var row))
        {
            return Task.FromResult(false);
        }

        row.Title = title;
        return Task.FromResult(true);
    }

    public Task<bool> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken) => Task.FromResult(Rows.Remove(id));
}

/// <summary>What DefaultAzureCredential does on a machine with no Azure sign-in.</summary>
public sealed class NoCredential : global::Azure.Core.TokenCredential
{
    public override global::Azure.Core.AccessToken GetToken(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new global::Azure.Identity.CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials.");

    public override ValueTask<global::Azure.Core.AccessToken> GetTokenAsync(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
