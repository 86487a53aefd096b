using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Portal.Catalog;
using Portal.Catalog.Benchmarks;
using Portal.Catalog.Export;
using Portal.Web.Exports;
using Portal.Web.Hosting;

namespace Portal.Web.Benchmarks;

public sealed record BenchmarkSourceDto(string Url, string? Table, string ReportedBy, string? Date);

/// <summary>One published number: label and setting as printed, value as printed, and where it came from.</summary>
public sealed record BenchmarkItemDto(
    string Model,
    string Dataset,
    string DatasetName,
    string Label,
    string? Setting,
    double Value,
    string Kind,
    string Metric,
    BenchmarkSourceDto Source,
    string? Shots,
    bool ChainOfThought,
    string? Language,
    string? Variant,
    string? Note);

public sealed record BenchmarkListDto(int Count, IReadOnlyList<BenchmarkItemDto> Items, IReadOnlyList<string> Notices);

public sealed record IndexDatasetDto(string Key, string Name);

public sealed record ModelIndexDto(string Model, double? Index, string? Reason, IReadOnlyList<BenchmarkItemDto> Used);

public sealed record QualityIndexDto(IReadOnlyList<IndexDatasetDto> Datasets, IReadOnlyList<ModelIndexDto> Items, string? Explanation, IReadOnlyList<string> Notices);

/// <summary><c>/api/benchmarks</c>: the published numbers and the portal's quality index, for scripts.</summary>
public static class BenchmarkApi
{
    public static IEndpointRouteBuilder MapBenchmarkApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/benchmarks").WithTags("Benchmarks");

        group.MapGet("", (HttpRequest request, ICatalogService catalog, BenchmarkData data) =>
            {
                var (ids, notices) = Models(request.Query["model"], catalog, data);
                IEnumerable<BenchmarkScore> rows = request.Query["model"].Count == 0 ? data.Scores : ids.SelectMany(data.ForModel);
                var items = rows.Select(ToDto).ToList();
                return TypedResults.Ok(new BenchmarkListDto(items.Count, items, notices));
            })
            .WithName("ListBenchmarks")
            .WithSummary("Published benchmark numbers, each with its label and setting as printed and its source")
            .WithDescription("model (repeatable): the models to return; without it every number is returned. kind is model-owner, third-party or measured-here.");

        group.MapGet("index", Results<Ok<QualityIndexDto>, ProblemHttpResult> (HttpRequest request, ICatalogService catalog, BenchmarkData data) =>
            {
                var (ids, notices) = Models(request.Query["model"], catalog, data);
                if (ids.Count == 0)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No model given",
                        detail: "Give one or more catalog model ids: /api/benchmarks/index?model=ID&model=ID2." + (notices.Count > 0 ? " " + string.Join(" ", notices) : ""));
                }

                var datasets = BenchmarkViewParser.Datasets(request.Query["dataset"].OfType<string>(), data, notices);

                var result = QualityIndex.Compute(data, ids, datasets);
                return TypedResults.Ok(new QualityIndexDto(
                    [.. result.Columns.Select(c => new IndexDatasetDto(c.Column.Key, c.Name))],
                    [.. result.Models.Select(m => new ModelIndexDto(m.ModelId, m.Value is { } v ? Math.Round(v, 4) : null, m.Reason, [.. m.Used.Select(ToDto)]))],
                    result.Explanation,
                    notices));
            })
            .WithName("GetQualityIndex")
            .WithSummary("The portal's quality index: the mean of accuracy-type scores over the datasets all the given models have")
            .WithDescription("model (repeatable, required); dataset (repeatable, optional): compute over these datasets instead, ranking only models that have all of them.");

        group.MapGet("export.csv", (HttpRequest request, ICatalogService catalog, BenchmarkData data) =>
                new StreamedExport("text/csv; charset=utf-8", "benchmarks.csv", (body, cancellationToken) =>
                    CatalogExporter.WriteCsvAsync(body, BuildView(request.Query, catalog, data).TableText(), cancellationToken)))
            .RequireRateLimiting(ExportServiceCollectionExtensions.ExportPolicy)
            .WithName("ExportBenchmarksCsv")
            .WithSummary("The dashboard's list view as CSV, cell for cell, with the same parameters as /benchmarks, streamed")
            .WithDescription("The file is streamed as it is written; exports count against the same per-client limit as the catalog's (429 with Retry-After beyond it).");

        return endpoints;
    }

    public static BenchmarkView BuildView(IEnumerable<KeyValuePair<string, StringValues>> query, ICatalogService catalog, BenchmarkData data)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var parsed = BenchmarkViewParser.Parse(query.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Key, p.Value.ToArray())), catalog.Current, data);
        return BenchmarkView.Build(parsed.Query, catalog.Current, data);
    }

    private static (List<string> Ids, List<string> Notices) Models(StringValues requested, ICatalogService catalog, BenchmarkData data)
    {
        var ids = new List<string>();
        var notices = new List<string>();
        foreach (var id in requested.OfType<string>().Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (catalog.Current.Find(id.Trim()) is { } model)
            {
                ids.Add(model.Id);
                if (!data.HasScores(model.Id))
                {
                    notices.Add($"No benchmark number is published for '{model.Id}' in the portal's sources.");
                }
            }
            else
            {
                notices.Add($"The catalog has no model with id '{id}'.");
            }
        }

        return (ids, notices);
    }

    public static BenchmarkItemDto ToDto(BenchmarkScore s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(
            s.ModelId,
            s.Column.Key,
            BenchmarkData.ColumnName(s.Dataset, s.Setting.Variant),
            s.Label,
            s.PrintedSetting,
            s.Value,
            MetricKinds.SourceKindParameter(s.Kind),
            MetricKinds.Parameter(s.Metric),
            new BenchmarkSourceDto(s.Source.Url, s.Source.Table, s.Source.ReportedBy, s.Source.Date),
            s.Setting.Shots,
            s.Setting.ChainOfThought,
            s.Setting.Language,
            s.Setting.Variant,
            s.Note);
    }
}
