using Portal.Web.Playground;

namespace Portal.Tests.Playground;

/// <summary>History titles are plain text: Markdown typed in the first message must not show as raw markup.</summary>
public sealed class SessionTitleTests
{
    [Theory]
    [InlineData("**Bold** question", "Bold question")]
    [InlineData("# Heading here", "Heading here")]
    [InlineData("> quoted _text_ and *more*", "quoted text and more")]
    [InlineData("- [a link](https://example.com) and ![alt text](x.png)", "a link and alt text")]
    [InlineData("`code` with ~~strike~~ and __under__", "code with strike and under")]
    [InlineData("snake_case_name stays", "snake_case_name stays")]
    [InlineData("2 * 3 * 4 = 24", "2 * 3 * 4 = 24")]
    [InlineData("   ", "Untitled session")]
    public void Title_StripsMarkdownMarkup(string first, string expected) =>
        Assert.Equal(expected, PlaygroundSessions.Title(first + "\nsecond line"));

    [Fact]
    public void Title_IsTheFirstLine_CutAt80Characters()
    {
        var title = PlaygroundSessions.Title("**" + new string('a', 100) + "**");

        Assert.Equal(80, title.Length);
        Assert.EndsWith("…", title, StringComparison.Ordinal);
        Assert.DoesNotContain("*", title, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainText_OfAnAlreadySavedTitle_DropsTheMarkup() =>
        Assert.Equal("Hello world", PlaygroundSessions.PlainText("**Hello** _world_"));
}
