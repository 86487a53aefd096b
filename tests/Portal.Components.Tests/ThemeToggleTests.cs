using Microsoft.AspNetCore.Components;
using Portal.Web.Components.Controls;
using Portal.Web.Components.Layout;

namespace Portal.Components.Tests;

/// <summary>The theme menu in the app bar, in the layout that applies the choice.</summary>
public sealed class ThemeToggleTests : PortalBunitContext
{
    private IRenderedComponent<MainLayout> RenderLayout(ThemeMode mode, bool systemDark = false)
    {
        // What the browser says of the system's setting once the page is interactive (the theme provider's only yes/no question).
        JSInterop.Setup<bool>(_ => true).SetResult(systemDark);
        return Render<MainLayout>(p => p
            .AddCascadingValue(new InitialTheme(mode, systemDark))
            .Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));
    }

    private static async Task Choose(IRenderedComponent<MainLayout> cut, string current, string item)
    {
        await cut.ClickAsync($"button[aria-label='Theme: {current}']");
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[role=menuitemradio]"), i => i.TextContent.Trim() == item));
        await cut.InvokeAsync(() => cut.FindAll("[role=menuitemradio]").First(i => i.TextContent.Trim() == item).Click());
    }

    [Theory]
    [InlineData(ThemeMode.System, false, "System", "light")]
    [InlineData(ThemeMode.System, true, "System", "dark")]
    [InlineData(ThemeMode.Light, true, "Light", "light")]
    [InlineData(ThemeMode.Dark, false, "Dark", "dark")]
    public void FirstPaint_FollowsTheCookieOrElseTheSystem(ThemeMode mode, bool systemDark, string label, string shown)
    {
        var cut = RenderLayout(mode, systemDark);

        var button = cut.Find($"button[aria-label='Theme: {label}']");
        Assert.Equal(shown, button.Closest("[data-theme]")!.GetAttribute("data-theme"));
    }

    [Fact]
    public async Task ChoosingDark_AppliesItAtOnce_AndRemembersItInTheThemeCookie()
    {
        var cut = RenderLayout(ThemeMode.Light);

        await Choose(cut, "Light", "Dark");

        cut.WaitForAssertion(() => Assert.Equal("dark", cut.Find("button[aria-label='Theme: Dark']").Closest("[data-theme]")!.GetAttribute("data-theme")));
        // The cookie is written after the theme is applied: wait for it rather than race it.
        cut.WaitForAssertion(() =>
        {
            var remember = Assert.Single(JSInterop.Invocations, i => i.Identifier == "remember");
            Assert.Equal(["portal-theme", "dark"], remember.Arguments.Select(a => a?.ToString()));
        });
    }

    [Fact]
    public async Task ChoosingTheSystemSetting_ForgetsTheCookie()
    {
        var cut = RenderLayout(ThemeMode.Dark, systemDark: false);

        await Choose(cut, "Dark", "Use the system setting");

        cut.WaitForAssertion(() => Assert.Equal("light", cut.Find("button[aria-label='Theme: System']").Closest("[data-theme]")!.GetAttribute("data-theme")));
        // The cookie is written after the theme is applied: wait for it rather than race it.
        cut.WaitForAssertion(() =>
        {
            var remember = Assert.Single(JSInterop.Invocations, i => i.Identifier == "remember");
            Assert.Equal(["portal-theme", null], remember.Arguments.Select(a => a?.ToString()));
        });
    }

    [Fact]
    public void Prerendered_BeforeTheCircuitIsUp_IsDisabled_SoAClickIsNotLost()
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = RenderLayout(ThemeMode.Light);

        Assert.True(cut.Find("button[aria-label='Theme: Light']").HasAttribute("disabled"));
    }
}
