using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.TestPeers;

/// <summary>
/// An OpenAI-compatible server on loopback (Kestrel, a real socket) that follows the documented wire format:
/// <c>GET /v1/models</c>, <c>POST /v1/chat/completions</c> (streaming or not, with usage), <c>POST /v1/completions</c>
/// and <c>POST /v1/images/generations</c> (b64_json). The model name picks a scripted behaviour:
/// <list type="bullet">
/// <item><c>peer-chat</c> answers "Echo: &lt;last user message&gt;" then a fixed sentence, word by word, <see cref="TokenDelay"/> apart;</item>
/// <item><c>peer-slow</c> the same, 60 ms per word; <c>no-completions</c> has no /completions API (plain 404);</item>
/// <item><c>fault-401</c>, <c>fault-404</c>, <c>fault-429</c> (Retry-After: 7), <c>fault-500</c>, <c>fault-hang</c> (never answers),
/// <c>fault-reset</c> (drops the connection after three words), <c>fault-malformed</c> (a broken SSE line after three words),
/// <c>fault-content-filter</c> (Azure's 400 content_filter error), <c>fault-stream-filter</c> (stops with finish_reason
/// content_filter and content_filter_results after three words).</item>
/// <item><c>peer-quiz</c> answers "The answer is &lt;A+B&gt;." when the last user message holds a sum "A + B" of whole
/// numbers, else "I do not know."; <c>peer-quiz-off</c> the same, one too many (always wrong on sums);
/// <c>peer-judge</c> answers "Score: 4" and a line of reasoning, as a grader would; <c>peer-judge-garbled</c> answers
/// without a score; <c>fault-429-once</c> answers 429 (Retry-After: 1) the first time it sees a question, then like
/// <c>peer-quiz</c>.</item>
/// <item><c>peer-endless</c> never stops: a paragraph (the sentence ten times) every <see cref="TokenDelay"/> until the client
/// gives up; <c>peer-endless-slow</c> the same one word every 60 ms.</item>
/// <item><c>peer-long-N</c> (N up to 100,000) streams N distinct numbered tokens (<see cref="LongToken"/>: "x1x", "x2x", …,
/// space-separated), <see cref="TokenDelay"/> apart, and records in <see cref="LongStreamSentAt"/> when each left the peer.</item>
/// </list>
/// <c>POST /openai/v1/chat/completions</c> (an Azure OpenAI account's v1 path) answers like <c>/v1/chat/completions</c>.
/// When created with a key, every request must carry it (<c>Authorization: Bearer</c> or <c>api-key</c>), else 401.
/// </summary>
public sealed partial class OpenAiPeer : IAsyncDisposable
{
    public const string Sentence = "The quick brown fox jumps over the lazy dog and keeps running far away.";

    /// <summary>A 1×1 PNG.</summary>
    public static readonly byte[] TinyPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>What <c>GET /v1/models</c> lists.</summary>
    public static readonly string[] ListedModels = ["peer-chat", "peer-slow", "peer-images", "no-completions"];

    private readonly WebApplication _app;
    private readonly string? _key;
    private int _aborted;
    private readonly ConcurrentDictionary<string, byte> _throttledOnce = new(StringComparer.Ordinal);

    private OpenAiPeer(WebApplication app, string? key)
    {
        _app = app;
        _key = key;
    }

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>The v1 base URL, as a connection would hold it.</summary>
    public Uri V1 => new(BaseUrl, "v1/");

