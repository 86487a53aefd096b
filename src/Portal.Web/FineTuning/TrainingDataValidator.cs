using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Playground.FineTuning;

namespace Portal.Web.FineTuning;

/// <summary>
/// Checks a JSONL training file line by line before anything is uploaded, against OpenAI's published fine-tuning data
/// format: supervised chat examples (<c>{"messages": [...]}</c>, optional <c>tools</c>, <c>functions</c>,
/// <c>parallel_tool_calls</c>; <c>weight</c> 0 or 1 on assistant turns) or preference examples for DPO
/// (<c>{"input": {"messages": [...]}, "preferred_output": [one assistant message], "non_preferred_output": [one]}</c>).
/// Every problem is reported with its line number; file-level rules (empty, fewer than <see cref="MinimumExamples"/>
/// examples, methods mixed) come with no line. Tokens are estimated with <see cref="TrainingTokens"/>.
/// </summary>
public static class TrainingDataValidator
{
    /// <summary>OpenAI's documented minimum number of training examples.</summary>
    public const int MinimumExamples = 10;

    /// <summary>How many problems the report lists; the rest are counted.</summary>
    public const int MaxErrorsShown = 100;

    /// <summary>The largest file the portal validates and keeps (it keeps the content in its store).</summary>
    public const long MaxBytes = 25 * 1024 * 1024;

    private static readonly string[] SupervisedKeys = ["messages", "tools", "functions", "parallel_tool_calls"];
    private static readonly string[] PreferenceKeys = ["input", "preferred_output", "non_preferred_output"];
    private static readonly string[] PreferenceInputKeys = ["messages", "tools", "parallel_tool_calls"];
    private static readonly string[] MessageKeys = ["role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call", "refusal"];
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    /// <summary>
    /// Validates <paramref name="content"/> (UTF-8 JSONL) as training data for <paramref name="method"/>, against the base
    /// model's context window from the catalog (<paramref name="contextWindowTokens"/>; null when unknown).
    /// </summary>
    public static TrainingDataReport Validate(ReadOnlySpan<byte> content, FineTuningMethod method, int? contextWindowTokens)
    {
        var text = Encoding.UTF8.GetString(content.StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content);
        return Validate(text, method, contextWindowTokens);
    }

    public static TrainingDataReport Validate(string text, FineTuningMethod method, int? contextWindowTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<TrainingDataProblem>();
        var warnings = new List<TrainingDataProblem>();
        var examples = new List<TrainingExampleStats>();
        var supervisedLines = new List<int>();
        var preferenceLines = new List<int>();
        var nonBlank = 0;
        var lines = text.Split('\n');
        var lineErrors = new List<TrainingDataProblem>();

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            nonBlank++;
            var number = i + 1;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                lineErrors.Add(new(number, $"Not valid JSON ({Shorten(ex.Message)}). Each line must be one complete JSON object; a line break inside an object splits it."));
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    lineErrors.Add(new(number, $"A JSON {Kind(root)}, not an object. Each line is one example: {Shape(method)}."));
                    continue;
                }

                var shape = ShapeOf(root);
                if (shape == FineTuningMethod.Supervised)
                {
                    supervisedLines.Add(number);
                }
                else if (shape == FineTuningMethod.Dpo)
                {
                    preferenceLines.Add(number);
                }

                if (shape is { } other && other != method)
                {
                    lineErrors.Add(new(number, other == FineTuningMethod.Dpo
                        ? "A preference (DPO) example (input, preferred_output, non_preferred_output) in a supervised file. Choose the preference method, or write it as {\"messages\": [...]}."
                        : "A supervised example (messages) in a preference (DPO) file. Choose the supervised method, or write it as {\"input\": {\"messages\": [...]}, \"preferred_output\": [...], \"non_preferred_output\": [...]}."));
                    continue;
                }

