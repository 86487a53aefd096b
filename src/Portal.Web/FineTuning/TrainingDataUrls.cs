namespace Portal.Web.FineTuning;

/// <summary>The fine-tuning addresses the training data page builds (every value escaped).</summary>
public static class TrainingDataUrls
{
    public const string DataPath = "fine-tuning/data";
    public const string JobsPath = "fine-tuning";

    /// <summary>The training data page with a base model and method chosen.</summary>
    public static string Data(string? catalogModelId) =>
        string.IsNullOrWhiteSpace(catalogModelId) ? DataPath : DataPath + "?model=" + Uri.EscapeDataString(catalogModelId);

    /// <summary>The new-job page with a connection, an uploaded training file and (when chosen) the catalog model.</summary>
    public static string NewJob(string? connection, string trainingFileId, string? catalogModelId)
    {
        ArgumentNullException.ThrowIfNull(trainingFileId);
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(connection))
        {
            parts.Add("connection=" + Uri.EscapeDataString(connection));
        }

        parts.Add("trainingFile=" + Uri.EscapeDataString(trainingFileId));
        if (!string.IsNullOrWhiteSpace(catalogModelId))
        {
            parts.Add("model=" + Uri.EscapeDataString(catalogModelId));
        }

        return "fine-tuning/new?" + string.Join("&", parts);
    }
}
