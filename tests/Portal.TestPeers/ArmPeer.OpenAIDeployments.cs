using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>
/// Azure OpenAI deployments in the ARM peer (<c>accounts/{account}/deployments/{name}</c>), validated as Azure does:
/// the name (400 InvalidResourceName), the model and version offered by the account's kind in its region (400
/// DeploymentModelNotSupported), the SKU allowed for that version (400 InvalidResourceProperties), the capacity within
/// the quota left in the region (400 InsufficientQuota, in Azure's words), 403 AuthorizationFailed on
/// <c>locked-openai</c>, and 409 RequestConflict when a PUT, PATCH or DELETE hits a deployment whose provisioning state
/// is not terminal. A deployment's capacity counts against its usage once it has succeeded (and stops counting when it
/// is deleted). Names starting with <c>fail</c> end Failed. PATCH changes the SKU's capacity.
/// </summary>
public sealed partial class ArmPeer
{
    private static readonly string[] TerminalStates = ["Succeeded", "Failed", "Canceled"];
    private readonly Dictionary<string, QuotaHold> _quotaHolds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _quotaLock = new();
    private bool _quotaSeeded;

    /// <summary>What a deployment holds of a usage: the capacity it asks for and how much of it is counted already.</summary>
    private sealed class QuotaHold
    {
        public required string Location { get; init; }

        public required string UsageName { get; init; }

        public int Capacity { get; set; }

        public int Counted { get; set; }
    }

    /// <summary>The capacity a usage has left in a location (limit − current value), or null when the peer lists no such usage.</summary>
    public double? QuotaLeft(string location, string usageName)
    {
        lock (_quotaLock)
        {
            return Usage(location, usageName) is { } u ? u["limit"]!.GetValue<double>() - u["currentValue"]!.GetValue<double>() : null;
        }
    }