                var problems = method == FineTuningMethod.Supervised ? CheckSupervised(root) : CheckPreference(root);
                lineErrors.AddRange(problems.Select(p => new TrainingDataProblem(number, p)));
                if (Statistics(root, method) is { } stats)
                {
                    examples.Add(stats with { Line = number });
                }
            }
        }

        // A whole file in the other method's shape is one mistake (the wrong method chosen), not one per line.
        var wrongMethodOnly = nonBlank > 0 && (method == FineTuningMethod.Supervised
            ? preferenceLines.Count == nonBlank
            : supervisedLines.Count == nonBlank);
        if (nonBlank == 0)
        {
            errors.Add(new(null, "The file is empty: it has no examples. Write one JSON object a line."));
        }
        else if (wrongMethodOnly)
        {
            errors.Add(new(null, method == FineTuningMethod.Supervised
                ? "Every line is a preference (DPO) example: choose the preference (DPO) method for this file."
                : "Every line is a supervised (messages) example: choose the supervised method for this file."));
        }
        else
        {
            if (supervisedLines.Count > 0 && preferenceLines.Count > 0)
            {
                errors.Add(new(null, $"The file mixes methods: {supervisedLines.Count} supervised {Plural(supervisedLines.Count, "example")} (first at line {supervisedLines[0]}) and {preferenceLines.Count} preference (DPO) {Plural(preferenceLines.Count, "example")} (first at line {preferenceLines[0]}). A training file holds one method."));
            }

            if (nonBlank < MinimumExamples)
            {
                errors.Add(new(null, $"The file has {nonBlank} {Plural(nonBlank, "example")}; OpenAI requires at least {MinimumExamples}. Add {MinimumExamples - nonBlank} more."));
            }

            errors.AddRange(lineErrors);
        }

        if (contextWindowTokens is { } window)
        {
            var tooLong = examples.Where(e => e.Tokens > window).ToList();
            if (tooLong.Count > 0)
            {
                warnings.Add(new(null, $"{tooLong.Count} {Plural(tooLong.Count, "example")} {(tooLong.Count == 1 ? "is" : "are")} longer than the base model's context window of {window.ToString("N0", CultureInfo.InvariantCulture)} tokens (lines {string.Join(", ", tooLong.Take(20).Select(e => e.Line))}{(tooLong.Count > 20 ? ", …" : "")}): the provider truncates or refuses them. Shorten or split them."));
            }
        }

        return new TrainingDataReport(
            method,
            [.. errors.Take(MaxErrorsShown)],
            errors.Count,
            warnings,
            nonBlank,
            examples,
            contextWindowTokens);
    }

    /// <summary>The method a line's keys say it is written for; null when they say neither.</summary>
    private static FineTuningMethod? ShapeOf(JsonElement root)
    {
        if (root.TryGetProperty("messages", out _))
        {
            return FineTuningMethod.Supervised;
        }

        return PreferenceKeys.Any(k => root.TryGetProperty(k, out _)) ? FineTuningMethod.Dpo : null;
    }

    private static List<string> CheckSupervised(JsonElement root)
    {
        var problems = new List<string>();
        UnknownKeys(root, SupervisedKeys, "a supervised example has messages and optionally tools, functions, parallel_tool_calls", problems);
        if (!root.TryGetProperty("messages", out var messages))
        {
            problems.Add("Missing \"messages\": a supervised example is {\"messages\": [{\"role\": \"user\", \"content\": …}, {\"role\": \"assistant\", \"content\": …}]}.");
            return problems;
        }

        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            problems.Add("\"messages\" must be a non-empty array of {\"role\", \"content\"} objects.");
            return problems;
        }

        CheckMessages(messages, "messages", weightsAllowed: true, problems);
        var assistants = messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object && RoleOf(m) == "assistant").ToList();
        if (assistants.Count == 0)
        {
            problems.Add("No assistant turn: the model learns from the assistant's messages, so each example needs at least one {\"role\": \"assistant\", \"content\": …}.");
        }

        CheckTools(root, problems);
        return problems;
    }

    private static List<string> CheckPreference(JsonElement root)
    {
        var problems = new List<string>();
        UnknownKeys(root, PreferenceKeys, "a preference (DPO) example has input, preferred_output and non_preferred_output", problems);
        if (!root.TryGetProperty("input", out var input))
        {
            problems.Add("Missing \"input\": a preference example starts with {\"input\": {\"messages\": [...]}}, the conversation before the two answers.");
        }
        else if (input.ValueKind != JsonValueKind.Object)
        {
            problems.Add("\"input\" must be an object with \"messages\".");
        }
        else
        {
            UnknownKeys(input, PreferenceInputKeys, "input has messages and optionally tools, parallel_tool_calls", problems, "input.");
            if (!input.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            {
                problems.Add("\"input.messages\" must be a non-empty array of {\"role\", \"content\"} objects (the prompt).");
            }
            else
            {
                CheckMessages(messages, "input.messages", weightsAllowed: false, problems);
            }

            CheckTools(input, problems);
        }

        CheckOutput(root, "preferred_output", "the better answer", problems);
        CheckOutput(root, "non_preferred_output", "the worse answer", problems);
        return problems;
    }

    private static void CheckOutput(JsonElement root, string name, string what, List<string> problems)
    {
        if (!root.TryGetProperty(name, out var output))
        {
            problems.Add($"Missing \"{name}\": {what}, as [{{\"role\": \"assistant\", \"content\": …}}].");
            return;
        }

        if (output.ValueKind != JsonValueKind.Array || output.GetArrayLength() != 1)
        {
            problems.Add($"\"{name}\" must be an array with exactly one assistant message ({what}).");
            return;
        }

        var message = output[0];
        if (message.ValueKind != JsonValueKind.Object || RoleOf(message) != "assistant")
        {
            problems.Add($"\"{name}\" must hold one message with \"role\": \"assistant\".");
            return;
        }

        if (IsEmptyContent(message))
        {
            problems.Add($"\"{name}\" is an empty assistant turn: give it content.");
        }
    }

    private static void CheckMessages(JsonElement messages, string path, bool weightsAllowed, List<string> problems)
    {
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at} is a JSON {Kind(message)}, not a {{\"role\", \"content\"}} object.");
                continue;
            }

            UnknownKeys(message, MessageKeys, "a message has role, content and optionally name, weight, tool_calls, tool_call_id, function_call", problems, at + ".");
            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{at} has no \"role\": give it one of {string.Join(", ", Roles)}.");
            }
            else if (!Roles.Contains(role.GetString(), StringComparer.Ordinal))
            {
                problems.Add($"{at} has the unknown role \"{Shorten(role.GetString() ?? "")}\": use one of {string.Join(", ", Roles)}.");
            }

            var isAssistant = RoleOf(message) == "assistant";
            var callsTools = message.TryGetProperty("tool_calls", out _) || message.TryGetProperty("function_call", out _);
            if (!message.TryGetProperty("content", out var content))
            {
                if (!(isAssistant && callsTools))
                {
                    problems.Add($"{at} has no \"content\".");
                }
            }
            else if (content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null) || (content.ValueKind == JsonValueKind.Null && !(isAssistant && callsTools)))
            {
                problems.Add($"{at}.content must be a string (or an array of content parts).");
            }
            else if (isAssistant && !callsTools && IsEmptyContent(message))
            {
                problems.Add($"{at} is an empty assistant turn: give it the answer the model should learn, or remove it.");
            }

            if (message.TryGetProperty("weight", out var weight))
            {
                if (!weightsAllowed || !isAssistant)
                {
                    problems.Add($"{at} has a \"weight\": only assistant turns of a supervised example may have one.");
                }
                else if (weight.ValueKind != JsonValueKind.Number || !weight.TryGetInt32(out var w) || w is not (0 or 1))
                {
                    problems.Add($"{at}.weight must be 0 (do not learn from this turn) or 1 (learn from it).");
                }
            }
        }
    }

    private static void CheckTools(JsonElement owner, List<string> problems)
    {
        foreach (var name in new[] { "tools", "functions" })
        {
            if (owner.TryGetProperty(name, out var list) && list.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"\"{name}\" must be an array of definitions.");
            }
        }

        if (owner.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add("\"parallel_tool_calls\" must be true or false.");
        }
    }

    private static void UnknownKeys(JsonElement element, string[] allowed, string hint, List<string> problems, string prefix = "")
    {
        var unknown = element.EnumerateObject().Select(p => p.Name).Where(n => !allowed.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"Wrong {Plural(unknown.Count, "key")} {string.Join(", ", unknown.Take(5).Select(k => $"\"{prefix}{Shorten(k)}\""))}: {hint}.");
        }
    }

    private static string? RoleOf(JsonElement message) =>
        message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString() : null;

    private static bool IsEmptyContent(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return true;
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => string.IsNullOrWhiteSpace(content.GetString()),
            JsonValueKind.Array => content.GetArrayLength() == 0,
            _ => true,
        };
    }

    /// <summary>Turns and estimated tokens of a line that has the shape of its method; null when there is nothing to count.</summary>
    private static TrainingExampleStats? Statistics(JsonElement root, FineTuningMethod method)
    {
        var messages = new List<JsonElement>();
        JsonElement toolsOwner = root;
        if (method == FineTuningMethod.Supervised)
        {
            if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                messages.AddRange(list.EnumerateArray());
            }
        }
        else
        {
            if (root.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object)
            {
                toolsOwner = input;
                if (input.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    messages.AddRange(list.EnumerateArray());
                }
            }

            foreach (var name in new[] { "preferred_output", "non_preferred_output" })
            {
                if (root.TryGetProperty(name, out var output) && output.ValueKind == JsonValueKind.Array)
                {
                    messages.AddRange(output.EnumerateArray());
                }
            }
        }

        if (messages.Count == 0)
        {
            return null;
        }

        var turns = method == FineTuningMethod.Supervised ? messages.Count : messages.Count - 1; // the two answers are one turn
        return new TrainingExampleStats(0, turns, TrainingTokens.CountExample(messages, toolsOwner));
    }

    private static string Shape(FineTuningMethod method) => method == FineTuningMethod.Supervised
        ? "{\"messages\": [{\"role\": \"user\", \"content\": …}, {\"role\": \"assistant\", \"content\": …}]}"
        : "{\"input\": {\"messages\": [...]}, \"preferred_output\": [...], \"non_preferred_output\": [...]}";

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    private static string Plural(int count, string word) => count == 1 ? word : word + "s";

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;
}

