using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>
/// Creating hubs and projects in the ARM peer: the subscription (its tenant) and locations, resource groups (list, GET,
/// PUT; <c>team-rg</c>, <c>registries-rg</c> and <c>locked-rg</c>, where the caller may only read and every PUT is 403
/// AuthorizationFailed), storage accounts (202 + Location; names in <see cref="TakenGlobalNames"/> answer 409
/// StorageAccountAlreadyTaken), key vaults (201 in RegisteringDns until polled; taken names 409 VaultAlreadyExists) and
/// workspaces: a Hub must name an existing storage account and key vault, a Project an existing hub in its own region;
/// a workspace PUT into a resource group that does not exist is 404 ResourceGroupNotFound. Foundry projects are accepted
/// only under AIServices accounts that allow project management, in the account's region.
/// </summary>
public sealed partial class ArmPeer
{
    public const string ResourcesApiVersion = "2021-04-01";
    public const string SubscriptionsApiVersion = "2022-12-01";
    public const string StorageApiVersion = "2024-01-01";
    public const string KeyVaultApiVersion = "2023-07-01";
    public const string TenantId = "00000000-0000-0000-0000-000000000001";
    public const string LockedResourceGroup = "locked-rg";

    private readonly ConcurrentDictionary<string, string> _resourceGroups = new(StringComparer.OrdinalIgnoreCase)
    {
        [ResourceGroup] = Location,
        ["registries-rg"] = Location,
        [LockedResourceGroup] = "eastus2",
    };

    private static readonly string[] ReadOnlyActions = ["*/read"];
    private static readonly string[] HubDependencies = ["storageAccount", "keyVault"];

    private readonly ConcurrentDictionary<string, int> _vaultPolls = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Storage account and key vault names someone else has taken somewhere in Azure.</summary>
    public ConcurrentDictionary<string, bool> TakenGlobalNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool ResourceGroupExists(string name) => _resourceGroups.ContainsKey(name);

    public static string ResourceGroupId(string name) => $"/subscriptions/{Subscription}/resourceGroups/{name}";

