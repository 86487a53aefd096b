using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog.Query;
using Portal.Web.Components.Pages.Catalog;
using Radzen;

namespace Portal.Benchmarks;

/// <summary>
/// Server render of one page of 48 catalog cards (the component the catalog page renders its results with), to HTML,
/// against rendering the same 48 models as a minimal list of links: the cost of the cards over the least a page can do.
/// </summary>
[MemoryDiagnoser]
public class CatalogRenderBenchmarks
{
    private ServiceProvider _services = default!;
    private HtmlRenderer _renderer = default!;
    private CatalogSearchResult _page = default!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(TimeProvider.System);
        services.AddRadzenComponents();

        // The cards' "Add to compare" buttons read the compare tray: an empty one, kept in memory.
        services.AddSingleton<Portal.Data.Preferences.IPreferenceStore, MemoryPreferences>();
        services.AddSingleton<Portal.Web.Hosting.ICurrentUser, BenchUser>();
        services.AddSingleton<Portal.Catalog.ICatalogService>(sp => new Portal.Catalog.CatalogService([new Portal.Catalog.Sources.EmbeddedCatalogSource()], NullLogger<Portal.Catalog.CatalogService>.Instance));
        services.AddScoped<Portal.Web.Benchmarks.CompareTray>();
        _services = services.BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
        _page = new CatalogIndex(SyntheticCatalog.Create(10_000)).Search(new CatalogQuery { PageSize = 48 });
        if (_page.Items.Count != 48 || !Render48Cards().Contains("catalog-card", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The render benchmark does not render 48 cards.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _renderer.Dispose();
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
    public string Render48Cards() => _renderer.Dispatcher.InvokeAsync(async () =>
    {
        var output = await _renderer.RenderComponentAsync<CatalogResults>(ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(CatalogResults.Result)] = _page,
            [nameof(CatalogResults.ListView)] = false,
        }));
        return output.ToHtmlString();
    }).GetAwaiter().GetResult();

    private string RenderFragmentToString(RenderFragment fragment) => _renderer.Dispatcher.InvokeAsync(async () =>
    {
        var output = await _renderer.RenderComponentAsync<FragmentHost>(ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(FragmentHost.Content)] = fragment,
        }));
        return output.ToHtmlString();
    }).GetAwaiter().GetResult();

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

public sealed class BenchUser : Portal.Web.Hosting.ICurrentUser
{
    public string Id => "bench";
}
