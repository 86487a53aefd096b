using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;
using Portal.Web.Benchmarks;
using Portal.Web.Catalog;
using Portal.Data.Preferences;
using Portal.Web.Hosting;
using Radzen;

namespace Portal.Components.Tests;

/// <summary>bUnit context with what the portal's shell needs: Radzen, the theme cookie service, a user and preferences.</summary>
public abstract class PortalBunitContext : BunitContext
{
    protected PortalBunitContext()
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

        // The portal runs as interactive server components. (Touching the renderer builds the services: keep it last.)
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected FakePreferenceStore Preferences { get; } = new();

    protected FakeImportStore Imports { get; } = new();

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
