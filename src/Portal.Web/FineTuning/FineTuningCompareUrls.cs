namespace Portal.Web.FineTuning;

/// <summary>
/// The fine-tuning addresses the comparison and a fine-tuned model's actions link to (relative, as <see cref="PortalUrls"/>);
/// every value is escaped.
/// </summary>
public static class FineTuningCompareUrls
{
    public const string JobsPath = "fine-tuning";

    public const string ComparePath = "fine-tuning/compare";

    public const string DeployFineTunedPath = "deployments/new/fine-tuned";

    public static string Job(Guid id) => $"fine-tuning/jobs/{id}";

    /// <summary>The comparison of these jobs, in this order.</summary>
    public static string Compare(IEnumerable<Guid> ids) => $"{ComparePath}?jobs={string.Join(',', ids.Select(id => Uri.EscapeDataString(id.ToString())))}";

    /// <summary>The page that deploys a job's fine-tuned model into the Azure OpenAI account behind its connection.</summary>
    public static string DeployFineTuned(Guid job) => $"{DeployFineTunedPath}?job={job}";
}
