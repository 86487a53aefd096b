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

    /// <summary>
    /// New evaluation with its targets chosen: one <c>target=&lt;connection&gt;|&lt;model&gt;</c> each (escaped; the model is
    /// what follows the last <c>|</c>, so a connection's name may hold one).
    /// </summary>
    public static string NewRunWithTargets(IEnumerable<(string Connection, string Model)> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var query = string.Join('&', targets.Select(t => $"{TargetParameter}={Uri.EscapeDataString($"{t.Connection}|{t.Model}")}"));
        return query.Length == 0 ? NewRunPath : $"{NewRunPath}?{query}";
    }

    /// <summary>The query parameter of a prefilled target (repeated).</summary>
    public const string TargetParameter = "target";

    /// <summary>A <c>target</c> value read back: the connection and the model, or null when it has no <c>|</c> or an empty part.</summary>
    public static (string Connection, string Model)? ParseTarget(string? value)
    {
        var bar = value?.LastIndexOf('|') ?? -1;
        if (value is null || bar <= 0 || bar == value.Length - 1)
        {
            return null;
        }

        var connection = value[..bar].Trim();
        var model = value[(bar + 1)..].Trim();
        return connection.Length == 0 || model.Length == 0 ? null : (connection, model);
    }

    public static string Dataset(Guid id) => $"evaluations/datasets/{id}";

    public static string DatasetDownload(Guid id, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"evaluations/datasets/{id}/versions/{version}/download");

    public static string RunExport(Guid id, string format) => $"evaluations/{id}/export.{format}";

    public static string Trace(Guid id) => PortalUrls.Trace(id);
}
