using Portal.Playground.Inference;

namespace Portal.Web.Code;

/// <summary>The OpenAI-compatible API a sample calls.</summary>
public enum CodeApi
{
    Chat,
    Completions,
    Embeddings,
    Images,
}

public sealed record CodeSample(string Language, string Label, string Code);

/// <summary>
/// What a sample reproduces: a playground session (its real endpoint, model, messages and parameters) or a model page's
/// example (<see cref="Endpoint"/> null: the endpoint is read from <c>OPENAI_BASE_URL</c>). The key is never part of it.
/// </summary>
public sealed record CodeRequest(
    ConnectionKind Kind,
    Uri? Endpoint,
    ConnectionAuth Auth,
    string Model,
    CodeApi Api,
    IReadOnlyList<ChatTurn> Messages,
    string Prompt,
    GenerationParameters Parameters,
    ImageRequest? Image = null);
