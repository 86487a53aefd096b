using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Portal.Web.FineTuning;

/// <summary>
/// Estimates the tokens of a training example with OpenAI's <c>o200k_base</c> encoding (Microsoft.ML.Tokenizers with its
/// data package): per message its role, text content, name and tool calls, plus the few tokens OpenAI's chat format
/// adds around each message (as in OpenAI's cookbook counting: 3 per message, 3 to prime the reply), and the example's
/// tool definitions. An estimate: other models' tokenizers count differently, and images are not counted.
/// </summary>
public static class TrainingTokens
{
    /// <summary>How every token number on the training data page is labelled.</summary>
    public const string Label = "estimated with the o200k_base tokenizer (OpenAI's, for GPT-4o); other models count differently";

    public const int PerMessage = 3;
    public const int PerReply = 3;

    private static readonly Lazy<TiktokenTokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>The tokens of <paramref name="text"/> in o200k_base.</summary>
    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Tokenizer.Value.CountTokens(text);

    /// <summary>An example's estimated tokens: its messages and the tools or functions defined on <paramref name="toolsOwner"/>.</summary>
    public static int CountExample(IEnumerable<JsonElement> messages, JsonElement toolsOwner)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = PerReply;
        foreach (var message in messages)
        {
            total += PerMessage;
            if (message.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var property in message.EnumerateObject())
            {
                total += property.Name switch
                {
                    "role" or "name" or "tool_call_id" when property.Value.ValueKind == JsonValueKind.String => Count(property.Value.GetString()),
                    "content" => ContentTokens(property.Value),
                    "tool_calls" or "function_call" => Count(property.Value.GetRawText()),
                    _ => 0,
                };
            }
        }

        if (toolsOwner.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "tools", "functions" })
            {
                if (toolsOwner.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
                {
                    total += Count(list.GetRawText());
                }
            }
        }

        return total;
    }

    private static int ContentTokens(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => Count(content.GetString()),
        JsonValueKind.Array => content.EnumerateArray()
            .Where(part => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Sum(part => Count(part.GetProperty("text").GetString())),
        _ => 0,
    };
}
