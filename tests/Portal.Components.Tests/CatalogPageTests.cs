using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Pages.Catalog;

namespace Portal.Components.Tests;

public sealed class CatalogPageTests : PortalBunitContext
{
    public CatalogPageTests()
    {
        // The page renders Radzen inputs (drop-downs, toggle) whose script calls are not under test here.
    }

    private IRenderedComponent<Models> RenderAt(string relativeUrl)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(relativeUrl);
        return Render<Models>();
    }

    private static IElement Checkbox(IRenderedComponent<Models> cut, string facet, string label) =>
        cut.FindAll($"fieldset[data-facet={facet}] input[type=checkbox]")
            .Single(i => i.GetAttribute("aria-label")!.StartsWith(label + ",", StringComparison.Ordinal));

    [Fact]
    public void Render_NoQuery_ShowsEveryModelAndFacets()
    {
        var cut = RenderAt("models");

        Assert.Equal("67 models", cut.Find("[data-testid=catalog-total]").TextContent.Trim());
        Assert.Equal(48, cut.FindAll(".catalog-card").Count);
        Assert.Equal("Meta, 15 models", Checkbox(cut, "publisher", "Meta").GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_FiltersInUrl_AreAppliedAndChecked()
    {
        var cut = RenderAt("models?publisher=Meta&publisher=Microsoft&task=chat-completion");

        Assert.Equal("18 models", cut.Find("[data-testid=catalog-total]").TextContent.Trim());
        Assert.True(Checkbox(cut, "publisher", "Meta").HasAttribute("checked"));
        Assert.True(Checkbox(cut, "publisher", "Microsoft").HasAttribute("checked"));
        Assert.False(Checkbox(cut, "publisher", "Cohere").HasAttribute("checked"));
        Assert.All(cut.FindAll(".catalog-card-meta"), meta => Assert.Matches("^(Meta|Microsoft) ", meta.TextContent));
    }

    [Fact]
    public void CheckPublisher_NavigatesToAUrlThatCarriesIt()
    {
        var cut = RenderAt("models?task=chat-completion");

        Checkbox(cut, "publisher", "Mistral AI").Change(true);

        var uri = Services.GetRequiredService<NavigationManager>().Uri;
        Assert.EndsWith("models?publisher=Mistral%20AI&task=chat-completion", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void UncheckLastValue_RemovesTheFacetFromTheUrl()
    {
        var cut = RenderAt("models?publisher=Meta&page=2");

        Checkbox(cut, "publisher", "Meta").Change(false);

        Assert.EndsWith("/models", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_Submitted_NavigatesWithTheText()
    {
        var cut = RenderAt("models?publisher=Meta");

        cut.Find("input[aria-label='Search models']").Change("llama 3.1");
        cut.Find("form[role=search]").Submit();

        Assert.EndsWith("models?q=llama%203.1&publisher=Meta", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownAndMalformedValues_ShowNoticesAndIgnoreThem()
    {
        var cut = RenderAt("models?publisher=Nobody&sort=sideways&page=x&colour=red");

        var notices = cut.Find(".catalog-notices").TextContent;
        Assert.Contains("Ignored publisher 'Nobody'", notices, StringComparison.Ordinal);
        Assert.Contains("Ignored sort 'sideways'", notices, StringComparison.Ordinal);
        Assert.Contains("Ignored page 'x'", notices, StringComparison.Ordinal);
        Assert.Contains("'colour'", notices, StringComparison.Ordinal);
        Assert.Equal("67 models", cut.Find("[data-testid=catalog-total]").TextContent.Trim());
    }

    [Fact]
    public void Render_ListView_ShowsTableWithUnknownsAsDash()
    {
        var cut = RenderAt("models?view=list&publisher=Cohere");

        var rows = cut.FindAll(".catalog-table tbody tr");
        Assert.Equal(8, rows.Count);
        Assert.Contains(rows, r => r.Children[4].TextContent == "—");
    }

    [Fact]
    public void Render_PageBeyondTheLast_ShowsLastPageWithNotice()
    {
        var cut = RenderAt("models?page=9");

        Assert.Contains("There is no page 9", cut.Find(".catalog-notices").TextContent, StringComparison.Ordinal);
        Assert.Equal(19, cut.FindAll(".catalog-card").Count);
    }

    [Fact]
    public void Pager_LinksCarryTheFilters()
    {
        var cut = RenderAt("models?pageSize=24&sort=context");

        var next = cut.Find(".catalog-pager a[rel=next]");
        Assert.Equal("models?sort=context&pageSize=24&page=2", next.GetAttribute("href"));
    }

    [Fact]
    public void Render_RetiredModel_ShowsItsRetirementDate()
    {
        var cut = RenderAt("models?q=Llama-2-7b-chat");

        Assert.Contains("Retired 2025-06-30", cut.Find(".catalog-card").TextContent, StringComparison.OrdinalIgnoreCase);
    }
}
