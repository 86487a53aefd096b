using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog.Query;
using Portal.Web.Components.Pages.Catalog;
using MudBlazor.Services;

namespace Portal.Benchmarks;

/// <summary>
/// Server render of one page of 48 catalog cards (the component the catalog page renders its results with), to HTML,
/// against rendering the same 48 models as a minimal list of links: the cost of the cards over the least a page can do.
/// </summary>
[MemoryDiagnoser]
public class CatalogRenderBenchmarks
{
    private ServiceProvider _services = default!;
    private CatalogSearchResult _page = default!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(TimeProvider.System);
        services.AddMudServices();
        // Library components ask for a JS runtime even when they only render to HTML; a static render never calls it.
        services.AddSingleton<Microsoft.JSInterop.IJSRuntime, StaticRenderJSRuntime>();
        // The compare buttons' snackbar (it says why a change was refused) needs the page's address, as a prerender has.
        services.AddScoped<Microsoft.AspNetCore.Components.NavigationManager, StaticRenderNavigationManager>();

        // The cards' "Add to compare" buttons read the compare tray: an empty one, kept in memory.
        services.AddSingleton<Portal.Data.Preferences.IPreferenceStore, MemoryPreferences>();
        services.AddSingleton<Portal.Web.Access.ICurrentUser, BenchUser>();
        // The tray checks the role only when it changes, which a render never does; what it needs is there, unused.
        services.AddHttpContextAccessor();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new Portal.Web.Access.AuthOptions()));
        services.AddSingleton<Portal.Data.Access.IUserDirectoryStore, UnusedAccessStores>();
        services.AddSingleton<Portal.Data.Access.IAuditStore, UnusedAccessStores>();
        services.AddSingleton<Portal.Web.Access.UserRoles>();
        services.AddScoped<Portal.Web.Access.AuditLog>();
        services.AddScoped<Portal.Web.Access.AccessControl>();
        services.AddSingleton<Portal.Catalog.ICatalogService>(sp => new Portal.Catalog.CatalogService([new Portal.Catalog.Sources.EmbeddedCatalogSource()], NullLogger<Portal.Catalog.CatalogService>.Instance));
        services.AddScoped<Portal.Web.Benchmarks.CompareTray>();
        _services = services.BuildServiceProvider();
        _page = new CatalogIndex(SyntheticCatalog.Create(10_000)).Search(new CatalogQuery { PageSize = 48 });
        if (_page.Items.Count != 48 || !Render48Cards().Contains("catalog-card", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The render benchmark does not render 48 cards.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
    }

    [Benchmark(Baseline = true, Description = "48 models as bare links")]
    public string Render48Links() => RenderFragmentToString(builder =>
    {
        foreach (var model in _page.Items)
        {
            builder.OpenElement(0, "a");
            builder.AddAttribute(1, "href", "models/" + model.Id);
            builder.AddContent(2, model.DisplayName);
            builder.CloseElement();
        }
    });

    [Benchmark(Description = "catalog page of 48 cards (CatalogResults)")]
    public string Render48Cards() => RenderPage<CatalogResults>(new Dictionary<string, object?>
    {
        [nameof(CatalogResults.Result)] = _page,
        [nameof(CatalogResults.ListView)] = false,
    });

    private string RenderFragmentToString(RenderFragment fragment) =>
        RenderPage<FragmentHost>(new Dictionary<string, object?> { [nameof(FragmentHost.Content)] = fragment });

    /// <summary>
    /// As a prerendered request does: a scope and a renderer of its own, disposed after. (One renderer for every
    /// operation would keep every rendered root alive, and each render would pay for all the ones before it.)
    /// </summary>
    private string RenderPage<TComponent>(Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        using var scope = _services.CreateScope();
        using var renderer = new HtmlRenderer(scope.ServiceProvider, NullLoggerFactory.Instance);
        return renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        }).GetAwaiter().GetResult();
    }

    public sealed class FragmentHost : ComponentBase
    {
        [Parameter]
        public RenderFragment? Content { get; set; }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) => builder.AddContent(0, Content);
    }
}

/// <summary>Preferences in memory, for rendering components that read them.</summary>
public sealed class MemoryPreferences : Portal.Data.Preferences.IPreferenceStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> _values = new();

    public Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken) => Task.FromResult(_values.GetValueOrDefault((userId, key)));

    public Task SetAsync(string userId, string key, string value, CancellationToken cancellationToken)
    {
        _values[(userId, key)] = value;
        return Task.CompletedTask;
    }
}

/// <summary>The address a prerender of /models has; a static render never navigates.</summary>
public sealed class StaticRenderNavigationManager : Microsoft.AspNetCore.Components.NavigationManager
{
    public StaticRenderNavigationManager() => Initialize("http://localhost/", "http://localhost/models");

    protected override void NavigateToCore(string uri, Microsoft.AspNetCore.Components.NavigationOptions options) =>
        throw new InvalidOperationException($"A static render navigated ({uri}).");
}

/// <summary>Stores a render never reaches: any call is a mistake and says so.</summary>
public sealed class UnusedAccessStores : Portal.Data.Access.IUserDirectoryStore, Portal.Data.Access.IAuditStore
{
    private static InvalidOperationException Unused() => new("A catalog render used the access store.");

    public Task<Portal.Data.Access.PortalUserRow?> GetAsync(string userId, CancellationToken cancellationToken) => throw Unused();

    public Task<IReadOnlyList<Portal.Data.Access.PortalUserRow>> ListAsync(CancellationToken cancellationToken) => throw Unused();

    public Task<Guid> RecordSignInAsync(string userId, string? email, string? displayName, string? providerRole, CancellationToken cancellationToken, bool emailVerified = false) => throw Unused();

    public Task<bool> AssignRoleAsync(string userId, string? role, string changedBy, CancellationToken cancellationToken) => throw Unused();

    public Task EndSessionAsync(Guid sessionId, CancellationToken cancellationToken) => throw Unused();

    public Task<bool> IsSessionActiveAsync(Guid sessionId, CancellationToken cancellationToken) => throw Unused();

    public Task<int> ReassignDataAsync(string fromUserId, string toUserId, CancellationToken cancellationToken) => throw Unused();

    public Task AddAsync(Portal.Data.Access.AuditEntryRow entry, CancellationToken cancellationToken) => throw Unused();

    public Task<(IReadOnlyList<Portal.Data.Access.AuditEntryRow> Items, int Total)> QueryAsync(Portal.Data.Access.AuditQuery query, CancellationToken cancellationToken) => throw Unused();

    public IAsyncEnumerable<Portal.Data.Access.AuditEntryRow> StreamAsync(Portal.Data.Access.AuditQuery query, CancellationToken cancellationToken) => throw Unused();

    public Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken) => throw Unused();
}

public sealed class BenchUser : Portal.Web.Access.ICurrentUser
{
    public string Id => "bench";

    public string DisplayName => "bench";

    public string? Email => null;

    public bool IsSignedIn => false;

    public System.Security.Claims.ClaimsPrincipal Principal { get; } = new();
}

/// <summary>What a server render to HTML has instead of a browser: any call is a mistake and says so.</summary>
public sealed class StaticRenderJSRuntime : Microsoft.JSInterop.IJSRuntime
{
    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
        throw new InvalidOperationException($"A static render called JavaScript ({identifier}).");

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
        throw new InvalidOperationException($"A static render called JavaScript ({identifier}).");
}
