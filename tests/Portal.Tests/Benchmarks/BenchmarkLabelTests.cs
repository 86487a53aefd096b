using Portal.Catalog.Benchmarks;

namespace Portal.Tests.Benchmarks;

public sealed class BenchmarkLabelTests
{
    [Theory]
    [InlineData("MMLU (5-shot)", "5-shot", "MMLU", "5", false)]
    [InlineData("MMLU 5-shot", "5-shot", "MMLU", "5", false)]
    [InlineData("MMLU", "5 shot", "MMLU", "5", false)]
    [InlineData("MMLU (MCQ in 57 subjects)", "MCQ in 57 subjects", "MMLU", null, false)]
    [InlineData("MMLU Pro (CoT)", "CoT", "MMLU-Pro", null, true)]
    [InlineData("MMLU-Pro (0-shot, CoT)", "0-shot, CoT", "MMLU-Pro", "0", true)]
    [InlineData("GSM8K Chain of Thought 8-shot", "8-shot", "GSM8K", "8", true)]
    [InlineData("GSM-8K (8-shot, CoT)", "8-shot, CoT", "GSM8K", "8", true)]
    [InlineData("GSM8K CoTT 8-shot", "8-shot", "GSM8K", "8", true)]
    [InlineData("GSM8k (5-shot)", "5-shot", "GSM8K", "5", false)]
    [InlineData("Math", "4-shot, maj@4", "MATH", "4", false)]
    [InlineData("Math", "average of GSM8K (8 shot) and MATH (4 shot), top 1", "Llama2-Math", "8", false)]
    [InlineData("Arc-c", "0-shot", "ARC-Challenge", "0", false)]
    [InlineData("AI2 Reasoning Challenge (25-Shot)", "25-shot", "ARC-Challenge", "25", false)]
    [InlineData("ARC Easy 10-shot", "10-shot", "ARC-Easy", "10", false)]
    [InlineData("HellaS", "0-shot", "HellaSwag", "0", false)]
    [InlineData("WinoG", "0-shot", "WinoGrande", "0", false)]
    [InlineData("HumanE", "0-shot", "HumanEval", "0", false)]
    [InlineData("BigBench Hard CoT 3-shot", "3-shot", "BigBench-Hard", "3", true)]
    [InlineData("BBH", "3 shot", "BigBench-Hard", "3", false)]
    [InlineData("AGIEval English (3-5 shot)", "3-5 shot", "AGIEval", "3–5", false)]
    [InlineData("TruthfulQA (MC2) 10-shot", "10-shot", "TruthfulQA", "10", false)]
    [InlineData("TriQA", "5-shot", "TriviaQA", "5", false)]
    [InlineData("NQ", "5-shot", "NaturalQuestions", "5", false)]
    [InlineData("MBPP ++ base version", null, "MBPP-EvalPlus", null, false)]
    [InlineData("Multipl-E HumanEval", null, "MultiPL-E-HumanEval", null, false)]
    [InlineData("Gorilla Benchmark API Bench", "0-shot, acc", "Gorilla-APIBench", "0", false)]
    [InlineData("MTEB average", null, "MTEB", null, false)]
    [InlineData("Avg.", "Open LLM Leaderboard average", "Average", null, false)]
    [InlineData("SST-2 accuracy", "dev set", "SST-2", null, false)]
    [InlineData("MGSM", "zero-shot chain-of-thought, simple-evals harness, \"assistant\" system prompt; model version 2024-11-20", "MGSM", "0", true)]
    public void Normalize_MapsPrintedLabelsToDatasetAndSetting(string label, string? setting, string dataset, string? shots, bool cot)
    {
        var normalized = BenchmarkLabels.Normalize(label, setting);

        Assert.Equal(dataset, normalized.Dataset.Id);
        Assert.Equal(shots, normalized.Setting.Shots);
        Assert.Equal(cot, normalized.Setting.ChainOfThought);
    }

    [Theory]
    [InlineData("French")]
    [InlineData("Hindi")]
    [InlineData("Portuguese")]
    public void Normalize_MultilingualRows_KeepTheLanguageAsASeparateColumn(string language)
    {
        var normalized = BenchmarkLabels.Normalize("MMLU (5-shot, macro_avg/acc)", language);

        Assert.Equal("MMLU", normalized.Dataset.Id);
        Assert.Equal(language, normalized.Setting.Language);
        Assert.Equal(language, normalized.Setting.Variant);
        Assert.Equal("5", normalized.Setting.Shots);
        Assert.Equal(MetricKind.Accuracy, normalized.Metric);
    }

