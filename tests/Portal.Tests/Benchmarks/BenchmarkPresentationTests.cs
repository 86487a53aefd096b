using Portal.Catalog.Query;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Sources;

namespace Portal.Tests.Benchmarks;

public sealed class BenchmarkPresentationTests
{
    private static BenchmarkScore Score(string model, string label, double value, string? setting = null, string url = "https://example.org/a", string reporter = "test source") =>
        TestScores.Score(model, label, value, setting, SourceKind.ThirdPartyComparison, url, reporter);

    [Fact]
    public void LabelWithSetting_DoesNotRepeatASettingTheLabelAlreadySays()
    {
        Assert.Equal("MMLU (5-shot)", BenchmarkPresentation.LabelWithSetting(Score("a", "MMLU (5-shot)", 70, "5-shot")));
        Assert.Equal("MMLU 5-shot", BenchmarkPresentation.LabelWithSetting(Score("a", "MMLU 5-shot", 70, "5-shot")));
        Assert.Equal("MMLU (0-shot, CoT)", BenchmarkPresentation.LabelWithSetting(Score("a", "MMLU", 70, "0-shot, CoT")));
        Assert.Equal("MMLU", BenchmarkPresentation.LabelWithSetting(Score("a", "MMLU", 70)));
    }

    [Fact]
    public void Best_IsAwardedOnlyAmongNumbersOfTheSameSetting()
    {
        // BoolQ: 91.3 is 2-shot, 78.1 and 80.9 are 0-shot.
        var shown = new BenchmarkScore?[] { Score("a", "BoolQ 2-shot", 91.3, "2-shot"), Score("b", "BoolQ 0-shot", 78.1, "0-shot"), Score("c", "BoolQ 0-shot", 80.9, "0-shot"), null };

        Assert.Equal([false, false, true, false], BenchmarkPresentation.Best(shown));
    }

    [Fact]
    public void Best_NeedsTwoComparableNumbers()
    {
        var shown = new BenchmarkScore?[] { Score("a", "MMLU 5-shot", 70, "5-shot"), Score("b", "MMLU (0-shot, CoT)", 80, "0-shot, CoT") };

        Assert.Equal([false, false], BenchmarkPresentation.Best(shown));
    }

    [Fact]
    public void Comparable_ShowsTheSettingMostModelsShare_AndTheUsualNumberOtherwise()
    {
        var data = new BenchmarkData(
            [
                Score("a", "MMLU (0-shot, CoT)", 86.7, "0-shot, CoT") with { Kind = SourceKind.ModelOwner }, Score("a", "MMLU 5-shot", 84, "5-shot"),
                Score("b", "MMLU 5-shot", 70.9, "5-shot") with { Kind = SourceKind.ModelOwner },
                Score("c", "MMLU 5-shot", 68.4, "5-shot") with { Kind = SourceKind.ModelOwner },
                Score("d", "MMLU (0-shot, CoT)", 90, "0-shot, CoT") with { Kind = SourceKind.ModelOwner },
            ],
            []);
        var column = new BenchmarkColumn("MMLU", null);

        Assert.Equal([84, 70.9, 68.4, 90], BenchmarkPresentation.Comparable(data, ["a", "b", "c", "d"], column).Select(s => s!.Value));
        Assert.Equal([86.7, 90], BenchmarkPresentation.Comparable(data, ["a", "d"], column).Select(s => s!.Value));
        Assert.Equal([84, 70.9], BenchmarkPresentation.Comparable(data, ["a", "b"], column).Select(s => s!.Value));
        Assert.Equal([86.7], BenchmarkPresentation.Comparable(data, ["a"], column).Select(s => s!.Value));
    }

    [Fact]
    public void Deduplicate_FoldsTheSameLineFromSeveralPages_KeepingEveryPage()
    {
        var scores = new[]
        {
            Score("gpt-4", "MMLU 5-shot", 84, "5-shot", "https://example.org/small-8k"),
            Score("gpt-4", "MMLU 5-shot", 84, "5-shot", "https://example.org/small-128k"),
            Score("gpt-4", "MMLU 5-shot", 84, "5-shot", "https://example.org/medium-4k"),
            Score("gpt-4", "MMLU 5-shot", 86.4, "5-shot", "https://example.org/other", "another source"),
        };

        var folded = BenchmarkPresentation.Deduplicate(scores);

        Assert.Equal(2, folded.Count);
        Assert.Equal(["https://example.org/small-8k", "https://example.org/small-128k", "https://example.org/medium-4k"], folded[0].Sources.Select(s => s.Url));
        Assert.Equal(86.4, folded[1].Score.Value);
    }

