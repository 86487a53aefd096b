using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.TestPeers;

namespace Portal.Tests.Playground;

/// <summary>The portal's inference calls against a real OpenAI-compatible server on loopback, including its failures.</summary>
public sealed class InferenceServiceTests : IAsyncLifetime, IDisposable
{
    private OpenAiPeer _peer = default!;
    private InferenceClientFactory _factory = default!;
    private InferenceService _service = default!;

    public async Task InitializeAsync()
    {
        _peer = await OpenAiPeer.StartAsync(key: "peer-key-1234");
        _factory = new InferenceClientFactory(
            new OutboundUrlPolicy(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions())),
            Options.Create(new InferenceOptions { Timeout = TimeSpan.FromSeconds(2) }),
            () => throw new InvalidOperationException("No Entra ID in these tests."));
        _service = new InferenceService(_factory);
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    public void Dispose() => _factory?.Dispose();

    private InferenceTarget Target(string? key = "peer-key-1234", ConnectionKind kind = ConnectionKind.OpenAICompatible) =>
        new("peer", kind, _peer.V1, ConnectionAuth.ApiKey, key);

    private static readonly ChatTurn[] Hello = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hello peer")];

    /// <summary>Runs a chat stream, keeping what arrived before any failure, as the playground does.</summary>
    private async Task<(string Text, StreamFinished? Finished, InferenceError? Error)> ChatAsync(string model, GenerationParameters? parameters = null, InferenceTarget? target = null)
    {
        var text = "";
        StreamFinished? finished = null;
        try
        {
            await foreach (var e in _service.StreamChatAsync(target ?? Target(), model, Hello, parameters ?? new GenerationParameters(), CancellationToken.None))
            {
                if (e is TextDelta delta)
                {
                    text += delta.Text;
                }
                else if (e is StreamFinished f)
                {
                    finished = f;
                }
            }
        }
        catch (InferenceException ex)
        {
            return (text, finished, ex.Error);
        }

        return (text, finished, null);
    }

