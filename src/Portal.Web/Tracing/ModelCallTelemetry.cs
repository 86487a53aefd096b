using System.Diagnostics;
using System.Text.Json;
using Portal.Playground.Inference;

namespace Portal.Web.Tracing;

/// <summary>
/// The OpenTelemetry spans of model calls, named and tagged after the GenAI semantic conventions: span name
/// "{gen_ai.operation.name} {gen_ai.request.model}", kind Client, <c>gen_ai.*</c>, <c>server.address</c> and
/// <c>error.type</c> attributes; the messages (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>) only when
/// content capture is on. Never a key.
/// </summary>
public static class ModelCallTelemetry
{
    public const string SourceName = "Portal.ModelCalls";

    public static readonly ActivitySource Source = new(SourceName, typeof(ModelCallTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The provider as <c>gen_ai.provider.name</c> names it (custom values for kinds the conventions do not list).</summary>
    public static string ProviderName(ConnectionKind kind) => kind switch
    {
        ConnectionKind.AzureOpenAI => "azure.ai.openai",
        ConnectionKind.AzureAIFoundry => "azure.ai.inference",
        ConnectionKind.OpenAI => "openai",
        ConnectionKind.GitHubModels => "github_models",
        _ => "openai_compatible",
    };

    /// <summary>The endpoint's host, with the port when it is not the scheme's default: never its path, query or credentials.</summary>
    public static string ServerAddress(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
    }

    internal static Activity? StartSpan(ModelCallRequest request, Guid traceId, string feature, Guid? runId, bool capture)
    {
        var activity = Source.StartActivity($"{request.Operation} {request.Model}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("gen_ai.operation.name", request.Operation);
        activity.SetTag("gen_ai.provider.name", ProviderName(request.Target.Kind));
        activity.SetTag("gen_ai.system", ProviderName(request.Target.Kind));
        activity.SetTag("gen_ai.request.model", request.Model);
        activity.SetTag("server.address", request.Target.Endpoint.Host);
        activity.SetTag("server.port", request.Target.Endpoint.Port);
        if (request.Parameters is { } p)
        {
            activity.SetTag("gen_ai.request.temperature", p.Temperature);
            activity.SetTag("gen_ai.request.top_p", p.TopP);
            activity.SetTag("gen_ai.request.max_tokens", p.MaxTokens);
            activity.SetTag("gen_ai.request.presence_penalty", p.PresencePenalty);
            activity.SetTag("gen_ai.request.frequency_penalty", p.FrequencyPenalty);
            activity.SetTag("gen_ai.request.seed", p.Seed);
            if (p.Stop.Count > 0)
            {
                activity.SetTag("gen_ai.request.stop_sequences", p.Stop.ToArray());
            }
        }

        if (request.Image is { } image)
        {
            activity.SetTag("gen_ai.request.choice.count", image.Count);
        }

        activity.SetTag("portal.trace.id", traceId.ToString());
        activity.SetTag("portal.feature", feature);
        if (runId is { } run)
        {
            activity.SetTag("portal.run.id", run.ToString());
        }

        if (capture)
        {
            activity.SetTag("gen_ai.input.messages", InputMessages(request.Messages));
        }

        return activity;
    }

    internal static void EndSpan(Activity activity, ModelCallRecord call)
    {
        if (call.Finished?.FinishReason is { } reason)
        {
            activity.SetTag("gen_ai.response.finish_reasons", new[] { reason });
        }

        if (call.Finished?.InputTokens is { } input)
        {
            activity.SetTag("gen_ai.usage.input_tokens", input);
        }

        if (call.Finished?.OutputTokens is { } output)
        {
            activity.SetTag("gen_ai.usage.output_tokens", output);
        }

        if (call.Capture && call.ResponseText is { } text)
        {
            activity.SetTag("gen_ai.output.messages", OutputMessages(text, call.Finished?.FinishReason));
        }

        activity.SetTag("portal.status", TraceStatus.Of(call.Status));
        if (call.ErrorType is { } type)
        {
            activity.SetTag("error.type", type);
            activity.SetStatus(ActivityStatusCode.Error, call.ErrorMessage);
        }

        activity.Stop();
    }

    /// <summary><c>[{"role":"user","parts":[{"type":"text","content":"…"}]}]</c>, as the conventions write messages.</summary>
    internal static string InputMessages(IReadOnlyList<ChatTurn> turns) =>
        JsonSerializer.Serialize(turns.Select(t => new
        {
            role = t.Role.ToString().ToLowerInvariant(),
            parts = new[] { new { type = "text", content = t.Content } },
        }));

    internal static string OutputMessages(string text, string? finishReason) =>
        JsonSerializer.Serialize(new[]
        {
            new
            {
                role = "assistant",
                parts = new[] { new { type = "text", content = text } },
                finish_reason = finishReason ?? "",
            },
        });
}
