using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Web.Benchmarks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Data.Connections;
using Portal.Data.Playground;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.TestPeers;
using Portal.Web.Connections;
using Portal.Web.Playground;
using Portal.Web.Catalog;
using Portal.Data.Preferences;
using Portal.Web.Hosting;
using Radzen;

namespace Portal.Components.Tests;

/// <summary>bUnit context with what the portal's shell needs: Radzen, the theme cookie service, a user and preferences.</summary>
public abstract class PortalBunitContext : BunitContext
{
    protected PortalBunitContext()
        : this(null)
    {
    }

    /// <param name="configure">More services (or replacements), added before the renderer is built.</param>
    protected PortalBunitContext(Action<IServiceCollection>? configure)
    {
        Services.AddRadzenComponents();
        Services.AddRadzenCookieThemeService(options => options.Name = "portal-theme");
        Services.AddSingleton<ICurrentUser>(new FakeUser("tester"));
        Services.AddSingleton<IPreferenceStore>(Preferences);
        Services.AddSingleton<TimeProvider>(new FixedTime(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));
        Services.AddLogging();

        // The catalog logic is in-process (no outside system): the real service over the embedded catalog.
        Services.AddSingleton<ICatalogService>(sp => new CatalogService([new EmbeddedCatalogSource(), new ImportedCatalogSource(Imports)], NullLogger<CatalogService>.Instance));
        Services.AddSingleton<ICatalogImportStore>(Imports);
        Services.AddSingleton<CatalogImporter>();
        Services.AddSingleton(BenchmarkData.Embedded);
        Services.AddScoped<CompareTray>();

        // Playground: real inference (against a loopback peer where a test gives one), stores in memory, keys with an ephemeral key ring.
        Services.AddSingleton<IConnectionStore>(ConnectionStore);
        Services.AddSingleton<IPlaygroundSessionStore>(SessionStore);
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddSingleton(new OutboundUrlPolicy(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions())));
        Services.AddSingleton(Options.Create(new InferenceOptions { Timeout = TimeSpan.FromSeconds(2) }));
        Services.AddSingleton(Options.Create(new ConnectionsOptions()));
        Services.AddSingleton(sp => new InferenceClientFactory(sp.GetRequiredService<OutboundUrlPolicy>(), sp.GetRequiredService<IOptions<InferenceOptions>>(), () => throw new InvalidOperationException("No Entra ID in component tests.")));
        Services.AddSingleton<InferenceService>();
        Services.AddScoped<ConnectionService>();
        Services.AddScoped<PlaygroundSessions>();
        Services.AddSingleton<StreamRunner>();
        // Azure: not configured (no subscriptions) and no credential, unless a test configures an ARM peer.
        Services.AddSingleton(Options.Create(new Portal.Azure.AzureOptions()));
        Services.AddSingleton(sp => new Portal.Azure.ArmRestClient(sp.GetRequiredService<IOptions<Portal.Azure.AzureOptions>>(),
            new NoCredential(), sp.GetService<global::Azure.Core.Pipeline.HttpPipelineTransport>(), TimeProvider.System));
        Services.AddSingleton<Portal.Azure.AzureService>();
        Services.AddScoped<Portal.Web.Azure.AzureContext>();
        Services.AddScoped<Portal.Azure.IDeploymentConnectionStore, Portal.Web.Azure.DeploymentConnectionStore>();
        Services.AddScoped<Portal.Azure.DeploymentConnections>();
        configure?.Invoke(Services);

        // The portal runs as interactive server components. (Touching the renderer builds the services: keep it last.)
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected FakePreferenceStore Preferences { get; } = new();

    protected FakeImportStore Imports { get; } = new();

    protected FakeConnectionStore ConnectionStore { get; } = new();

    protected FakeSessionStore SessionStore { get; } = new();

    private sealed record FakeUser(string Id) : ICurrentUser;
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
