using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Portal.Azure;

/// <summary>
/// The contracts the portal uses to create hubs and projects: api-versions of the providers involved, the Azure RBAC
/// actions the creation needs, and Azure's naming rules, each checked before anything is sent.
/// </summary>
public static partial class WorkspaceCreation
{
    /// <summary>Microsoft.Resources (resource groups).</summary>
    public const string ResourcesVersion = "2021-04-01";

    /// <summary>Microsoft.Resources (subscription details and locations), as <see cref="Api.SubscriptionsVersion"/>.</summary>
    public const string SubscriptionsVersion = Api.SubscriptionsVersion;

    public const string StorageVersion = "2024-01-01";

    public const string KeyVaultVersion = "2023-07-01";

    public const string WorkspaceWrite = "Microsoft.MachineLearningServices/workspaces/write";
    public const string ResourceGroupWrite = "Microsoft.Resources/subscriptions/resourceGroups/write";
    public const string StorageWrite = "Microsoft.Storage/storageAccounts/write";
    public const string KeyVaultWrite = "Microsoft.KeyVault/vaults/write";
    public const string CognitiveProjectWrite = "Microsoft.CognitiveServices/accounts/projects/write";

    /// <summary>Hub and project (workspace) names: 3–33 letters, digits, hyphens and underscores, starting with a letter or digit.</summary>
    public static string? CheckWorkspaceName(string? name) =>
        name is not null && WorkspaceName().IsMatch(name) ? null
            : "Use 3 to 33 letters, digits, hyphens and underscores, starting with a letter or digit (Azure's rule for hub and project names).";

    /// <summary>Foundry project names under an AI services account: 2–64 letters, digits, '_', '.', '-', starting with a letter or digit.</summary>
    public static string? CheckFoundryProjectName(string? name) =>
        name is not null && FoundryProjectName().IsMatch(name) ? null
            : "Use 2 to 64 letters, digits, periods, hyphens and underscores, starting with a letter or digit (Azure's rule for Foundry project names).";

    /// <summary>Resource group names: 1–90 letters, digits, '_', '-', '.', '(' and ')', not ending in a period.</summary>
    public static string? CheckResourceGroupName(string? name) =>
        name is not null && ResourceGroupName().IsMatch(name) && !name.EndsWith('.') ? null
            : "Use 1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period (Azure's rule for resource group names).";

    /// <summary>Storage account names: 3–24 lowercase letters and digits, unique across Azure.</summary>
    public static bool IsStorageAccountName(string name) => StorageName().IsMatch(name);

    /// <summary>Key vault names: 3–24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--"; unique across Azure.</summary>
    public static bool IsKeyVaultName(string name) => KeyVaultName().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    /// <summary>A storage account name for a hub: "st", the hub name's letters and digits, and a random suffix (names are global).</summary>
    public static string StorageAccountNameFor(string hubName, string? suffix = null)
    {
        ArgumentNullException.ThrowIfNull(hubName);
        var stem = new string([.. hubName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
        stem = stem.Length > 14 ? stem[..14] : stem;
        return $"st{stem}{suffix ?? Suffix(8)}";
    }

    /// <summary>A key vault name for a hub: "kv-", the hub name's letters, digits and single hyphens, and a random suffix.</summary>
    public static string KeyVaultNameFor(string hubName, string? suffix = null)
    {
        ArgumentNullException.ThrowIfNull(hubName);
        var stem = Hyphens().Replace(new string([.. hubName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]), "-").Trim('-');
        stem = stem.Length > 12 ? stem[..12].TrimEnd('-') : stem;
        return stem.Length == 0 ? $"kv-{suffix ?? Suffix(6)}" : $"kv-{stem}-{suffix ?? Suffix(6)}";
    }

    private static string Suffix(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(length / 2));

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")]
    private static partial Regex WorkspaceName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$")]
    private static partial Regex FoundryProjectName();

    [GeneratedRegex(@"^[a-zA-Z0-9_().-]{1,90}$")]
    private static partial Regex ResourceGroupName();

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex StorageName();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")]
    private static partial Regex KeyVaultName();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();
}

/// <summary>One resource the portal will create: what it is, its name, its id, and why it is needed.</summary>
public sealed record PlannedResource(string Kind, string Name, string ResourceId, string Purpose)
{
    public string Label => $"{Kind} {Name}";
}

/// <summary>
/// What creating a hub makes, in order: the resource group when it is new, a storage account and a key vault (a hub's
/// required associated resources, <c>properties.storageAccount</c> and <c>properties.keyVault</c>), then the hub.
/// </summary>
public sealed record HubPlan(
    string SubscriptionId,
    string ResourceGroup,
    bool NewResourceGroup,
    string Location,
    string Name,
    string? FriendlyName,
    string? Description,
    string StorageAccountName,
    string KeyVaultName)
{
    public string ResourceGroupId => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}";

    public string StorageAccountId => $"{ResourceGroupId}/providers/Microsoft.Storage/storageAccounts/{StorageAccountName}";

    public string KeyVaultId => $"{ResourceGroupId}/providers/Microsoft.KeyVault/vaults/{KeyVaultName}";

    public string HubId => $"{ResourceGroupId}/providers/Microsoft.MachineLearningServices/workspaces/{Name}";

    /// <summary>Everything that will be created, in the order it is created.</summary>
    public IReadOnlyList<PlannedResource> Resources =>
    [
        .. NewResourceGroup ? [new PlannedResource("Resource group", ResourceGroup, ResourceGroupId, $"holds the hub and its resources, in {Location}")] : Array.Empty<PlannedResource>(),
        new("Storage account", StorageAccountName, StorageAccountId, "the hub's default storage for data, files and logs (Standard_LRS, StorageV2)"),
        new("Key vault", KeyVaultName, KeyVaultId, "keeps the hub's connection secrets (standard, Azure RBAC)"),
        new("Hub", Name, HubId, "the Azure AI hub (Microsoft.MachineLearningServices/workspaces, kind Hub) with a system-assigned identity"),
    ];

    /// <summary>Every problem with the plan's names, checked before anything is sent to Azure.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Guid.TryParse(SubscriptionId, out _))
        {
            problems.Add($"Subscription '{SubscriptionId}' is not a subscription id.");
        }

        if (WorkspaceCreation.CheckWorkspaceName(Name) is { } name)
        {
            problems.Add($"Hub name '{Name}': {name}");
        }

        if (WorkspaceCreation.CheckResourceGroupName(ResourceGroup) is { } group)
        {
            problems.Add($"Resource group '{ResourceGroup}': {group}");
        }

        if (string.IsNullOrWhiteSpace(Location))
        {
            problems.Add("Choose a region.");
        }

        if (!WorkspaceCreation.IsStorageAccountName(StorageAccountName))
        {
            problems.Add($"Storage account name '{StorageAccountName}' breaks Azure's rule (3 to 24 lowercase letters and digits).");
        }

        if (!WorkspaceCreation.IsKeyVaultName(KeyVaultName))
        {
            problems.Add($"Key vault name '{KeyVaultName}' breaks Azure's rule (3 to 24 letters, digits and single hyphens, starting with a letter).");
        }

        return problems;
    }

