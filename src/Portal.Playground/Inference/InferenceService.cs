using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using OpenAI.Images;

namespace Portal.Playground.Inference;

public enum ChatRole
{
    System,
    User,
    Assistant,
}

public sealed record ChatTurn(ChatRole Role, string Content);

/// <summary>Sampling parameters; null means "the endpoint's default" and is not sent.</summary>
public sealed record GenerationParameters
{
    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    public double? PresencePenalty { get; init; }

    public double? FrequencyPenalty { get; init; }

    public long? Seed { get; init; }

    public bool JsonResponse { get; init; }
}

public abstract record StreamEvent;

/// <summary>Text as it arrived.</summary>
public sealed record TextDelta(string Text) : StreamEvent;

/// <summary>The end of a stream: why it stopped and the usage the provider reported (null when it reported none).</summary>
public sealed record StreamFinished(string? FinishReason, int? InputTokens, int? OutputTokens, IReadOnlyList<FilterCategory> FilterCategories) : StreamEvent;

public sealed record ImageRequest(string Prompt, int Count, string? Size, string? Quality, string? Style);

public sealed record ImageResult(byte[] Png, string? RevisedPrompt, string MediaType);

/// <summary>
/// Every inference call the portal makes, through the OpenAI .NET SDK. Failures surface as
/// <see cref="InferenceException"/> with an <see cref="InferenceError"/> a user can act on; text that already arrived
/// has been yielded before the exception, so callers keep partial answers.
/// <para>
/// Every chat, completion and image call is reported to the <see cref="IModelCallObserver"/> when there is one (the
/// portal's trace recorder); the stream is passed through as it arrives.
/// </para>
/// </summary>
public sealed class InferenceService(InferenceClientFactory factory, IModelCallObserver? observer = null)
{
    public async Task<IReadOnlyList<string>> ListModelsAsync(InferenceTarget target, CancellationToken cancellationToken)
    {
        try
        {
            var models = await factory.Create(target).GetOpenAIModelClient().GetModelsAsync(cancellationToken).ConfigureAwait(false);
            return [.. models.Value.Select(m => m.Id).Order(StringComparer.OrdinalIgnoreCase)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new InferenceException(InferenceErrors.FromException(ex, "(model list)", false, factory.Timeout), ex);
        }
    }

    public IAsyncEnumerable<StreamEvent> StreamChatAsync(
        InferenceTarget target,
        string model,
        IReadOnlyList<ChatTurn> messages,
        GenerationParameters parameters,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(parameters);
        var events = ChatEventsAsync(target, model, messages, parameters, cancellationToken);
        return observer is null ? events : ObservedAsync(events, new ModelCallRequest(target, model, ModelCallOperations.Chat, messages, parameters), cancellationToken);
    }

    /// <summary>
    /// <c>POST /completions</c>, streamed. The SDK has no public client for this legacy API, so the request goes
    /// through the SDK's own pipeline (authentication, timeout, error handling) and the server-sent events are read here.
    /// </summary>
    public IAsyncEnumerable<StreamEvent> StreamCompletionAsync(
        InferenceTarget target,
        string model,
        string prompt,
        GenerationParameters parameters,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        var events = CompletionEventsAsync(target, model, prompt, parameters, cancellationToken);
        return observer is null
            ? events
            : ObservedAsync(events, new ModelCallRequest(target, model, ModelCallOperations.TextCompletion, [new(ChatRole.User, prompt)], parameters), cancellationToken);
    }

    public async Task<IReadOnlyList<ImageResult>> GenerateImagesAsync(InferenceTarget target, string model, ImageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        if (observer is null)
        {
            return await ImagesAsync(target, model, request, cancellationToken).ConfigureAwait(false);
        }

        var call = observer.Start(new ModelCallRequest(target, model, ModelCallOperations.GenerateContent, [new(ChatRole.User, request.Prompt)], null, request));
        try
        {
            var images = await ImagesAsync(target, model, request, cancellationToken).ConfigureAwait(false);
            var revised = images.Select(i => i.RevisedPrompt).Where(p => !string.IsNullOrEmpty(p)).ToList();
            call.OnText(revised.Count > 0
                ? $"{images.Count} image(s). Revised prompt: {string.Join(" | ", revised)}"
                : $"{images.Count} image(s).");
            call.OnFinished(new StreamFinished("stop", null, null, []));
            call.OnEnded(ModelCallStatus.Ok, null);
            return images;
        }
        catch (InferenceException ex)
        {
            call.OnEnded(ModelCallStatus.Error, Redacted(ex.Error, target));
            throw;
        }
        catch (OperationCanceledException)
        {
            call.OnEnded(ModelCallStatus.Cancelled, null);
            throw;
        }
    }

    /// <summary>What the observer is told of a failure: the key is never in it, even when a provider echoes it back.</summary>
    private static InferenceError Redacted(InferenceError error, InferenceTarget target)
    {
        if (target.ApiKey is not { Length: > 0 } key)
        {
            return error;
        }

        return error with
        {
            Message = error.Message.Replace(key, "••••", StringComparison.Ordinal),
            ProviderMessage = error.ProviderMessage?.Replace(key, "••••", StringComparison.Ordinal),
        };
    }

    /// <summary>
    /// Passes the events through as they arrive, telling the observer about each: the observer only notes them (no I/O),
    /// so no token waits. A reader that stops early (Stop, a limit) ends the call as cancelled.
    /// </summary>
    private async IAsyncEnumerable<StreamEvent> ObservedAsync(IAsyncEnumerable<StreamEvent> events, ModelCallRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Started on the first read, in the caller's async flow: the caller's ModelCallScope is current here.
        var call = observer!.Start(request);
        var ended = false;
        var started = false;
        var enumerator = events.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (InferenceException ex)
                {
                    ended = true;
                    call.OnEnded(ModelCallStatus.Error, Redacted(ex.Error, request.Target));
                    throw;
                }
                catch (OperationCanceledException)
                {
                    ended = true;
                    call.OnEnded(ModelCallStatus.Cancelled, null);
                    throw;
                }
                catch (Exception ex)
                {
                    ended = true;
                    call.OnEnded(ModelCallStatus.Error, Redacted(InferenceErrors.FromException(ex, request.Model, started, factory.Timeout), request.Target));
                    throw;
                }

                var e = enumerator.Current;
                if (e is TextDelta delta)
                {
                    started = true;
                    call.OnText(delta.Text);
                }
                else if (e is StreamFinished finished)
                {
                    call.OnFinished(finished);
                }

                yield return e;
            }

            ended = true;
            call.OnEnded(ModelCallStatus.Ok, null);
        }
        finally
        {
            if (!ended)
            {
                call.OnEnded(ModelCallStatus.Cancelled, null);
            }

            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<StreamEvent> ChatEventsAsync(
        InferenceTarget target,
        string model,
        IReadOnlyList<ChatTurn> messages,
        GenerationParameters parameters,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = Wrap(() => factory.Create(target).GetChatClient(model), model, false);
        var options = ChatOptions(parameters);
        var started = false;
        string? finish = null;
        int? input = null;
        int? output = null;
        IReadOnlyList<FilterCategory> categories = [];

        var updates = client.CompleteChatStreamingAsync(messages.Select(ToSdk), options, cancellationToken);
        var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                StreamingChatCompletionUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    throw new InferenceException(InferenceErrors.FromException(ex, model, started, factory.Timeout), ex);
                }

                foreach (var part in update.ContentUpdate)
                {
                    if (!string.IsNullOrEmpty(part.Text))
                    {
                        started = true;
                        yield return new TextDelta(part.Text);
                    }
                }

                if (update.FinishReason is { } reason)
                {
                    finish = FinishReasonText(reason);
                    if (reason == ChatFinishReason.ContentFilter)
                    {
                        categories = FilterCategoriesOf(update);
                    }
                }

                if (update.Usage is { } usage)
                {
                    input = usage.InputTokenCount;
                    output = usage.OutputTokenCount;
                }
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }

