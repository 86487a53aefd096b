using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Portal.Playground.Outbound;

namespace Portal.Playground.Inference;

public enum InferenceErrorKind
{
    Unauthorized,
    NotFound,
    RateLimited,
    ContentFilter,
    BadRequest,
    ServerError,
    Timeout,
    StreamDropped,
    Malformed,
    Unreachable,
    Refused,
    NotSupported,
}

/// <summary>A content-filter category the provider flagged ("hate", severity "high").</summary>
public sealed record FilterCategory(string Name, string? Severity, bool Filtered);

/// <summary>What went wrong, in words a user can act on, with the provider's own message when it sent one.</summary>
public sealed record InferenceError(
    InferenceErrorKind Kind,
    string Message,
    int? Status = null,
    string? ProviderMessage = null,
    TimeSpan? RetryAfter = null,
    IReadOnlyList<FilterCategory>? Categories = null)
{
    public string Title => Kind switch
    {
        InferenceErrorKind.Unauthorized => "Not authorised",
        InferenceErrorKind.NotFound => "Model or deployment not found",
        InferenceErrorKind.RateLimited => "Rate limited",
        InferenceErrorKind.ContentFilter => "Blocked by the content filter",
        InferenceErrorKind.BadRequest => "The endpoint rejected the request",
        InferenceErrorKind.ServerError => "The endpoint failed",
        InferenceErrorKind.Timeout => "Timed out",
        InferenceErrorKind.StreamDropped => "The connection dropped",
        InferenceErrorKind.Malformed => "Unreadable response",
        InferenceErrorKind.Unreachable => "Endpoint unreachable",
        InferenceErrorKind.Refused => "Address not allowed",
        _ => "Not supported by this endpoint",
    };
}

/// <summary>An inference call failed; <see cref="Error"/> says how.</summary>
public sealed class InferenceException(InferenceError error, Exception? inner = null) : Exception(error.Message, inner)
{
    public InferenceError Error { get; } = error;
}

