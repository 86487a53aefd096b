using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>
/// Deployments of fine-tuned models in the ARM peer, as Azure takes them: a PUT of
/// <c>accounts/{account}/deployments/{name}</c> whose model is a fine-tuned one (<c>&lt;base&gt;.ft-…</c> or <c>ft:…</c>)
/// with <c>format: OpenAI</c>, <c>version: "1"</c> and a Standard or GlobalStandard SKU. The model must be one of
/// <see cref="FineTunedModels"/> (what the account trained); anything else is Azure's 400. Everything the other
/// deployment rules check first (unknown account, locked account, bad name, a deployment still provisioning) is left to
/// them; names starting with <c>fail</c> end Failed.
/// </summary>
public sealed partial class ArmPeer
{
    /// <summary>Fine-tuned model ids the peer's accounts know (a test adds the ids its fine-tuning peer made).</summary>
    public HashSet<string> FineTunedModels { get; } = new(StringComparer.Ordinal);

    public static bool IsFineTunedModelId(string? model) =>
        model is not null && (model.StartsWith("ft:", StringComparison.Ordinal) || model.Contains(".ft-", StringComparison.Ordinal));

    private async Task<bool> HandleFineTunedDeploymentsAsync(HttpContext context, string method, string path, JsonNode? body)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var model = body?["properties"]?["model"];
        if (method != "PUT" || segments.Length != 10 || segments[6] != "accounts" || segments[8] != "deployments"
            || !path.Contains("/providers/Microsoft.CognitiveServices/", StringComparison.OrdinalIgnoreCase)
            || !IsFineTunedModelId(model?["name"]?.GetValue<string>()))
        {
            return false;
        }

        var accountId = "/" + string.Join('/', segments[..8]);
        var name = segments[9];
        var existing = Resource(path);
        if (Resource(accountId) is null || string.Equals(segments[7], "locked-openai", StringComparison.OrdinalIgnoreCase)
            || !Regex.IsMatch(name, "^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$", RegexOptions.None, TimeSpan.FromSeconds(1))
            || existing?["properties"]?["provisioningState"]?.GetValue<string>() is { } state && !TerminalStates.Contains(state, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        var modelName = model!["name"]!.GetValue<string>();
        var version = model["version"]?.GetValue<string>();
        var format = model["format"]?.GetValue<string>();
        var skuName = body!["sku"]?["name"]?.GetValue<string>();
        if (!FineTunedModels.Contains(modelName) || format != "OpenAI" || version != "1")
        {
            await Error(context, 400, "DeploymentModelNotSupported", $"The model '{format}/{modelName}' version '{version}' is not supported by this account: it is not a fine-tuned model of this resource, or the version is not '1'.").ConfigureAwait(false);
            return true;
        }

        if (!string.Equals(skuName, "Standard", StringComparison.OrdinalIgnoreCase) && !string.Equals(skuName, "GlobalStandard", StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, 400, "InvalidResourceProperties", $"The specified SKU '{skuName}' for fine-tuned model '{modelName}' is not supported; use Standard or GlobalStandard.").ConfigureAwait(false);
            return true;
        }

        var properties = (JsonObject)(body["properties"]?.DeepClone() ?? new JsonObject());
        properties["provisioningState"] = "Accepted";
        properties["deploymentState"] = "Running";
        properties["currentCapacity"] = body["sku"]?["capacity"]?.GetValue<int>() ?? 1;
        Put(path, new JsonObject { ["sku"] = body["sku"]!.DeepClone(), ["properties"] = properties });
        var error = name.StartsWith("fail", StringComparison.OrdinalIgnoreCase)
            ? new JsonObject { ["code"] = "DeploymentFailed", ["message"] = $"The deployment '{name}' of the fine-tuned model '{modelName}' could not be provisioned." }
            : null;
        await AcceptAsync(context, path, error, existing is null ? 201 : 200).ConfigureAwait(false);
        return true;
    }
}