    [Fact]
    public void Normalize_MultilingualMmluAndMgsm_AreTheirOwnDatasets()
    {
        Assert.Equal("Multilingual-MMLU", BenchmarkLabels.Normalize("Multilingual MMLU (5-shot)", "5-shot").Dataset.Id);
        Assert.Equal("MGSM", BenchmarkLabels.Normalize("Multilingual MGSM (CoT)", "0-shot, em").Dataset.Id);
        Assert.Null(BenchmarkLabels.Normalize("Multilingual MMLU (5-shot)", "5-shot").Setting.Variant);
    }

    [Fact]
    public void Normalize_SubtasksAfterAColon_AreVariants()
    {
        var blink = BenchmarkLabels.Normalize("BLINK: Art Style", null);
        var video = BenchmarkLabels.Normalize("Video-MME: long (30-60)", null);

        Assert.Equal(("BLINK", "Art Style"), (blink.Dataset.Id, blink.Setting.Variant));
        Assert.Equal(("Video-MME", "long (30-60)"), (video.Dataset.Id, video.Setting.Variant));
    }

    [Theory]
    [InlineData("DROP (3-shot, F1)", "3-shot, F1", MetricKind.F1)]
    [InlineData("SQuAD (1-shot)", "1-shot, em", MetricKind.Accuracy)]
    [InlineData("QuAC (F1)", "1-shot, f1", MetricKind.F1)]
    [InlineData("ToxiGen", "% toxic generations (lower is better)", MetricKind.ToxicityPercent)]
    [InlineData("MT Bench", "for Instruct Models", MetricKind.JudgeScore1To10)]
    [InlineData("MixEval Hard", "instruct benchmarks", MetricKind.ScoreZeroToOne)]
    [InlineData("Average", "average of the benchmarks in the source table", MetricKind.Aggregate)]
    [InlineData("Code", "average pass@1 of HumanEval and MBPP", MetricKind.Aggregate)]
    public void Normalize_GivesTheMetricKind(string label, string setting, MetricKind metric) =>
        Assert.Equal(metric, BenchmarkLabels.Normalize(label, setting).Metric);

    [Fact]
    public void Normalize_AnUnknownLabel_BecomesItsOwnDataset_NotAnAccuracyScore()
    {
        var normalized = BenchmarkLabels.Normalize("Portal Made-Up Bench (5-shot)", "5-shot");

        Assert.Equal("Portal Made-Up Bench", normalized.Dataset.Name);
        Assert.Equal(BenchmarkCategory.Other, normalized.Dataset.Category);
        Assert.NotEqual(MetricKind.Accuracy, normalized.Metric);
    }

    [Fact]
    public void EmbeddedBenchmarks_EveryPrintedLabelMapsToAKnownDataset()
    {
        var unknown = BenchmarkData.Embedded.Scores.Where(s => s.Dataset.Category == BenchmarkCategory.Other).Select(s => s.Label).Distinct().ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void EmbeddedBenchmarks_KeepEveryRow()
    {
        Assert.Equal(1186, BenchmarkData.Embedded.Scores.Count);
        Assert.Equal(36, BenchmarkData.Embedded.Prices.Count);
    }

    [Fact]
    public void KindOfSource_FollowsTheComparatorColumnAndLeaderboards()
    {
        Assert.Equal(SourceKind.ModelOwner, BenchmarkFactsReader.KindOf(false, "Meta (Llama 3 model card)"));
        Assert.Equal(SourceKind.ThirdPartyComparison, BenchmarkFactsReader.KindOf(true, "Microsoft (Azure AI model card evaluation)"));
        Assert.Equal(SourceKind.ThirdPartyComparison, BenchmarkFactsReader.KindOf(false, "Hugging Face Open LLM Leaderboard (quoted in Azure model description)"));
    }

    [Fact]
    public void Reader_ReportsEveryBadRowWithItsPath()
    {
        const string json = """
            {"models": [], "benchmarks": [
              {"model": "m", "benchmark": "MMLU", "score": "high", "source": "https://example.org"},
              {"benchmark": "MMLU", "score": 50, "source": "https://example.org"}
            ], "prices": [{"model": "m", "input_price": 1, "output_price": 2, "unit": "USD per search", "source": "s"}]}
            """;

        var result = BenchmarkFactsReader.Read(json);

        Assert.Equal(["$.benchmarks[0].score", "$.benchmarks[1].model", "$.prices[0].unit"], result.Errors.Select(e => e.Path));
    }
}
