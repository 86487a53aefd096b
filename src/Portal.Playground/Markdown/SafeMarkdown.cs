using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Portal.Playground.Markdown;

/// <summary>
/// Renders model output (untrusted) as HTML: Markdown with raw HTML disabled (it is shown as text), and links or
/// images whose address is not http(s), mailto or a fragment turned into plain text — no <c>javascript:</c> or
/// <c>data:</c> URLs. No extension that lets text set HTML attributes is enabled.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    public static string ToHtml(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return "";
        }

        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsSafe(link.Url))
            {
                var label = string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
                // ReplaceBy would move the link's children after the replacement (the label twice): drop them first.
                while (link.FirstChild is { } child)
                {
                    child.Remove();
                }

                link.ReplaceBy(new LiteralInline(label.Length > 0 ? $"{label} (link removed)" : "(link removed)"));
            }
            else
            {
                link.IsImage = false; // model output never loads remote images into the page
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().Where(a => !IsSafe(a.Url)).ToList())
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }

        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var trimmed = url.Trim();
        if (trimmed.StartsWith('#'))
        {
            return true;
        }

        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeMailto);
    }
}