/// <summary>One problem: its line (1-based) in the file, or null for the file as a whole.</summary>
public sealed record TrainingDataProblem(int? Line, string Message)
{
    public override string ToString() => Line is { } line ? $"Line {line.ToString(CultureInfo.InvariantCulture)}: {Message}" : Message;
}

/// <summary>One example's line, turns (messages; a preference pair counts as one turn) and estimated tokens.</summary>
public sealed record TrainingExampleStats(int Line, int Turns, int Tokens);

/// <summary>
/// What the validator found: the first <see cref="TrainingDataValidator.MaxErrorsShown"/> errors and how many there are,
/// warnings (examples longer than the context window), and statistics over the examples it could read.
/// </summary>
public sealed record TrainingDataReport(
    FineTuningMethod Method,
    IReadOnlyList<TrainingDataProblem> Errors,
    int TotalErrors,
    IReadOnlyList<TrainingDataProblem> Warnings,
    int Examples,
    IReadOnlyList<TrainingExampleStats> Counted,
    int? ContextWindowTokens)
{
    /// <summary>Nothing wrong: the file may be kept and uploaded.</summary>
    public bool IsValid => TotalErrors == 0;

    /// <summary>Errors found but not listed (over the cap).</summary>
    public int HiddenErrors => TotalErrors - Errors.Count;

    public int MinTurns => Counted.Count == 0 ? 0 : Counted.Min(e => e.Turns);

    public double MeanTurns => Counted.Count == 0 ? 0 : Counted.Average(e => e.Turns);

    public int MaxTurns => Counted.Count == 0 ? 0 : Counted.Max(e => e.Turns);

    /// <summary>Estimated tokens in one pass over the file (one epoch).</summary>
    public long TotalTokens => Counted.Sum(e => (long)e.Tokens);

    public double MeanTokens => Counted.Count == 0 ? 0 : Counted.Average(e => e.Tokens);

    /// <summary>The example with the most tokens (the first of them); null when none could be counted.</summary>
    public TrainingExampleStats? Longest => Counted.Count == 0 ? null : Counted.MaxBy(e => e.Tokens);

    /// <summary>The statistics kept with a file (<c>FineTuningFileRow.StatsJson</c>).</summary>
    public TrainingFileStats Stats() => new(
        Method == FineTuningMethod.Dpo ? "dpo" : "supervised",
        Examples,
        MinTurns,
        Math.Round(MeanTurns, 2),
        MaxTurns,
        TotalTokens,
        Longest?.Line,
        Longest?.Tokens,
        ContextWindowTokens,
        TrainingTokens.Label);
}

/// <summary>A kept file's statistics, as stored (camelCase JSON through <see cref="FineTuningRowJson"/>).</summary>
public sealed record TrainingFileStats(
    string Method,
    int Examples,
    int MinTurns,
    double MeanTurns,
    int MaxTurns,
    long EstimatedTokens,
    int? LongestLine,
    int? LongestTokens,
    int? ContextWindowTokens,
    string TokenEstimate);