    private async Task<bool> HandleWorkspacesAsync(HttpContext context, string method, string path, JsonNode? body)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[0] != "subscriptions" || segments[1] != Subscription)
        {
            return false;
        }

        var version = context.Request.Query["api-version"].ToString();

        // subscriptions/{id} and subscriptions/{id}/locations
        if (method == "GET" && (segments.Length == 2 || segments is [_, _, "locations"]))
        {
            if (!await VersionAsync(context, version, SubscriptionsApiVersion).ConfigureAwait(false))
            {
                return true;
            }

            JsonNode answer = segments.Length == 2
                ? new JsonObject { ["id"] = $"/subscriptions/{Subscription}", ["subscriptionId"] = Subscription, ["displayName"] = "Team subscription", ["state"] = "Enabled", ["tenantId"] = TenantId }
                : new JsonObject
                {
                    ["value"] = new JsonArray([.. new[] { ("eastus2", "East US 2"), ("swedencentral", "Sweden Central"), ("westeurope", "West Europe") }
                        .Select(l => (JsonNode)new JsonObject { ["id"] = $"/subscriptions/{Subscription}/locations/{l.Item1}", ["name"] = l.Item1, ["displayName"] = l.Item2, ["regionalDisplayName"] = $"(Europe) {l.Item2}" })]),
                };
            await Json(context, 200, answer).ConfigureAwait(false);
            return true;
        }

        var isGroups = segments.Length >= 3 && string.Equals(segments[2], "resourcegroups", StringComparison.OrdinalIgnoreCase);
        if (!isGroups)
        {
            return false;
        }

        var group = segments.Length >= 4 ? segments[3] : null;

        // The caller may only read in locked-rg.
        if (group is not null && path.EndsWith("/providers/Microsoft.Authorization/permissions", StringComparison.OrdinalIgnoreCase)
            && string.Equals(group, LockedResourceGroup, StringComparison.OrdinalIgnoreCase))
        {
            await context.Response.WriteAsJsonAsync(new { value = new[] { new { actions = ReadOnlyActions, notActions = Array.Empty<string>() } } }).ConfigureAwait(false);
            return true;
        }

        if (method == "PUT" && string.Equals(group, LockedResourceGroup, StringComparison.OrdinalIgnoreCase))
        {
            var action = segments.Length >= 8 ? $"{segments[5]}/{segments[6]}/write" : "Microsoft.Resources/subscriptions/resourceGroups/write";
            await Error(context, 403, "AuthorizationFailed", $"The client 'portal-test' with object id '00000000-0000-0000-0000-00000000abcd' does not have authorization to perform action '{action}' over scope '{path}' or the scope is invalid. If access was recently granted, please refresh your credentials.").ConfigureAwait(false);
            return true;
        }

        // subscriptions/{id}/resourcegroups[/{name}]
        if (segments.Length <= 4)
        {
            if (!await VersionAsync(context, version, ResourcesApiVersion).ConfigureAwait(false))
            {
                return true;
            }

            await ResourceGroupsAsync(context, method, group, body).ConfigureAwait(false);
            return true;
        }

        if (method == "PUT" && segments.Length == 10 && segments[6] == "accounts" && segments[8] == "projects")
        {
            return !await VersionAsync(context, version, CognitiveApiVersion).ConfigureAwait(false)
                || await RefuseFoundryProjectAsync(context, path, body as JsonObject ?? []).ConfigureAwait(false);
        }

        if (segments.Length != 8 || segments[4] != "providers")
        {
            return false;
        }

        var provider = $"{segments[5]}/{segments[6]}";
        var id = path;
        if (string.Equals(provider, "Microsoft.Storage/storageAccounts", StringComparison.OrdinalIgnoreCase)
            || string.Equals(provider, "Microsoft.KeyVault/vaults", StringComparison.OrdinalIgnoreCase))
        {
            var vault = provider.StartsWith("Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase);
            if (!await VersionAsync(context, version, vault ? KeyVaultApiVersion : StorageApiVersion).ConfigureAwait(false))
            {
                return true;
            }

            if (method == "GET")
            {
                if (Resource(id) is not { } found)
                {
                    await Error(context, 404, "ResourceNotFound", $"The Resource '{provider}/{segments[7]}' under resource group '{group}' was not found.").ConfigureAwait(false);
                    return true;
                }

                // A new key vault registers its DNS name for a few reads, then is Succeeded.
                if (vault && found["properties"] is JsonObject properties && _vaultPolls.AddOrUpdate(id, 1, (_, n) => n + 1) >= PollsToFinish)
                {
                    properties["provisioningState"] = "Succeeded";
                }

                await Json(context, 200, found).ConfigureAwait(false);
                return true;
            }

            if (method == "PUT")
            {
                await (vault ? PutVaultAsync(context, id, group!, segments[7], body as JsonObject ?? []) : PutStorageAsync(context, id, group!, segments[7], body as JsonObject ?? [])).ConfigureAwait(false);
                return true;
            }

            return false;
        }

        if (method == "PUT" && string.Equals(provider, "Microsoft.MachineLearningServices/workspaces", StringComparison.OrdinalIgnoreCase))
        {
            if (!await VersionAsync(context, version, ApiVersion).ConfigureAwait(false))
            {
                return true;
            }

            await PutWorkspaceAsync(context, id, group!, segments[7], body as JsonObject ?? []).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>Foundry projects: only under an AIServices account that allows project management, in its region. False lets the generic PUT go on.</summary>
    private async Task<bool> RefuseFoundryProjectAsync(HttpContext context, string path, JsonObject body)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length != 10 || segments[6] != "accounts" || segments[8] != "projects")
        {
            return false;
        }

        var accountId = "/" + string.Join('/', segments[..8]);
        if (Resource(accountId) is not { } account)
        {
            await Error(context, 404, "ResourceNotFound", $"The Resource 'Microsoft.CognitiveServices/accounts/{segments[7]}' under resource group '{segments[3]}' was not found.").ConfigureAwait(false);
            return true;
        }

        if (account["kind"]?.GetValue<string>() != "AIServices" || account["properties"]?["allowProjectManagement"]?.GetValue<bool>() != true)
        {
            await Error(context, 400, "BadRequest", $"Account '{segments[7]}' of kind '{account["kind"]}' does not support projects. Projects can be created only under AIServices accounts with allowProjectManagement enabled.").ConfigureAwait(false);
            return true;
        }

        if (!Regex.IsMatch(segments[9], "^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            await Error(context, 400, "InvalidResourceName", $"The project name '{segments[9]}' is invalid.").ConfigureAwait(false);
            return true;
        }

        var location = body["location"]?.GetValue<string>();
        if (!string.Equals(location, account["location"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, 400, "LocationNotAvailableForResourceType", $"A project must be in its account's region '{account["location"]}', not '{location}'.").ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async Task ResourceGroupsAsync(HttpContext context, string method, string? group, JsonNode? body)
    {
        switch (method)
        {
            case "GET" when group is null:
                await Json(context, 200, new JsonObject { ["value"] = new JsonArray([.. _resourceGroups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (JsonNode)ResourceGroupJson(g.Key, g.Value))]) }).ConfigureAwait(false);
                return;
            case "GET" when _resourceGroups.TryGetValue(group, out var location):
                await Json(context, 200, ResourceGroupJson(group, location)).ConfigureAwait(false);
                return;
            case "GET":
                await Error(context, 404, "ResourceGroupNotFound", $"Resource group '{group}' could not be found.").ConfigureAwait(false);
                return;
            case "PUT" when group is not null:
                if (body?["location"]?.GetValue<string>() is not { Length: > 0 } where)
                {
                    await Error(context, 400, "LocationRequired", "The location property is required for this definition.").ConfigureAwait(false);
                    return;
                }

                var existed = !_resourceGroups.TryAdd(group, where);
                await Json(context, existed ? 200 : 201, ResourceGroupJson(group, _resourceGroups[group])).ConfigureAwait(false);
                return;
            default:
                await Error(context, 405, "MethodNotAllowed", "Not supported by the peer.").ConfigureAwait(false);
                return;
        }
    }

    private static JsonObject ResourceGroupJson(string name, string location) => new()
    {
        ["id"] = ResourceGroupId(name),
        ["name"] = name,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = location,
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    private async Task<bool> GroupExistsAsync(HttpContext context, string group)
    {
        if (_resourceGroups.ContainsKey(group))
        {
            return true;
        }

        await Error(context, 404, "ResourceGroupNotFound", $"Resource group '{group}' could not be found.").ConfigureAwait(false);
        return false;
    }

    private async Task PutStorageAsync(HttpContext context, string id, string group, string name, JsonObject body)
    {
        if (!await GroupExistsAsync(context, group).ConfigureAwait(false))
        {
            return;
        }

        if (!Regex.IsMatch(name, "^[a-z0-9]{3,24}$", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            await Error(context, 400, "AccountNameInvalid", $"{name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.").ConfigureAwait(false);
            return;
        }

        if (body["sku"]?["name"] is null || body["kind"] is null || body["location"] is null)
        {
            await Error(context, 400, "InvalidRequestContent", "The request content is missing one of the required properties: sku, kind, location.").ConfigureAwait(false);
            return;
        }

        if (TakenGlobalNames.ContainsKey(name))
        {
            await Error(context, 409, "StorageAccountAlreadyTaken", $"The storage account named {name} is already taken.").ConfigureAwait(false);
            return;
        }

        var resource = (JsonObject)body.DeepClone();
        (resource["properties"] as JsonObject ?? (JsonObject)(resource["properties"] = new JsonObject()))["provisioningState"] = "Creating";
        Put(id, resource);
        var operation = Guid.NewGuid().ToString("N");
        _operations[operation] = new Operation { ResourceId = id, Delete = false };
        context.Response.Headers.Location = new Uri(BaseUrl, $"operations/{operation}?api-version={StorageApiVersion}&result=1").AbsoluteUri;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = 202;
    }

    private async Task PutVaultAsync(HttpContext context, string id, string group, string name, JsonObject body)
    {
        if (!await GroupExistsAsync(context, group).ConfigureAwait(false))
        {
            return;
        }

        if (!Regex.IsMatch(name, "^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", RegexOptions.None, TimeSpan.FromSeconds(1)) || name.Contains("--", StringComparison.Ordinal))
        {
            await Error(context, 400, "VaultNameNotValid", $"The vault name '{name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens.").ConfigureAwait(false);
            return;
        }

        if (body["properties"]?["tenantId"] is null || body["properties"]?["sku"]?["name"] is null || body["properties"]?["sku"]?["family"] is null)
        {
            await Error(context, 400, "BadRequest", "The parameters tenantId and sku (family, name) are required.").ConfigureAwait(false);
            return;
        }

        if (TakenGlobalNames.ContainsKey(name))
        {
            await Error(context, 409, "VaultAlreadyExists", $"The vault name '{name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.").ConfigureAwait(false);
            return;
        }

        var resource = (JsonObject)body.DeepClone();
        resource["properties"]!["provisioningState"] = "RegisteringDns";
        resource["properties"]!["vaultUri"] = $"https://{name}.vault.azure.net/";
        Put(id, resource);
        await Json(context, 201, resource).ConfigureAwait(false);
    }

    private async Task PutWorkspaceAsync(HttpContext context, string id, string group, string name, JsonObject body)
    {
        if (!await GroupExistsAsync(context, group).ConfigureAwait(false))
        {
            return;
        }

        if (!Regex.IsMatch(name, "^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            await Error(context, 400, "ValidationError", $"Workspace name '{name}' is invalid: it must be 3 to 33 characters, alphanumerics, hyphens and underscores, starting with an alphanumeric.").ConfigureAwait(false);
            return;
        }

        var kind = body["kind"]?.GetValue<string>() ?? "Default";
        var location = body["location"]?.GetValue<string>();
        var properties = body["properties"] as JsonObject ?? [];
        if (Resource(id) is { } existing && !string.Equals(existing["kind"]?.GetValue<string>(), kind, StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, 409, "Conflict", $"A workspace named '{name}' of kind '{existing["kind"]}' already exists in resource group '{group}'.").ConfigureAwait(false);
            return;
        }

        if (kind == "Hub")
        {
            var missing = HubDependencies.Where(p => properties[p]?.GetValue<string>() is not { } dependency || Resource(dependency) is null).ToList();
            if (missing.Count > 0)
            {
                await Error(context, 400, "ValidationError", $"Missing dependent resources in workspace json: {string.Join(", ", missing)}.").ConfigureAwait(false);
                return;
            }
        }
        else if (kind == "Project")
        {
            var hubId = properties["hubResourceId"]?.GetValue<string>();
            if (hubId is null || Resource(hubId) is not { } hub || hub["kind"]?.GetValue<string>() != "Hub")
            {
                await Error(context, 400, "ValidationError", $"The hub '{hubId}' named by hubResourceId does not exist.").ConfigureAwait(false);
                return;
            }

            if (!string.Equals(hub["location"]?.GetValue<string>(), location, StringComparison.OrdinalIgnoreCase))
            {
                await Error(context, 400, "ValidationError", $"A project must be in its hub's region '{hub["location"]}', not '{location}'.").ConfigureAwait(false);
                return;
            }
        }

        var resource = (JsonObject)body.DeepClone();
        var stored = (JsonObject)properties.DeepClone();
        stored["provisioningState"] = "Creating";
        resource["properties"] = stored;
        Put(id, resource);
        var error = name.StartsWith("fail", StringComparison.OrdinalIgnoreCase)
            ? new JsonObject { ["code"] = "InternalServerError", ["message"] = $"Failed to provision workspace '{name}': the managed identity could not be assigned." }
            : null;
        var operation = Guid.NewGuid().ToString("N");
        _operations[operation] = new Operation { ResourceId = id, Delete = false, Error = error };
        context.Response.Headers["Azure-AsyncOperation"] = new Uri(BaseUrl, $"operations/{operation}?api-version={ApiVersion}").AbsoluteUri;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Json(context, 201, resource).ConfigureAwait(false);
    }

    private static async Task<bool> VersionAsync(HttpContext context, string version, string expected)
    {
        if (version == expected)
        {
            return true;
        }

        await Error(context, 400, "InvalidApiVersionParameter", $"The api-version '{version}' is invalid. The supported versions are '{expected}'.").ConfigureAwait(false);
        return false;
    }
}