/// <summary>Turns what the SDK, the network and the provider report into an <see cref="InferenceError"/>.</summary>
public static class InferenceErrors
{
    public static InferenceError FromException(Exception exception, string model, bool streamStarted, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case InferenceException inference:
                return inference.Error;
            case ClientResultException result when result.Status > 0:
                return FromResponse(result.Status, result.GetRawResponse()?.Headers is { } headers ? Header(headers, "Retry-After") ?? null : null,
                    RetryAfterMilliseconds(result), SafeContent(result), model);
            case OutboundUrlRefusedException refused:
                return new(InferenceErrorKind.Refused, refused.Message);
            case JsonException or FormatException or InvalidOperationException { Source: "System.Text.Json" }:
                return new(InferenceErrorKind.Malformed, "The endpoint sent a response the portal could not read (not valid OpenAI-format JSON). " + (streamStarted ? "The answer so far is kept." : ""));
            case TimeoutException or TaskCanceledException or OperationCanceledException:
                return new(InferenceErrorKind.Timeout, streamStarted
                    ? $"The endpoint stopped sending for more than {timeout.TotalSeconds:0} seconds. The answer so far is kept."
                    : $"No answer from the endpoint within {timeout.TotalSeconds:0} seconds.");
            default:
                if (Find<OutboundUrlRefusedException>(exception) is { } inner)
                {
                    return new(InferenceErrorKind.Refused, inner.Message);
                }

                if (Find<JsonException>(exception) is not null)
                {
                    return FromException(Find<JsonException>(exception)!, model, streamStarted, timeout);
                }

                if (Find<TimeoutException>(exception) is not null)
                {
                    return FromException(new TimeoutException(), model, streamStarted, timeout);
                }

                return streamStarted
                    ? new(InferenceErrorKind.StreamDropped, "The connection to the endpoint dropped in the middle of the answer. What arrived is kept; Retry sends the question again.")
                    : new(InferenceErrorKind.Unreachable, $"Could not reach the endpoint: {FirstLine(Innermost(exception).Message)}");
        }
    }

    public static InferenceError FromResponse(int status, string? retryAfter, TimeSpan? retryAfterMs, string? body, string model)
    {
        var (message, code, categories) = ParseBody(body);
        switch (status)
        {
            case 401 or 403:
                return new(InferenceErrorKind.Unauthorized, $"The endpoint refused the credentials ({status}). Check the key or sign-in in Settings → Connections.", status, message);
            case 404:
                return new(InferenceErrorKind.NotFound, $"The endpoint does not know the model or deployment '{model}' (404).", status, message);
            case 429:
                var wait = retryAfterMs ?? ParseRetryAfter(retryAfter);
                return new(InferenceErrorKind.RateLimited,
                    wait is { } w ? $"Too many requests (429). The endpoint asks to wait {Describe(w)} before retrying." : "Too many requests (429). The endpoint gave no retry time; wait a moment and retry.",
                    status, message, wait);
            case 400 when string.Equals(code, "content_filter", StringComparison.OrdinalIgnoreCase) || categories.Count > 0:
                return ContentFilter(categories, status, message, prompt: true);
            case >= 500:
                return new(InferenceErrorKind.ServerError, $"The endpoint failed ({status}). It is not the request's fault; retry later.", status, message);
            default:
                // The provider's words travel as ProviderMessage, shown once after this ("The endpoint said: …").
                return new(InferenceErrorKind.BadRequest, $"The endpoint rejected the request ({status}).", status, message);
        }
    }

    public static InferenceError ContentFilter(IReadOnlyList<FilterCategory> categories, int? status, string? providerMessage, bool prompt)
    {
        var flagged = categories.Where(c => c.Filtered).ToList();
        var what = flagged.Count > 0
            ? string.Join(", ", flagged.Select(c => c.Severity is null ? c.Name : $"{c.Name} ({c.Severity})"))
            : "no category given";
        return new(InferenceErrorKind.ContentFilter,
            prompt
                ? $"The provider's content filter blocked the prompt: {what}. Rephrase the message and send again."
                : $"The provider's content filter stopped the answer: {what}. The answer so far is kept.",
            status, providerMessage, null, categories);
    }

    /// <summary>Reads <c>{"error": {"message", "code", "innererror": {"content_filter_result": {...}}}}</c>.</summary>
    public static (string? Message, string? Code, IReadOnlyList<FilterCategory> Categories) ParseBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, []);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return (null, null, []);
            }

            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var categories = error.TryGetProperty("innererror", out var inner) && inner.TryGetProperty("content_filter_result", out var result)
                ? Categories(result)
                : [];
            return (message is null ? null : Collapse(message), code, categories);
        }
        catch (JsonException)
        {
            return (FirstLine(body.Length > 300 ? body[..300] : body), null, []);
        }
    }

    /// <summary>Categories of a <c>content_filter_result(s)</c> object: <c>{"hate": {"filtered": true, "severity": "high"}, ...}</c>.</summary>
    public static IReadOnlyList<FilterCategory> Categories(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var list = new List<FilterCategory>();
        foreach (var property in result.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
        {
            var filtered = property.Value.TryGetProperty("filtered", out var f) && f.ValueKind == JsonValueKind.True;
            var severity = property.Value.TryGetProperty("severity", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var detected = property.Value.TryGetProperty("detected", out var d) && d.ValueKind == JsonValueKind.True;
            list.Add(new(property.Name.Replace('_', '-'), severity ?? (detected ? "detected" : null), filtered));
        }

        return list;
    }

    public static TimeSpan? ParseRetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date - DateTimeOffset.UtcNow) is var delta && delta > TimeSpan.Zero ? delta : TimeSpan.Zero
            : null;
    }

    public static string Describe(TimeSpan wait) =>
        wait.TotalSeconds < 1 ? $"{wait.TotalMilliseconds:0} ms" : wait.TotalSeconds < 120 ? $"{Math.Ceiling(wait.TotalSeconds):0} s" : $"{Math.Ceiling(wait.TotalMinutes):0} min";

    private static TimeSpan? RetryAfterMilliseconds(ClientResultException result) =>
        result.GetRawResponse()?.Headers is { } headers && Header(headers, "retry-after-ms") is { } ms
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? TimeSpan.FromMilliseconds(value) : null;

    private static string? Header(System.ClientModel.Primitives.PipelineResponseHeaders headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : null;

    private static string? SafeContent(ClientResultException result)
    {
        try
        {
            return result.GetRawResponse()?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner && inner is not WebException)
        {
            exception = inner;
        }

        return exception;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
