using Portal.Web.Components.Controls;

namespace Portal.Tests.Hosting;

public sealed class PortalThemesTests
{
    [Theory]
    [InlineData("material-dark", "material-dark")]
    [InlineData("MATERIAL-DARK", "material-dark")]
    [InlineData("material", "material")]
    [InlineData(null, "material")]
    [InlineData("", "material")]
    [InlineData("standard", "material")]
    [InlineData("../../etc/passwd", "material")]
    public void Normalize_AnyCookieValue_GivesAKnownTheme(string? cookie, string expected)
    {
        Assert.Equal(expected, PortalThemes.Normalize(cookie));
    }
}