    [Fact]
    public void Deduplicate_EmbeddedGpt4_ListsEachLineOnce()
    {
        var data = BenchmarkData.Embedded;
        var scores = data.ForModel("gpt-4");
        var folded = BenchmarkPresentation.Deduplicate(scores);

        Assert.True(folded.Count < scores.Count, "The embedded data prints some GPT-4 lines on several pages.");
        Assert.Equal(folded.Count, folded.Select(f => (f.Score.Column, f.Score.Label, f.Score.Value, f.Score.Source.ReportedBy, f.Score.Source.Table)).Distinct().Count());
        Assert.All(scores, s => Assert.Contains(folded, f => f.Score.Label == s.Label && f.Score.Value == s.Value && f.Sources.Contains(s.Source)));
    }

    [Fact]
    public void DefaultColumns_AreTheIndexDatasets_ForTheEmbeddedData()
    {
        var catalog = new CatalogIndex(EmbeddedCatalogSource.Models);
        var view = BenchmarkView.Build(new BenchmarkViewQuery(), catalog, BenchmarkData.Embedded);

        Assert.NotEmpty(view.Index.Columns);
        Assert.Equal(view.Index.Columns.Select(c => c.Column.Key).Order(), view.Columns.Select(c => c.Column.Key).Order());
    }

    [Fact]
    public void ScatterLabels_ForTheEmbeddedData_NeverOverlapEachOtherOrAPoint_AndStayInTheChart()
    {
        var catalog = new CatalogIndex(EmbeddedCatalogSource.Models);
        foreach (var query in new[] { new BenchmarkViewQuery(), new BenchmarkViewQuery { Ratio = new TokenRatio(1, 1) }, new BenchmarkViewQuery { Ratio = new TokenRatio(10, 1) } })
        {
            var view = BenchmarkView.Build(query, catalog, BenchmarkData.Embedded);
            Assert.True(view.Points.Count >= 10, $"{view.Points.Count} points");

            var layout = QualityCostLayout.Build(view.Points);

            var labels = layout.Points.Where(p => p.LabelBox is not null).ToList();
            Assert.True(labels.Count >= view.Points.Count - 3, $"Only {labels.Count} of {view.Points.Count} points have a label.");
            for (var i = 0; i < labels.Count; i++)
            {
                var box = labels[i].LabelBox!.Value;
                Assert.InRange(box.X, QualityCostLayout.Left, QualityCostLayout.Width - QualityCostLayout.Right);
                Assert.InRange(box.Right, QualityCostLayout.Left, QualityCostLayout.Width - QualityCostLayout.Right);
                Assert.InRange(box.Y, 0, QualityCostLayout.Height - QualityCostLayout.Bottom);
                Assert.InRange(box.Bottom, 0, QualityCostLayout.Height - QualityCostLayout.Bottom);
                for (var j = i + 1; j < labels.Count; j++)
                {
                    Assert.False(box.Overlaps(labels[j].LabelBox!.Value), $"'{labels[i].Label}' overlaps '{labels[j].Label}'.");
                }

                foreach (var point in layout.Points)
                {
                    Assert.False(box.Overlaps(QualityCostLayout.PointBox(point.X, point.Y)), $"'{labels[i].Label}' covers the point of {point.Point.Model.DisplayName}.");
                }
            }
        }
    }

    [Fact]
    public void ScatterLabels_ManyPointsInOneSpot_NoneOverlap()
    {
        var catalog = new CatalogIndex(EmbeddedCatalogSource.Models);
        var model = catalog.Models[0];
        var price = new ModelPrice(model.Id, "offer", 0.3, 0.6, "USD per 1M tokens", null, null, "test", null, null);
        var points = Enumerable.Range(0, 30)
            .Select(i => new QualityCostPoint(model with { DisplayName = $"Crowded model number {i}" }, 70 + (i % 3), new BlendedPrice(model.Id, 0.3 + (i * 0.001), price, [price])))
            .ToList();

        var labels = QualityCostLayout.Build(points).Points.Where(p => p.LabelBox is not null).ToList();

        Assert.NotEmpty(labels);
        Assert.True(labels.Count < points.Count, "Some labels give way rather than overlap.");
        Assert.All(labels, a => Assert.DoesNotContain(labels, b => !ReferenceEquals(a, b) && a.LabelBox!.Value.Overlaps(b.LabelBox!.Value)));
    }
}
