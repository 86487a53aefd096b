namespace Portal.Playground.Inference;

/// <summary>
/// The operation names of the OpenTelemetry GenAI semantic conventions (<c>gen_ai.operation.name</c>) for the calls the
/// <see cref="InferenceService"/> makes. Image generation is "multimodal content generation" there.
/// </summary>
public static class ModelCallOperations
{
    public const string Chat = "chat";
    public const string TextCompletion = "text_completion";
    public const string GenerateContent = "generate_content";
}

/// <summary>How a model call ended.</summary>
public enum ModelCallStatus
{
    Ok,
    Error,
    Cancelled,
}

/// <summary>
/// One model call as it starts: where it goes (the target carries the key, which an observer must never read or
/// keep: <see cref="InferenceTarget"/> does not expose it), which model, which operation and what is asked.
/// </summary>
/// <param name="Target">The connection (its name, kind and address are read; its key never).</param>
/// <param name="Model">The model or deployment name sent.</param>
/// <param name="Operation">One of <see cref="ModelCallOperations"/>.</param>
/// <param name="Messages">The request: the chat turns, or the prompt of a completion or an image as one user turn.</param>
/// <param name="Parameters">Sampling parameters (null for images).</param>
/// <param name="Image">The image request's options (null for text).</param>
public sealed record ModelCallRequest(
    InferenceTarget Target,
    string Model,
    string Operation,
    IReadOnlyList<ChatTurn> Messages,
    GenerationParameters? Parameters,
    ImageRequest? Image = null);

/// <summary>
/// Watches every inference call (<see cref="InferenceService"/>: chat, completions, images; not model lists). The
/// service calls <see cref="Start"/> on the caller's async flow (so <see cref="ModelCallScope.Current"/> is the caller's),
/// then reports to the returned observation as the call goes. Implementations must return at once: they are on the
/// path of every token.
/// </summary>
public interface IModelCallObserver
{
    IModelCallObservation Start(ModelCallRequest request);
}

/// <summary>One observed call. <see cref="OnEnded"/> is called exactly once, last.</summary>
public interface IModelCallObservation
{
    /// <summary>Text as it arrived (a streamed delta, or an image's revised prompt).</summary>
    void OnText(string text);

    /// <summary>The end of the stream as the provider reported it (finish reason, usage, content-filter results).</summary>
    void OnFinished(StreamFinished finished);

    /// <summary>How the call ended; <paramref name="failure"/> is the portal's own description of a failure (no secrets).</summary>
    void OnEnded(ModelCallStatus status, InferenceError? failure);
}
