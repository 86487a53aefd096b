namespace Portal.Azure;

/// <summary>
/// Typed bodies for the Microsoft.CognitiveServices REST API (Azure OpenAI and AI services accounts, their keys,
/// deployments, available models, usages, SKUs and Foundry projects), api-version <see cref="Version"/>, written from the
/// published contract and its examples. Unknown properties are ignored; every field the portal shows is modelled.
/// Resources use <see cref="ArmResource{TProperties}"/> like the Machine Learning ones.
/// </summary>
public static class CognitiveApi
{
    public const string Version = "2026-09-01";

    public const string Provider = "providers/Microsoft.CognitiveServices";
}

/// <summary><c>accounts</c>' properties. <c>Endpoints</c> maps an API's name ("OpenAI Language Model Instance API") to its address.</summary>
public sealed record CognitiveAccountProperties(
    string? Endpoint,
    IReadOnlyDictionary<string, string>? Endpoints,
    string? ProvisioningState,
    string? CustomSubDomainName,
    string? PublicNetworkAccess,
    bool? DisableLocalAuth,
    bool? AllowProjectManagement,
    IReadOnlyList<string>? AssociatedProjects,
    string? DefaultProject,
    string? DateCreated);

/// <summary><c>POST accounts/{name}/listKeys</c>. A class, not a record: its keys must never be printed.</summary>
public sealed class CognitiveAccountKeys
{
    public string? Key1 { get; init; }

    public string? Key2 { get; init; }
}

/// <summary>A deployment's model: <c>format</c> is "OpenAI" for Azure OpenAI models.</summary>
public sealed record CognitiveDeploymentModel(string? Format, string? Name, string? Version, string? Publisher = null, string? Source = null);

public sealed record CognitiveRateLimit(string? Key, double? RenewalPeriod, double? Count);

public sealed record CognitiveDeploymentProperties(
    CognitiveDeploymentModel? Model,
    string? ProvisioningState,
    string? DeploymentState,
    string? ServiceTier,
    string? VersionUpgradeOption,
    string? RaiPolicyName,
    int? CurrentCapacity,
    IReadOnlyDictionary<string, string>? Capabilities,
    IReadOnlyList<CognitiveRateLimit>? RateLimits);

/// <summary>A SKU's capacity range (<c>allowedValues</c> when only some are allowed).</summary>
public sealed record CapacityRange(int? Minimum, int? Maximum, int? Step, int? Default, IReadOnlyList<int>? AllowedValues);

/// <summary>
/// A deployment SKU a model allows (<c>Standard</c>, <c>GlobalStandard</c>, <c>DataZoneStandard</c>, <c>ProvisionedManaged</c>…),
/// with the usage (quota) it counts against and, if set, when the SKU stops being offered for the model.
/// </summary>
public sealed record CognitiveModelSku(string? Name, string? UsageName, DateTimeOffset? DeprecationDate, CapacityRange? Capacity, IReadOnlyList<CognitiveRateLimit>? RateLimits);

/// <summary>When a model version stops being offered for fine-tuning and for inference.</summary>
public sealed record ModelDeprecation(DateTimeOffset? FineTune, DateTimeOffset? Inference, string? DeprecationStatus);

public sealed record ModelReplacement(string? TargetModelName, string? TargetModelVersion, DateTimeOffset? AutoUpgradeStartDate, int? UpgradeOnExpiryLeadTimeDays);

/// <summary>
/// A model version an account (<c>accounts/{name}/models</c>) or a location (<c>locations/{location}/models</c>, inside
/// <see cref="LocationModel"/>) offers. <c>Capabilities</c> values are strings ("true", "Manual,Standard").
/// <c>LifecycleStatus</c>: GenerallyAvailable, Preview, Stable, Deprecating, Deprecated, Legacy.
/// </summary>
public sealed record CognitiveModel(
    string? Name,
    string? Format,
    string? Version,
    string? Source,
    CognitiveDeploymentModel? BaseModel,
    IReadOnlyDictionary<string, string>? Capabilities,
    IReadOnlyDictionary<string, string>? FinetuneCapabilities,
    ModelDeprecation? Deprecation,
    bool? IsDefaultVersion,
    string? LifecycleStatus,
    int? MaxCapacity,
    string? ModelCatalogAssetId,
    IReadOnlyList<CognitiveModelSku>? Skus,
    ModelReplacement? ReplacementConfig,
    SystemData? SystemData);

