using System.Net;
using ColorCode;

namespace Portal.Web.Code;

/// <summary>
/// Syntax highlighting for the code samples, on the server: ColorCode's class-based formatter writes spans with CSS
/// classes (styled for light and dark by the code block) and HTML-encodes the code itself. A language it doesn't know
/// (curl's shell) is shown plain, encoded.
/// </summary>
public static class CodeHighlighter
{
    private static readonly HtmlClassFormatter Formatter = new();

    /// <summary>The code as HTML for inside a <c>&lt;code&gt;</c> element.</summary>
    public static string Html(string code, string language)
    {
        ArgumentNullException.ThrowIfNull(code);
        var lang = language switch
        {
            "csharp" => Languages.CSharp,
            "python" => Languages.Python,
            "javascript" => Languages.JavaScript,
            "json" => Languages.FindById("json"),
            _ => null,
        };
        if (lang is null)
        {
            return WebUtility.HtmlEncode(code);
        }

        string html;
        lock (Formatter)
        {
            html = Formatter.GetHtmlString(code, lang);
        }

        // The formatter wraps its output in <div><pre>…</pre></div>: the page has its own.
        var start = html.IndexOf("<pre", StringComparison.Ordinal);
        var open = start < 0 ? -1 : html.IndexOf('>', start);
        var end = html.LastIndexOf("</pre>", StringComparison.Ordinal);
        return (open < 0 || end < open ? html : html[(open + 1)..end]).Trim('\r', '\n');
    }
}
