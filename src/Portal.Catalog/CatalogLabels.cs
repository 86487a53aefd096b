using System.Globalization;

namespace Portal.Catalog;

/// <summary>
/// The words the portal shows for the catalog's identifiers: tasks ("chat-completion" → "Chat completion"), licences
/// ("apache-2.0" → "Apache 2.0") and dates (one format everywhere). The identifiers themselves stay in URLs and the API.
/// </summary>
public static class CatalogLabels
{
    /// <summary>The one date format of the portal's pages (as the lifecycle badges print them): "2025-06-30".</summary>
    public const string DateFormat = "yyyy-MM-dd";

    private static readonly Dictionary<string, string> TaskNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["chat-completion"] = "Chat completion",
        ["text-generation"] = "Text generation",
        ["embeddings"] = "Embeddings",
        ["image-embeddings"] = "Image embeddings",
        ["text-to-image"] = "Text to image",
        ["text-classification"] = "Text classification",
        ["image-classification"] = "Image classification",
        ["zero-shot-image-classification"] = "Zero-shot image classification",
        ["automatic-speech-recognition"] = "Speech recognition",
        ["time-series-forecasting"] = "Time-series forecasting",
        ["question-answering"] = "Question answering",
        ["fill-mask"] = "Fill mask",
        ["rerank"] = "Rerank",
        ["summarization"] = "Summarization",
    };

    private static readonly Dictionary<string, string> LicenseNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mit"] = "MIT",
        ["apache-2.0"] = "Apache 2.0",
        ["llama2"] = "Llama 2 Community License",
        ["llama3"] = "Llama 3 Community License",
        ["llama3.1"] = "Llama 3.1 Community License",
        ["llama3.2"] = "Llama 3.2 Community License",
        ["llama3.3"] = "Llama 3.3 Community License",
        ["custom"] = "Custom licence",
        ["proprietary"] = "Proprietary",
        ["creativeml-openrail++-m"] = "CreativeML OpenRAIL++-M",
        ["creativeml-openrail-m"] = "CreativeML OpenRAIL-M",
        ["cc-by-4.0"] = "CC BY 4.0",
        ["cc-by-nc-4.0"] = "CC BY-NC 4.0",
    };

    /// <summary>A task id as words: a known one by name, any other with its hyphens as spaces and a capital first letter.</summary>
    public static string Task(string? task)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            return "";
        }

        var id = task.Trim();
        return TaskNames.TryGetValue(id, out var name) ? name : Sentence(id.Replace('-', ' ').Replace('_', ' '));
    }

    /// <summary>A licence id as its usual name; a licence already written as words ("Jamba Open Model License") is kept.</summary>
    public static string License(string? license)
    {
        if (string.IsNullOrWhiteSpace(license))
        {
            return "";
        }

        var id = license.Trim();
        return LicenseNames.TryGetValue(id, out var name) ? name : id;
    }

    /// <summary>A date in the portal's one format, or "" when there is none.</summary>
    public static string Date(DateOnly? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "";

    /// <summary>A date and time (UTC) in the portal's one format: "2025-06-30 14:05 UTC".</summary>
    public static string DateTime(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString(DateFormat + " HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// A date the sources printed as text: an ISO date or date and time ("2024-04-23T00:00:00Z") as a date, anything else
    /// ("Oct 2023", "2024-04") as printed.
    /// </summary>
    public static string Date(string? printed)
    {
        if (string.IsNullOrWhiteSpace(printed))
        {
            return "";
        }

        var text = printed.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Date(date);
        }

        return text.Length > 10 && text[10] == 'T' && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            ? Date(date)
            : text;
    }

    /// <summary>
    /// What the data says about the licence of a model: its licence by name; with none, "Proprietary" only when the
    /// licence note says so; otherwise that the portal's sources don't publish one.
    /// </summary>
    public static string LicenseOf(CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!string.IsNullOrWhiteSpace(model.License))
        {
            return License(model.License);
        }

        return model.LicenseNote is { } note && note.TrimStart().StartsWith("Proprietary", StringComparison.OrdinalIgnoreCase)
            ? string.Equals(model.Collection, "Azure OpenAI", StringComparison.OrdinalIgnoreCase) ? "Proprietary (Azure OpenAI terms)" : "Proprietary"
            : NoLicense;
    }

    /// <summary>Said where no source names a licence.</summary>
    public const string NoLicense = "Not published in the portal's sources";

    /// <summary>
    /// A readable title for a source address: its host and its last path segment, decoded
    /// ("github.com › models.md"); a source that is not an address (a catalog source's name) as it is.
    /// </summary>
    public static string SourceTitle(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return source;
        }

        var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
        var last = uri.Segments.Length > 1 ? Uri.UnescapeDataString(uri.Segments[^1].TrimEnd('/')) : "";
        return last.Length == 0 ? host : $"{host} › {last}";
    }

    private static string Sentence(string words) =>
        words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
}
