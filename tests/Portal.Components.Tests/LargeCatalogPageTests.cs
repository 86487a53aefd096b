using System.Globalization;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog;
using Portal.Catalog.Query;
using Portal.Catalog.Sources;
using MudBlazor;
using Portal.Web.Components.Pages.Benchmarks;
using Portal.Web.Components.Pages.Catalog;

namespace Portal.Components.Tests;

/// <summary>
/// The catalog page and the benchmark dashboard over a catalog with 8,000 distinct publishers (the embedded models plus
/// generated ones): what everyone downloads must stay bounded, and every publisher must stay reachable.
/// </summary>
public sealed class LargeCatalogPageTests : PortalBunitContext
{
    /// <summary>Far below what 8,000 publishers cost when each is listed (a few MB), far above a page of 48 cards.</summary>
    private const int MaxPageChars = 300_000;

    public LargeCatalogPageTests()
        : base(services => services.AddSingleton<ICatalogService>(new FixedCatalog(LargeCatalog.Index)))
    {
    }

    private IRenderedComponent<T> RenderAt<T>(string relativeUrl) where T : IComponent
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(relativeUrl);
        return Render<T>();
    }

    [Fact]
    public void Models_EightThousandPublishers_PageStaysBounded()
    {
        var cut = RenderAt<Models>("models");

        Assert.True(cut.Markup.Length < MaxPageChars, $"The catalog page is {cut.Markup.Length:N0} characters.");
    }

    [Fact]
    public void Models_EightThousandPublishers_ListsTheTopTenAndOffersToShowAll()
    {
        var publishers = LargeCatalog.Index.Models.Select(m => m.Publisher ?? "unknown").Distinct(StringComparer.OrdinalIgnoreCase).Count();

        var cut = RenderAt<Models>("models");

        Assert.Equal(10, FacetCheckboxes(cut, "Publisher").Count);
        Assert.NotNull(Checkbox(cut, "Publisher", "Publisher 0000, 13 models"));
        Assert.Equal("false", ShowAll(cut, $"Show all {publishers.ToString("N0", CultureInfo.InvariantCulture)} publishers").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Models_SelectedPublisherOutsideTheTop_StaysListedAndChecked()
    {
        var cut = RenderAt<Models>("models?publisher=Publisher%207777");

        Assert.Equal(11, FacetCheckboxes(cut, "Publisher").Count);
        Assert.True(Checkbox(cut, "Publisher", "Publisher 7777, 1 model").HasAttribute("checked"));
    }

    [Fact]
    public async Task ShowAll_SearchFindsAPublisherOutsideTheTop_AndCheckingItPutsItInTheUrl()
    {
        var cut = RenderAt<Models>("models?task=chat-completion");

        await cut.InvokeAsync(() => ShowAll(cut, "Show all").Click());
        await cut.InputAsync("input[aria-label='Search publishers']", "7777");

        var group = cut.Find("[role=group][aria-label='All publishers']");
        Assert.Equal("1 publisher matches.", group.QuerySelector("[role=status]")!.TextContent.Trim());
        var found = Assert.Single(group.QuerySelectorAll("input[type=checkbox]"));
        Assert.Equal("Publisher 7777, 1 model", AccessibleName(found));
        await cut.InvokeAsync(() => Assert.Single(cut.Find("[role=group][aria-label='All publishers']").QuerySelectorAll("input[type=checkbox]")).Change(true));
        Assert.EndsWith("models?publisher=Publisher%207777&task=chat-completion", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowAll_SearchMatchingMany_ListsFiftyAndAsksToRefine()
    {
        var cut = RenderAt<Models>("models");

        await cut.InvokeAsync(() => ShowAll(cut, "Show all").Click());
        await cut.InputAsync("input[aria-label='Search publishers']", "publisher 1");

        var group = cut.Find("[role=group][aria-label='All publishers']");
        Assert.Equal(50, group.QuerySelectorAll("input[type=checkbox]").Length);
        Assert.Equal("Showing 50 of 1,000 matching publishers: refine your search to see the others.", group.QuerySelector("[role=status]")!.TextContent.Trim());
        Assert.True(cut.Markup.Length < MaxPageChars);
    }

    [Fact]
    public async Task Benchmarks_EightThousandPublishers_PageIsNoBiggerThanWithTheEmbeddedCatalog()
    {
        // The dashboard's size comes from the benchmark data (charts, heatmap), which the generated models do not add to.
        await using var embeddedOnly = new EmbeddedCatalogContext();
        var baseline = embeddedOnly.RenderBenchmarks().Markup.Length;

        var cut = RenderAt<Benchmarks>("benchmarks");

        Assert.True(cut.Markup.Length < baseline + 20_000, $"The benchmark dashboard is {cut.Markup.Length:N0} characters; {baseline:N0} with the embedded catalog alone.");
    }

    /// <summary>The form control a visible label names (MudBlazor ties them with label for=).</summary>
    private static IElement ByLabel(IRenderedComponent<Benchmarks> cut, string label) =>
        cut.Find("#" + cut.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for"));

    [Fact]
    public async Task Benchmarks_SelectedPublisherOutsideTheTop_IsAnOptionAndTheRestAreSearched()
    {
        var popovers = Render<MudPopoverProvider>();
        var cut = RenderAt<Benchmarks>("benchmarks?publisher=Publisher%207777");

        var publisher = ByLabel(cut, "Publisher");
        Assert.Equal("combobox", publisher.GetAttribute("role"));
        await cut.InvokeAsync(() => ByLabel(cut, "Publisher").MouseDown());

        var options = popovers.FindAll("[role=listbox] [role=option]").Select(o => Name(o)).ToList();
        Assert.Equal(11, options.Count);
        Assert.Contains(options, o => o.StartsWith("Publisher 7777", StringComparison.Ordinal));
        Assert.Contains(options, o => o.StartsWith("Publisher 0000", StringComparison.Ordinal));
        Assert.Contains("The 10 with the most models of 8,013 publishers: type to find the others.", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("combobox", ByLabel(cut, "Search publishers").GetAttribute("role"));
    }

    [Fact]
    public async Task Benchmarks_PublisherSearch_FindsOneOutsideTheTop_AndAddsItToTheUrl()
    {
        var popovers = Render<MudPopoverProvider>();
        var cut = RenderAt<Benchmarks>("benchmarks?publisher=Publisher%207777");

        await cut.InvokeAsync(() => ByLabel(cut, "Search publishers").Input("publisher 42"));

        cut.WaitForAssertion(() => Assert.Equal(CatalogFacet.SearchLimit, popovers.FindAll("[role=listbox] [role=option]").Count), TimeSpan.FromSeconds(5));
        var options = popovers.FindAll("[role=listbox] [role=option]");
        Assert.All(options, o => Assert.StartsWith("Publisher 42", Name(o), StringComparison.Ordinal)); // 4200 to 4299: a hundred match

        await popovers.InvokeAsync(() => popovers.FindAll("[role=listbox] [role=option]").First(o => Name(o) == "Publisher 4201").Click());

        cut.WaitForAssertion(() => Assert.Contains("4201", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal), TimeSpan.FromSeconds(5));

        var url = Uri.UnescapeDataString(Services.GetRequiredService<NavigationManager>().Uri.Replace('+', ' '));
        Assert.Contains("publisher=Publisher 7777", url, StringComparison.Ordinal);
        Assert.Contains("publisher=Publisher 4201", url, StringComparison.Ordinal);
    }

    /// <summary>The checkboxes listed under a facet's legend (not those of its "Show all" search).</summary>
    private static List<IElement> FacetCheckboxes(IRenderedComponent<Models> cut, string legend) =>
        [.. Fieldset(cut, legend).QuerySelectorAll("input[type=checkbox]").Where(i => i.Closest("[role=group]") is null)];

    private static IElement Checkbox(IRenderedComponent<Models> cut, string legend, string name) =>
        FacetCheckboxes(cut, legend).Single(i => AccessibleName(i) == name);

    /// <summary>A control's accessible name: its aria-label, or the text of the element its aria-labelledby names.</summary>
    private static string? AccessibleName(IElement element) =>
        element.GetAttribute("aria-label")
        ?? (element.GetAttribute("aria-labelledby") is { } id ? element.Closest("label")?.QuerySelector($"[id='{id}']")?.TextContent : null);

    private static IElement ShowAll(IRenderedComponent<Models> cut, string startOfName) =>
        Fieldset(cut, "Publisher").QuerySelectorAll("button").Single(b => Name(b).StartsWith(startOfName, StringComparison.Ordinal));

    private static IElement Fieldset(IRenderedComponent<Models> cut, string legend) =>
        cut.FindAll("fieldset").Single(f => f.QuerySelector("legend")?.TextContent.Trim() == legend);

    private static string Name(IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>The embedded models plus one model from each of 8,000 generated publishers; the first twelve publish more.</summary>
internal static class LargeCatalog
{
    public const int GeneratedPublishers = 8_000;

    public static CatalogIndex Index { get; } = new(EmbeddedCatalogSource.Models.Concat(Generated()));

    public static string Publisher(int number) => "Publisher " + number.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>How many generated models <paramref name="number"/> publishes: 13 for the first, down to 1 from the twelfth on.</summary>
    public static int ModelCount(int number) => number < 12 ? 13 - number : 1;

    private static IEnumerable<CatalogModel> Generated()
    {
        for (var p = 0; p < GeneratedPublishers; p++)
        {
            for (var m = 0; m < ModelCount(p); m++)
            {
                yield return new CatalogModel
                {
                    Id = $"generated-{p}-{m}",
                    DisplayName = $"Generated model {p}.{m}",
                    Publisher = Publisher(p),
                    InferenceTasks = ["chat-completion"],
                };
            }
        }
    }
}

/// <summary>The portal over the embedded catalog alone, to compare with.</summary>
internal sealed class EmbeddedCatalogContext : PortalBunitContext
{
    public EmbeddedCatalogContext()
        : base(services => services.AddSingleton<ICatalogService>(new FixedCatalog(new CatalogIndex(EmbeddedCatalogSource.Models))))
    {
    }

    public IRenderedComponent<Benchmarks> RenderBenchmarks()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("benchmarks");
        return Render<Benchmarks>();
    }
}

/// <summary>A catalog service that holds one index and never reloads.</summary>
internal sealed class FixedCatalog(CatalogIndex index) : ICatalogService
{
    public CatalogIndex Current => index;

    public IReadOnlyList<CatalogSourceStatus> Sources => [];

    public event Action? Changed
    {
        add { }
        remove { }
    }

    public Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
