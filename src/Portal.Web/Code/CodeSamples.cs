using System.Text.Json;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Catalog;
using Portal.Playground.Inference;

namespace Portal.Web.Code;

/// <summary>
/// The one code-sample generator: C# (OpenAI SDK), Python and JavaScript (<c>openai</c>) and curl, for a playground's
/// "View code" (the session's real endpoint, model, messages and parameters) and for a model page (the model's id, the
/// endpoint from <c>OPENAI_BASE_URL</c>). The key is always an environment variable, never written out.
/// </summary>
public static partial class CodeSamples
{
    public const string EntraScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>The environment variable a model page's samples read the endpoint from.</summary>
    public const string BaseUrlVariable = "OPENAI_BASE_URL";

    /// <summary>What a model page's samples ask.</summary>
    public const string Prompt = "Say hello in one sentence.";

    public const string ImagePrompt = "A lighthouse at dawn, watercolour";

    public static string KeyVariable(ConnectionKind kind) => kind switch
    {
        ConnectionKind.AzureOpenAI => "AZURE_OPENAI_API_KEY",
        ConnectionKind.AzureAIFoundry => "AZURE_AI_API_KEY",
        ConnectionKind.GitHubModels => "GITHUB_TOKEN",
        _ => "OPENAI_API_KEY",
    };

    /// <summary>The OpenAI-compatible API for a model's tasks, or null when its task is served by another API.</summary>
    public static CodeApi? ApiFor(CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        bool Has(string task) => model.InferenceTasks.Contains(task, StringComparer.OrdinalIgnoreCase);
        return Has("chat-completion") ? CodeApi.Chat
            : Has("embeddings") ? CodeApi.Embeddings
            : Has("text-to-image") ? CodeApi.Images
            : Has("text-generation") ? CodeApi.Completions
            : null;
    }

    /// <summary>A model page's samples: the model's id against any OpenAI-compatible endpoint; none when no such API serves it.</summary>
    public static IReadOnlyList<CodeSample> For(CatalogModel model) => For(model, ConnectionKind.OpenAICompatible, null, ConnectionAuth.ApiKey);