/// <summary>An item of <c>locations/{location}/models</c>: which account kind and SKU offer the model there.</summary>
public sealed record LocationModel(string? Kind, string? SkuName, CognitiveModel? Model, string? Description = null);

public sealed record UsageName(string? Value, string? LocalizedValue);

/// <summary>
/// A quota usage of a subscription in a location (<c>locations/{location}/usages</c>): <c>Name.Value</c> is what a
/// model SKU's <see cref="CognitiveModelSku.UsageName"/> refers to.
/// </summary>
public sealed record CognitiveUsage(UsageName? Name, double? CurrentValue, double? Limit, string? Unit, string? Status, string? ScopeType, string? ScopeId, string? QuotaPeriod, DateTimeOffset? NextResetTime);

/// <summary>An item of <c>accounts/{name}/skus</c>.</summary>
public sealed record AccountSkuOption(string? ResourceType, ArmSku? Sku);

/// <summary>An item of <c>accounts/{name}/deployments/{deployment}/skus</c>.</summary>
public sealed record DeploymentSkuOption(string? ResourceType, ArmSku? Sku, CapacityRange? Capacity);

/// <summary>A Foundry project's properties (<c>accounts/{name}/projects</c>).</summary>
public sealed record CognitiveProjectProperties(string? DisplayName, string? Description, IReadOnlyDictionary<string, string>? Endpoints, bool? IsDefault, string? ProvisioningState);

/// <summary>Request bodies (only what the portal sets).</summary>
public sealed record CognitiveDeploymentRequest(CognitiveDeploymentRequestProperties Properties, ArmSku Sku);

public sealed record CognitiveDeploymentRequestProperties(CognitiveDeploymentModel Model, string? VersionUpgradeOption = null, string? RaiPolicyName = null);

/// <summary>PATCH body of a deployment: its SKU (capacity).</summary>
public sealed record CognitiveDeploymentPatch(ArmSku Sku);

public sealed record CognitiveProjectRequest(string Location, ArmIdentity Identity, CognitiveProjectRequestProperties Properties);

public sealed record CognitiveProjectRequestProperties(string? DisplayName, string? Description);

/// <summary>A Cognitive Services account as the portal uses it (discovery, the services directory, deployments).</summary>
public sealed record AzureAIAccount(
    string Id,
    string Name,
    string Kind,
    string? Location,
    string ResourceGroup,
    string SubscriptionId,
    string? Sku,
    string? Endpoint,
    IReadOnlyDictionary<string, string> Endpoints,
    string? ProvisioningState,
    bool LocalAuthDisabled)
{
    /// <summary>Accounts that serve Azure OpenAI models: kind <c>OpenAI</c> and the multi-service <c>AIServices</c>.</summary>
    public bool ServesOpenAI => string.Equals(Kind, "OpenAI", StringComparison.OrdinalIgnoreCase) || string.Equals(Kind, "AIServices", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The account's OpenAI v1 address (<c>…/openai/v1/</c>): from the "OpenAI Language Model Instance API" endpoint of an
    /// AI services account, else the account's endpoint; null when the account serves no OpenAI models or has no address.
    /// </summary>
    public Uri? OpenAIV1Endpoint
    {
        get
        {
            if (!ServesOpenAI)
            {
                return null;
            }

            var address = Endpoints.TryGetValue("OpenAI Language Model Instance API", out var openAi) ? openAi : Endpoint;
            return Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps || uri?.IsLoopback == true
                ? new Uri(new Uri(uri!.GetLeftPart(UriPartial.Authority) + "/"), "openai/v1/")
                : null;
        }
    }

    /// <summary>Foundry projects can be created under <c>AIServices</c> accounts.</summary>
    public bool HostsProjects => string.Equals(Kind, "AIServices", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Accounts in the subscriptions, with what went wrong per subscription (not thrown).</summary>
public sealed record AccountDiscovery(IReadOnlyList<AzureAIAccount> Accounts, IReadOnlyList<string> Problems, DateTimeOffset At);