    private async Task<bool> HandleOpenAIDeploymentsAsync(HttpContext context, string method, string path, JsonNode? body)
    {
        if (!path.Contains("/providers/Microsoft.CognitiveServices/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        SettleQuota();
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length != 10 || segments[6] != "accounts" || segments[8] != "deployments" || method == "GET")
        {
            return false;
        }

        var accountId = "/" + string.Join('/', segments[..8]);
        var name = segments[9];
        if (Resource(accountId) is not { } account)
        {
            await Error(context, 404, "ResourceNotFound", $"The Resource 'Microsoft.CognitiveServices/accounts/{segments[7]}' under resource group '{segments[3]}' was not found.").ConfigureAwait(false);
            return true;
        }

        if (string.Equals(segments[7], "locked-openai", StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, 403, "AuthorizationFailed", $"The client 'portal-test' with object id '00000000-0000-0000-0000-00000000abcd' does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/deployments/{(method == "DELETE" ? "delete" : "write")}' over scope '{path}' or the scope is invalid.").ConfigureAwait(false);
            return true;
        }

        var existing = Resource(path);
        if (existing?["properties"]?["provisioningState"]?.GetValue<string>() is { } state && !TerminalStates.Contains(state, StringComparer.OrdinalIgnoreCase))
        {
            await Error(context, 409, "RequestConflict", $"Cannot modify resource with id '{path}' because the resource entity provisioning state is not terminal. Please wait for the provisioning state to become terminal and then retry the request.").ConfigureAwait(false);
            return true;
        }

        switch (method)
        {
            case "PUT":
                await PutDeploymentAsync(context, path, name, account, existing, body as JsonObject ?? []).ConfigureAwait(false);
                return true;
            case "PATCH":
                await PatchDeploymentAsync(context, path, name, account, existing, body as JsonObject ?? []).ConfigureAwait(false);
                return true;
            default:
                // DELETE of a settled deployment: the peer's generic delete (202 + Location); its quota is freed once it is gone.
                return false;
        }
    }

    private async Task PutDeploymentAsync(HttpContext context, string path, string name, JsonObject account, JsonObject? existing, JsonObject body)
    {
        if (!Regex.IsMatch(name, "^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            await Error(context, 400, "InvalidResourceName", $"Resource name '{name}' is invalid. The name can contain only letters, numbers, underscores, periods and hyphens, must start with a letter or number, and be 2 to 64 characters long.").ConfigureAwait(false);
            return;
        }

        var kind = account["kind"]?.GetValue<string>();
        var location = account["location"]?.GetValue<string>() ?? "";
        var modelName = body["properties"]?["model"]?["name"]?.GetValue<string>();
        var version = body["properties"]?["model"]?["version"]?.GetValue<string>();
        var skuName = body["sku"]?["name"]?.GetValue<string>();
        var capacity = body["sku"]?["capacity"]?.GetValue<int>() ?? 1;
        var offered = (LocationModels.TryGetValue(location, out var models) ? models : [])
            .Where(m => string.Equals(m?["kind"]?.GetValue<string>(), kind, StringComparison.OrdinalIgnoreCase))
            .Select(m => m!["model"]!)
            .FirstOrDefault(m => m["name"]?.GetValue<string>() == modelName && m["version"]?.GetValue<string>() == version);
        if (offered is null)
        {
            await Error(context, 400, "DeploymentModelNotSupported", $"The model '{modelName}' version '{version}' is not supported by this account in region '{location}'.").ConfigureAwait(false);
            return;
        }

        var sku = offered["skus"]!.AsArray().FirstOrDefault(s => string.Equals(s?["name"]?.GetValue<string>(), skuName, StringComparison.OrdinalIgnoreCase));
        if (sku is null)
        {
            await Error(context, 400, "InvalidResourceProperties", $"The specified SKU '{skuName}' for model '{modelName} {version}' is not supported in this region '{location}'.").ConfigureAwait(false);
            return;
        }

        var usageName = sku["usageName"]!.GetValue<string>();
        if (await QuotaRefusedAsync(context, path, location, usageName, capacity).ConfigureAwait(false))
        {
            return;
        }

        var properties = (JsonObject)(body["properties"]?.DeepClone() ?? new JsonObject());
        properties["provisioningState"] = "Accepted";
        properties["deploymentState"] = "Running";
        properties["currentCapacity"] = capacity;
        var resource = new JsonObject { ["sku"] = body["sku"]!.DeepClone(), ["properties"] = properties };
        Put(path, resource);
        lock (_quotaLock)
        {
            var hold = _quotaHolds.TryGetValue(path, out var h) ? h : _quotaHolds[path] = new QuotaHold { Location = location, UsageName = usageName };
            hold.Capacity = capacity;
        }

        var error = name.StartsWith("fail", StringComparison.OrdinalIgnoreCase)
            ? new JsonObject { ["code"] = "DeploymentFailed", ["message"] = $"The deployment '{name}' could not be provisioned: no capacity for {modelName} {skuName} is available in region '{location}' right now." }
            : null;
        await AcceptAsync(context, path, error, existing is null ? 201 : 200).ConfigureAwait(false);
    }

    private async Task PatchDeploymentAsync(HttpContext context, string path, string name, JsonObject account, JsonObject? existing, JsonObject body)
    {
        if (existing is null)
        {
            await Error(context, 404, "DeploymentNotFound", $"The deployment '{name}' was not found.").ConfigureAwait(false);
            return;
        }

        var capacity = body["sku"]?["capacity"]?.GetValue<int>() ?? existing["sku"]?["capacity"]?.GetValue<int>() ?? 1;
        var location = account["location"]?.GetValue<string>() ?? "";
        var usageName = $"OpenAI.{existing["sku"]?["name"]?.GetValue<string>()}.{existing["properties"]?["model"]?["name"]?.GetValue<string>()}";
        if (await QuotaRefusedAsync(context, path, location, usageName, capacity).ConfigureAwait(false))
        {
            return;
        }

        existing["sku"]!["capacity"] = capacity;
        existing["properties"]!["provisioningState"] = "Updating";
        existing["properties"]!["currentCapacity"] = capacity;
        lock (_quotaLock)
        {
            var hold = _quotaHolds.TryGetValue(path, out var h) ? h : _quotaHolds[path] = new QuotaHold { Location = location, UsageName = usageName };
            hold.Capacity = capacity;
        }

        await AcceptAsync(context, path, null, 202).ConfigureAwait(false);
    }

    /// <summary>Answers 400 InsufficientQuota (Azure's message) when the capacity asked for exceeds what is left (plus what this deployment already holds).</summary>
    private async Task<bool> QuotaRefusedAsync(HttpContext context, string path, string location, string usageName, int capacity)
    {
        double current, limit, held;
        string label;
        lock (_quotaLock)
        {
            if (Usage(location, usageName) is not { } usage)
            {
                return false;
            }

            current = usage["currentValue"]!.GetValue<double>();
            limit = usage["limit"]!.GetValue<double>();
            label = usage["name"]?["localizedValue"]?.GetValue<string>() ?? usageName;
            held = _quotaHolds.TryGetValue(path, out var hold) ? hold.Counted : 0;
        }

        var required = capacity - held;
        var available = limit - current;
        if (required <= available)
        {
            return false;
        }

        await Error(context, 400, "InsufficientQuota", string.Create(CultureInfo.InvariantCulture,
            $"This operation require {required:0} new capacity in quota {label}, which is bigger than the current available capacity {Math.Max(0, available):0}. The current quota usage is {current:0} and the quota limit is {limit:0} for quota {label}.")).ConfigureAwait(false);
        return true;
    }

    private async Task AcceptAsync(HttpContext context, string path, JsonObject? error, int status)
    {
        var operation = Guid.NewGuid().ToString("N");
        _operations[operation] = new Operation { ResourceId = path, Delete = false, Error = error };
        context.Response.Headers["Azure-AsyncOperation"] = new Uri(BaseUrl, $"operations/{operation}?api-version={ApiVersion}").AbsoluteUri;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Json(context, status, Resource(path)!).ConfigureAwait(false);
    }

    /// <summary>Counts succeeded deployments' capacity against their usage, and frees what deleted ones held.</summary>
    private void SettleQuota()
    {
        lock (_quotaLock)
        {
            if (!_quotaSeeded)
            {
                // The seeded gpt-4o-mini deployment's capacity is already in the seeded usages.
                _quotaSeeded = true;
                _quotaHolds[$"{AccountId()}/deployments/gpt-4o-mini"] = new QuotaHold { Location = OpenAILocation, UsageName = "OpenAI.GlobalStandard.gpt-4o-mini", Capacity = 10, Counted = 10 };
            }

            foreach (var (id, hold) in _quotaHolds.ToList())
            {
                var resource = Resource(id);
                var target = resource is null ? 0
                    : resource["properties"]?["provisioningState"]?.GetValue<string>() == "Succeeded" ? hold.Capacity
                    : hold.Counted;
                if (target != hold.Counted && Usage(hold.Location, hold.UsageName) is { } usage)
                {
                    usage["currentValue"] = usage["currentValue"]!.GetValue<double>() + target - hold.Counted;
                }

                hold.Counted = target;
                if (resource is null)
                {
                    _quotaHolds.Remove(id);
                }
            }
        }
    }

    private JsonObject? Usage(string location, string usageName) =>
        Usages.TryGetValue(location, out var usages)
            ? usages.OfType<JsonObject>().FirstOrDefault(u => string.Equals(u["name"]?["value"]?.GetValue<string>(), usageName, StringComparison.OrdinalIgnoreCase))
            : null;
}
