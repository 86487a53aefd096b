using Portal.Playground.Inference;

namespace Portal.Web.Playground;

/// <summary>How an answer went: time to first token, total time, tokens (as the provider reported them, or estimated), speed and cost.</summary>
public sealed record AnswerMetrics(
    double? TimeToFirstTokenMs,
    double TotalMs,
    int? InputTokens,
    int OutputTokens,
    bool TokensEstimated,
    double? TokensPerSecond,
    string? Cost);

/// <summary>An error as the playground shows it, kept with the message it belongs to.</summary>
public sealed record PlaygroundError(
    string Title,
    string Message,
    string? ProviderMessage,
    double? RetryAfterSeconds,
    IReadOnlyList<FilterCategory>? Categories)
{
    public static PlaygroundError From(InferenceError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Title, error.Message, error.ProviderMessage, error.RetryAfter?.TotalSeconds, error.Categories);
    }
}

public sealed class ChatMessageState
{
    public ChatRole Role { get; set; }

    public string Content { get; set; } = "";

    public AnswerMetrics? Metrics { get; set; }

    public PlaygroundError? Error { get; set; }

    /// <summary>The answer was cut off (the connection dropped, the endpoint went silent or sent garbage): the text is incomplete.</summary>
    public bool Interrupted { get; set; }

    /// <summary>The user pressed Stop: the text is what arrived until then.</summary>
    public bool Stopped { get; set; }

    /// <summary>Why the answer ended, when it is worth saying (the token limit, say).</summary>
    public string? Note { get; set; }

    public bool Streaming { get; set; }

    /// <summary>The trace of the call that gave this answer (<c>/traces/{id}</c>); absent in sessions saved before tracing.</summary>
    public Guid? TraceId { get; set; }
}

/// <summary>The parameters as the playground edits them (all optional: empty means the endpoint's default).</summary>
public sealed class ParameterState
{
    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? MaxTokens { get; set; }

    public string Stop { get; set; } = "";

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    public long? Seed { get; set; }

    public bool JsonResponse { get; set; }

    public GenerationParameters ToParameters() => new()
    {
        Temperature = Temperature,
        TopP = TopP,
        MaxTokens = MaxTokens,
        Stop = [.. Stop.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).Take(4)],
        PresencePenalty = PresencePenalty,
        FrequencyPenalty = FrequencyPenalty,
        Seed = Seed,
        JsonResponse = JsonResponse,
    };

    public ParameterState Clone() => (ParameterState)MemberwiseClone();
}

public sealed class ChatSessionState
{
    public string? Connection { get; set; }

    public string? Model { get; set; }

    public string System { get; set; } = "";

    public ParameterState Parameters { get; set; } = new();

    public List<ChatMessageState> Messages { get; set; } = [];
}

public sealed class CompletionSessionState
{
    public string? Connection { get; set; }

    public string? Model { get; set; }

    public string Prompt { get; set; } = "";

    public string Output { get; set; } = "";

    public ParameterState Parameters { get; set; } = new() { MaxTokens = 200 };

    public AnswerMetrics? Metrics { get; set; }

    public PlaygroundError? Error { get; set; }

    public bool Interrupted { get; set; }

    /// <summary>The trace of the last completion (<c>/traces/{id}</c>), when there is one.</summary>
    public Guid? TraceId { get; set; }
}

public sealed class ImageSessionState
{
    public string? Connection { get; set; }

    public string? Model { get; set; }

    public string Prompt { get; set; } = "";

    public string Size { get; set; } = "1024x1024";

    public string Quality { get; set; } = "";

    public string Style { get; set; } = "";

    public int Count { get; set; } = 1;

    /// <summary>The revised prompts of the last results (the images themselves are not kept in history).</summary>
    public List<string?> RevisedPrompts { get; set; } = [];

    /// <summary>The trace of the last generation (<c>/traces/{id}</c>), when there is one.</summary>
    public Guid? TraceId { get; set; }
}

public sealed class ComparePaneState
{
    public string? Connection { get; set; }

    public string? Model { get; set; }

    public ParameterState Parameters { get; set; } = new();

    public List<ChatMessageState> Messages { get; set; } = [];
}

public sealed class CompareSessionState
{
    public string System { get; set; } = "";

    public bool SyncParameters { get; set; } = true;

    public ParameterState Parameters { get; set; } = new();

    public List<ComparePaneState> Panes { get; set; } = [];
}
