using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

[Collection(PortalServerGroup.Name)]
public sealed class CatalogTests(PortalServerFixture server) : PortalPageTest(server)
{
    private ILocator Total => Page.GetByTestId("catalog-total");

    private ILocator Facet(string facet, string value) =>
        Page.Locator($"fieldset[data-facet={facet}]").GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^" + Regex.Escape(value) + ",") });

    [Fact]
    public async Task Facets_TwoPublishersAndATask_UrlCarriesTheViewThroughReloadAndBack()
    {
        await OpenInteractiveAsync("models");
        await Assertions.Expect(Total).ToHaveTextAsync("67 models");
        await Page.EvaluateAsync("() => { window.__portalSameDocument = 'yes'; }");

        await Facet("publisher", "Meta").CheckAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models\\?publisher=Meta$"));
        await Facet("publisher", "Microsoft").CheckAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models\\?publisher=Meta&publisher=Microsoft$"));
        await Assertions.Expect(Total).ToHaveTextAsync("26 models");
        await Facet("task", "Chat completion").CheckAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models\\?publisher=Meta&publisher=Microsoft&task=chat-completion$"));
        await Assertions.Expect(Total).ToHaveTextAsync("18 models");
        Assert.Equal("yes", await Page.EvaluateAsync<string?>("() => window.__portalSameDocument ?? null"));

        await Page.ReloadAsync();
        await WaitForCircuitAsync();
        await Assertions.Expect(Total).ToHaveTextAsync("18 models");
        await Assertions.Expect(Facet("publisher", "Microsoft")).ToBeCheckedAsync();
        await Assertions.Expect(Facet("task", "Chat completion")).ToBeCheckedAsync();

        await Page.GoBackAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models\\?publisher=Meta&publisher=Microsoft$"));
        await Assertions.Expect(Total).ToHaveTextAsync("26 models");
        await Assertions.Expect(Facet("task", "Chat completion")).Not.ToBeCheckedAsync();
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task SharedLink_OpensTheSameViewAndCardOpensTheModelPage()
    {
        await OpenInteractiveAsync("models?publisher=Microsoft&task=chat-completion&sort=context");
        await Assertions.Expect(Total).ToHaveTextAsync("10 models");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Phi-3-mini instruct (4k)", Exact = true }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("models/Phi-3-mini-4k-instruct$"));
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Phi-3-mini instruct (4k)");
        await Assertions.Expect(Page.Locator("tr[data-fact='License'] .model-fact-value")).ToHaveTextAsync("MIT");
        await Assertions.Expect(Page.Locator("tr[data-fact='Context window'] .model-fact-value")).ToHaveTextAsync("4,096 tokens");
        await Assertions.Expect(Page.Locator("tr[data-fact='Context window'] .model-fact-source a")).ToHaveAttributeAsync("href", new Regex("^https://"));
        Assert.True(await Page.GetByTestId("model-sources").Locator("li").CountAsync() >= 1);
        Assert.Empty(BrowserErrors);
    }
}
