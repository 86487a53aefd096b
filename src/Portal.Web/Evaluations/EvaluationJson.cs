using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Playground.Inference;

namespace Portal.Web.Evaluations;

/// <summary>What a run stores as its spec: everything but the rows (kept apart) and never a key.</summary>
internal sealed record StoredSpec(
    IReadOnlyList<EvaluationTargetSpec> Targets,
    IReadOnlyList<string> Scorers,
    JudgeSpec? Judge,
    IReadOnlyDictionary<string, string>? JudgePrompts,
    int Concurrency);

internal static class EvaluationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    public static IReadOnlyList<ScoreValue> Scores(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ScoreValue>>(json, Options) ?? [];

    /// <summary>The messages sent for a row: the target's system prompt (unless the row brings its own), then the row's input.</summary>
    public static IReadOnlyList<ChatTurn> Messages(string? systemPrompt, DatasetInput input)
    {
        var turns = new List<ChatTurn>();
        var own = input.Messages ?? [];
        if (!string.IsNullOrWhiteSpace(systemPrompt) && !own.Any(m => m.Role == ChatRole.System))
        {
            turns.Add(new ChatTurn(ChatRole.System, systemPrompt));
        }

        if (input.Messages is null)
        {
            turns.Add(new ChatTurn(ChatRole.User, input.Question ?? ""));
        }
        else
        {
            turns.AddRange(own);
        }

        return turns;
    }
}
