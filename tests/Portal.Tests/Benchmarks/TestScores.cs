using Portal.Catalog.Benchmarks;

namespace Portal.Tests.Benchmarks;

/// <summary>A benchmark number as the facts reader would make it from a printed label and setting.</summary>
internal static class TestScores
{
    public static BenchmarkScore Score(string model, string label, double value, string? setting, SourceKind kind, string url, string reporter = "test source")
    {
        var normalized = BenchmarkLabels.Normalize(label, setting);
        return new BenchmarkScore
        {
            ModelId = model,
            Dataset = normalized.Dataset,
            Label = label,
            PrintedSetting = setting,
            Setting = normalized.Setting,
            Value = value,
            Metric = normalized.Metric,
            Kind = kind,
            Source = new BenchmarkSource(url, "Table 1", reporter, null),
        };
    }
}
