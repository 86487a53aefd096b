using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Azure;

/// <summary>
/// Typed request and response bodies for the Microsoft.MachineLearningServices REST API, api-version
/// <see cref="Api.Version"/>, written from the published contract and its examples (the package with generated
/// models is not available). Unknown properties are ignored; every field the portal shows is modelled.
/// </summary>
public static class Api
{
    public const string Version = "2025-12-01";

    /// <summary>The api-version used to list subscriptions (Microsoft.Resources).</summary>
    public const string SubscriptionsVersion = "2022-12-01";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record ArmList<T>(
    [property: JsonPropertyName("value")] IReadOnlyList<T>? Value,
    [property: JsonPropertyName("nextLink")] string? NextLink);

public sealed record SystemData(DateTimeOffset? CreatedAt, string? CreatedBy, string? CreatedByType, DateTimeOffset? LastModifiedAt, string? LastModifiedBy);

public sealed record ArmSku(string? Name, string? Tier, string? Size, string? Family, int? Capacity);

/// <summary>A tracked or proxy ARM resource with typed properties.</summary>
public sealed record ArmResource<TProperties>(
    string? Id,
    string? Name,
    string? Type,
    string? Location,
    string? Kind,
    IReadOnlyDictionary<string, string>? Tags,
    ArmSku? Sku,
    SystemData? SystemData,
    TProperties? Properties);

public sealed record WorkspaceProperties(
    string? FriendlyName,
    string? Description,
    string? DiscoveryUrl,
    string? HubResourceId,
    string? ProvisioningState,
    string? PublicNetworkAccess,
    string? WorkspaceId);

public sealed record RegistryProperties(string? DiscoveryUrl, string? IntellectualPropertyPublisher, string? PublicNetworkAccess, IReadOnlyList<RegistryRegion>? RegionDetails);

public sealed record RegistryRegion(string? Location);

public sealed record ModelContainerProperties(string? Description, IReadOnlyDictionary<string, string>? Tags, string? LatestVersion, bool? IsArchived);

public sealed record ModelVersionProperties(
    string? Description,
    IReadOnlyDictionary<string, string>? Tags,
    IReadOnlyDictionary<string, string>? Properties,
    string? ModelType,
    string? ModelUri,
    bool? IsAnonymous,
    bool? IsArchived);

public sealed record ModelSettings(string? ModelId);

public sealed record InferenceEndpoint(string? Uri, IReadOnlyDictionary<string, string>? Headers);

public sealed record ContentSafety(string? ContentSafetyStatus, string? ContentSafetyLevel);

public sealed record ServerlessEndpointProperties(
    ModelSettings? ModelSettings,
    string? AuthMode,
    InferenceEndpoint? InferenceEndpoint,
    string? ProvisioningState,
    string? EndpointState,
    string? MarketplaceSubscriptionId,
    ContentSafety? ContentSafety);

public sealed record MarketplacePlan(string? PublisherId, string? OfferId, string? PlanId);

public sealed record MarketplaceSubscriptionProperties(string? ModelId, MarketplacePlan? MarketplacePlan, string? MarketplaceSubscriptionStatus, string? ProvisioningState);

public sealed record OnlineEndpointProperties(
    string? Description,
    string? AuthMode,
    string? ScoringUri,
    string? SwaggerUri,
    string? ProvisioningState,
    string? Compute,
    IReadOnlyDictionary<string, int>? Traffic);

public sealed record ScaleSettings(string? ScaleType);

public sealed record OnlineDeploymentProperties(
    string? Description,
    string? Model,
    string? InstanceType,
    string? EndpointComputeType,
    string? ProvisioningState,
    ScaleSettings? ScaleSettings,
    string? EnvironmentId);

public sealed record EndpointKeys(string? PrimaryKey, string? SecondaryKey);

/// <summary>The body of an <c>Azure-AsyncOperation</c> status resource.</summary>
public sealed record OperationStatus(string? Id, string? Name, string? Status, DateTimeOffset? StartTime, DateTimeOffset? EndTime, double? PercentComplete, ArmErrorDetail? Error);

/// <summary>ARM's error envelope: <c>{"error": {"code", "message", "details": [...]}}</c>.</summary>
public sealed record ArmErrorEnvelope(ArmErrorDetail? Error);

public sealed record ArmErrorDetail(string? Code, string? Message, string? Target, IReadOnlyList<ArmErrorDetail>? Details);

public sealed record SubscriptionInfo(string SubscriptionId, string? DisplayName, string? State);

/// <summary>Request bodies (only what the portal sets).</summary>
public sealed record ServerlessEndpointRequest(string Location, ServerlessEndpointRequestProperties Properties, ArmSku Sku);

public sealed record ServerlessEndpointRequestProperties(ModelSettings ModelSettings, string AuthMode);

public sealed record MarketplaceSubscriptionRequest(MarketplaceSubscriptionRequestProperties Properties);

public sealed record MarketplaceSubscriptionRequestProperties(string ModelId);

public sealed record OnlineEndpointRequest(string Location, OnlineEndpointRequestProperties Properties, ArmIdentity Identity);

public sealed record OnlineEndpointRequestProperties(string AuthMode, string? Description, IReadOnlyDictionary<string, int>? Traffic = null);

public sealed record ArmIdentity(string Type);

public sealed record OnlineDeploymentRequest(string Location, OnlineDeploymentRequestProperties Properties, ArmSku Sku);

public sealed record OnlineDeploymentRequestProperties(string EndpointComputeType, string Model, string InstanceType, ScaleSettings ScaleSettings);

/// <summary>Microsoft.Authorization permissions for the caller at a scope.</summary>
public sealed record RoleActions(IReadOnlyList<string>? Actions, IReadOnlyList<string>? NotActions);
