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

        // The cards' "Add to compare" buttons read the compare tray: an empty one, kept in memory.
        services.AddSingleton<Portal.Data.Preferences.IPreferenceStore, MemoryPreferences>();
        services.AddSingleton<Portal.Web.Access.ICurrentUser, BenchUser>();
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
