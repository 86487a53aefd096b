using Portal.Playground.Markdown;

namespace Portal.Tests.Playground;

public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("[x](javascript:alert(1))", "javascript:")]
    [InlineData("![x](https://tracker.example/pixel.png)", "<img")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:")]
    public void UnsafeContent_NeverBecomesMarkup(string markdown, string forbidden) =>
        Assert.DoesNotContain(forbidden, SafeMarkdown.ToHtml(markdown), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Markdown_IsRendered()
    {
        var html = SafeMarkdown.ToHtml("**bold** and `code`\n\n```csharp\nvar x = 1;\n```\n\n[docs](https://learn.microsoft.com)");

        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code class=\"language-csharp\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://learn.microsoft.com\">docs</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[jslink](javascript:alert(1))", "jslink")]
    [InlineData("see [the **docs**](data:text/html,x) now", "docs")]
    public void RemovedLink_ShowsItsLabelOnce_WithTheNote(string markdown, string label)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.Equal(1, html.Split(label).Length - 1); // the label appears exactly once
        Assert.Contains("(link removed)", html, StringComparison.Ordinal);
    }
}
