using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Catalog.Benchmarks;

/// <summary>A printed label and setting, normalised.</summary>
public sealed record NormalizedLabel(BenchmarkDataset Dataset, BenchmarkSetting Setting, MetricKind Metric);

/// <summary>
/// The datasets the portal knows, and the normalisation of printed labels ("MMLU (5-shot)", "MMLU 5-shot",
/// "GSM8K Chain of Thought 8-shot", "Arc-c", "BLINK: Counting") into a dataset plus a setting. A label that matches no
/// known dataset becomes a dataset of its own, named as printed, so no number is ever dropped.
/// </summary>
public static partial class BenchmarkLabels
{
    private static readonly string[] Languages =
    [
        "English", "French", "German", "Spanish", "Italian", "Portuguese", "Hindi", "Thai", "Russian", "Chinese", "Japanese",
        "Korean", "Arabic",
    ];

    private static readonly (BenchmarkDataset Dataset, string[] Aliases)[] Known =
    [
        (new("MMLU", "MMLU", BenchmarkCategory.Knowledge, MetricKind.Accuracy, "Massive Multitask Language Understanding: multiple-choice questions in 57 subjects."), ["mmlu"]),
        (new("MMLU-Pro", "MMLU-Pro", BenchmarkCategory.Knowledge, MetricKind.Accuracy, "A harder MMLU with ten options per question."), ["mmlupro"]),
        (new("Multilingual-MMLU", "Multilingual MMLU", BenchmarkCategory.Multilingual, MetricKind.Accuracy, "MMLU translated into several languages, averaged."), ["multilingualmmlu"]),
        (new("GSM8K", "GSM8K", BenchmarkCategory.Math, MetricKind.Accuracy, "Grade-school math word problems."), ["gsm8k"]),
        (new("MATH", "MATH", BenchmarkCategory.Math, MetricKind.Accuracy, "Competition mathematics problems."), ["math"]),
        (new("MGSM", "MGSM", BenchmarkCategory.Multilingual, MetricKind.Accuracy, "Multilingual grade-school math."), ["mgsm", "multilingualmgsm"]),
        (new("HellaSwag", "HellaSwag", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Commonsense sentence completion."), ["hellaswag", "hellas"]),
        (new("ARC-Challenge", "ARC-Challenge", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "AI2 Reasoning Challenge, challenge set."), ["arcchallenge", "arcc", "ai2reasoningchallenge"]),
        (new("ARC-Easy", "ARC-Easy", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "AI2 Reasoning Challenge, easy set."), ["arceasy", "arce"]),
        (new("WinoGrande", "WinoGrande", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Pronoun resolution needing commonsense."), ["winogrande", "winog"]),
        (new("BoolQ", "BoolQ", BenchmarkCategory.Reading, MetricKind.Accuracy, "Yes/no questions about a passage."), ["boolq"]),
        (new("PIQA", "PIQA", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Physical commonsense."), ["piqa"]),
        (new("HumanEval", "HumanEval", BenchmarkCategory.Code, MetricKind.Accuracy, "Python function synthesis, pass@1."), ["humaneval", "humane"]),
        (new("MBPP", "MBPP", BenchmarkCategory.Code, MetricKind.Accuracy, "Mostly Basic Python Problems, pass@1."), ["mbpp"]),
        (new("MBPP-EvalPlus", "MBPP EvalPlus (base)", BenchmarkCategory.Code, MetricKind.Accuracy, "MBPP with EvalPlus tests, base version."), ["mbppbaseversion"]),
        (new("MultiPL-E-HumanEval", "MultiPL-E HumanEval", BenchmarkCategory.Code, MetricKind.Accuracy, "HumanEval translated to other programming languages."), ["multiplehumaneval"]),
        (new("MultiPL-E-MBPP", "MultiPL-E MBPP", BenchmarkCategory.Code, MetricKind.Accuracy, "MBPP translated to other programming languages."), ["multiplembpp"]),
        (new("GPQA", "GPQA", BenchmarkCategory.Knowledge, MetricKind.Accuracy, "Graduate-level, Google-proof science questions."), ["gpqa"]),
        (new("TruthfulQA", "TruthfulQA", BenchmarkCategory.Safety, MetricKind.Accuracy, "Questions that invite common misconceptions."), ["truthfulqa", "truthfulqamc2"]),
        (new("BigBench-Hard", "BigBench-Hard", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "The hardest BIG-Bench tasks."), ["bbh", "bigbenchhard"]),
        (new("AGIEval", "AGIEval", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Human exam questions (English tasks)."), ["agieval", "agievalenglish"]),
        (new("ANLI", "ANLI", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Adversarial natural language inference."), ["anli"]),
        (new("CommonsenseQA", "CommonsenseQA", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Commonsense multiple-choice questions."), ["commonsenseqa"]),
        (new("OpenBookQA", "OpenBookQA", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Elementary science with an open book of facts."), ["openbookqa"]),
        (new("SocialIQA", "Social IQA", BenchmarkCategory.Reasoning, MetricKind.Accuracy, "Social commonsense."), ["socialiqa", "siqa"]),
        (new("TriviaQA", "TriviaQA", BenchmarkCategory.Knowledge, MetricKind.Accuracy, "Trivia questions (closed book)."), ["triviaqa", "triqa"]),
        (new("NaturalQuestions", "NaturalQuestions", BenchmarkCategory.Knowledge, MetricKind.Accuracy, "Real search questions (closed book)."), ["nq", "naturalquestions"]),
        (new("SQuAD", "SQuAD", BenchmarkCategory.Reading, MetricKind.Accuracy, "Reading comprehension over Wikipedia passages."), ["squad"]),
        (new("QuAC", "QuAC", BenchmarkCategory.Reading, MetricKind.F1, "Question answering in context (dialogue)."), ["quac"]),
        (new("DROP", "DROP", BenchmarkCategory.Reading, MetricKind.F1, "Discrete reasoning over paragraphs."), ["drop"]),
        (new("MedQA", "MedQA", BenchmarkCategory.Domain, MetricKind.Accuracy, "Medical licensing exam questions."), ["medqa"]),
        (new("SimpleQA", "SimpleQA", BenchmarkCategory.Knowledge, MetricKind.Accuracy, "Short factual questions."), ["simpleqa"]),
        (new("IFEval", "IFEval", BenchmarkCategory.Instruction, MetricKind.Accuracy, "Verifiable instruction following."), ["ifeval", "ifevalv5"]),
        (new("Arena-Hard", "Arena-Hard", BenchmarkCategory.Instruction, MetricKind.Score, "Win rate against a baseline, judged by an LLM."), ["arenahard"]),
        (new("WildBench", "WildBench", BenchmarkCategory.Instruction, MetricKind.Score, "Real-user tasks judged by an LLM."), ["wildbench"]),
        (new("MixEval-Hard", "MixEval-Hard", BenchmarkCategory.Instruction, MetricKind.ScoreZeroToOne, "Hard mixture of ground-truth benchmarks."), ["mixevalhard"]),
        (new("MT-Bench", "MT-Bench", BenchmarkCategory.Instruction, MetricKind.JudgeScore1To10, "Multi-turn questions judged by GPT-4 on 1–10."), ["mtbench"]),
        (new("BFCL", "BFCL", BenchmarkCategory.ToolUse, MetricKind.Accuracy, "Berkeley Function-Calling Leaderboard."), ["bfcl"]),
        (new("API-Bank", "API-Bank", BenchmarkCategory.ToolUse, MetricKind.Accuracy, "Tool-augmented dialogue."), ["apibank"]),
        (new("Gorilla-APIBench", "Gorilla APIBench", BenchmarkCategory.ToolUse, MetricKind.Accuracy, "API call generation."), ["gorillabenchmarkapibench", "gorillaapibench"]),
        (new("Nexus", "Nexus", BenchmarkCategory.ToolUse, MetricKind.Accuracy, "Nexus function-calling benchmark."), ["nexus"]),
        (new("SQuALITY", "SQuALITY", BenchmarkCategory.LongContext, MetricKind.Score, "Long-document summarisation (ROUGE)."), ["squality"]),
        (new("Qasper", "Qasper", BenchmarkCategory.LongContext, MetricKind.Score, "Questions over research papers."), ["qasper"]),
        (new("GovReport", "GovReport", BenchmarkCategory.LongContext, MetricKind.Score, "Long government report summarisation."), ["govreport"]),
        (new("QMSum", "QMSum", BenchmarkCategory.LongContext, MetricKind.Score, "Query-based meeting summarisation."), ["qmsum"]),
        (new("SummScreenFD", "SummScreenFD", BenchmarkCategory.LongContext, MetricKind.Score, "TV transcript summarisation."), ["summscreenfd"]),
        (new("RealToxicity", "RealToxicityPrompts", BenchmarkCategory.Safety, MetricKind.ToxicityPercent, "Toxicity of continuations (lower is better)."), ["realtoxicity", "realtoxicityprompts"]),
        (new("ToxiGen", "ToxiGen", BenchmarkCategory.Safety, MetricKind.ToxicityPercent, "% toxic generations (lower is better)."), ["toxigen"]),
        (new("BLINK", "BLINK", BenchmarkCategory.Vision, MetricKind.Accuracy, "Visual perception tasks."), ["blink"]),
        (new("Video-MME", "Video-MME", BenchmarkCategory.Vision, MetricKind.Accuracy, "Video understanding."), ["videomme"]),
        (new("SST-2", "SST-2", BenchmarkCategory.Reading, MetricKind.Accuracy, "Sentiment classification."), ["sst2"]),
        (new("MTEB", "MTEB", BenchmarkCategory.Embedding, MetricKind.Embedding, "Massive Text Embedding Benchmark, average over tasks."), ["mteb"]),
        (new("MIRACL", "MIRACL", BenchmarkCategory.Embedding, MetricKind.Embedding, "Multilingual retrieval, average over languages."), ["miracl"]),
        (new("Average", "Source's average", BenchmarkCategory.Aggregate, MetricKind.Aggregate, "An average the source computed over the benchmarks in its table."), ["average", "avg"]),
        (new("Llama2-Code", "Code (category average)", BenchmarkCategory.Aggregate, MetricKind.Aggregate, "Average of HumanEval and MBPP pass@1 (Llama 2 card)."), ["code"]),
        (new("Llama2-CommonsenseReasoning", "Commonsense reasoning (category average)", BenchmarkCategory.Aggregate, MetricKind.Aggregate, "Average of several commonsense benchmarks (Llama 2 card)."), ["commonsensereasoning"]),
        (new("Llama2-WorldKnowledge", "World knowledge (category average)", BenchmarkCategory.Aggregate, MetricKind.Aggregate, "Average of NaturalQuestions and TriviaQA (Llama 2 card)."), ["worldknowledge"]),
        (new("Llama2-ReadingComprehension", "Reading comprehension (category average)", BenchmarkCategory.Aggregate, MetricKind.Aggregate, "Average of SQuAD, QuAC and BoolQ (Llama 2 card)."), ["readingcomprehension"]),
        (new("Llama2-Math", "Math (category average)", BenchmarkCategory.Aggregate, MetricKind.Aggregate, "Average of GSM8K and MATH (Llama 2 card)."), []),
        (new("Coherence", "Coherence", BenchmarkCategory.Instruction, MetricKind.GptJudged1To5, "GPT-judged coherence, 1–5."), ["coherence"]),
        (new("Fluency", "Fluency", BenchmarkCategory.Instruction, MetricKind.GptJudged1To5, "GPT-judged fluency, 1–5."), ["fluency"]),
        (new("Groundedness", "Groundedness", BenchmarkCategory.Instruction, MetricKind.GptJudged1To5, "GPT-judged groundedness, 1–5."), ["groundedness"]),
        (new("Relevance", "Relevance", BenchmarkCategory.Instruction, MetricKind.GptJudged1To5, "GPT-judged relevance, 1–5."), ["relevance"]),
        (new("Similarity", "Similarity", BenchmarkCategory.Instruction, MetricKind.GptJudged1To5, "GPT-judged similarity, 1–5."), ["gptsimilarity", "similarity"]),
        (new("TTFT", "Time to first token", BenchmarkCategory.Speed, MetricKind.LatencyMs, "Time to first token, measured here."), ["ttft", "timetofirsttoken"]),
        (new("TokensPerSecond", "Tokens per second", BenchmarkCategory.Speed, MetricKind.TokensPerSecond, "Output tokens per second, measured here."), ["tokenspersecond", "tokenss"]),
        (new("LatencyP50", "Latency P50", BenchmarkCategory.Speed, MetricKind.LatencyMs, "Median end-to-end latency, measured here."), ["latencyp50", "p50latency"]),
        (new("LatencyP95", "Latency P95", BenchmarkCategory.Speed, MetricKind.LatencyMs, "95th percentile end-to-end latency, measured here."), ["latencyp95", "p95latency"]),
    ];

    private static readonly Dictionary<string, BenchmarkDataset> ByAlias = Known
        .SelectMany(k => k.Aliases.Select(a => (Alias: a, k.Dataset)))
        .ToDictionary(p => p.Alias, p => p.Dataset, StringComparer.Ordinal);

    private static readonly Dictionary<string, BenchmarkDataset> ById = Known.ToDictionary(k => k.Dataset.Id, k => k.Dataset, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<BenchmarkDataset> KnownDatasets { get; } = [.. Known.Select(k => k.Dataset)];

    public static BenchmarkDataset? FindDataset(string id) => ById.GetValueOrDefault(id);

    /// <summary>Normalises a printed label and setting; never fails.</summary>
    public static NormalizedLabel Normalize(string label, string? printedSetting)
    {
        ArgumentNullException.ThrowIfNull(label);
        var text = label.Trim();

        // "BLINK: Art Style", "Video-MME: long (30-60)": the part after the colon is a subtask.
        string? variant = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            variant = text[(colon + 1)..].Trim();
            text = text[..colon].Trim();
        }

        // Parenthesised parts of the label carry settings: "(5-shot, CoT)", "(MC2)", "(lower is better)".
        var labelSettings = new List<string>();
        if (variant is null)
        {
            foreach (Match m in Parenthesised().Matches(text))
            {
                labelSettings.Add(m.Groups[1].Value);
            }

            text = Parenthesised().Replace(text, " ").Trim();
        }

        // Trailing setting words: "MMLU 5-shot", "GSM8K Chain of Thought 8-shot", "BigBench Hard CoT 3-shot", "SST-2 accuracy".
        var trailing = TrailingSetting().Match(text);
        if (trailing.Success && trailing.Index > 0)
        {
            labelSettings.Add(trailing.Value.Trim());
            text = text[..trailing.Index].Trim();
        }

        var key = Key(text);
        var all = string.Join(", ", labelSettings.Append(printedSetting ?? ""));
        BenchmarkDataset dataset;
        if (key is "math" && (printedSetting ?? "").Contains("average", StringComparison.OrdinalIgnoreCase))
        {
            dataset = ById["Llama2-Math"];
        }
        else if (key.StartsWith("triviaqawiki", StringComparison.Ordinal))
        {
            dataset = ById["TriviaQA"];
            variant ??= "Wiki";
        }
        else if (ByAlias.TryGetValue(key, out var known))
        {
            dataset = known;
        }
        else if (key.EndsWith("average", StringComparison.Ordinal) && ByAlias.TryGetValue(key[..^"average".Length], out var averaged))
        {
            dataset = averaged;
        }
        else
        {
            dataset = new BenchmarkDataset(text, text, BenchmarkCategory.Other, MetricKind.Score, "Not a dataset the portal knows; shown under its printed label.");
        }

        var language = Languages.FirstOrDefault(l => string.Equals(printedSetting?.Trim(), l, StringComparison.OrdinalIgnoreCase));
        if (language is not null)
        {
            variant = language;
        }

        var metric = dataset.Metric;
        if (metric == MetricKind.Accuracy && F1Word().IsMatch(all))
        {
            metric = MetricKind.F1;
        }

        return new(dataset, new BenchmarkSetting(Shots(all), ChainOfThought(all), language, variant), metric);
    }

    private static string? Shots(string text)
    {
        if (ZeroShotWords().IsMatch(text))
        {
            return "0";
        }

        var range = ShotRange().Match(text);
        if (range.Success)
        {
            return $"{range.Groups[1].Value}–{range.Groups[2].Value}";
        }

        var shots = ShotCount().Match(text);
        return shots.Success ? shots.Groups[1].Value : null;
    }

    private static bool ChainOfThought(string text) => CotWord().IsMatch(text);

    /// <summary>Lower case letters and digits only: "GSM-8K" and "GSM8k" → "gsm8k".</summary>
    private static string Key(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"\(([^()]*)\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"\s+((chain of thought|cott?|accuracy|\d+-shot|\d+ shot)(\s+|$))+$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingSetting();

    [GeneratedRegex(@"\b(\d+)\s*-\s*(\d+)[- ]shot", RegexOptions.IgnoreCase)]
    private static partial Regex ShotRange();

    [GeneratedRegex(@"\b(\d+)[- ]shot", RegexOptions.IgnoreCase)]
    private static partial Regex ShotCount();

    [GeneratedRegex(@"\bzero-shot\b", RegexOptions.IgnoreCase)]
    private static partial Regex ZeroShotWords();

    [GeneratedRegex(@"\b(cott?|chain[- ]of[- ]thought)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CotWord();

    [GeneratedRegex(@"\bf1\b", RegexOptions.IgnoreCase)]
    private static partial Regex F1Word();
}
