using System.Text.Json;
using Portal.Catalog.Facts;

namespace Portal.Catalog.Benchmarks;

public sealed record BenchmarkFactsReadResult(IReadOnlyList<BenchmarkScore> Scores, IReadOnlyList<ModelPrice> Prices, IReadOnlyList<CatalogFileError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads the <c>benchmarks</c> and <c>prices</c> sections of a catalog file. Scores and labels are kept exactly as
/// printed; each row is normalised (dataset, setting, metric, kind of source) alongside. The whole input is checked
/// and every problem reported with its JSON path.
/// </summary>
public static class BenchmarkFactsReader
{
    public static BenchmarkFactsReadResult Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new List<CatalogFileError>();
        var scores = new List<BenchmarkScore>();
        var prices = new List<ModelPrice>();
        var root = document.RootElement;

        if (root.TryGetProperty("benchmarks", out var benchmarks) && benchmarks.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var row in benchmarks.EnumerateArray())
            {
                var path = $"$.benchmarks[{i++}]";
                var model = RequiredString(row, "model", path, errors);
                var label = RequiredString(row, "benchmark", path, errors);
                var source = RequiredString(row, "source", path, errors);
                var score = RequiredNumber(row, "score", path, errors);
                if (model is null || label is null || source is null || score is null)
                {
                    continue;
                }

                var setting = OptionalString(row, "setting");
                var reportedBy = OptionalString(row, "reported_by") ?? "Source not named";
                var comparator = row.TryGetProperty("comparator_column", out var c) && c.ValueKind == JsonValueKind.True;
                var normalized = BenchmarkLabels.Normalize(label, setting);
                scores.Add(new BenchmarkScore
                {
                    ModelId = model,
                    Dataset = normalized.Dataset,
                    Label = label,
                    PrintedSetting = setting,
                    Setting = normalized.Setting,
                    Value = score.Value,
                    Metric = normalized.Metric,
                    Kind = KindOf(comparator, reportedBy),
                    Source = new BenchmarkSource(source, OptionalString(row, "source_table"), reportedBy, OptionalString(row, "date")),
                    Note = OptionalString(row, "note"),
                });
            }
        }
        else if (root.TryGetProperty("benchmarks", out _))
        {
            errors.Add(new("$.benchmarks", "Must be an array of benchmark rows."));
        }

        if (root.TryGetProperty("prices", out var priceRows) && priceRows.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var row in priceRows.EnumerateArray())
            {
                var path = $"$.prices[{i++}]";
                var model = RequiredString(row, "model", path, errors);
                var input = RequiredNumber(row, "input_price", path, errors);
                var output = RequiredNumber(row, "output_price", path, errors);
                var unit = RequiredString(row, "unit", path, errors);
                var source = RequiredString(row, "source", path, errors);
                if (model is null || input is null || output is null || unit is null || source is null)
                {
                    continue;
                }

                if (!string.Equals(unit, "USD per 1M tokens", StringComparison.Ordinal))
                {
                    errors.Add(new($"{path}.unit", $"Only \"USD per 1M tokens\" can be compared; found \"{unit}\"."));
                    continue;
                }

                // Optional: the fine-tuning training price, USD per 1M training tokens (the same unit).
                double? training = null;
                if (row.TryGetProperty("training_price", out var trainingPrice) && trainingPrice.ValueKind != JsonValueKind.Null)
                {
                    if (trainingPrice.ValueKind != JsonValueKind.Number || !trainingPrice.TryGetDouble(out var t) || !double.IsFinite(t) || t < 0)
                    {
                        errors.Add(new($"{path}.training_price", "Optional: a number (USD per 1M training tokens), zero or more."));
                        continue;
                    }

                    training = t;
                }

                prices.Add(new ModelPrice(model, OptionalString(row, "offer_key_in_source"), input.Value, output.Value, unit,
                    OptionalString(row, "deployment_type"), OptionalString(row, "date"), source, OptionalString(row, "caveat"), OptionalString(row, "note"), training));
            }
        }

        return new(scores, prices, errors);
    }

    /// <summary>A column from someone else's table, or a leaderboard, is third-party; otherwise the owner reported it.</summary>
    public static SourceKind KindOf(bool comparatorColumn, string reportedBy) =>
        comparatorColumn || reportedBy.Contains("Leaderboard", StringComparison.OrdinalIgnoreCase)
            ? SourceKind.ThirdPartyComparison
            : SourceKind.ModelOwner;

    private static string? RequiredString(JsonElement row, string name, string path, List<CatalogFileError> errors)
    {
        if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        errors.Add(new($"{path}.{name}", "Required: a non-empty string."));
        return null;
    }

    private static double? RequiredNumber(JsonElement row, string name, string path, List<CatalogFileError> errors)
    {
        if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        errors.Add(new($"{path}.{name}", "Required: a number."));
        return null;
    }

    private static string? OptionalString(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
