using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Controls;
using Radzen;

namespace Portal.Components.Tests;

public sealed class ThemeToggleTests : PortalBunitContext
{
    public ThemeToggleTests()
    {
        // A leaf that only renders Radzen: loose JS interop, as the house style allows.
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Click_LightTheme_SwitchesToDarkAndRelabels()
    {
        var themes = Services.GetRequiredService<ThemeService>();
        themes.SetTheme(PortalThemes.Light, triggerChange: false);
        var cut = Render<ThemeToggle>();

        cut.Find("button[aria-label='Switch to dark theme']").Click();

        Assert.Equal(PortalThemes.Dark, themes.Theme);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("button[aria-label='Switch to light theme']")));
    }

    [Fact]
    public void Click_Twice_ReturnsToLightTheme()
    {
        var themes = Services.GetRequiredService<ThemeService>();
        themes.SetTheme(PortalThemes.Light, triggerChange: false);
        var cut = Render<ThemeToggle>();

        cut.Find("button").Click();
        cut.Find("button").Click();

        Assert.Equal(PortalThemes.Light, themes.Theme);
        Assert.Equal("Switch to dark theme", cut.Find("button").GetAttribute("aria-label"));
    }

    [Fact]
    public void Click_PersistsChoiceInTheThemeCookie()
    {
        Services.GetRequiredService<ThemeService>().SetTheme(PortalThemes.Light, triggerChange: false);
        var cut = Render<ThemeToggle>();

        cut.Find("button").Click();

        // Radzen's CookieThemeService writes the cookie through JS interop when the theme changes.
        var write = Assert.Single(JSInterop.Invocations, i => i.Arguments.Any(a => a?.ToString()?.Contains("portal-theme=material-dark", StringComparison.Ordinal) == true));
        Assert.NotNull(write.Identifier);
    }

    [Fact]
    public void Prerendered_BeforeTheCircuitIsUp_IsDisabled_SoAClickIsNotLost()
    {
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        Services.GetRequiredService<ThemeService>().SetTheme(PortalThemes.Light, triggerChange: false);

        var cut = Render<ThemeToggle>();

        Assert.True(cut.Find("button[aria-label='Switch to dark theme']").HasAttribute("disabled"));
    }
}
