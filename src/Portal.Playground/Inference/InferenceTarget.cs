namespace Portal.Playground.Inference;

/// <summary>The kinds of endpoint a connection can point at. All of them speak the OpenAI wire format.</summary>
public enum ConnectionKind
{
    AzureOpenAI,
    AzureAIFoundry,
    OpenAI,
    GitHubModels,
    OpenAICompatible,
}

public enum ConnectionAuth
{
    ApiKey,
    EntraId,
    None,
}

public static class ConnectionKinds
{
    public static string Label(ConnectionKind kind) => kind switch
    {
        ConnectionKind.AzureOpenAI => "Azure OpenAI",
        ConnectionKind.AzureAIFoundry => "Azure AI Foundry / serverless endpoint",
        ConnectionKind.OpenAI => "OpenAI",
        ConnectionKind.GitHubModels => "GitHub Models",
        _ => "OpenAI-compatible (Ollama, vLLM, llama.cpp…)",
    };

    /// <summary>What the base URL looks like for this kind, shown as the field's hint.</summary>
    public static string EndpointHint(ConnectionKind kind) => kind switch
    {
        ConnectionKind.AzureOpenAI => "https://<resource>.openai.azure.com/openai/v1/",
        ConnectionKind.AzureAIFoundry => "https://<resource>.services.ai.azure.com/openai/v1/ or https://<endpoint>.<region>.models.ai.azure.com/v1/",
        ConnectionKind.OpenAI => "https://api.openai.com/v1/",
        ConnectionKind.GitHubModels => "https://models.github.ai/inference/",
        _ => "http://localhost:11434/v1/ (Ollama), http://localhost:8000/v1/ (vLLM), http://localhost:8080/v1/ (llama.cpp)",
    };

    public static string AuthLabel(ConnectionAuth auth) => auth switch
    {
        ConnectionAuth.ApiKey => "API key",
        ConnectionAuth.EntraId => "Microsoft Entra ID",
        _ => "None",
    };
}

/// <summary>
/// Where to send a request and how to authenticate. It carries the API key, so it never prints it: its string form
/// is the connection's name and address only.
/// </summary>
public sealed class InferenceTarget(string name, ConnectionKind kind, Uri endpoint, ConnectionAuth auth, string? apiKey)
{
    public string Name { get; } = name;

    public ConnectionKind Kind { get; } = kind;

    /// <summary>The base URL; requests go to <c>{Endpoint}/chat/completions</c> and so on.</summary>
    public Uri Endpoint { get; } = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");

    public ConnectionAuth Auth { get; } = auth;

    internal string? ApiKey { get; } = apiKey;

    /// <summary>The same credentials against another address or kind (testing an edited connection without retyping its key).</summary>
    public InferenceTarget With(string newName, ConnectionKind newKind, Uri newEndpoint, ConnectionAuth newAuth) =>
        new(newName, newKind, newEndpoint, newAuth, newAuth == ConnectionAuth.ApiKey ? ApiKey : null);

    public override string ToString() => $"{Name} ({Endpoint})";
}

/// <summary>Outbound inference settings (<c>Portal:Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Portal:Inference";

    /// <summary>How long to wait for a response to start, and between two parts of a streamed one.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The most characters one answer may have: past it the stream is ended (the call to the endpoint cancelled) and
    /// the part that arrived is kept. Bounds the memory, the page and the saved session an endless answer would fill.
    /// </summary>
    public int MaxAnswerChars { get; set; } = 200_000;

    /// <summary>The longest one answer may stream; past it the stream is ended the same way.</summary>
    public TimeSpan MaxAnswerDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The token scope for Microsoft Entra ID authentication.</summary>
    public string EntraScope { get; set; } = "https://cognitiveservices.azure.com/.default";

    /// <summary>The Entra tenant for the default credential; null uses the environment's.</summary>
    public string? TenantId { get; set; }
}
