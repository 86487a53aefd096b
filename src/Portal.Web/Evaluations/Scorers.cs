using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Web.Evaluations;

/// <summary>A scorer as a run uses it: its id, what it is, and (deterministic ones) how it scores an answer.</summary>
public sealed record ScorerDefinition(string Id, ScorerInfo Info, Func<string, DatasetRow, ScoreValue>? Score, string? JudgeMetric);

/// <summary>
/// The scorers: deterministic ones score an answer against the row's expected answer (0 or 1; null when the row has no
/// expected answer to compare with), judge ones ask a judge model for a 1–5 grade.
/// </summary>
public static partial class Scorers
{
    public const string ExactMatch = "exact-match";
    public const string SubstringMatch = "substring-match";
    public const string SubstringMatchCi = "substring-match-ci";
    public const string RegexPrefix = "regex:";
    public const string JsonValid = "json-valid";
    public const string JsonFieldPrefix = "json-field:";
    public const string NumericPrefix = "numeric:";
    public const string JudgePrefix = "judge:";

    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static readonly string[] JudgeMetrics = ["coherence", "fluency", "groundedness", "relevance", "similarity"];

    private const string JudgeAnswerFormat = """

        Answer in exactly this format, and nothing else:
        Score: <a whole number from 1 to 5>
        Reasoning: <one or two sentences>
        """;

    /// <summary>The judge prompts the portal ships; {question}, {answer}, {expected} and {context} are filled in per row.</summary>
    public static IReadOnlyDictionary<string, string> DefaultJudgePrompts { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["judge:coherence"] = """
            You grade the COHERENCE of an answer: does it read as one well-organised whole whose sentences follow from each other, with no contradictions?
            1 = incoherent: disjointed or self-contradicting; 2 = mostly incoherent; 3 = partly coherent, with noticeable jumps; 4 = coherent, with small lapses; 5 = fully coherent and well organised.

            Question: {question}
            Answer: {answer}
            """ + JudgeAnswerFormat,
        ["judge:fluency"] = """
            You grade the FLUENCY of an answer: grammar, word choice and how naturally it reads, regardless of whether it is correct.
            1 = hard to read: broken grammar or wrong words throughout; 2 = many errors; 3 = understandable with some errors; 4 = fluent with minor slips; 5 = perfectly fluent and natural.

            Question: {question}
            Answer: {answer}
            """ + JudgeAnswerFormat,
        ["judge:groundedness"] = """
            You grade the GROUNDEDNESS of an answer: is every claim it makes supported by the context given below (or by the question itself when there is no context)? Claims that the context does not support lower the grade even if they are true.
            1 = not grounded: mostly unsupported or contradicting the context; 2 = largely unsupported; 3 = partly supported; 4 = mostly supported, one minor unsupported detail; 5 = fully supported by the context.

            Context: {context}
            Question: {question}
            Answer: {answer}
            """ + JudgeAnswerFormat,
        ["judge:relevance"] = """
            You grade the RELEVANCE of an answer: does it address what the question asks, without drifting off topic or leaving out the main point?
            1 = irrelevant; 2 = mostly off topic; 3 = partly relevant, misses key parts; 4 = relevant with minor gaps or digressions; 5 = fully relevant and to the point.

            Question: {question}
            Answer: {answer}
            """ + JudgeAnswerFormat,
        ["judge:similarity"] = """
            You grade the SIMILARITY of an answer to the expected (reference) answer: does it say the same thing, in meaning rather than in wording?
            1 = unrelated or contradicting the reference; 2 = mostly different; 3 = partly the same meaning; 4 = the same meaning with small differences; 5 = equivalent in meaning.

            Question: {question}
            Expected answer: {expected}
            Answer: {answer}
            """ + JudgeAnswerFormat,
    };

    /// <summary>What the portal offers (the scorers that take an argument are listed with it empty).</summary>
    public static IReadOnlyList<ScorerInfo> Catalog { get; } =
    [
        new(ExactMatch, "Exact match", ScorerKind.Deterministic, "1 when the answer, trimmed, equals the expected answer, trimmed (case-sensitive); else 0.", null, null),
        new(SubstringMatch, "Substring match", ScorerKind.Deterministic, "1 when the answer contains the expected answer (trimmed, case-sensitive); else 0.", null, null),
        new(SubstringMatchCi, "Substring match (ignore case)", ScorerKind.Deterministic, "1 when the answer contains the expected answer (trimmed), ignoring upper and lower case; else 0.", null, null),
        new(RegexPrefix, "Regex", ScorerKind.Deterministic, "1 when the answer matches the regular expression (.NET syntax, 1 s match timeout); else 0. Needs no expected answer.", "pattern", null),
        new(JsonValid, "JSON valid", ScorerKind.Deterministic, "1 when the answer (trimmed, or the inside of a ``` code fence) is valid JSON; else 0. Needs no expected answer.", null, null),
        new(JsonFieldPrefix, "JSON field equals", ScorerKind.Deterministic, "1 when the answer is JSON and the field at the path (for example user.name or items[0].id) equals the expected answer (text compared as is; numbers and true/false by their JSON text); else 0.", "path", null),
        new(NumericPrefix, "Numeric within tolerance", ScorerKind.Deterministic, "1 when the first number in the answer is within the tolerance of the expected number (for example numeric:0.01); else 0.", "tolerance", null),
        .. JudgeMetrics.Select(m => new ScorerInfo(JudgePrefix + m, Title(m), ScorerKind.Judge, JudgeDescription(m), null, DefaultJudgePrompts[JudgePrefix + m])),
    ];

