namespace Portal.Web.FineTuning;

/// <summary>The addresses of the fine-tuning pages (relative, as the rest of <see cref="PortalUrls"/>); every value is escaped.</summary>
public static class FineTuningJobUrls
{
    public const string JobsPath = "fine-tuning";
    public const string NewJobPath = "fine-tuning/new";
    public const string DataPath = "fine-tuning/data";
    public const string ComparePath = "fine-tuning/compare";
    public const string DeployFineTunedPath = "deployments/new/fine-tuned";

    public static string Job(Guid id) => $"fine-tuning/jobs/{id}";

    /// <summary>The comparison of these jobs (2–6), in this order, by their row ids.</summary>
    public static string Compare(IEnumerable<Guid> ids) => $"{ComparePath}?jobs={string.Join(',', ids.Select(id => Uri.EscapeDataString(id.ToString())))}";

    /// <summary>The page that deploys a job's fine-tuned model into the Azure OpenAI account behind its connection.</summary>
    public static string DeployFineTuned(Guid job) => $"{DeployFineTunedPath}?job={job}";

    /// <summary>The new-job form with a base model, a connection or a training file chosen.</summary>
    public static string NewJob(string? model = null, string? connection = null, string? trainingFile = null)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(model))
        {
            query.Add("model=" + Uri.EscapeDataString(model));
        }

        if (!string.IsNullOrWhiteSpace(connection))
        {
            query.Add("connection=" + Uri.EscapeDataString(connection));
        }

        if (!string.IsNullOrWhiteSpace(trainingFile))
        {
            query.Add("trainingFile=" + Uri.EscapeDataString(trainingFile));
        }

        return query.Count == 0 ? NewJobPath : NewJobPath + "?" + string.Join("&", query);
    }

    /// <summary>The training data page for a base model.</summary>
    public static string Data(string? model) => string.IsNullOrWhiteSpace(model) ? DataPath : DataPath + "?model=" + Uri.EscapeDataString(model);
}
