using Microsoft.AspNetCore.Components;
using Portal.Web.Components.Controls;
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
        Assert.Equal(["Home", "Catalog", "Benchmarks", "Playground", "Evaluations", "Fine-tuning", "Traces", "Deployments", "AI services", "Settings"], entries);
        Assert.Contains("page body", cut.Find("main").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("button[aria-label='Theme: System']"));
    }

    [Fact]
    public async Task SidebarToggle_Click_CollapsesAndRemembersPerUser()
    {
        var cut = RenderLayout();

        await cut.ClickAsync("button[aria-label='Collapse navigation']");

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
        Assert.Contains("could not be read from the portal", cut.Find("main [role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SidebarToggle_Click_RemembersItInThisBrowsersCookieToo()
    {
        var cut = RenderLayout();

        await cut.ClickAsync("button[aria-label='Collapse navigation']");
        cut.WaitForAssertion(() =>
        {
            var remember = Assert.Single(JSInterop.Invocations, i => i.Identifier == "remember");
            Assert.Equal(["portal-sidebar", "collapsed"], remember.Arguments.Select(a => a?.ToString()));
        });

        await cut.ClickAsync("button[aria-label='Expand navigation']");
        cut.WaitForAssertion(() =>
            Assert.Equal(["portal-sidebar", null], JSInterop.Invocations.Where(i => i.Identifier == "remember").Last().Arguments.Select(a => a?.ToString())));
    }

    [Theory]
    [InlineData(true, "Expand navigation")]
    [InlineData(false, "Collapse navigation")]
    public void Prerender_ReadsNoPreferenceFromTheStore_FollowsTheSidebarCookie(bool collapsedCookie, string button)
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<MainLayout>(p => p
            .AddCascadingValue(new InitialTheme(ThemeMode.System, SystemDark: false, SidebarCollapsed: collapsedCookie))
            .Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        Assert.NotNull(cut.Find($"button[aria-label='{button}']"));
        Assert.Equal(0, Preferences.Reads);
    }

    [Fact]
    public void Interactive_StoredPreferenceWinsOverTheCookie()
    {
        Preferences.SetAsync("tester", MainLayout.SidebarPreferenceKey, "True", CancellationToken.None);

        var cut = Render<MainLayout>(p => p
            .AddCascadingValue(new InitialTheme(ThemeMode.System, SystemDark: false, SidebarCollapsed: true))
            .Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        Assert.NotNull(cut.Find("button[aria-label='Collapse navigation']"));
    }
}