    private static string Title(string metric) => metric switch
    {
        "similarity" => "Similarity to the expected answer (judge)",
        _ => char.ToUpperInvariant(metric[0]) + metric[1..] + " (judge)",
    };

    private static string JudgeDescription(string metric) => metric switch
    {
        "coherence" => "The judge model grades how well the answer holds together, 1–5.",
        "fluency" => "The judge model grades grammar and readability, 1–5.",
        "groundedness" => "The judge model grades whether the answer's claims are supported by the row's context, 1–5: the metadata field 'context' when the row has one, else the question.",
        "relevance" => "The judge model grades whether the answer addresses the question, 1–5.",
        _ => "The judge model grades how close in meaning the answer is to the expected answer, 1–5.",
    };

    /// <summary>Resolves a scorer id, or says what is wrong with it (an unknown id, a pattern that does not compile…).</summary>
    public static (ScorerDefinition? Scorer, string? Problem) Resolve(string? id)
    {
        var text = id?.Trim() ?? "";
        switch (text)
        {
            case ExactMatch:
                return (Define(text, Catalog[0], (a, r) => Compare(text, r, e => a.Trim() == e.Trim())), null);
            case SubstringMatch:
                return (Define(text, Catalog[1], (a, r) => Compare(text, r, e => a.Contains(e.Trim(), StringComparison.Ordinal))), null);
            case SubstringMatchCi:
                return (Define(text, Catalog[2], (a, r) => Compare(text, r, e => a.Contains(e.Trim(), StringComparison.OrdinalIgnoreCase))), null);
            case JsonValid:
                return (Define(text, Catalog[4], (a, r) => new ScoreValue(text, TryParseJson(a, out var _) ? 1 : 0, null, null)), null);
        }

        if (text.StartsWith(RegexPrefix, StringComparison.Ordinal))
        {
            var pattern = text[RegexPrefix.Length..];
            if (pattern.Length == 0)
            {
                return (null, "Give the regex a pattern after 'regex:'.");
            }

            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException ex)
            {
                return (null, $"The pattern '{pattern}' is not a valid regular expression: {ex.Message}");
            }

            return (Define(text, Catalog[3], (a, _) =>
            {
                try
                {
                    return new ScoreValue(text, regex.IsMatch(a) ? 1 : 0, null, null);
                }
                catch (RegexMatchTimeoutException)
                {
                    return new ScoreValue(text, null, $"The pattern took longer than {RegexTimeout.TotalSeconds:0} s on this answer; no score.", null);
                }
            }), null);
        }

        if (text.StartsWith(JsonFieldPrefix, StringComparison.Ordinal))
        {
            var path = text[JsonFieldPrefix.Length..];
            if (ParsePath(path) is not { } steps)
            {
                return (null, $"'{path}' is not a field path: write names separated by dots, with [n] for array items (for example user.name or items[0].id).");
            }

            return (Define(text, Catalog[5], (a, r) => Compare(text, r, e => TryParseJson(a, out var json) && FieldEquals(json, steps, e))), null);
        }

        if (text.StartsWith(NumericPrefix, StringComparison.Ordinal))
        {
            var argument = text[NumericPrefix.Length..];
            if (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var tolerance) || tolerance < 0 || !double.IsFinite(tolerance))
            {
                return (null, $"'{argument}' is not a tolerance: write a number of 0 or more after 'numeric:' (for example numeric:0.01).");
            }

