namespace Portal.Data.Tracing;

/// <summary>
/// One model call the portal made (<c>/traces</c>): who, where, what was asked and answered (when content capture is
/// on), how long it took, tokens, an estimated cost and how it ended. Never a key: the connection is named, the endpoint
/// only by its host.
/// </summary>
public sealed class TraceRow
{
    /// <summary>The trace id (also <c>ModelCallScope.TraceId</c>, linked from the playground's answers).</summary>
    public Guid Id { get; set; }

    public DateTimeOffset StartedUtc { get; set; }

    /// <summary>The portal user the call was made for ("local", "oidc:…"); "unknown" when no scope said.</summary>
    public required string UserId { get; set; }

    /// <summary>The connection's name.</summary>
    public required string Connection { get; set; }

    /// <summary>The endpoint's host (and port when not the default), never its path or query.</summary>
    public required string ServerAddress { get; set; }

    /// <summary>The provider kind as the GenAI conventions name it (<c>gen_ai.provider.name</c>).</summary>
    public required string Provider { get; set; }

    public required string Model { get; set; }

    /// <summary>chat, text_completion or generate_content (<c>gen_ai.operation.name</c>).</summary>
    public required string Operation { get; set; }

    /// <summary>The portal feature that made the call: chat, completions, images, compare, evaluation, judge, probe…</summary>
    public required string Feature { get; set; }

    /// <summary>The evaluation run or probe the call belongs to.</summary>
    public Guid? RunId { get; set; }

    /// <summary>The request's messages as JSON (<c>[{"role","content"}]</c>); null when content capture was off.</summary>
    public string? Messages { get; set; }

    /// <summary>The request's parameters as JSON, as sent (wire names); never content.</summary>
    public string? Parameters { get; set; }

    /// <summary>The answer's text; null when content capture was off.</summary>
    public string? Response { get; set; }

    /// <summary>Whether <see cref="Messages"/> and <see cref="Response"/> were captured (<c>Portal:Tracing:CaptureContent</c>).</summary>
    public bool ContentCaptured { get; set; }

    public string? FinishReason { get; set; }

    /// <summary>The content-filter categories the provider reported, as JSON (<c>[{"name","severity","filtered"}]</c>).</summary>
    public string? ContentFilter { get; set; }

    public double? TimeToFirstTokenMs { get; set; }

    public double TotalMs { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    /// <summary>True when the provider reported no usage and the tokens were estimated (about four characters a token).</summary>
    public bool TokensEstimated { get; set; }

    /// <summary>Estimated cost in US dollars, low and high, from the unofficial community price map; null when unknown.</summary>
    public double? CostLowUsd { get; set; }

    public double? CostHighUsd { get; set; }

    /// <summary>The catalog model whose community price gave the cost.</summary>
    public string? CostModel { get; set; }

    /// <summary>ok, error or cancelled.</summary>
    public required string Status { get; set; }

    /// <summary>The kind of failure (<c>error.type</c>: Unauthorized, RateLimited, ContentFilter…).</summary>
    public string? ErrorType { get; set; }

    /// <summary>The portal's own description of the failure (no secrets), with the provider's message when it sent one.</summary>
    public string? ErrorMessage { get; set; }
}
