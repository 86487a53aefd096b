using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Playground.Inference;
using Portal.Web.Catalog;

namespace Portal.Web.Playground;

/// <summary>What a playground session sends, for "View code".</summary>
public sealed record CodeRequest(
    ConnectionKind Kind,
    Uri Endpoint,
    ConnectionAuth Auth,
    string Model,
    ModelCodeSamples.Api Api,
    IReadOnlyList<ChatTurn> Messages,
    string Prompt,
    GenerationParameters Parameters,
    ImageRequest? Image = null);

/// <summary>
/// Code that reproduces the current session with the official OpenAI SDKs (C#, Python, JavaScript) or curl: the real
/// endpoint, model, messages and parameters. The key is always an environment variable, never written out.
/// </summary>
public static class SessionCode
{
    public const string EntraScope = "https://cognitiveservices.azure.com/.default";

    public static string KeyVariable(ConnectionKind kind) => kind switch
    {
        ConnectionKind.AzureOpenAI => "AZURE_OPENAI_API_KEY",
        ConnectionKind.AzureAIFoundry => "AZURE_AI_API_KEY",
        ConnectionKind.GitHubModels => "GITHUB_TOKEN",
        _ => "OPENAI_API_KEY",
    };

    private static bool AzureKey(CodeRequest r) => r.Auth == ConnectionAuth.ApiKey && r.Kind is ConnectionKind.AzureOpenAI or ConnectionKind.AzureAIFoundry;

    public static IReadOnlyList<CodeSample> For(CodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var samples = new List<CodeSample>();
        if (request.Api != ModelCodeSamples.Api.Completions)
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
            case ModelCodeSamples.Api.Images:
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
            case ModelCodeSamples.Api.Completions:
                body["prompt"] = r.Prompt;
                break;
            default:
                body["messages"] = new JsonArray([.. r.Messages.Select(m => (JsonNode?)new JsonObject { ["role"] = m.Role.ToString().ToLowerInvariant(), ["content"] = m.Content })]);
                break;
        }

