using System.Text.Json;
using Portal.Azure;

namespace Portal.Web.AiServices;

/// <summary>Where a fact of the directory was read: a page (and, for Microsoft Learn's sources, the file and commit).</summary>
public sealed record DirectorySource(string Title, Uri Url, string? File);

/// <summary>An account kind (<c>Microsoft.CognitiveServices/accounts</c>) or another resource type that provides a service, with its source.</summary>
public sealed record SourcedValue(string Value, string Source);

public sealed record ServiceDocs(string Title, Uri Url, string Source);

/// <summary>One service of the directory: what it does and its typical uses (written for the portal), and its sourced facts.</summary>
public sealed record AiServiceEntry(
    string Id,
    string Name,
    string Summary,
    IReadOnlyList<string> Uses,
    IReadOnlyList<SourcedValue> Kinds,
    IReadOnlyList<SourcedValue> ResourceTypes,
    IReadOnlyList<ServiceDocs> Docs)
{
    /// <summary>Whether an account of <paramref name="kind"/> provides this service (kinds compare without case, as ARM's do).</summary>
    public bool IsProvidedBy(string kind) => Kinds.Any(k => string.Equals(k.Value, kind, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The AI services directory (<c>/services</c>): the services, the account kinds or resource types that provide each,
/// and their documentation, read from the embedded <c>ai-services.json</c>, where every fact names its source.
/// </summary>
public sealed class AiServicesDirectory
{
    public const string ResourceName = "Portal.Web.AiServices.ai-services.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, string> _kindLabels;

    public AiServicesDirectory(IReadOnlyList<AiServiceEntry> services, IReadOnlyDictionary<string, DirectorySource> sources, IReadOnlyDictionary<string, string> kindLabels)
    {
        Services = services;
        Sources = sources;
        _kindLabels = new Dictionary<string, string>(kindLabels, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<AiServiceEntry> Services { get; }

    public IReadOnlyDictionary<string, DirectorySource> Sources { get; }

    public IReadOnlyDictionary<string, string> KindLabels => _kindLabels;

    /// <summary>The directory shipped with the portal.</summary>
    public static AiServicesDirectory Load()
    {
        using var stream = typeof(AiServicesDirectory).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        return Parse(stream);
    }

    public static AiServicesDirectory Parse(Stream json)
    {
        var file = JsonSerializer.Deserialize<DirectoryFile>(json, Json) ?? throw new InvalidOperationException("The AI services directory is empty.");
        var services = (file.Services ?? []).Select(s => new AiServiceEntry(
            s.Id ?? "", s.Name ?? "", s.Summary ?? "", s.Uses ?? [],
            [.. (s.Kinds ?? []).Select(k => new SourcedValue(k.Kind ?? "", k.Source ?? ""))],
            [.. (s.ResourceTypes ?? []).Select(t => new SourcedValue(t.Type ?? "", t.Source ?? ""))],
            [.. (s.Docs ?? []).Select(d => new ServiceDocs(d.Title ?? "", new Uri(d.Url ?? "", UriKind.RelativeOrAbsolute), d.Source ?? ""))])).ToList();
        var sources = (file.Sources ?? []).ToDictionary(s => s.Key, s => new DirectorySource(s.Value.Title ?? "", new Uri(s.Value.Url ?? "", UriKind.RelativeOrAbsolute), s.Value.File), StringComparer.Ordinal);
        return new AiServicesDirectory(services, sources, file.KindLabels ?? []);
    }

    /// <summary>An account's kind in words ("Azure OpenAI", "AI services (multi-service)"); the kind itself when the directory does not know it.</summary>
    public string KindLabel(string kind) => _kindLabels.TryGetValue(kind, out var label) ? label : kind;

    /// <summary>The services an account of <paramref name="kind"/> provides (an <c>AIServices</c> account provides several).</summary>
    public IReadOnlyList<AiServiceEntry> ServicesOf(string kind) => [.. Services.Where(s => s.IsProvidedBy(kind))];

    /// <summary>The user's accounts that provide <paramref name="service"/>.</summary>
    public static IReadOnlyList<AzureAIAccount> AccountsFor(AiServiceEntry service, IEnumerable<AzureAIAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(service);
        return [.. (accounts ?? []).Where(a => service.IsProvidedBy(a.Kind))];
    }

    /// <summary>The services whose name, summary, uses or kinds contain every word of <paramref name="query"/> (all of them when it is empty).</summary>
    public IReadOnlyList<AiServiceEntry> Search(string? query)
    {
        var words = (query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 0
            ? Services
            : [.. Services.Where(s => words.All(w => Text(s).Contains(w, StringComparison.OrdinalIgnoreCase)))];
    }

    private static string Text(AiServiceEntry s) =>
        string.Join(' ', [s.Name, s.Summary, .. s.Uses, .. s.Kinds.Select(k => k.Value), .. s.ResourceTypes.Select(t => t.Value)]);

    private sealed class DirectoryFile
    {
        public Dictionary<string, SourceJson>? Sources { get; set; }

        public Dictionary<string, string>? KindLabels { get; set; }

        public List<ServiceJson>? Services { get; set; }
    }

    private sealed class SourceJson
    {
        public string? Title { get; set; }

        public string? Url { get; set; }

        public string? File { get; set; }
    }

    private sealed class ServiceJson
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Summary { get; set; }

        public List<string>? Uses { get; set; }

        public List<KindJson>? Kinds { get; set; }

        public List<TypeJson>? ResourceTypes { get; set; }

        public List<DocsJson>? Docs { get; set; }
    }

    private sealed class KindJson
    {
        public string? Kind { get; set; }

        public string? Source { get; set; }
    }

    private sealed class TypeJson
    {
        public string? Type { get; set; }

        public string? Source { get; set; }
    }

    private sealed class DocsJson
    {
        public string? Title { get; set; }

        public string? Url { get; set; }

        public string? Source { get; set; }
    }
}
