using Portal.Catalog.Benchmarks;

namespace Portal.Tests.Benchmarks;

public sealed class QualityIndexTests
{
    private static BenchmarkScore Score(string model, string label, double value, bool comparator = false, string? setting = null) =>
        TestScores.Score(model, label, value, setting, BenchmarkFactsReader.KindOf(comparator, "test source"), $"https://example.org/{model}");

    private static readonly BenchmarkData Data = new(
        [
            Score("a", "MMLU", 60), Score("a", "GSM8K", 40), Score("a", "HumanEval", 30),
            Score("b", "MMLU (5-shot)", 70), Score("b", "GSM8K", 50),
            Score("c", "MMLU 5-shot", 80), Score("c", "HumanEval", 10),
            Score("d", "MT Bench", 8.1), Score("d", "DROP (F1)", 80, setting: "3-shot, F1"),
        ],
        []);

    [Fact]
    public void Compute_UsesOnlyTheDatasetsEveryModelHas()
    {
        var result = QualityIndex.Compute(Data, ["a", "b"]);

        Assert.Equal(["GSM8K", "MMLU"], result.Columns.Select(c => c.Column.Key).Order());
        Assert.Equal(50, result.For("a")!.Value);
        Assert.Equal(60, result.For("b")!.Value);
        Assert.Equal(["b", "a"], result.Ranked.Select(m => m.ModelId));
    }

    [Fact]
    public void Compute_ThreeModels_ShareOnlyMmlu()
    {
        var result = QualityIndex.Compute(Data, ["a", "b", "c"]);

        Assert.Equal(["MMLU"], result.Columns.Select(c => c.Column.Key));
        Assert.Equal([80.0, 70.0, 60.0], result.Ranked.Select(m => m.Value!.Value));
    }

    [Fact]
    public void Compute_NoSharedAccuracyDataset_RanksNobodyAndSaysWhy()
    {
        var result = QualityIndex.Compute(Data, ["b", "c", "d"]);

        Assert.Empty(result.Columns);
        Assert.Empty(result.Ranked);
        Assert.Contains("share no accuracy-type dataset", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NonAccuracyMetrics_NeverEnterTheIndex()
    {
        var result = QualityIndex.Compute(Data, ["d"]);

        Assert.Empty(result.Columns);
        Assert.Null(result.For("d")!.Value);
    }

    [Fact]
    public void Compute_WithChosenDatasets_ModelsMissingOneAreNotRanked()
    {
        var result = QualityIndex.Compute(Data, ["a", "b", "c"], [new("MMLU", null), new("HumanEval", null)]);

        Assert.Equal(45, result.For("a")!.Value);
        Assert.Equal(45, result.For("c")!.Value);
        Assert.Null(result.For("b")!.Value);
        Assert.Equal("No HumanEval score.", result.For("b")!.Reason);
    }

    [Fact]
    public void Compute_PrefersTheModelOwnersNumber_OverAComparisonTable()
    {
        var data = new BenchmarkData([Score("x", "MMLU", 44.4, comparator: true), Score("x", "MMLU (5-shot)", 45.3), Score("y", "MMLU", 50)], []);

        var result = QualityIndex.Compute(data, ["x", "y"]);

        Assert.Equal(45.3, result.For("x")!.Value);
        Assert.True(data.HasConflict("x", new("MMLU", null)));
        Assert.False(data.HasConflict("y", new("MMLU", null)));
    }

    [Fact]
    public void Conflicts_DifferentShotCounts_AreDifferentSettings_NotAConflict()
    {
        var data = new BenchmarkData([Score("x", "MMLU (5-shot)", 68.4), Score("x", "MMLU (CoT)", 65.3, setting: "0-shot, CoT"), Score("x", "MMLU 0-shot", 60, setting: "0-shot")], []);

        Assert.False(data.HasConflict("x", new("MMLU", null)));
    }

    [Fact]
    public void Conflicts_EmbeddedNotes_AreDetected()
    {
        var data = BenchmarkData.Embedded;

        Assert.True(data.HasConflict("Phi-3-mini-4k-instruct", new("MMLU", null)));
        Assert.True(data.HasConflict("Llama-2-7b", new("MMLU", null)));
        Assert.True(data.HasConflict("mistralai-Mistral-7B-v01", new("MMLU", null)));
    }

    [Fact]
    public void ComputeWidest_RanksEveryModelOnTheSameDatasets()
    {
        var result = QualityIndex.ComputeWidest(Data, ["a", "b", "c", "d"]);

        var ranked = result.Ranked.ToList();
        Assert.NotEmpty(result.Columns);
        Assert.All(ranked, m => Assert.Equal(result.Columns.Count, m.Used.Count));
        Assert.All(ranked, m => Assert.Equal(result.Columns.Select(c => c.Column), m.Used.Select(u => u.Column)));
        Assert.Null(result.For("d")!.Value);
    }

    [Fact]
    public void EmbeddedData_ThreeLlamaPhiMistralModels_ShareMmlu()
    {
        var result = QualityIndex.Compute(BenchmarkData.Embedded, ["Meta-Llama-3-8B-Instruct", "Phi-3-mini-4k-instruct", "mistralai-Mistral-7B-v01"]);

        Assert.Contains(result.Columns, c => c.Column.Key == "MMLU");
        Assert.All(result.Models, m => Assert.NotNull(m.Value));
    }
}

public sealed class BlendedCostTests
{
    private static ModelPrice Price(string model, double input, double output) =>
        new(model, null, input, output, "USD per 1M tokens", null, null, "test", null, null);

    [Theory]
    [InlineData(3, 1, 4.0, 12.0, 6.0)]
    [InlineData(1, 1, 4.0, 12.0, 8.0)]
    [InlineData(1, 0, 4.0, 12.0, 4.0)]
    [InlineData(0, 1, 4.0, 12.0, 12.0)]
    public void Blend_WeighsInputAndOutputPrices(double input, double output, double inPrice, double outPrice, double expected) =>
        Assert.Equal(expected, BlendedCost.Blend(Price("m", inPrice, outPrice), new TokenRatio(input, output)), 9);

    [Fact]
    public void For_PicksTheCheapestOffer_AndKeepsTheOthers()
    {
        var data = new BenchmarkData([], [Price("m", 8, 24), Price("m", 4, 12), Price("n", 1, 1)]);

        var blended = BlendedCost.For(data, "m", TokenRatio.Default)!;

        Assert.Equal(6.0, blended.UsdPerMillion, 9);
        Assert.Equal(2, blended.AllOffers.Count);
        Assert.Null(BlendedCost.For(data, "unknown", TokenRatio.Default));
    }

    [Theory]
    [InlineData("3:1", true, 3, 1)]
    [InlineData(" 1 : 2.5 ", true, 1, 2.5)]
    [InlineData("0:0", false, 3, 1)]
    [InlineData("-1:1", false, 3, 1)]
    [InlineData("3", false, 3, 1)]
    [InlineData("a:b", false, 3, 1)]
    [InlineData("5000:1", false, 3, 1)]
    public void TokenRatio_Parses(string text, bool ok, double input, double output)
    {
        Assert.Equal(ok, TokenRatio.TryParse(text, out var ratio));
        Assert.Equal(new TokenRatio(input, output), ratio);
    }
}