    /// <summary>
    /// A model page's samples against one of the user's connections that serves the model: its kind, endpoint and
    /// authentication (the key still an environment variable); <paramref name="endpoint"/> null reads <c>OPENAI_BASE_URL</c>.
    /// </summary>
    public static IReadOnlyList<CodeSample> For(CatalogModel model, ConnectionKind kind, Uri? endpoint, ConnectionAuth auth)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ApiFor(model) is { } api
            ? For(new CodeRequest(
                kind,
                endpoint,
                auth,
                model.Id,
                api,
                [new(ChatRole.User, Prompt)],
                api == CodeApi.Images ? ImagePrompt : Prompt,
                new GenerationParameters { MaxTokens = api == CodeApi.Completions ? 100 : null }))
            : [];
    }

    public static IReadOnlyList<CodeSample> For(CodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var samples = new List<CodeSample>();

        // The OpenAI .NET SDK has no client for the legacy /completions API.
        if (request.Api != CodeApi.Completions)
        {
            samples.Add(new("csharp", "C#", CSharp(request)));
        }

        samples.Add(new("python", "Python", Python(request)));
        samples.Add(new("javascript", "JavaScript", JavaScript(request)));
        samples.Add(new("bash", "curl", Curl(request)));
        return samples;
    }

    /// <summary>The JSON body the portal sends (what curl posts, and what the SDK calls mirror).</summary>
    public static JsonObject Body(CodeRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var body = new JsonObject { ["model"] = r.Model };
        switch (r.Api)
        {
            case CodeApi.Images:
                body["prompt"] = r.Prompt;
                body["n"] = r.Image?.Count ?? 1;
                if (r.Image?.Size is { Length: > 0 } size)
                {
                    body["size"] = size;
                }

                if (r.Image?.Quality is { Length: > 0 } quality)
                {
                    body["quality"] = quality;
                }

                if (r.Image?.Style is { Length: > 0 } style)
                {
                    body["style"] = style;
                }

                body["response_format"] = "b64_json";
                return body;
            case CodeApi.Embeddings:
                body["input"] = r.Prompt;
                return body;
            case CodeApi.Completions:
                body["prompt"] = r.Prompt;
                break;
            default:
                body["messages"] = new JsonArray([.. r.Messages.Select(m => (JsonNode?)new JsonObject { ["role"] = m.Role.ToString().ToLowerInvariant(), ["content"] = m.Content })]);
                break;
        }

        InferenceService.AddParameters(body, r.Parameters);
        return body;
    }

    /// <summary>Chat and completions stream, as the playground does; embeddings and images answer at once.</summary>
    private static bool Streams(CodeRequest r) => r.Api is CodeApi.Chat or CodeApi.Completions;

    private static string Path(CodeApi api) => api switch
    {
        CodeApi.Images => "images/generations",
        CodeApi.Completions => "completions",
        CodeApi.Embeddings => "embeddings",
        _ => "chat/completions",
    };

    private static bool AzureKey(CodeRequest r) => r.Auth == ConnectionAuth.ApiKey && r.Kind is ConnectionKind.AzureOpenAI or ConnectionKind.AzureAIFoundry;

    /// <summary>
    /// A C# regular string literal and a JavaScript string literal at once: JSON string encoding with the default
    /// (strict) encoder, so every quote, backslash, control character, line or paragraph separator and non-ASCII
    /// character is a \uXXXX or short escape that both languages read back exactly, and nothing like <c>&lt;/script&gt;</c>,
    /// <c>${…}</c> or <c>*/</c> can end the literal.
    /// </summary>
    private static string Q(string text) => Readable(JsonSerializer.Serialize(text));

    /// <summary>
    /// JSON as it is shown to a reader: the strict encoder's <c>\u002B</c> (+), <c>\u0026</c> (&amp;) and <c>\u0060</c> (`)
    /// written as the characters, which mean the same inside a C#, JavaScript or JSON string and end none of them. Every
    /// other escape stays, and an escaped backslash (<c>\\u002B</c>, the text "\u002B") stays as it was.
    /// </summary>
    internal static string Readable(string json)
    {
        if (!json.Contains("\\u00", StringComparison.Ordinal))
        {
            return json;
        }

        var b = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\' || i + 1 >= json.Length)
            {
                b.Append(json[i]);
                continue;
            }

            var hex = json[i + 1] == 'u' && i + 6 <= json.Length ? json.Substring(i + 2, 4) : "";
            if (hex is "002B" or "0026" or "0060")
            {
                b.Append(hex switch { "002B" => '+', "0026" => '&', _ => '`' });
                i += 5;
                continue;
            }

            b.Append(json, i, 2);
            i++;
        }

        return b.ToString();
    }

    /// <summary>A POSIX shell word: single-quoted, each <c>'</c> closed, escaped and reopened (<c>'\''</c>); nothing expands.</summary>
    internal static string Sh(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Curl(CodeRequest r)
    {
        var body = Body(r);
        if (Streams(r))
        {
            body["stream"] = true;
        }

        var auth = r.Auth switch
        {
            ConnectionAuth.EntraId => "  -H \"Authorization: Bearer $(az account get-access-token --scope " + EntraScope + " --query accessToken -o tsv)\" \\\n",
            ConnectionAuth.None => "",
            _ when AzureKey(r) => $"  -H \"api-key: ${KeyVariable(r.Kind)}\" \\\n",
            _ => $"  -H \"Authorization: Bearer ${KeyVariable(r.Kind)}\" \\\n",
        };
        // Values from the user or the endpoint (the URL, the body) are single-quoted: the shell expands nothing in them.
        var url = r.Endpoint is { } endpoint ? Sh(new Uri(endpoint, Path(r.Api)).AbsoluteUri) : $"\"${BaseUrlVariable}/{Path(r.Api)}\"";
        return $"curl {url} \\\n{auth}  -H \"Content-Type: application/json\" \\\n  -d {Sh(Readable(body.ToJsonString()))}";
    }
}