            return (Define(text, Catalog[6], (a, r) =>
            {
                if (FirstNumber(r.Expected) is not { } expected)
                {
                    return new ScoreValue(text, null, "The row's expected answer holds no number; no score.", null);
                }

                return new ScoreValue(text, FirstNumber(a) is { } value && Math.Abs(value - expected) <= tolerance + 1e-12 ? 1 : 0, null, null);
            }), null);
        }

        if (text.StartsWith(JudgePrefix, StringComparison.Ordinal) && Catalog.FirstOrDefault(c => c.Id == text) is { } judge)
        {
            return (new ScorerDefinition(text, judge, null, text[JudgePrefix.Length..]), null);
        }

        return (null, $"Unknown scorer '{text}': use exact-match, substring-match, substring-match-ci, regex:<pattern>, json-valid, json-field:<path>, numeric:<tolerance> or judge:{string.Join("|", JudgeMetrics)}.");
    }

    private static ScorerDefinition Define(string id, ScorerInfo info, Func<string, DatasetRow, ScoreValue> score) =>
        new(id, info with { Id = id }, score, null);

    private static ScoreValue Compare(string id, DatasetRow row, Func<string, bool> matches) =>
        row.Expected is null
            ? new ScoreValue(id, null, "The row has no expected answer; no score.", null)
            : new ScoreValue(id, matches(row.Expected) ? 1 : 0, null, null);

    /// <summary>Reads the answer as JSON: trimmed, or the inside of a ``` code fence. False when it is not JSON.</summary>
    public static bool TryParseJson(string answer, out JsonNode? json)
    {
        ArgumentNullException.ThrowIfNull(answer);
        foreach (var candidate in new[] { answer.Trim(), Fenced(answer) })
        {
            if (string.IsNullOrEmpty(candidate))
            {
                continue;
            }

            try
            {
                json = JsonNode.Parse(candidate);
                return true;
            }
            catch (JsonException)
            {
            }
        }

        json = null;
        return false;
    }

    private static string? Fenced(string answer)
    {
        var match = FenceRegex().Match(answer);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    private static List<object>? ParsePath(string path)
    {
        var trimmed = path.Trim();
        if (trimmed.StartsWith("$.", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        if (trimmed.Length == 0)
        {
            return null;
        }

        var steps = new List<object>();
        foreach (var part in trimmed.Split('.'))
        {
            var match = PathPartRegex().Match(part);
            if (!match.Success)
            {
                return null;
            }

            steps.Add(match.Groups[1].Value);
            foreach (Capture index in match.Groups[3].Captures)
            {
                steps.Add(int.Parse(index.Value, CultureInfo.InvariantCulture));
            }
        }

        return steps;
    }

    private static bool FieldEquals(JsonNode? node, List<object> steps, string expected)
    {
        foreach (var step in steps)
        {
            node = step switch
            {
                string name when node is JsonObject obj => obj.TryGetPropertyValue(name, out var child) ? child : null,
                int i when node is JsonArray array && i < array.Count => array[i],
                _ => null,
            };
            if (node is null)
            {
                return false;
            }
        }

        var text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node!.ToJsonString();
        return text.Trim() == expected.Trim();
    }

    /// <summary>The first number written in the text (a sign, digits with optional thousands commas, a decimal part).</summary>
    public static double? FirstNumber(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = NumberRegex().Match(text);
        return match.Success && double.TryParse(match.Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>The judge's message for a row: the prompt with {question}, {answer}, {expected} and {context} filled in.</summary>
    public static string JudgeMessage(string prompt, DatasetRow row, string answer)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(row);
        var context = row.Metadata.TryGetValue("context", out var c) && !string.IsNullOrWhiteSpace(c) ? c : "(no context given: judge against the question)";
        return prompt
            .Replace("{question}", row.Input.Display, StringComparison.Ordinal)
            .Replace("{expected}", row.Expected ?? "(none given)", StringComparison.Ordinal)
            .Replace("{context}", context, StringComparison.Ordinal)
            .Replace("{answer}", answer, StringComparison.Ordinal);
    }

    /// <summary>Reads "Score: n" (1–5) and "Reasoning: …" from a judge's answer; the value is null when there is no score in it.</summary>
    public static ScoreValue ParseJudge(string scorer, string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var score = JudgeScoreRegex().Match(raw);
        var reasoning = JudgeReasoningRegex().Match(raw);
        var why = reasoning.Success ? reasoning.Groups[1].Value.Trim() : null;
        return score.Success
            ? new ScoreValue(scorer, int.Parse(score.Groups[1].Value, CultureInfo.InvariantCulture), why, raw)
            : new ScoreValue(scorer, null, "The judge's answer holds no \"Score: 1–5\"; the score is missing.", raw);
    }

    [GeneratedRegex(@"```[a-zA-Z]*\s*\n?([\s\S]*?)```")]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"^([^\[\]\.]+)((?:\[(\d+)\])*)$")]
    private static partial Regex PathPartRegex();

    [GeneratedRegex(@"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+")]
    private static partial Regex NumberRegex();

    [GeneratedRegex(@"score\s*[:=]\s*\**\s*([1-5])(?:\s*/\s*5)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex JudgeScoreRegex();

    [GeneratedRegex(@"reasoning\s*[:=]\s*([\s\S]+)", RegexOptions.IgnoreCase)]
    private static partial Regex JudgeReasoningRegex();
}
