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