        yield return new StreamFinished(finish, input, output, categories);
    }

    private async IAsyncEnumerable<StreamEvent> CompletionEventsAsync(
        InferenceTarget target,
        string model,
        string prompt,
        GenerationParameters parameters,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pipeline = Wrap(() => factory.Create(target).Pipeline, model, false);
        var body = new JsonObject { ["model"] = model, ["prompt"] = prompt, ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true } };
        AddParameters(body, parameters);
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(target.Endpoint, "completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Headers.Set("Accept", "text/event-stream");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));

        // RequestOptions buffers the whole response unless told otherwise, and Apply copies that onto the message:
        // buffering here would turn the stream into one block of text at the end.
        message.Apply(new RequestOptions { CancellationToken = cancellationToken, BufferResponse = false });

        Stream stream;
        try
        {
            await pipeline.SendAsync(message).ConfigureAwait(false);
            var response = message.Response!;
            if (response.IsError)
            {
                await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
                if (response.Status is 404 or 405 && !IsOpenAiError(response.Content.ToString()))
                {
                    throw new InferenceException(new(InferenceErrorKind.NotSupported,
                        $"This endpoint has no /completions API ({response.Status}). Many chat-only services (Azure AI Foundry serverless, GitHub Models, newer OpenAI models) offer only chat completions: use the chat playground.", response.Status));
                }

                throw await ClientResultException.CreateAsync(response).ConfigureAwait(false);
            }

            stream = response.ContentStream ?? throw new InferenceException(new(InferenceErrorKind.Malformed, "The endpoint answered without a body."));
        }
        catch (Exception ex) when (ex is not InferenceException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw new InferenceException(InferenceErrors.FromException(ex, model, false, factory.Timeout), ex);
        }

        string? finish = null;
        int? input = null;
        int? output = null;
        var started = false;
        var events = SseParser.Create(stream).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                string? text;
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    var data = events.Current.Data;
                    if (data == "[DONE]")
                    {
                        break;
                    }

                    using var chunk = JsonDocument.Parse(data);
                    if (chunk.RootElement.TryGetProperty("error", out _))
                    {
                        var error = InferenceErrors.ParseBody(data);
                        throw new InferenceException(new(InferenceErrorKind.ServerError, $"The endpoint reported an error in the middle of the answer: {error.Message}. The answer so far is kept.", null, error.Message));
                    }

                    text = null;
                    if (chunk.RootElement.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
                    {
                        var choice = choices[0];
                        text = choice.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                        if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
                        {
                            finish = f.GetString();
                        }
                    }

                    if (chunk.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                    {
                        input = usage.TryGetProperty("prompt_tokens", out var p) ? p.GetInt32() : null;
                        output = usage.TryGetProperty("completion_tokens", out var o) ? o.GetInt32() : null;
                    }
                }
                catch (Exception ex) when (ex is not InferenceException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
                {
                    throw new InferenceException(InferenceErrors.FromException(ex, model, started, factory.Timeout), ex);
                }

                if (!string.IsNullOrEmpty(text))
                {
                    started = true;
                    yield return new TextDelta(text);
                }
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        yield return new StreamFinished(finish, input, output, []);
    }

    private async Task<IReadOnlyList<ImageResult>> ImagesAsync(InferenceTarget target, string model, ImageRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var client = factory.Create(target).GetImageClient(model);
            var options = new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes };
            if (request.Size is { } size && size.Split('x') is [var w, var h] && int.TryParse(w, out var width) && int.TryParse(h, out var height))
            {
                options.Size = new GeneratedImageSize(width, height);
            }

            if (request.Quality is { Length: > 0 } quality)
            {
                options.Quality = new GeneratedImageQuality(quality);
            }

            if (request.Style is { Length: > 0 } style)
            {
                options.Style = new GeneratedImageStyle(style);
            }

            var result = await client.GenerateImagesAsync(request.Prompt, request.Count, options, cancellationToken).ConfigureAwait(false);
            return [.. result.Value.Select(i => new ImageResult(i.ImageBytes?.ToArray() ?? [], i.RevisedPrompt, "image/png"))];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new InferenceException(InferenceErrors.FromException(ex, model, false, factory.Timeout), ex);
        }
    }

    internal static ChatCompletionOptions ChatOptions(GenerationParameters p)
    {
        var options = new ChatCompletionOptions
        {
            Temperature = (float?)p.Temperature,
            TopP = (float?)p.TopP,
            MaxOutputTokenCount = p.MaxTokens,
            PresencePenalty = (float?)p.PresencePenalty,
            FrequencyPenalty = (float?)p.FrequencyPenalty,
        };
        options.Seed = p.Seed;
        foreach (var stop in p.Stop.Where(s => s.Length > 0))
        {
            options.StopSequences.Add(stop);
        }

        if (p.JsonResponse)
        {
            options.ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat();
        }

        return options;
    }

    /// <summary>Writes the parameters that are set into an OpenAI request body (wire names), as the portal sends them.</summary>
    public static void AddParameters(JsonObject body, GenerationParameters p)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(p);
        if (p.Temperature is { } t)
        {
            body["temperature"] = t;
        }

        if (p.TopP is { } topP)
        {
            body["top_p"] = topP;
        }

        if (p.MaxTokens is { } max)
        {
            body["max_tokens"] = max;
        }

        if (p.Stop.Count > 0)
        {
            body["stop"] = new JsonArray([.. p.Stop.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        if (p.PresencePenalty is { } presence)
        {
            body["presence_penalty"] = presence;
        }

        if (p.FrequencyPenalty is { } frequency)
        {
            body["frequency_penalty"] = frequency;
        }

        if (p.Seed is { } seed)
        {
            body["seed"] = seed;
        }

        if (p.JsonResponse)
        {
            body["response_format"] = new JsonObject { ["type"] = "json_object" };
        }
    }

    private static ChatMessage ToSdk(ChatTurn turn) => turn.Role switch
    {
        ChatRole.System => new SystemChatMessage(turn.Content),
        ChatRole.Assistant => new AssistantChatMessage(turn.Content),
        _ => new UserChatMessage(turn.Content),
    };

    private static string FinishReasonText(ChatFinishReason reason) => reason switch
    {
        ChatFinishReason.Stop => "stop",
        ChatFinishReason.Length => "length",
        ChatFinishReason.ContentFilter => "content_filter",
        ChatFinishReason.ToolCalls => "tool_calls",
        ChatFinishReason.FunctionCall => "function_call",
        _ => reason.ToString(),
    };

    /// <summary>Azure adds <c>content_filter_results</c> to the choice; the SDK keeps unknown fields and writes them back.</summary>
    private static IReadOnlyList<FilterCategory> FilterCategoriesOf(StreamingChatCompletionUpdate update)
    {
        try
        {
            var json = ModelReaderWriter.Write(update, ModelReaderWriterOptions.Json, OpenAI.OpenAIContext.Default);
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("content_filter_results", out var results)
                ? InferenceErrors.Categories(results)
                : [];
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or NotSupportedException or FormatException)
        {
            return [];
        }
    }

    private static bool IsOpenAiError(string? body)
    {
        try
        {
            using var document = JsonDocument.Parse(body ?? "");
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private T Wrap<T>(Func<T> create, string model, bool started)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is not InferenceException)
        {
            throw new InferenceException(InferenceErrors.FromException(ex, model, started, factory.Timeout), ex);
        }
    }
}
