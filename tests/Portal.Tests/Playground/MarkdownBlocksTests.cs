using Portal.Playground.Markdown;

namespace Portal.Tests.Playground;

public sealed class MarkdownBlocksTests
{
    [Fact]
    public void Update_GrowingText_KeepsFinishedBlocks_AndParsesOnlyTheRest()
    {
        var blocks = new MarkdownBlocks();

        blocks.Update("# Title\n\nFirst **para", complete: false);
        var title = Assert.Single(blocks.Finished);
        blocks.Update("# Title\n\nFirst **paragraph**.\n\n```\ncode\n\nmore code", complete: false);

        Assert.Equal(2, blocks.Finished.Count);
        Assert.Same(title, blocks.Finished[0]);
        Assert.Contains("<strong>paragraph</strong>", blocks.Finished[1], StringComparison.Ordinal);
        Assert.Contains("more code", blocks.Tail, StringComparison.Ordinal); // a blank line inside a code fence ends no block
    }

    [Fact]
    public void Update_Complete_ParsesTheWholeTextOnce_Safely()
    {
        var blocks = new MarkdownBlocks();
        blocks.Update("- a\n\n", complete: false);

        blocks.Update("- a\n\n- b\n\n<script>x</script>", complete: true);

        var html = Assert.Single(blocks.Finished);
        Assert.Single(html.Split("<ul>").Skip(1));
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Equal("", blocks.Tail);
    }
}
