using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog;
using Portal.Catalog.Query;
using Portal.Catalog.Sources;
using Portal.Web.Components.Pages.Catalog;

namespace Portal.Components.Tests;

/// <summary>Region facts on the model page and the Region facet of the catalog page, over a catalog where gpt-4o has some.</summary>
public sealed class RegionAvailabilityTests : PortalBunitContext
{
    private const string SwedenSource = "From the models API of location swedencentral (subscription sub-1)";

    public RegionAvailabilityTests()
        : base(services => services.AddSingleton<ICatalogService>(new FixedCatalog(new CatalogIndex(WithRegionFacts()))))
    {
    }

    /// <summary>The embedded catalog, with region facts for gpt-4o (two regions) and text-embedding-3-small (one).</summary>
    internal static IReadOnlyList<CatalogModel> WithRegionFacts()
    {
        var at = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        return [.. EmbeddedCatalogSource.Models.Select(m => m.Id switch
        {
            "gpt-4o" => m with
            {
                Regions =
                [
                    new RegionAvailability("swedencentral", "2024-05-13", ["Standard", "GlobalStandard"], "Deprecating", new DateOnly(2026, 12, 20), null, SwedenSource, at),
                    new RegionAvailability("eastus2", "2024-08-06", ["Standard"], "GenerallyAvailable", new DateOnly(2027, 6, 30), null, "From the models API of location eastus2 (subscription sub-1)", at),
                    new RegionAvailability("swedencentral", "2024-11-20", ["GlobalStandard"], "Preview", null, null, SwedenSource, at),
                ],
            },
            "text-embedding-3-small" => m with { Regions = [new RegionAvailability("swedencentral", "1", ["Standard"], "GenerallyAvailable", null, null, SwedenSource, at)] },
            _ => m,
        })];
    }

    [Fact]
    public void ModelPage_WithRegionFacts_ShowsTheTable_RegionByName_WithLifecycleAndSource()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));

        var section = cut.Find("[data-testid=model-regions]");
        Assert.Equal("Region availability", section.QuerySelector("h2")!.TextContent);
        Assert.Equal(["Region", "Version", "Deployment SKUs", "Lifecycle", "Source"], section.QuerySelectorAll("thead th").Select(th => th.TextContent));
        var rows = section.QuerySelectorAll("tbody tr").Select(Cells).ToList();
        Assert.Equal(
        [
            ["East US 2 (eastus2)", "2024-08-06", "Standard", "Generally available · inference deprecation 2027-06-30", "From the models API of location eastus2 (subscription sub-1), 2026-12-02 08:00 UTC"],
            ["Sweden Central (swedencentral)", "2024-11-20", "GlobalStandard", "Preview", $"{SwedenSource}, 2026-12-02 08:00 UTC"],
            ["Sweden Central (swedencentral)", "2024-05-13", "Standard, GlobalStandard", "Deprecating · inference deprecation 2026-12-20", $"{SwedenSource}, 2026-12-02 08:00 UTC"],
        ], rows);
        Assert.Empty(cut.FindAll("[data-testid=no-region-facts]"));
    }

    [Fact]
    public void ModelPage_AzureOpenAIModelWithoutRegionFacts_SaysSo_AndHowToGetThem()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o-mini"));

        var sentence = cut.Find("[data-testid=no-region-facts]");
        Assert.StartsWith("The catalog has no region facts for this model", sentence.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("which does not mean every region does", Normalize(sentence.TextContent), StringComparison.Ordinal);
        Assert.Equal("settings/azure", sentence.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=model-regions] table"));
    }

    [Fact]
    public void ModelPage_OtherModelWithoutRegionFacts_SaysSo_WithoutAzureOpenAIAdvice()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "Phi-3-mini-4k-instruct"));

        var sentence = cut.Find("[data-testid=no-region-facts]");
        Assert.Contains("no region facts", sentence.TextContent, StringComparison.Ordinal);
        Assert.Null(sentence.QuerySelector("a"));
    }

    [Fact]
    public async Task CatalogPage_RegionFacet_CountsByRegionName_SaysWhereFactsComeFrom_AndFilters()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("models");
        var cut = Render<Models>();

        var facet = cut.Find("fieldset[data-facet=region]");
        Assert.Equal("Region", facet.QuerySelector("legend")!.TextContent);
        Assert.Contains("Region facts come only from the live Azure OpenAI models", facet.QuerySelector("[data-testid=region-facet-note]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["East US 2, 1 model", "Sweden Central, 2 models"], facet.QuerySelectorAll("input[type=checkbox]").Select(AccessibleName));

        await cut.InvokeAsync(() => cut.Find("fieldset[data-facet=region]").QuerySelectorAll("input[type=checkbox]").Single(i => AccessibleName(i)!.StartsWith("Sweden Central", StringComparison.Ordinal)).Change(true));

        Assert.EndsWith("models?region=swedencentral", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal("2 models", cut.Find("[data-testid=catalog-total]").TextContent.Trim()));
        Assert.Contains("Region: Sweden Central", cut.Find("[data-testid=active-filters]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogPage_NoRegionFacts_NoRegionFacet()
    {
        await using var embedded = new EmbeddedCatalogContext();
        embedded.Services.GetRequiredService<NavigationManager>().NavigateTo("models");

        var cut = embedded.Render<Models>();

        Assert.NotEmpty(cut.FindAll("fieldset[data-facet=publisher]"));
        Assert.Empty(cut.FindAll("fieldset[data-facet=region]"));
    }

    /// <summary>A control's accessible name: its aria-label, or the text of the element its aria-labelledby names.</summary>
    private static string? AccessibleName(IElement element) =>
        element.GetAttribute("aria-label")
        ?? (element.GetAttribute("aria-labelledby") is { } id ? element.Closest("label")?.QuerySelector($"[id='{id}']")?.TextContent : null);

    private static string[] Cells(IElement row) => [.. row.Children.Select(c => Normalize(c.TextContent))];

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
