using System.Globalization;

namespace Portal.Catalog.Query;

public enum Facet
{
    Collection,
    Publisher,
    Task,
    Deployment,
    FineTuning,
    License,
    ContextWindow,
    InputModality,
    OutputModality,
    Region,
}

/// <summary>A facet: its URL/API parameter, its title (and the plural for "Show all 8,000 publishers"), and how a model's values for it are derived.</summary>
public sealed record FacetDefinition(Facet Facet, string Parameter, string Title, string Plural, Func<CatalogModel, IEnumerable<string>> Values, Func<string, string> Label);

public static class CatalogFacets
{
    public const string Unknown = "unknown";
    public const string ManagedCompute = "managed-compute";
    public const string ServerlessApi = "serverless-api";
    public const string AzureOpenAi = "azure-openai";

    public static IReadOnlyList<FacetDefinition> All { get; } =
    [
        new(Facet.Collection, "collection", "Collection", "collections", m => [m.Collection ?? Unknown], LabelOrUnknown),
        new(Facet.Publisher, "publisher", "Publisher", "publishers", m => [m.Publisher ?? Unknown], LabelOrUnknown),
        new(Facet.Task, "task", "Inference task", "inference tasks", m => m.InferenceTasks, LabelOrUnknown),
        new(Facet.Deployment, "deployment", "Deployment option", "deployment options", DeploymentValues, DeploymentLabel),
        new(Facet.FineTuning, "finetune", "Fine-tuning task", "fine-tuning tasks", m => m.FineTuningTasks, LabelOrUnknown),
        new(Facet.License, "license", "License", "licenses", m => [m.License ?? Unknown], LabelOrUnknown),
        new(Facet.ContextWindow, "context", "Context window", "context windows", m => [ContextBucket(m.ContextWindowTokens)], ContextLabel),
        new(Facet.InputModality, "input", "Input", "input kinds", m => m.InputModalities.Select(ModalityKind).Distinct(StringComparer.Ordinal), Capitalize),
        new(Facet.OutputModality, "output", "Output", "output kinds", m => m.OutputModalities.Select(ModalityKind).Distinct(StringComparer.Ordinal), Capitalize),
        // Only models with region facts have values: no facts is not "everywhere", and not a value either.
        new(Facet.Region, "region", "Region", "regions", RegionValues, AzureRegions.DisplayName),
    ];

    /// <summary>What the region facet says about itself: where its facts come from, and what a model without them means.</summary>
    public const string RegionNote =
        "Region facts come only from the live Azure OpenAI models, read from the Azure subscriptions configured for the "
        + "portal (Portal:Azure:Subscriptions; see Settings → Azure). "
        + "A region filter shows only models with region facts: a model without them may still be offered in that region.";

    public static FacetDefinition Get(Facet facet) => All[(int)facet];

    /// <summary>The facet with this URL/API parameter (case-insensitive), or null.</summary>
    public static FacetDefinition? ByParameter(string? parameter) =>
        All.FirstOrDefault(f => string.Equals(f.Parameter, parameter, StringComparison.OrdinalIgnoreCase));

    /// <summary>Context window ranges, in the order shown.</summary>
    public static IReadOnlyList<string> ContextBuckets { get; } = ["up-to-8k", "8k-32k", "32k-128k", "over-128k", Unknown];

    public static string ContextBucket(int? tokens) => tokens switch
    {
        null => Unknown,
        <= 8_192 => "up-to-8k",
        <= 32_768 => "8k-32k",
        <= 131_072 => "32k-128k",
        _ => "over-128k",
    };

    private static string ContextLabel(string bucket) => bucket switch
    {
        "up-to-8k" => "Up to 8K tokens",
        "8k-32k" => "8K – 32K tokens",
        "32k-128k" => "32K – 128K tokens",
        "over-128k" => "Over 128K tokens",
        _ => "Unknown",
    };

    private static IEnumerable<string> RegionValues(CatalogModel model)
    {
        if (model.Regions.Count == 0)
        {
            return [];
        }

        return model.Regions.Select(r => r.Region.ToLowerInvariant()).Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<string> DeploymentValues(CatalogModel model)
    {
        if (model.Deployment?.ManagedCompute == true)
        {
            yield return ManagedCompute;
        }

        if (model.Deployment?.ServerlessApi == true)
        {
            yield return ServerlessApi;
        }

        // The facts leave both options null for Azure OpenAI models: they deploy as Azure OpenAI deployments.
        if (model.Deployment?.ManagedCompute is null && model.Deployment?.ServerlessApi is null
            && string.Equals(model.Collection, "Azure OpenAI", StringComparison.OrdinalIgnoreCase))
        {
            yield return AzureOpenAi;
        }
    }

    public static string DeploymentLabel(string value) => value switch
    {
        ManagedCompute => "Managed compute",
        ServerlessApi => "Serverless API",
        AzureOpenAi => "Azure OpenAI deployment",
        _ => value,
    };

    /// <summary>"text (multilingual)" → "text"; "vector (1,024 dim.)" → "vector".</summary>
    public static string ModalityKind(string printed)
    {
        var paren = printed.IndexOf('(', StringComparison.Ordinal);
        return (paren > 0 ? printed[..paren] : printed).Trim().ToLowerInvariant();
    }

    private static string LabelOrUnknown(string value) => value == Unknown ? "Unknown" : value;

    private static string Capitalize(string value) =>
        value.Length == 0 ? value : char.ToUpper(value[0], CultureInfo.InvariantCulture) + value[1..];
}
