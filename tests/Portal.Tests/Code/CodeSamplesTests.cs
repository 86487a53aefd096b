using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog;
using Portal.Catalog.Sources;
using Portal.Playground.Inference;
using Portal.Web.Code;

namespace Portal.Tests.Code;

/// <summary>The one code-sample generator, for a playground session ("View code") and for a model page.</summary>
public sealed class CodeSamplesTests
{
    private static CodeRequest Chat(ConnectionKind kind, ConnectionAuth auth = ConnectionAuth.ApiKey) => new(
        kind,
        new Uri("https://contoso.openai.azure.com/openai/v1/"),
        auth,
        "gpt-4o-mini",
        CodeApi.Chat,
        [new(ChatRole.System, "Be brief."), new(ChatRole.User, "It's \"quoted\"")],
        "",
        new GenerationParameters { Temperature = 0.3, MaxTokens = 100, Stop = ["END"], Seed = 7, JsonResponse = true });

    [Fact]
    public void Curl_PostsTheRealBody_AndTheKeyAsAVariable()
    {
        var curl = CodeSamples.For(Chat(ConnectionKind.AzureOpenAI)).Single(s => s.Label == "curl").Code;

        Assert.Contains("https://contoso.openai.azure.com/openai/v1/chat/completions", curl, StringComparison.Ordinal);
        Assert.Contains("-H \"api-key: $AZURE_OPENAI_API_KEY\"", curl, StringComparison.Ordinal);
        var json = curl[(curl.IndexOf("-d '", StringComparison.Ordinal) + 4)..^1].Replace("'\\''", "'", StringComparison.Ordinal);
        var body = JsonNode.Parse(json)!;
        Assert.Equal("gpt-4o-mini", body["model"]!.GetValue<string>());
        Assert.Equal("It's \"quoted\"", body["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal(0.3, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(7, body["seed"]!.GetValue<int>());
        Assert.Equal("json_object", body["response_format"]!["type"]!.GetValue<string>());
        Assert.True(body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public void EverySample_NamesTheEndpointModelAndMessages()
    {
        foreach (var sample in CodeSamples.For(Chat(ConnectionKind.OpenAI)))
        {
            Assert.Contains("https://contoso.openai.azure.com/openai/v1/", sample.Code, StringComparison.Ordinal);
            Assert.Contains("gpt-4o-mini", sample.Code, StringComparison.Ordinal);
            Assert.Contains("Be brief.", sample.Code, StringComparison.Ordinal);
            Assert.Contains("OPENAI_API_KEY", sample.Code, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EntraId_UsesAToken_NotAKey()
    {
        var samples = CodeSamples.For(Chat(ConnectionKind.AzureOpenAI, ConnectionAuth.EntraId));

        Assert.Contains("DefaultAzureCredential", samples.Single(s => s.Label == "C#").Code, StringComparison.Ordinal);
        Assert.Contains("get_bearer_token_provider", samples.Single(s => s.Label == "Python").Code, StringComparison.Ordinal);
        Assert.DoesNotContain("API_KEY", string.Concat(samples.Select(s => s.Code)), StringComparison.Ordinal);
    }

    [Fact]
    public void Completions_HaveNoCSharpSample_BecauseTheSdkHasNoClientForThem()
    {
        var request = Chat(ConnectionKind.OpenAICompatible) with { Api = CodeApi.Completions, Prompt = "Once" };

        Assert.DoesNotContain(CodeSamples.For(request), s => s.Label == "C#");
    }

    private static CatalogModel Model(string id) =>
        new CatalogService([new EmbeddedCatalogSource()], NullLogger<CatalogService>.Instance).Current.Find(id) ?? throw new InvalidOperationException(id);

    [Fact]
    public void ModelPage_ChatModel_UsesItsId_WithTheEndpointAndKeyFromTheEnvironment()
    {
        var samples = CodeSamples.For(Model("Meta-Llama-3.1-8B-Instruct"));

        Assert.Equal(["C#", "Python", "JavaScript", "curl"], samples.Select(s => s.Label));
        Assert.All(samples, s =>
        {
            Assert.Contains("\"Meta-Llama-3.1-8B-Instruct\"", s.Code, StringComparison.Ordinal);
            Assert.Contains("OPENAI_API_KEY", s.Code, StringComparison.Ordinal);
            Assert.Contains("OPENAI_BASE_URL", s.Code, StringComparison.Ordinal);
            Assert.Contains(CodeSamples.Prompt, s.Code, StringComparison.Ordinal);
        });
        Assert.StartsWith("curl \"$OPENAI_BASE_URL/chat/completions\"", samples.Single(s => s.Label == "curl").Code, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelPage_EmbeddingsModel_CallsTheEmbeddingsApi()
    {
        var samples = CodeSamples.For(Model("text-embedding-3-small"));

        Assert.Contains("GetEmbeddingClient(\"text-embedding-3-small\")", samples.Single(s => s.Label == "C#").Code, StringComparison.Ordinal);
        Assert.Contains("client.embeddings.create", samples.Single(s => s.Label == "Python").Code, StringComparison.Ordinal);
        var curl = samples.Single(s => s.Label == "curl").Code;
        Assert.Contains("$OPENAI_BASE_URL/embeddings", curl, StringComparison.Ordinal);
        Assert.DoesNotContain("stream", curl, StringComparison.Ordinal);
    }

    [Fact]
    public void Samples_ShowPlusAndAmpersandAsThemselves_AndKeepEveryOtherEscape()
    {
        var request = Chat(ConnectionKind.OpenAICompatible) with { Messages = [new(ChatRole.User, "C++ & Rust? </script> \\u002B")] };

        foreach (var sample in CodeSamples.For(request))
        {
            Assert.DoesNotContain("\\u002B", sample.Code.Replace("\\\\u002B", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("C++", sample.Code, StringComparison.Ordinal);
        }

        Assert.Equal("\"a+b&c\\u003C\\\\u002B\"", CodeSamples.Readable("\"a\\u002Bb\\u0026c\\u003C\\\\u002B\""));
    }
}
