using System.Text.Json.Nodes;
using Portal.Playground.Inference;
using Portal.Playground.Markdown;
using Portal.Web.Catalog;
using Portal.Web.Playground;

namespace Portal.Tests.Playground;

public sealed class SessionCodeTests
{
    private static CodeRequest Chat(ConnectionKind kind, ConnectionAuth auth = ConnectionAuth.ApiKey) => new(
        kind,
        new Uri("https://contoso.openai.azure.com/openai/v1/"),
        auth,
        "gpt-4o-mini",
        ModelCodeSamples.Api.Chat,
        [new(ChatRole.System, "Be brief."), new(ChatRole.User, "It's \"quoted\"")],
        "",
        new GenerationParameters { Temperature = 0.3, MaxTokens = 100, Stop = ["END"], Seed = 7, JsonResponse = true });

    [Fact]
    public void Curl_PostsTheRealBody_AndTheKeyAsAVariable()
    {
        var curl = SessionCode.For(Chat(ConnectionKind.AzureOpenAI)).Single(s => s.Label == "curl").Code;

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
        foreach (var sample in SessionCode.For(Chat(ConnectionKind.OpenAI)))
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
        var samples = SessionCode.For(Chat(ConnectionKind.AzureOpenAI, ConnectionAuth.EntraId));

        Assert.Contains("DefaultAzureCredential", samples.Single(s => s.Label == "C#").Code, StringComparison.Ordinal);
        Assert.Contains("get_bearer_token_provider", samples.Single(s => s.Label == "Python").Code, StringComparison.Ordinal);
        Assert.DoesNotContain("API_KEY", string.Concat(samples.Select(s => s.Code)), StringComparison.Ordinal);
    }

    [Fact]
    public void Completions_HaveNoCSharpSample_BecauseTheSdkHasNoClientForThem()
    {
        var request = Chat(ConnectionKind.OpenAICompatible) with { Api = ModelCodeSamples.Api.Completions, Prompt = "Once" };

        Assert.DoesNotContain(SessionCode.For(request), s => s.Label == "C#");
    }
}

public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("[x](javascript:alert(1))", "javascript:")]
    [InlineData("![x](https://tracker.example/pixel.png)", "<img")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:")]
    public void UnsafeContent_NeverBecomesMarkup(string markdown, string forbidden) =>
        Assert.DoesNotContain(forbidden, SafeMarkdown.ToHtml(markdown), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Markdown_IsRendered()
    {
        var html = SafeMarkdown.ToHtml("**bold** and `code`\n\n```csharp\nvar x = 1;\n```\n\n[docs](https://learn.microsoft.com)");

        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code class=\"language-csharp\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://learn.microsoft.com\">docs</a>", html, StringComparison.Ordinal);
    }
}
