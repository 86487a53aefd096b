using Microsoft.AspNetCore.Components;
using Portal.Web.Components.Layout;

namespace Portal.Components.Tests;

public sealed class MainLayoutTests : PortalBunitContext
{
    public MainLayoutTests()
    {
    }

    private IRenderedComponent<MainLayout> RenderLayout(string body = "page body") =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, body))));

    [Fact]
    public void Render_ShowsProductNameNavigationAndBody()
    {
        var cut = RenderLayout();

        Assert.Contains("Model Catalog Portal", cut.Find(".portal-brand").TextContent, StringComparison.Ordinal);
        var entries = cut.Find("[aria-label='Main navigation']").QuerySelectorAll("a").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(["Home", "Catalog", "Benchmarks", "Playground", "Evaluations", "Traces", "Deployments", "Settings"], entries);
        Assert.Contains("page body", cut.Find("main").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("button[aria-label='Theme: System']"));
    }

    [Fact]
    public void SidebarToggle_Click_CollapsesAndRemembersPerUser()
    {
        var cut = RenderLayout();

        cut.Find("button[aria-label='Collapse navigation']").Click();

        Assert.Equal("False", Preferences.Peek("tester", MainLayout.SidebarPreferenceKey));
        Assert.NotNull(cut.Find("button[aria-label='Expand navigation']"));
    }

    [Fact]
    public void Render_StoredCollapsedPreference_StartsCollapsed()
    {
        Preferences.SetAsync("tester", MainLayout.SidebarPreferenceKey, "False", CancellationToken.None);

        var cut = RenderLayout();

        Assert.NotNull(cut.Find("button[aria-label='Expand navigation']"));
    }

    [Fact]
    public void Render_PreferenceStoreDown_StillRendersExpanded()
    {
        Preferences.FailWith = new InvalidOperationException("store down");

        var cut = RenderLayout();

        Assert.NotNull(cut.Find("button[aria-label='Collapse navigation']"));
        Assert.Contains("page body", cut.Find("main").TextContent, StringComparison.Ordinal);
    }
}
