using Microsoft.Extensions.Logging.Abstractions;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Web.FineTuning;

namespace Portal.Tests.FineTuning;

/// <summary>The optional training price of a price row and the fine-tuning cost estimate made from it.</summary>
public sealed class FineTuningCostTests : IDisposable
{
    private const string Facts = """
        {
          "prices": [
            { "model": "gpt-4o-mini", "input_price": 0.15, "output_price": 0.6, "unit": "USD per 1M tokens", "source": "Test price list", "training_price": 3 },
            { "model": "gpt-4o", "input_price": 2.5, "output_price": 10, "unit": "USD per 1M tokens", "source": "Test price list" }
          ]
        }
        """;

    private readonly CatalogService _catalog = new([], NullLogger<CatalogService>.Instance);

    public void Dispose() => _catalog.Dispose();

    private FineTuningCost Costs(string facts = Facts)
    {
        var read = BenchmarkFactsReader.Read(facts);
        Assert.True(read.IsValid, string.Join("; ", read.Errors.Select(e => $"{e.Path}: {e.Reason}")));
        return new FineTuningCost(_catalog, new BenchmarkData(read.Scores, read.Prices));
    }

    [Fact]
    public void Reader_ReadsTheTrainingPrice_AndLeavesItNullWhenAbsent()
    {
        var prices = BenchmarkFactsReader.Read(Facts).Prices;

        Assert.Equal(3, prices.Single(p => p.ModelId == "gpt-4o-mini").TrainingPerMillion);
        Assert.Null(prices.Single(p => p.ModelId == "gpt-4o").TrainingPerMillion);
    }

    [Theory]
    [InlineData("\"three\"")]
    [InlineData("-1")]
    public void Reader_RefusesATrainingPriceThatIsNotANonNegativeNumber(string value)
    {
        var result = BenchmarkFactsReader.Read(Facts.Replace("\"training_price\": 3", "\"training_price\": " + value, StringComparison.Ordinal));

        Assert.Contains(result.Errors, e => e.Path == "$.prices[0].training_price");
        Assert.DoesNotContain(result.Prices, p => p.ModelId == "gpt-4o-mini");
    }

    [Fact]
    public void TheEmbeddedFacts_StillRead()
    {
        Assert.NotEmpty(BenchmarkData.Embedded.Prices);
    }

    [Fact]
    public void Estimate_IsTokensTimesEpochsTimesThePrice_LabelledUnofficialWithItsSource()
    {
        var estimate = Costs().Estimate("gpt-4o-mini", 250_000, 3);

        Assert.NotNull(estimate);
        Assert.Equal(250_000m * 3 * 3 / 1_000_000m, estimate.Usd);
        Assert.Equal(3, estimate.Epochs);
        Assert.Equal("Test price list", estimate.Source);
        Assert.Contains("unofficial community price", estimate.Note, StringComparison.Ordinal);
        Assert.Contains("from Test price list", estimate.Note, StringComparison.Ordinal);
        Assert.Contains("$2.25", estimate.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WithoutATrainingPrice_IsNull_AndSaysWhy()
    {
        var costs = Costs();

        Assert.Null(costs.Estimate("gpt-4o", 1000, 1));
        Assert.Null(costs.Estimate("no-such-model", 1000, 1));
        var model = _catalog.Current.Find("gpt-4o")!;
        Assert.Equal($"The catalog has no training price for {model.DisplayName}, so no cost is estimated.", costs.NoPrice("gpt-4o"));
    }

    [Fact]
    public void Estimate_FromTheEmbeddedFacts_HasNoTrainingPrice()
    {
        var costs = new FineTuningCost(_catalog, BenchmarkData.Embedded);
        Assert.All(_catalog.Current.Models.Where(m => m.FineTuningTasks.Count > 0), m => Assert.Null(costs.Estimate(m.Id, 1000, 1)));
    }
}
