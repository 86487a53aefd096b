using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Playground.Inference;

namespace Portal.Web.Code;

/// <summary>The samples for the official OpenAI SDKs: C#, Python and JavaScript.</summary>
public static partial class CodeSamples
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string CSharp(CodeRequest r)
    {
        var b = new StringBuilder();
        b.AppendLine("// dotnet add package OpenAI" + (r.Auth == ConnectionAuth.EntraId ? "\n// dotnet add package Azure.Identity" : ""));
        b.AppendLine("using System.ClientModel;");
        b.AppendLine("using System.ClientModel.Primitives;");
        b.AppendLine("using OpenAI;");
        b.AppendLine(r.Api switch { CodeApi.Images => "using OpenAI.Images;", CodeApi.Embeddings => "using OpenAI.Embeddings;", _ => "using OpenAI.Chat;" });
        b.AppendLine();
        var endpoint = r.Endpoint is { } e ? Q(e.AbsoluteUri) : $"Environment.GetEnvironmentVariable({Q(BaseUrlVariable)})!";
        b.AppendLine(CultureInfo.InvariantCulture, $"var options = new OpenAIClientOptions {{ Endpoint = new Uri({endpoint}) }};");
        b.AppendLine(r.Auth switch
        {
            ConnectionAuth.EntraId => $"var client = new OpenAIClient(new BearerTokenPolicy(new Azure.Identity.DefaultAzureCredential(), {Q(EntraScope)}), options);",
            ConnectionAuth.None => "var client = new OpenAIClient(new ApiKeyCredential(\"unused\"), options);",
            _ when AzureKey(r) => $"var key = new ApiKeyCredential(Environment.GetEnvironmentVariable({Q(KeyVariable(r.Kind))})!);\nvar client = new OpenAIClient(ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(key, \"api-key\"), options);",
            _ => $"var client = new OpenAIClient(new ApiKeyCredential(Environment.GetEnvironmentVariable({Q(KeyVariable(r.Kind))})!), options);",
        });
        b.AppendLine();
        switch (r.Api)
        {
            case CodeApi.Images:
                b.AppendLine(CultureInfo.InvariantCulture, $"var images = client.GetImageClient({Q(r.Model)});");
                b.AppendLine("var imageOptions = new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes };");
                b.AppendLine(CultureInfo.InvariantCulture, $"var result = await images.GenerateImagesAsync({Q(r.Prompt)}, {r.Image?.Count ?? 1}, imageOptions);");
                b.AppendLine("for (var i = 0; i < result.Value.Count; i++)");
                b.AppendLine("{");
                b.AppendLine("    await File.WriteAllBytesAsync($\"image-{i + 1}.png\", result.Value[i].ImageBytes.ToArray());");
                b.AppendLine("}");
                return b.ToString();
            case CodeApi.Embeddings:
                b.AppendLine(CultureInfo.InvariantCulture, $"var embeddings = client.GetEmbeddingClient({Q(r.Model)});");
                b.AppendLine(CultureInfo.InvariantCulture, $"var embedding = await embeddings.GenerateEmbeddingAsync({Q(r.Prompt)});");
                b.AppendLine("Console.WriteLine(embedding.Value.ToFloats().Length);");
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
        var baseUrl = r.Endpoint is { } e ? Py(e.AbsoluteUri) : $"os.environ[{Py(BaseUrlVariable)}]";
        if (r.Auth == ConnectionAuth.EntraId)
        {
            b.AppendLine("from azure.identity import DefaultAzureCredential, get_bearer_token_provider");
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"token = get_bearer_token_provider(DefaultAzureCredential(), {Py(EntraScope)})()");
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={baseUrl}, api_key=token)");
        }
        else if (r.Auth == ConnectionAuth.None)
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={baseUrl}, api_key=\"unused\")");
        }
        else if (AzureKey(r))
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"key = os.environ[{Py(KeyVariable(r.Kind))}]");
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={baseUrl}, api_key=key, default_headers={{\"api-key\": key}})");
        }
        else
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url={baseUrl}, api_key=os.environ[{Py(KeyVariable(r.Kind))}])");
        }

        b.AppendLine();
        var body = Body(r);
        body.Remove("model");
        var args = string.Join(",\n    ", new[] { $"model={Py(r.Model)}" }.Concat(body.Select(p => $"{p.Key}={PythonValue(p.Value)}")));
        switch (r.Api)
        {
            case CodeApi.Images:
                b.AppendLine(CultureInfo.InvariantCulture, $"result = client.images.generate(\n    {args},\n)");
                b.AppendLine("for i, image in enumerate(result.data):");
                b.AppendLine("    print(image.revised_prompt)");
                break;
            case CodeApi.Embeddings:
                b.AppendLine(CultureInfo.InvariantCulture, $"response = client.embeddings.create(\n    {args},\n)");
                b.AppendLine("print(len(response.data[0].embedding))");
                break;
            case CodeApi.Completions:
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
        JsonValue v when v.TryGetValue<string>(out var text) => Py(text),
        JsonValue v => v.ToJsonString(),
        JsonArray a => "[" + string.Join(", ", a.Select(PythonValue)) + "]",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"{Py(p.Key)}: {PythonValue(p.Value)}")) + "}",
        _ => node.ToJsonString(),
    };

    /// <summary>
    /// A Python string literal: printable ASCII as is, everything else escaped (<c>\n</c>, <c>\xXX</c>, <c>\uXXXX</c>,
    /// <c>\UXXXXXXXX</c> for characters beyond the BMP, so they are one character, not two surrogates).
    /// </summary>
    internal static string Py(string text)
    {
        var b = new StringBuilder("\"");
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            b.Append(v switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                >= 0x20 and < 0x7F => ((char)v).ToString(),
                < 0x100 => string.Create(CultureInfo.InvariantCulture, $"\\x{v:x2}"),
                < 0x10000 => string.Create(CultureInfo.InvariantCulture, $"\\u{v:x4}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\U{v:x8}"),
            });
        }

        return b.Append('"').ToString();
    }

    private static string JavaScript(CodeRequest r)
    {
        var b = new StringBuilder();
        b.AppendLine("// npm install openai" + (r.Auth == ConnectionAuth.EntraId ? " @azure/identity" : ""));
        b.AppendLine("import OpenAI from \"openai\";");
        var baseUrl = r.Endpoint is { } e ? Q(e.AbsoluteUri) : $"process.env.{BaseUrlVariable}";
        if (r.Auth == ConnectionAuth.EntraId)
        {
            b.AppendLine("import { DefaultAzureCredential, getBearerTokenProvider } from \"@azure/identity\";");
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const token = await getBearerTokenProvider(new DefaultAzureCredential(), {Q(EntraScope)})();");
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {baseUrl}, apiKey: token }});");
        }
        else if (r.Auth == ConnectionAuth.None)
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {baseUrl}, apiKey: \"unused\" }});");
        }
        else if (AzureKey(r))
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const key = process.env.{KeyVariable(r.Kind)};");
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {baseUrl}, apiKey: key, defaultHeaders: {{ \"api-key\": key }} }});");
        }
        else
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {baseUrl}, apiKey: process.env.{KeyVariable(r.Kind)} }});");
        }

        b.AppendLine();
        var body = Body(r);
        if (Streams(r))
        {
            body["stream"] = true;
        }

        var json = Readable(body.ToJsonString(Indented));
        switch (r.Api)
        {
            case CodeApi.Images:
                b.AppendLine(CultureInfo.InvariantCulture, $"const result = await client.images.generate({json});");
                b.AppendLine("for (const image of result.data) console.log(image.revised_prompt);");
                break;
            case CodeApi.Embeddings:
                b.AppendLine(CultureInfo.InvariantCulture, $"const response = await client.embeddings.create({json});");
                b.AppendLine("console.log(response.data[0].embedding.length);");
                break;
            case CodeApi.Completions:
                b.AppendLine(CultureInfo.InvariantCulture, $"const stream = await client.completions.create({json});");
                b.AppendLine("for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.text ?? \"\");");
                break;
            default:
                b.AppendLine(CultureInfo.InvariantCulture, $"const stream = await client.chat.completions.create({json});");
                b.AppendLine("for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");");
                break;
        }

        return b.ToString();
    }
}
