using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Region facts from the live Azure OpenAI models (the ARM peer's Sweden Central and East US 2; dall-e-3 and gpt-4o
/// 2024-11-20 only in Sweden Central): the catalog filtered by region, and the region table of a model page.
/// </summary>
[Collection(AzureServerGroup.Name)]
public sealed class RegionTests(AzureServerFixture server) : PortalPageTest(server)
{
    private ILocator Total => Page.GetByTestId("catalog-total");

    private ILocator Region(string name) =>
        Page.GetByRole(AriaRole.Group, new() { Name = "Region" }).GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^" + Regex.Escape(name) + ",") });

    [Fact]
    public async Task FilterByRegion_CountChanges_AndTheModelPageShowsWhereEachVersionIsOffered()
    {
        await OpenInteractiveAsync("models");
        var before = await Total.TextContentAsync();
        await Assertions.Expect(Page.GetByTestId("region-facet-note")).ToContainTextAsync("Region facts come only from the live Azure OpenAI models");

        await Region("Sweden Central").CheckAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models\\?region=swedencentral$"));
        await Assertions.Expect(Total).ToHaveTextAsync("4 models");
        Assert.NotEqual("4 models", before?.Trim());
        await Assertions.Expect(Page.GetByTestId("active-filters")).ToContainTextAsync("Region: Sweden Central");

        // OR within the facet: East US 2 adds none that Sweden Central lacks; alone it lacks dall-e-3.
        await Region("East US 2").CheckAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models\\?region=swedencentral&region=eastus2$"));
        await Assertions.Expect(Total).ToHaveTextAsync("4 models");
        await Region("Sweden Central").UncheckAsync();
        await Assertions.Expect(Total).ToHaveTextAsync("3 models");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "DALL-E 3", Exact = true })).ToHaveCountAsync(0);

        await Page.GetByRole(AriaRole.Link, new() { Name = "GPT-4o", Exact = true }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models/gpt-4o$"));
        var regions = Page.GetByTestId("model-regions");
        await Assertions.Expect(regions.GetByRole(AriaRole.Heading, new() { Name = "Region availability" })).ToBeVisibleAsync();
        var rows = regions.GetByRole(AriaRole.Row);
        await Assertions.Expect(rows.Filter(new() { HasText = "Sweden Central" }).Filter(new() { HasText = "2024-11-20" })).ToContainTextAsync("Preview");
        await Assertions.Expect(rows.Filter(new() { HasText = "East US 2" }).Filter(new() { HasText = "2024-11-20" })).ToHaveCountAsync(0);
        await Assertions.Expect(rows.Filter(new() { HasText = "East US 2" }).Filter(new() { HasText = "2024-05-13" }))
            .ToContainTextAsync("Deprecating · inference deprecation 2026-12-20");
        await Assertions.Expect(rows.Filter(new() { HasText = "Sweden Central" }).Filter(new() { HasText = "2024-08-06" }))
            .ToContainTextAsync($"From the models API of location swedencentral (subscription {Portal.TestPeers.ArmPeer.Subscription})");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task AModelWithoutRegionFacts_SaysSo()
    {
        await OpenInteractiveAsync("models/gpt-35-turbo");

        await Assertions.Expect(Page.GetByTestId("no-region-facts")).ToContainTextAsync("The catalog has no region facts for this model");
        await Assertions.Expect(Page.GetByTestId("model-regions").GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        Assert.Empty(BrowserErrors);
    }

    /// <summary>The region facet and the region table, in each theme: no serious axe violation, no overflow, photographed.</summary>
    [Theory]
    [InlineData("models?region=swedencentral", "light")]
    [InlineData("models?region=swedencentral", "dark")]
    [InlineData("models/gpt-4o", "light")]
    [InlineData("models/gpt-4o", "dark")]
    public async Task RegionViews_InEachTheme_HaveNoSeriousViolations_AndFitTheWindow(string path, string theme)
    {
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);
        await OpenInteractiveAsync(path);
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var name = new string([.. path.Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
        await AssertAccessibleAsync($"regions-{name}-{theme}");

        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the window.");
    }
}
