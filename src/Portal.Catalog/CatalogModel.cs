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
}

/// <summary>Deployment options in Azure AI Foundry. Both null for Azure OpenAI models (they deploy as Azure OpenAI deployments).</summary>
public sealed record DeploymentOptions(bool? ManagedCompute, bool? ServerlessApi, string? Note, string? Source);

public sealed record ModelLifecycle(DateOnly? DeprecationDate, DateOnly? RetirementDate, string? SourceField);

/// <summary>Where a model's facts came from: a catalog source, its address and when it was read.</summary>
public sealed record Provenance(string SourceId, string SourceName, string? Url, DateTimeOffset? AsOf);

public sealed record FieldConflict(string Field, IReadOnlyList<ConflictingValue> Values);

public sealed record ConflictingValue(string Value, string SourceName);
