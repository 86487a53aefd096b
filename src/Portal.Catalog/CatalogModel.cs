namespace Portal.Catalog;

/// <summary>
/// One model as the portal shows it, merged from every catalog source that knows it. Null always means "not known"
/// (shown as "—"), never zero or "none".
/// </summary>
public sealed record CatalogModel
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Publisher { get; init; }

    public string? Collection { get; init; }

    public IReadOnlyList<string> InferenceTasks { get; init; } = [];

    public IReadOnlyList<string> FineTuningTasks { get; init; } = [];

    public string? License { get; init; }

    public string? LicenseNote { get; init; }

    public int? ContextWindowTokens { get; init; }

    public string? ContextWindowAsPrinted { get; init; }

    public int? MaxOutputTokens { get; init; }

    public string? ParameterCount { get; init; }

    public string? ParameterNote { get; init; }

    /// <summary>As printed by the source: a date (2024-04-18) or a month ("August 2024").</summary>
    public string? ReleaseDate { get; init; }

    public IReadOnlyList<string> Versions { get; init; } = [];

    public string? KnowledgeCutoff { get; init; }

    public IReadOnlyList<string> InputModalities { get; init; } = [];

    public IReadOnlyList<string> OutputModalities { get; init; } = [];

    public DeploymentOptions? Deployment { get; init; }

    public ModelLifecycle? Lifecycle { get; init; }

    public string? Description { get; init; }

    /// <summary>Field name (as in the facts file, e.g. <c>context_window_tokens</c>) → URL of the source that gave it.</summary>
    public IReadOnlyDictionary<string, string> FieldSources { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Sources { get; init; } = [];

    public IReadOnlyList<string> Caveats { get; init; } = [];

    /// <summary>Which catalog sources contributed this model, first the one whose values are shown.</summary>
    public IReadOnlyList<Provenance> Provenance { get; init; } = [];

    /// <summary>Fields on which the catalog sources disagree; every value is kept with its source.</summary>
    public IReadOnlyList<FieldConflict> Conflicts { get; init; } = [];

    /// <summary>
    /// Which Azure regions offer which version of the model, each fact with its source (the live Azure OpenAI models
    /// read them from the models API of a location). Empty means the catalog has no region facts — not "everywhere".
    /// </summary>
    public IReadOnlyList<RegionAvailability> Regions { get; init; } = [];

    /// <summary>
    /// Whether the region facts say <paramref name="region"/> offers the model (and <paramref name="version"/>, when given):
    /// null when the catalog has no region facts for the model at all, so "unknown" is never read as "no" or "everywhere".
    /// </summary>
    public bool? IsOfferedIn(string region, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (Regions.Count == 0)
        {
            return null;
        }

        foreach (var r in Regions)
        {
            if (string.Equals(r.Region, region, StringComparison.OrdinalIgnoreCase)
                && (version is null || string.Equals(r.Version, version, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The regions (API names, e.g. <c>swedencentral</c>) the region facts list for the model, or for one version.</summary>
    public IReadOnlyList<string> RegionsOffering(string? version = null) =>
        [.. Regions
            .Where(r => version is null || string.Equals(r.Version, version, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Region)
            .Distinct(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>
/// One region fact: <paramref name="Region"/> (the API's name, e.g. <c>swedencentral</c>; see <see cref="AzureRegions"/>
/// for its display name) offers <paramref name="Version"/> of the model with these deployment SKUs.
/// </summary>
/// <param name="Region">The location's API name.</param>
/// <param name="Version">The model version offered there; null when the source did not say.</param>
/// <param name="Skus">Deployment SKUs offered there (Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged…).</param>
/// <param name="LifecycleStatus">As the API says it: GenerallyAvailable, Preview, Stable, Deprecating, Deprecated, Legacy.</param>
/// <param name="InferenceDeprecationDate">When the version stops being offered for inference (the API's <c>deprecation.inference</c>).</param>
/// <param name="FineTuneDeprecationDate">When it stops being offered for fine-tuning (<c>deprecation.fineTune</c>).</param>
/// <param name="Source">Where the fact came from, in words: "From the models API of location swedencentral (subscription …)".</param>
/// <param name="AsOf">When the source was read.</param>
public sealed record RegionAvailability(
    string Region,
    string? Version,
    IReadOnlyList<string> Skus,
    string? LifecycleStatus,
    DateOnly? InferenceDeprecationDate,
    DateOnly? FineTuneDeprecationDate,
    string Source,
    DateTimeOffset? AsOf);

/// <summary>Deployment options in Azure AI Foundry. Both null for Azure OpenAI models (they deploy as Azure OpenAI deployments).</summary>
public sealed record DeploymentOptions(bool? ManagedCompute, bool? ServerlessApi, string? Note, string? Source);

public sealed record ModelLifecycle(DateOnly? DeprecationDate, DateOnly? RetirementDate, string? SourceField);

/// <summary>Where a model's facts came from: a catalog source, its address and when it was read.</summary>
public sealed record Provenance(string SourceId, string SourceName, string? Url, DateTimeOffset? AsOf);

public sealed record FieldConflict(string Field, IReadOnlyList<ConflictingValue> Values);

public sealed record ConflictingValue(string Value, string SourceName);
