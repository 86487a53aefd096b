using Portal.Web.Components.Controls;

namespace Portal.Tests.Hosting;

public sealed class PortalThemesTests
{
    [Theory]
    [InlineData("dark", ThemeMode.Dark)]
    [InlineData("DARK", ThemeMode.Dark)]
    [InlineData("light", ThemeMode.Light)]
    [InlineData("material-dark", ThemeMode.Dark)] // the cookie an earlier version wrote: the user's choice is kept
    [InlineData("material", ThemeMode.Light)]
    [InlineData(null, ThemeMode.System)]
    [InlineData("", ThemeMode.System)]
    [InlineData("standard", ThemeMode.System)]
    [InlineData("../../etc/passwd", ThemeMode.System)]
    public void Parse_AnyCookieValue_GivesAKnownChoice(string? cookie, ThemeMode expected)
    {
        Assert.Equal(expected, PortalThemes.Parse(cookie));
    }

    [Theory]
    [InlineData(ThemeMode.Light, "light")]
    [InlineData(ThemeMode.Dark, "dark")]
    [InlineData(ThemeMode.System, null)]
    public void CookieValue_RoundTrips(ThemeMode mode, string? expected)
    {
        Assert.Equal(expected, PortalThemes.CookieValue(mode));
        Assert.Equal(mode, PortalThemes.Parse(PortalThemes.CookieValue(mode)));
    }
}