    /// <summary>A plan with associated resources named after the hub.</summary>
    public static HubPlan For(string subscriptionId, string resourceGroup, bool newResourceGroup, string location, string name, string? friendlyName = null, string? description = null) =>
        new(subscriptionId, resourceGroup, newResourceGroup, location, name, friendlyName, description, WorkspaceCreation.StorageAccountNameFor(name ?? ""), WorkspaceCreation.KeyVaultNameFor(name ?? ""));
}

/// <summary>A project under a hub: a workspace of kind Project in the hub's resource group and region.</summary>
public sealed record HubProjectPlan(AzureWorkspace Hub, string Name, string? FriendlyName, string? Description)
{
    public string ProjectId => $"/subscriptions/{Hub.SubscriptionId}/resourceGroups/{Hub.ResourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/{Name}";

    public IReadOnlyList<PlannedResource> Resources =>
        [new("Project", Name, ProjectId, $"a project (kind Project) under hub {Hub.DisplayName}, in its resource group {Hub.ResourceGroup} and region {Hub.Location ?? "—"}")];

    public IReadOnlyList<string> Problems() =>
        WorkspaceCreation.CheckWorkspaceName(Name) is { } problem ? [$"Project name '{Name}': {problem}"] : [];
}

/// <summary>A Foundry project under an AI services account (<c>accounts/{account}/projects/{name}</c>) in the account's region.</summary>
public sealed record FoundryProjectPlan(AzureAIAccount Account, string Name, string? DisplayName, string? Description)
{
    public string ProjectId => $"{Account.Id}/projects/{Name}";

    public IReadOnlyList<PlannedResource> Resources =>
        [new("Foundry project", Name, ProjectId, $"a project under AI services account {Account.Name}, in its resource group {Account.ResourceGroup} and region {Account.Location ?? "—"}, with a system-assigned identity")];

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (WorkspaceCreation.CheckFoundryProjectName(Name) is { } problem)
        {
            problems.Add($"Project name '{Name}': {problem}");
        }

        if (!Account.HostsProjects)
        {
            problems.Add($"Account {Account.Name} is of kind {Account.Kind}; Foundry projects can only be created under AI services (AIServices) accounts.");
        }

        return problems;
    }
}

/// <summary>A resource group of a subscription (<c>subscriptions/{id}/resourcegroups</c>).</summary>
public sealed record ResourceGroupInfo(string? Id, string? Name, string? Location);

/// <summary>A region of a subscription (<c>subscriptions/{id}/locations</c>).</summary>
public sealed record AzureLocation(string? Name, string? DisplayName, string? RegionalDisplayName);

/// <summary><c>GET subscriptions/{id}</c>: the tenant a key vault must name.</summary>
public sealed record SubscriptionDetail(string? SubscriptionId, string? DisplayName, string? TenantId);

/// <summary>Request bodies (only what the portal sets), from the published contracts.</summary>
public sealed record ResourceGroupRequest(string Location);

public sealed record StorageAccountRequest(string Location, string Kind, ArmSku Sku, StorageAccountRequestProperties Properties);

public sealed record StorageAccountRequestProperties(string MinimumTlsVersion, bool AllowBlobPublicAccess, bool SupportsHttpsTrafficOnly);

public sealed record KeyVaultRequest(string Location, KeyVaultRequestProperties Properties);

public sealed record KeyVaultSku(string Family, string Name);

public sealed record KeyVaultRequestProperties(string TenantId, KeyVaultSku Sku, bool EnableRbacAuthorization, IReadOnlyList<object> AccessPolicies);

public sealed record WorkspaceRequest(string Location, string Kind, ArmIdentity Identity, WorkspaceRequestProperties Properties);

public sealed record WorkspaceRequestProperties(string? FriendlyName, string? Description, string? StorageAccount = null, string? KeyVault = null, string? HubResourceId = null);
