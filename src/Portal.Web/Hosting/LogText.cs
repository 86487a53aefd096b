using System.Globalization;
using System.Text;

namespace Portal.Web.Hosting;

/// <summary>
/// Makes user-supplied text safe to log as a structured value: line breaks, other control characters, Unicode line
/// separators and bidirectional controls become visible escapes (<c>\n</c>, <c>\u202E</c>), so a file name cannot start
/// a forged log line or reorder what a reader sees.
/// </summary>
public static class LogText
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when NeedsEscape(c) => builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    internal static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' || IsBidiControl(c);
}