    [Fact]
    public async Task Chat_Streams_WithUsage_AndSendsTheParameters()
    {
        var parameters = new GenerationParameters { Temperature = 0.2, TopP = 0.9, MaxTokens = 64, Stop = ["END"], PresencePenalty = 0.5, FrequencyPenalty = 0.25, Seed = 42, JsonResponse = true };

        var (text, finished, error) = await ChatAsync("peer-chat", parameters);

        Assert.Null(error);
        Assert.Equal("Echo: Hello peer. " + OpenAiPeer.Sentence, text);
        Assert.Equal("stop", finished!.FinishReason);
        Assert.Equal(text.Split(' ').Length, finished.OutputTokens);
        var body = _peer.Requests.Last().Body!;
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(64, body["max_completion_tokens"]?.GetValue<int>() ?? body["max_tokens"]!.GetValue<int>());
        Assert.Equal("END", body["stop"]![0]!.GetValue<string>());
        Assert.Equal(42, body["seed"]!.GetValue<long>());
        Assert.Equal("json_object", body["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("system", body["messages"]![0]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_AzureKinds_SendTheKeyInTheApiKeyHeader_OthersAsBearer()
    {
        await ChatAsync("peer-chat", target: Target(kind: ConnectionKind.AzureOpenAI));
        Assert.Equal("peer-key-1234", _peer.Requests.Last().Headers["api-key"]);
        Assert.False(_peer.Requests.Last().Headers.ContainsKey("Authorization"));

        await ChatAsync("peer-chat");
        Assert.Equal("Bearer peer-key-1234", _peer.Requests.Last().Headers["Authorization"]);
    }

    [Fact]
    public async Task Fault401_WrongKey_SaysCheckTheKey()
    {
        var (_, _, error) = await ChatAsync("peer-chat", target: Target(key: "wrong"));

        Assert.Equal(InferenceErrorKind.Unauthorized, error!.Kind);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Equal("Incorrect API key provided.", error.ProviderMessage);
    }

    [Fact]
    public async Task Fault404_UnknownDeployment_NamesIt()
    {
        var (_, _, error) = await ChatAsync("my-missing-deployment");

        Assert.Equal(InferenceErrorKind.NotFound, error!.Kind);
        Assert.Contains("'my-missing-deployment'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fault429_GivesTheRetryTime_WithoutRetryingBehindTheUsersBack()
    {
        var before = _peer.Requests.Count;

        var (_, _, error) = await ChatAsync("fault-429");

        Assert.Equal(InferenceErrorKind.RateLimited, error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Contains("wait 7 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, _peer.Requests.Count);
    }

    [Fact]
    public async Task Fault500_IsAServerError_WithTheProvidersMessage()
    {
        var (_, _, error) = await ChatAsync("fault-500");

        Assert.Equal(InferenceErrorKind.ServerError, error!.Kind);
        Assert.Equal(500, error.Status);
        Assert.Contains("server had an error", error.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultHang_TimesOut()
    {
        var (text, _, error) = await ChatAsync("fault-hang");

        Assert.Equal(InferenceErrorKind.Timeout, error!.Kind);
        Assert.Equal("", text);
    }

    [Fact]
    public async Task FaultReset_MidStream_KeepsThePartialAnswer()
    {
        var (text, _, error) = await ChatAsync("fault-reset");

        Assert.Equal(InferenceErrorKind.StreamDropped, error!.Kind);
        Assert.StartsWith("Echo: Hello", text, StringComparison.Ordinal);
        Assert.StartsWith(text, "Echo: Hello peer.", StringComparison.Ordinal);
        Assert.Contains("kept", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultMalformed_SseLine_IsUnreadable_AndKeepsThePartialAnswer()
    {
        var (text, _, error) = await ChatAsync("fault-malformed");

        Assert.Equal(InferenceErrorKind.Malformed, error!.Kind);
        Assert.Equal("Echo: Hello peer.", text);
    }

    [Fact]
    public async Task FaultContentFilter_ExplainsTheCategories()
    {
        var (_, _, error) = await ChatAsync("fault-content-filter");

        Assert.Equal(InferenceErrorKind.ContentFilter, error!.Kind);
        Assert.Equal(["hate", "self-harm", "violence"], error.Categories!.Where(c => c.Filtered).Select(c => c.Name));
        Assert.Contains("hate (high), self-harm (high), violence (medium)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultStreamFilter_StopsWithContentFilter_AndItsCategories()
    {
        var (text, finished, error) = await ChatAsync("fault-stream-filter");

        Assert.Null(error);
        Assert.Equal("Echo: Hello peer.", text);
        Assert.Equal("content_filter", finished!.FinishReason);
        Assert.Equal(["violence"], finished.FilterCategories.Where(c => c.Filtered).Select(c => c.Name));
    }

    [Fact]
    public async Task Models_AreDiscoveredFromTheEndpoint()
    {
        var models = await _service.ListModelsAsync(Target(), CancellationToken.None);

        Assert.Equal(OpenAiPeer.ListedModels.Order(StringComparer.OrdinalIgnoreCase), models);
    }

    [Fact]
    public async Task Completions_TextArrivesWhileTheEndpointIsStillWriting()
    {
        _peer.TokenDelay = TimeSpan.FromMilliseconds(60);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? first = null;
        var parts = 0;
        await foreach (var e in _service.StreamCompletionAsync(Target(), "peer-chat", "Once upon a time", new GenerationParameters(), CancellationToken.None))
        {
            if (e is TextDelta)
            {
                first ??= clock.Elapsed;
                parts++;
            }
        }

        // 17 words 60 ms apart: the first must arrive long before the last was written, not all of them at the end.
        Assert.True(parts > 10, $"Expected the words one by one, got {parts} parts.");
        Assert.NotNull(first);
        Assert.True(clock.Elapsed - first.Value > TimeSpan.FromMilliseconds(500), $"First text after {first.Value.TotalMilliseconds:0} ms, end after {clock.Elapsed.TotalMilliseconds:0} ms.");
        Assert.True(_peer.Requests.Last().Body!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Completions_Stream_AndAnEndpointWithoutThem_IsExplained()
    {
        var text = "";
        await foreach (var e in _service.StreamCompletionAsync(Target(), "peer-chat", "Once upon a time", new GenerationParameters { MaxTokens = 20 }, CancellationToken.None))
        {
            text += (e as TextDelta)?.Text;
        }

        Assert.StartsWith(" continues 16 characters:", text, StringComparison.Ordinal);
        Assert.Equal(20, _peer.Requests.Last().Body!["max_tokens"]!.GetValue<int>());

        var error = await Assert.ThrowsAsync<InferenceException>(async () =>
        {
            await foreach (var e in _service.StreamCompletionAsync(Target(), "no-completions", "x", new GenerationParameters(), CancellationToken.None))
            {
            }
        });
        Assert.Equal(InferenceErrorKind.NotSupported, error.Error.Kind);
    }

    [Fact]
    public async Task Images_ComeBackAsBytes_WithTheRevisedPrompt()
    {
        var images = await _service.GenerateImagesAsync(Target(), "peer-images", new ImageRequest("a red fox", 2, "1024x1024", "hd", "vivid"), CancellationToken.None);

        Assert.Equal(2, images.Count);
        Assert.Equal(OpenAiPeer.TinyPng, images[0].Png);
        Assert.Equal("A detailed picture of a red fox (variation 1)", images[0].RevisedPrompt);
        var body = _peer.Requests.Last().Body!;
        Assert.Equal("b64_json", body["response_format"]!.GetValue<string>());
        Assert.Equal("1024x1024", body["size"]!.GetValue<string>());
    }

    [Fact]
    public async Task Images_ContentFilter_IsExplained()
    {
        var error = await Assert.ThrowsAsync<InferenceException>(() => _service.GenerateImagesAsync(Target(), "fault-content-filter", new ImageRequest("x", 1, null, null, null), CancellationToken.None));

        Assert.Equal(InferenceErrorKind.ContentFilter, error.Error.Kind);
    }

    [Fact]
    public async Task RefusedAddress_NeverLeavesThePortal()
    {
        using var strict = new InferenceClientFactory(
            new OutboundUrlPolicy(new TestOptionsMonitor<OutboundOptions>(new OutboundOptions { AllowLoopback = false })),
            Options.Create(new InferenceOptions { Timeout = TimeSpan.FromSeconds(2) }),
            () => throw new InvalidOperationException());
        var before = _peer.Requests.Count;

        var error = await Assert.ThrowsAsync<InferenceException>(() => new InferenceService(strict).ListModelsAsync(Target(), CancellationToken.None));

        Assert.Equal(InferenceErrorKind.Refused, error.Error.Kind);
        Assert.Equal(before, _peer.Requests.Count);
    }

    [Fact]
    public void Target_NeverPrintsItsKey()
    {
        var target = Target();

        Assert.DoesNotContain("peer-key-1234", target.ToString(), StringComparison.Ordinal);
    }
}
