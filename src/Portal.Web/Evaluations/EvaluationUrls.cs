using System.Globalization;

namespace Portal.Web.Evaluations;

/// <summary>The addresses of the evaluation pages and their downloads (relative, as the rest of <see cref="PortalUrls"/>).</summary>
public static class EvaluationUrls
{
    public const string RunsPath = "evaluations";
    public const string NewRunPath = "evaluations/new";
    public const string DatasetsPath = "evaluations/datasets";

    public static string Run(Guid id) => $"evaluations/{id}";

    /// <summary>The run page with another run's summaries beside it.</summary>
    public static string RunComparedWith(Guid id, Guid other) => $"evaluations/{id}?compare={other}";

    /// <summary>New evaluation, with a dataset chosen.</summary>
    public static string NewRun(Guid? dataset) => dataset is { } d ? $"{NewRunPath}?dataset={d}" : NewRunPath;

    public static string Dataset(Guid id) => $"evaluations/datasets/{id}";

    public static string DatasetDownload(Guid id, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"evaluations/datasets/{id}/versions/{version}/download");

    public static string RunExport(Guid id, string format) => $"evaluations/{id}/export.{format}";

    public static string Trace(Guid id) => PortalUrls.Trace(id);
}
