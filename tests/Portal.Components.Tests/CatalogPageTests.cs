using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Pages.Catalog;

namespace Portal.Components.Tests;

public sealed class CatalogPageTests : PortalBunitContext
{
    public CatalogPageTests()
    {
        // The page renders MudBlazor inputs whose script calls are not under test here.
    }

    private IRenderedComponent<Models> RenderAt(string relativeUrl)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(relativeUrl);
        return Render<Models>();
    }

    private static IElement Checkbox(IRenderedComponent<Models> cut, string facet, string label) =>
        cut.FindAll($"fieldset[data-facet={facet}] input[type=checkbox]")
            .Single(i => AccessibleName(i)!.StartsWith(label + ",", StringComparison.Ordinal));

    /// <summary>A control's accessible name: its aria-label, or the text of the element its aria-labelledby names.</summary>
    private static string? AccessibleName(IElement element) =>
        element.GetAttribute("aria-label")
        ?? (element.GetAttribute("aria-labelledby") is { } id ? element.Closest("label")?.QuerySelector($"[id='{id}']")?.TextContent : null);

    [Fact]
    public async Task Cards_AreMarkupOfOneComponent_WithOneTraySubscription_ThatFollowsTheTray()
    {
        var cut = RenderAt("models");
        var tray = Services.GetRequiredService<Portal.Web.Benchmarks.CompareTray>();

        // No component (and no tray subscription) per card: the grid renders the buttons and badges itself.
        Assert.Empty(cut.FindComponents<Portal.Web.Components.Controls.AddToCompareButton>());
        Assert.Empty(cut.FindComponents<Portal.Web.Components.Controls.LifecycleBadge>());
        var first = cut.FindAll(".catalog-card h2 a")[0].TextContent.Trim();
        var id = cut.FindAll(".catalog-card h2")[0].Id![5..];

        await cut.InvokeAsync(() => tray.AddAsync(id));

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("button[aria-pressed=true]"), b => b.TextContent.Contains($"(select to remove {first})", StringComparison.Ordinal)));
        Assert.Equal(47, cut.FindAll("button[aria-pressed=false]").Count(b => b.TextContent.StartsWith("Add to compare", StringComparison.Ordinal)));
    }

    [Fact]
    public void Render_NoQuery_ShowsEveryModelAndFacets()
    {
        var cut = RenderAt("models");

        Assert.Equal("67 models", cut.Find("[data-testid=catalog-total]").TextContent.Trim());
        Assert.Equal(48, cut.FindAll(".catalog-card").Count);
        Assert.Equal("Meta, 15 models", AccessibleName(Checkbox(cut, "publisher", "Meta")));
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
    public async Task CheckPublisher_NavigatesToAUrlThatCarriesIt()
    {
        var cut = RenderAt("models?task=chat-completion");

        await cut.InvokeAsync(() => Checkbox(cut, "publisher", "Mistral AI").Change(true));

        var uri = Services.GetRequiredService<NavigationManager>().Uri;
        Assert.EndsWith("models?publisher=Mistral%20AI&task=chat-completion", uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UncheckLastValue_RemovesTheFacetFromTheUrl()
    {
        var cut = RenderAt("models?publisher=Meta&page=2");

        await cut.InvokeAsync(() => Checkbox(cut, "publisher", "Meta").Change(false));

        Assert.EndsWith("/models", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Submitted_NavigatesWithTheText()
    {
        var cut = RenderAt("models?publisher=Meta");

        await cut.InputAsync("input[aria-label='Search models']", "llama 3.1");

        // The typed text reaches the page through the text field's own async handler, on a busy machine a moment after
        // Input returns: submit (as pressing Enter again would) until the search carries it.
        await cut.WaitForAssertionAsync(
            async () =>
            {
                await cut.SubmitAsync("form[role=search]");
                Assert.EndsWith("models?q=llama%203.1&publisher=Meta", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Search_AfterAPauseInTyping_NavigatesWithTheText()
    {
        var cut = RenderAt("models?publisher=Meta");

        await cut.InputAsync("input[aria-label='Search models']", "llama");

        cut.WaitForAssertion(
            () => Assert.EndsWith("models?q=llama&publisher=Meta", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
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
    public async Task Render_Filters_ShowAChipEach_ThatRemovesIt_AndFriendlyNames()
    {
        var cut = RenderAt("models?publisher=Meta&task=chat-completion");

        var chip = cut.Find("[data-testid=active-filters] [aria-label='Remove the filter Inference task: Chat completion']");
        Assert.Contains("Inference task: Chat completion", chip.TextContent, StringComparison.Ordinal);
        Assert.Equal("Chat completion, 8 models", AccessibleName(Checkbox(cut, "task", "Chat completion")));

        await cut.ClickAsync("[data-testid=active-filters] [aria-label='Remove the filter Inference task: Chat completion']");

        Assert.EndsWith("models?publisher=Meta", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
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
