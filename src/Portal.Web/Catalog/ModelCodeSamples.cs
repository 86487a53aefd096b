using System.Text.Json;
using Portal.Catalog;

namespace Portal.Web.Catalog;

public sealed record CodeSample(string Language, string Label, string Code);

/// <summary>
/// Code to call a model through an OpenAI-compatible endpoint. The endpoint and key are always read from environment
/// variables (<c>OPENAI_BASE_URL</c>, <c>OPENAI_API_KEY</c>): no secret is ever written into a sample.
/// </summary>
public static class ModelCodeSamples
{
    public const string Prompt = "Say hello in one sentence.";

    public enum Api
    {
        Chat,
        Completions,
        Embeddings,
        Images,
    }

    /// <summary>The OpenAI-compatible API for a model's tasks, or null when its task is served by another API.</summary>
    public static Api? ApiFor(CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        bool Has(string task) => model.InferenceTasks.Contains(task, StringComparer.OrdinalIgnoreCase);
        return Has("chat-completion") ? Api.Chat
            : Has("embeddings") ? Api.Embeddings
            : Has("text-to-image") ? Api.Images
            : Has("text-generation") ? Api.Completions
            : null;
    }

    public static IReadOnlyList<CodeSample> For(CatalogModel model)
    {
        var api = ApiFor(model);
        if (api is null)
        {
            return [];
        }

        var id = JsonSerializer.Serialize(model.Id);
        var prompt = JsonSerializer.Serialize(Prompt);
        var samples = new List<CodeSample>();
        if (CSharp(api.Value, id, prompt) is { } csharp)
        {
            samples.Add(new("csharp", "C#", csharp));
        }

        samples.Add(new("python", "Python", Python(api.Value, id, prompt)));
        samples.Add(new("javascript", "JavaScript", JavaScript(api.Value, id, prompt)));
        samples.Add(new("bash", "curl", Curl(api.Value, model.Id)));
        return samples;
    }

    private static string? CSharp(Api api, string id, string prompt)
    {
        const string Header = """
            // dotnet add package OpenAI
            using System.ClientModel;
            using OpenAI;

            var options = new OpenAIClientOptions { Endpoint = new Uri(Environment.GetEnvironmentVariable("OPENAI_BASE_URL")!) };
            var key = new ApiKeyCredential(Environment.GetEnvironmentVariable("OPENAI_API_KEY")!);

            """;
        return api switch
        {
            Api.Chat => Header + $$"""
                var client = new OpenAI.Chat.ChatClient({{id}}, key, options);
                var completion = await client.CompleteChatAsync({{prompt}});
                Console.WriteLine(completion.Value.Content[0].Text);
                """,
            Api.Embeddings => Header + $$"""
                var client = new OpenAI.Embeddings.EmbeddingClient({{id}}, key, options);
                var embedding = await client.GenerateEmbeddingAsync({{prompt}});
                Console.WriteLine(embedding.Value.ToFloats().Length);
                """,
            Api.Images => Header + $$"""
                var client = new OpenAI.Images.ImageClient({{id}}, key, options);
                var image = await client.GenerateImageAsync("A lighthouse at dawn, watercolour");
                Console.WriteLine(image.Value.ImageUri);
                """,

            // The OpenAI .NET SDK has no client for the legacy /completions API.
            _ => null,
        };
    }

    private static string Python(Api api, string id, string prompt)
    {
        const string Header = """
            # pip install openai
            import os
            from openai import OpenAI

            client = OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key=os.environ["OPENAI_API_KEY"])

            """;
        return Header + api switch
        {
            Api.Chat => $$"""
                response = client.chat.completions.create(model={{id}}, messages=[{"role": "user", "content": {{prompt}}}])
                print(response.choices[0].message.content)
                """,
            Api.Completions => $$"""
                response = client.completions.create(model={{id}}, prompt={{prompt}}, max_tokens=100)
                print(response.choices[0].text)
                """,
            Api.Embeddings => $$"""
                response = client.embeddings.create(model={{id}}, input={{prompt}})
                print(len(response.data[0].embedding))
                """,
            _ => $$"""
                response = client.images.generate(model={{id}}, prompt="A lighthouse at dawn, watercolour")
                print(response.data[0].url or "image returned as base64")
                """,
        };
    }

    private static string JavaScript(Api api, string id, string prompt)
    {
        const string Header = """
            // npm install openai
            import OpenAI from "openai";

            const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY });

            """;
        return Header + api switch
        {
            Api.Chat => $$"""
                const response = await client.chat.completions.create({ model: {{id}}, messages: [{ role: "user", content: {{prompt}} }] });
                console.log(response.choices[0].message.content);
                """,
            Api.Completions => $$"""
                const response = await client.completions.create({ model: {{id}}, prompt: {{prompt}}, max_tokens: 100 });
                console.log(response.choices[0].text);
                """,
            Api.Embeddings => $$"""
                const response = await client.embeddings.create({ model: {{id}}, input: {{prompt}} });
                console.log(response.data[0].embedding.length);
                """,
            _ => $$"""
                const response = await client.images.generate({ model: {{id}}, prompt: "A lighthouse at dawn, watercolour" });
                console.log(response.data[0].url ?? "image returned as base64");
                """,
        };
    }

    private static string Curl(Api api, string modelId)
    {
        var (path, body) = api switch
        {
            Api.Chat => ("chat/completions", new Dictionary<string, object> { ["model"] = modelId, ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = Prompt } } }),
            Api.Completions => ("completions", new Dictionary<string, object> { ["model"] = modelId, ["prompt"] = Prompt, ["max_tokens"] = 100 }),
            Api.Embeddings => ("embeddings", new Dictionary<string, object> { ["model"] = modelId, ["input"] = Prompt }),
            _ => ("images/generations", new Dictionary<string, object> { ["model"] = modelId, ["prompt"] = "A lighthouse at dawn, watercolour" }),
        };

        // The body goes in single quotes: a quote inside it is closed, escaped and reopened.
        var json = JsonSerializer.Serialize(body).Replace("'", "'\\''", StringComparison.Ordinal);
        return $"""
            curl "$OPENAI_BASE_URL/{path}" \
              -H "Authorization: Bearer $OPENAI_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{json}'
            """;
    }
}