        InferenceService.AddParameters(body, r.Parameters);
        return body;
    }

    private static string Q(string text) => JsonSerializer.Serialize(text);

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string CSharp(CodeRequest r)
    {
        var b = new StringBuilder();
        b.AppendLine("// dotnet add package OpenAI" + (r.Auth == ConnectionAuth.EntraId ? "\n// dotnet add package Azure.Identity" : ""));
        b.AppendLine("using System.ClientModel;");
        b.AppendLine("using System.ClientModel.Primitives;");
        b.AppendLine("using OpenAI;");
        b.AppendLine(r.Api == ModelCodeSamples.Api.Images ? "using OpenAI.Images;" : "using OpenAI.Chat;");
        b.AppendLine();
        b.AppendLine(CultureInfo.InvariantCulture, $"var options = new OpenAIClientOptions {{ Endpoint = new Uri({Q(r.Endpoint.AbsoluteUri)}) }};");
        b.AppendLine(r.Auth switch
        {
            ConnectionAuth.EntraId => $"var client = new OpenAIClient(new BearerTokenPolicy(new Azure.Identity.DefaultAzureCredential(), {Q(EntraScope)}), options);",
            ConnectionAuth.None => "var client = new OpenAIClient(new ApiKeyCredential(\"unused\"), options);",
            _ when AzureKey(r) => $"var key = new ApiKeyCredential(Environment.GetEnvironmentVariable({Q(KeyVariable(r.Kind))})!);\nvar client = new OpenAIClient(ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(key, \"api-key\"), options);",
            _ => $"var client = new OpenAIClient(new ApiKeyCredential(Environment.GetEnvironmentVariable({Q(KeyVariable(r.Kind))})!), options);",
        });
        b.AppendLine();
        if (r.Api == ModelCodeSamples.Api.Images)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"var images = client.GetImageClient({Q(r.Model)});");
            b.AppendLine("var imageOptions = new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes };");
            b.AppendLine(CultureInfo.InvariantCulture, $"var result = await images.GenerateImagesAsync({Q(r.Prompt)}, {r.Image?.Count ?? 1}, imageOptions);");
            b.AppendLine("for (var i = 0; i < result.Value.Count; i++)");
            b.AppendLine("{");
            b.AppendLine("    await File.WriteAllBytesAsync($\"image-{i + 1}.png\", result.Value[i].ImageBytes.ToArray());");
            b.AppendLine("}");
            return b.ToString();
        }

        b.AppendLine(CultureInfo.InvariantCulture, $"var chat = client.GetChatClient({Q(r.Model)});");
        b.AppendLine("List<ChatMessage> messages =");
        b.AppendLine("[");
        foreach (var m in r.Messages)
        {
            var type = m.Role switch { ChatRole.System => "SystemChatMessage", ChatRole.Assistant => "AssistantChatMessage", _ => "UserChatMessage" };
            b.AppendLine(CultureInfo.InvariantCulture, $"    new {type}({Q(m.Content)}),");
        }

        b.AppendLine("];");
        var p = r.Parameters;
        var settings = new List<string>();
        if (p.Temperature is { } t) { settings.Add($"Temperature = {N(t)}f"); }
        if (p.TopP is { } topP) { settings.Add($"TopP = {N(topP)}f"); }
        if (p.MaxTokens is { } max) { settings.Add($"MaxOutputTokenCount = {max}"); }
        if (p.PresencePenalty is { } presence) { settings.Add($"PresencePenalty = {N(presence)}f"); }
        if (p.FrequencyPenalty is { } frequency) { settings.Add($"FrequencyPenalty = {N(frequency)}f"); }
        if (p.Seed is { } seed) { settings.Add($"Seed = {seed}"); }
        if (p.JsonResponse) { settings.Add("ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat()"); }
        b.AppendLine(CultureInfo.InvariantCulture, $"var chatOptions = new ChatCompletionOptions {{ {string.Join(", ", settings)} }};");
        foreach (var stop in p.Stop)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"chatOptions.StopSequences.Add({Q(stop)});");
        }

        b.AppendLine();
        b.AppendLine("await foreach (var update in chat.CompleteChatStreamingAsync(messages, chatOptions))");
        b.AppendLine("{");
        b.AppendLine("    foreach (var part in update.ContentUpdate)");
        b.AppendLine("    {");
        b.AppendLine("        Console.Write(part.Text);");
        b.AppendLine("    }");
        b.AppendLine("}");
        return b.ToString();
    }

    private static string Python(CodeRequest r)
    {
        var b = new StringBuilder();
        b.AppendLine("# pip install openai" + (r.Auth == ConnectionAuth.EntraId ? " azure-identity" : ""));
        b.AppendLine("import os");
        b.AppendLine("from openai import OpenAI");
        if (r.Auth == ConnectionAuth.EntraId)
        {
            b.AppendLine("from azure.identity import DefaultAzureCredential, get_bearer_token_provider");
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"token = get_bearer_token_provider(DefaultAzureCredential(), {Q(EntraScope)})()");
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={Q(r.Endpoint.AbsoluteUri)}, api_key=token)");
        }
        else if (r.Auth == ConnectionAuth.None)
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={Q(r.Endpoint.AbsoluteUri)}, api_key=\"unused\")");
        }
        else if (AzureKey(r))
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"key = os.environ[{Q(KeyVariable(r.Kind))}]");
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={Q(r.Endpoint.AbsoluteUri)}, api_key=key, default_headers={{\"api-key\": key}})");
        }
        else
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={Q(r.Endpoint.AbsoluteUri)}, api_key=os.environ[{Q(KeyVariable(r.Kind))}])");
        }

        b.AppendLine();
        var body = Body(r);
        body.Remove("model");
        var args = string.Join(",\n    ", new[] { $"model={Q(r.Model)}" }.Concat(body.Select(p => $"{p.Key}={PythonValue(p.Value)}")));
        switch (r.Api)
        {
            case ModelCodeSamples.Api.Images:
                b.AppendLine(CultureInfo.InvariantCulture, $"result = client.images.generate(\n    {args},\n)");
                b.AppendLine("for i, image in enumerate(result.data):");
                b.AppendLine("    print(image.revised_prompt)");
                break;
            case ModelCodeSamples.Api.Completions:
                b.AppendLine(CultureInfo.InvariantCulture, $"stream = client.completions.create(\n    {args},\n    stream=True,\n)");
                b.AppendLine("for chunk in stream:");
                b.AppendLine("    print(chunk.choices[0].text if chunk.choices else \"\", end=\"\")");
                break;
            default:
                b.AppendLine(CultureInfo.InvariantCulture, $"stream = client.chat.completions.create(\n    {args},\n    stream=True,\n)");
                b.AppendLine("for chunk in stream:");
                b.AppendLine("    if chunk.choices and chunk.choices[0].delta.content:");
                b.AppendLine("        print(chunk.choices[0].delta.content, end=\"\")");
                break;
        }

        return b.ToString();
    }

    private static string PythonValue(JsonNode? node) => node switch
    {
        null => "None",
        JsonValue v when v.TryGetValue<bool>(out var flag) => flag ? "True" : "False",
        JsonValue v => v.ToJsonString(),
        JsonArray a => "[" + string.Join(", ", a.Select(PythonValue)) + "]",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"{Q(p.Key)}: {PythonValue(p.Value)}")) + "}",
        _ => node.ToJsonString(),
    };

    private static string JavaScript(CodeRequest r)
    {
        var b = new StringBuilder();
        b.AppendLine("// npm install openai" + (r.Auth == ConnectionAuth.EntraId ? " @azure/identity" : ""));
        b.AppendLine("import OpenAI from \"openai\";");
        if (r.Auth == ConnectionAuth.EntraId)
        {
            b.AppendLine("import { DefaultAzureCredential, getBearerTokenProvider } from \"@azure/identity\";");
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const token = await getBearerTokenProvider(new DefaultAzureCredential(), {Q(EntraScope)})();");
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {Q(r.Endpoint.AbsoluteUri)}, apiKey: token }});");
        }
        else if (r.Auth == ConnectionAuth.None)
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {Q(r.Endpoint.AbsoluteUri)}, apiKey: \"unused\" }});");
        }
        else if (AzureKey(r))
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const key = process.env.{KeyVariable(r.Kind)};");
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {Q(r.Endpoint.AbsoluteUri)}, apiKey: key, defaultHeaders: {{ \"api-key\": key }} }});");
        }
        else
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {Q(r.Endpoint.AbsoluteUri)}, apiKey: process.env.{KeyVariable(r.Kind)} }});");
        }

        b.AppendLine();
        var body = Body(r);
        var json = body.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        switch (r.Api)
        {
            case ModelCodeSamples.Api.Images:
                b.AppendLine(CultureInfo.InvariantCulture, $"const result = await client.images.generate({json});");
                b.AppendLine("for (const image of result.data) console.log(image.revised_prompt);");
                break;
            case ModelCodeSamples.Api.Completions:
                body["stream"] = true;
                b.AppendLine(CultureInfo.InvariantCulture, $"const stream = await client.completions.create({body.ToJsonString(new JsonSerializerOptions { WriteIndented = true })});");
                b.AppendLine("for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.text ?? \"\");");
                break;
            default:
                body["stream"] = true;
                b.AppendLine(CultureInfo.InvariantCulture, $"const stream = await client.chat.completions.create({body.ToJsonString(new JsonSerializerOptions { WriteIndented = true })});");
                b.AppendLine("for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");");
                break;
        }

        return b.ToString();
    }

    private static string Curl(CodeRequest r)
    {
        var path = r.Api switch
        {
            ModelCodeSamples.Api.Images => "images/generations",
            ModelCodeSamples.Api.Completions => "completions",
            _ => "chat/completions",
        };
        var body = Body(r);
        if (r.Api != ModelCodeSamples.Api.Images)
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

        // The body goes in single quotes: a quote inside it is closed, escaped and reopened.
        var json = body.ToJsonString().Replace("'", "'\\''", StringComparison.Ordinal);
        return $"curl \"{new Uri(r.Endpoint, path).AbsoluteUri}\" \\\n{auth}  -H \"Content-Type: application/json\" \\\n  -d '{json}'";
    }
}