    public TimeSpan TokenDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>More model names answered like <c>peer-chat</c> (a deployed endpoint serves its own model name).</summary>
    public HashSet<string> ExtraModels { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many times the fixed sentence is repeated in an answer (longer answers for measurements).</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>
    /// For the latest <c>peer-long-N</c> answer: when each token was written and flushed to the client, in Unix
    /// milliseconds (the wall clock a browser's <c>performance.timeOrigin + performance.now()</c> also reads); index k-1
    /// for token k, 0 until sent.
    /// </summary>
    public double[] LongStreamSentAt { get; private set; } = [];

    /// <summary>Token <paramref name="k"/> of a <c>peer-long-N</c> answer: unique, and no prefix of another (x1x, x12x).</summary>
    public static string LongToken(int k) => $"x{k.ToString(System.Globalization.CultureInfo.InvariantCulture)}x";

    /// <summary>How many requests ended with the connection closed before the answer was complete (the client gave up, or a scripted reset).</summary>
    public int AbortedRequests => _aborted;

    /// <summary>Every request body received, newest last, with its path.</summary>
    public ConcurrentQueue<(string Path, JsonObject? Body, IReadOnlyDictionary<string, string> Headers)> Requests { get; } = new();

    /// <summary>Every request that reached the peer, before the key is checked (so a refused key is recorded too).</summary>
    public ConcurrentQueue<(string Method, string Path, IReadOnlyDictionary<string, string> Headers)> Received { get; } = new();

    public static async Task<OpenAiPeer> StartAsync(string? key = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new OpenAiPeer(app, key);
        peer.Map(app);
        await app.StartAsync().ConfigureAwait(false);
        peer.BaseUrl = PeerAddress.Of(app);
        return peer;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            using var aborted = context.RequestAborted.Register(() => Interlocked.Increment(ref _aborted));
            Received.Enqueue((context.Request.Method, context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            if (_key is not null && context.Request.Headers.Authorization != $"Bearer {_key}" && context.Request.Headers["api-key"] != _key)
            {
                await Error(context, 401, "Incorrect API key provided.", "invalid_api_key").ConfigureAwait(false);
                return;
            }

            if (await RefuseJobReadAsync(context).ConfigureAwait(false))
            {
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = ListedModels.Select(id => new { id, @object = "model", created = 1_700_000_000, owned_by = "portal-test-peer" }),
        }));

        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/v1/completions", CompletionsAsync);
        app.MapPost("/v1/images/generations", ImagesAsync);

        // An Azure OpenAI account's v1 API (…/openai/v1/): the same answers, the deployment's name as the model.
        app.MapPost("/openai/v1/chat/completions", ChatAsync);

        MapFineTuning(app);
    }

    private async Task<JsonObject?> ReadAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        Requests.Enqueue((context.Request.Path, body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        return body;
    }

    private async Task ChatAsync(HttpContext context)
    {
        var body = await ReadAsync(context).ConfigureAwait(false);
        var model = body?["model"]?.GetValue<string>() ?? "";
        if (await FaultAsync(context, model).ConfigureAwait(false))
        {
            return;
        }

        var last = body?["messages"]?.AsArray().LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"];
        var question = last is JsonValue value ? value.GetValue<string>() : last?.ToJsonString() ?? "";
        if (model == "fault-429-once" && _throttledOnce.TryAdd(question, 0))
        {
            context.Response.Headers.RetryAfter = "1";
            await Error(context, 429, "Rate limit reached for requests. Please retry after 1 second.", "rate_limit_exceeded").ConfigureAwait(false);
            return;
        }

        var words = Words(Answer(model, question) ?? $"Echo: {question}. {string.Join(' ', Enumerable.Repeat(Sentence, Repeat))}");
        var stream = body?["stream"]?.GetValue<bool>() == true;
        var usage = new { prompt_tokens = Math.Max(1, question.Length / 4), completion_tokens = words.Count, total_tokens = Math.Max(1, question.Length / 4) + words.Count };
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-peer",
                @object = "chat.completion",
                created = 1_700_000_000,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(words) }, finish_reason = "stop" } },
                usage,
            }).ConfigureAwait(false);
            return;
        }

        var includeUsage = body?["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        await StartStreamAsync(context).ConfigureAwait(false);
        await SendAsync(context, Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null)).ConfigureAwait(false);
        if (model is "peer-endless" or "peer-endless-slow")
        {
            await EndlessAsync(context, model).ConfigureAwait(false);
            return;
        }

        if (LongLength(model) is { } length)
        {
            await LongAsync(context, model, length).ConfigureAwait(false);
            return;
        }

        var delay = model == "peer-slow" ? TimeSpan.FromMilliseconds(60) : TokenDelay;
        for (var i = 0; i < words.Count; i++)
        {
            if (i == 3 && await MidStreamFaultAsync(context, model).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            await SendAsync(context, Chunk(model, new JsonObject { ["content"] = words[i] }, null)).ConfigureAwait(false);
        }

        await SendAsync(context, Chunk(model, new JsonObject(), "stop")).ConfigureAwait(false);
        if (includeUsage)
        {
            await SendAsync(context, JsonSerializer.Serialize(new { id = "chatcmpl-peer", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = Array.Empty<object>(), usage })).ConfigureAwait(false);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n").ConfigureAwait(false);
    }

    /// <summary>The scripted answer of the quiz and judge models; null for the echoing ones.</summary>
    private static string? Answer(string model, string question)
    {
        switch (model)
        {
            case "peer-quiz" or "peer-quiz-off" or "fault-429-once":
                var sum = System.Text.RegularExpressions.Regex.Match(question, @"(-?\d+)\s*\+\s*(-?\d+)");
                return sum.Success
                    ? $"The answer is {long.Parse(sum.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + long.Parse(sum.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + (model == "peer-quiz-off" ? 1 : 0)}."
                    : "I do not know.";
            case "peer-judge":
                return "Score: 4\nReasoning: The answer addresses the question and reads well.";
            case "peer-judge-garbled":
                return "What a lovely answer; I would not change a word.";
            default:
                return null;
        }
    }

    /// <summary>N of a <c>peer-long-N</c> model name; null for any other name.</summary>
    private static int? LongLength(string model) =>
        model.StartsWith("peer-long-", StringComparison.Ordinal)
        && int.TryParse(model["peer-long-".Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
        && n is > 0 and <= 100_000 ? n : null;

    /// <summary>N numbered tokens, each stamped with the time it was flushed to the client.</summary>
    private async Task LongAsync(HttpContext context, string model, int length)
    {
        var sentAt = new double[length];
        LongStreamSentAt = sentAt;
        for (var k = 1; k <= length; k++)
        {
            await Task.Delay(TokenDelay, context.RequestAborted).ConfigureAwait(false);
            await SendAsync(context, Chunk(model, new JsonObject { ["content"] = (k == 1 ? "" : " ") + LongToken(k) }, null)).ConfigureAwait(false);
            sentAt[k - 1] = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        }

        await SendAsync(context, Chunk(model, new JsonObject(), "stop")).ConfigureAwait(false);
        await context.Response.WriteAsync("data: [DONE]\n\n").ConfigureAwait(false);
    }

    /// <summary>Streams until the client gives up (the request is aborted): an answer with no end.</summary>
    private async Task EndlessAsync(HttpContext context, string model)
    {
        var paragraph = string.Join(' ', Enumerable.Repeat(Sentence, 10)) + "\n\n";
        var words = Words(Sentence + " ");
        for (var i = 0; !context.RequestAborted.IsCancellationRequested; i++)
        {
            var slow = model == "peer-endless-slow";
            await Task.Delay(slow ? TimeSpan.FromMilliseconds(60) : TokenDelay, context.RequestAborted).ConfigureAwait(false);
            await SendAsync(context, Chunk(model, new JsonObject { ["content"] = slow ? words[i % words.Count] : paragraph }, null)).ConfigureAwait(false);
        }
    }

    private async Task CompletionsAsync(HttpContext context)
    {
        var body = await ReadAsync(context).ConfigureAwait(false);
        var model = body?["model"]?.GetValue<string>() ?? "";
        if (model == "no-completions")
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("Not Found").ConfigureAwait(false);
            return;
        }

        if (await FaultAsync(context, model).ConfigureAwait(false))
        {
            return;
        }

        var prompt = body?["prompt"]?.GetValue<string>() ?? "";
        var words = Words($" continues {prompt.Length} characters: {Sentence}");
        var includeUsage = body?["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        await StartStreamAsync(context).ConfigureAwait(false);
        for (var i = 0; i < words.Count; i++)
        {
            if (i == 3 && await MidStreamFaultAsync(context, model).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(model == "peer-slow" ? TimeSpan.FromMilliseconds(60) : TokenDelay, context.RequestAborted).ConfigureAwait(false);
            await SendAsync(context, TextChunk(model, words[i], null)).ConfigureAwait(false);
        }

        // As OpenAI streams it: the last choice carries the finish reason; usage follows in a chunk of its own when asked for.
        await SendAsync(context, TextChunk(model, "", "stop")).ConfigureAwait(false);
        if (includeUsage)
        {
            var usage = new JsonObject { ["prompt_tokens"] = Math.Max(1, prompt.Length / 4), ["completion_tokens"] = words.Count, ["total_tokens"] = Math.Max(1, prompt.Length / 4) + words.Count };
            await SendAsync(context, new JsonObject { ["id"] = "cmpl-peer", ["object"] = "text_completion", ["created"] = 1_700_000_000, ["model"] = model, ["choices"] = new JsonArray(), ["usage"] = usage }.ToJsonString()).ConfigureAwait(false);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n").ConfigureAwait(false);
    }

    /// <summary>A legacy completions chunk in the published shape (text, index, logprobs, finish_reason; system_fingerprint).</summary>
    private static string TextChunk(string model, string text, string? finish) => new JsonObject
    {
        ["id"] = "cmpl-peer",
        ["object"] = "text_completion",
        ["created"] = 1_700_000_000,
        ["choices"] = new JsonArray(new JsonObject { ["text"] = text, ["index"] = 0, ["logprobs"] = null, ["finish_reason"] = finish }),
        ["model"] = model,
        ["system_fingerprint"] = "fp_peer",
    }.ToJsonString();

    private async Task ImagesAsync(HttpContext context)
    {
        var body = await ReadAsync(context).ConfigureAwait(false);
        var model = body?["model"]?.GetValue<string>() ?? "";
        if (await FaultAsync(context, model).ConfigureAwait(false))
        {
            return;
        }

        var count = body?["n"]?.GetValue<int>() ?? 1;
        var prompt = body?["prompt"]?.GetValue<string>() ?? "";
        await context.Response.WriteAsJsonAsync(new
        {
            created = 1_700_000_000,
            data = Enumerable.Range(0, count).Select(i => new { b64_json = Convert.ToBase64String(TinyPng), revised_prompt = $"A detailed picture of {prompt} (variation {i + 1})" }),
        }).ConfigureAwait(false);
    }

    /// <summary>Faults answered before any content. True when the request was answered.</summary>
    private async Task<bool> FaultAsync(HttpContext context, string model)
    {
        if (ExtraModels.Contains(model) || LongLength(model) is not null || IsFineTunedModel(model))
        {
            return false;
        }

        switch (model)
        {
            case "fault-401":
                await Error(context, 401, "Access denied due to invalid subscription key or wrong API endpoint.", "401").ConfigureAwait(false);
                return true;
            case "fault-429":
                context.Response.Headers.RetryAfter = "7";
                await Error(context, 429, "Rate limit reached for requests. Please retry after 7 seconds.", "rate_limit_exceeded").ConfigureAwait(false);
                return true;
            case "fault-500":
                await Error(context, 500, "The server had an error while processing your request.", "server_error").ConfigureAwait(false);
                return true;
            case "fault-hang":
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
                return true;
            case "fault-content-filter":
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(ContentFilterError).ConfigureAwait(false);
                return true;
            case "peer-chat" or "peer-slow" or "peer-endless" or "peer-endless-slow" or "peer-images" or "no-completions" or "fault-reset" or "fault-malformed" or "fault-stream-filter"
                or "peer-quiz" or "peer-quiz-off" or "peer-judge" or "peer-judge-garbled" or "fault-429-once":
                return false;
            default:
                await Error(context, 404, $"The model `{model}` does not exist or you do not have access to it.", "model_not_found").ConfigureAwait(false);
                return true;
        }
    }

    /// <summary>Faults in the middle of a stream. True when the stream was ended by the fault.</summary>
    private static async Task<bool> MidStreamFaultAsync(HttpContext context, string model)
    {
        switch (model)
        {
            case "fault-reset":
                await context.Response.Body.FlushAsync().ConfigureAwait(false);
                await Task.Delay(100).ConfigureAwait(false); // let the words sent so far reach the client before the reset
                context.Abort();
                return true;
            case "fault-malformed":
                await context.Response.WriteAsync("data: {\"id\": \"chatcmpl-peer\", \"choices\": [{\"delta\": {\"content\": \n\n").ConfigureAwait(false);
                await context.Response.WriteAsync("data: [DONE]\n\n").ConfigureAwait(false);
                return true;
            case "fault-stream-filter":
                await SendAsync(context, """{"id":"chatcmpl-peer","object":"chat.completion.chunk","created":1699587397,"model":"fault-stream-filter","choices":[{"index":0,"finish_reason":"content_filter","delta":{},"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"}}}],"usage":null}""").ConfigureAwait(false);
                await context.Response.WriteAsync("data: [DONE]\n\n").ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Azure OpenAI's 400 for a prompt the content filter blocked (Microsoft's documented example).</summary>
    public const string ContentFilterError = """
        {"error":{"message":"The response was filtered due to the prompt triggering Azure Content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"},"self-harm":{"filtered":true,"severity":"high"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"}}}}}
        """;

    private static Task Error(HttpContext context, int status, string message, string code)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { message, type = status == 429 ? "requests" : "invalid_request_error", param = (string?)null, code } });
    }

    private static async Task StartStreamAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync().ConfigureAwait(false);
    }

    private static async Task SendAsync(HttpContext context, string json)
    {
        await context.Response.WriteAsync($"data: {json}\n\n").ConfigureAwait(false);
        await context.Response.Body.FlushAsync().ConfigureAwait(false);
    }

    private static string Chunk(string model, JsonObject delta, string? finish) => new JsonObject
    {
        ["id"] = "chatcmpl-peer",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_700_000_000,
        ["model"] = model,
        ["system_fingerprint"] = "fp_peer",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
    }.ToJsonString();

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var part in text.Split(' '))
        {
            words.Add(words.Count == 0 ? part : " " + part);
        }

        return words;
    }
}
