using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>
/// Microsoft.CognitiveServices (api-version <see cref="CognitiveApiVersion"/>) in the ARM peer, in the shapes of the
/// published examples (shared/data/api-examples/cognitiveservices): accounts of several kinds in team-rg (listed on
/// two pages), <c>listKeys</c> (key1/key2), the models each account can deploy, the models and quota usages of each
/// location, account SKUs and deployment SKUs. Deployments and projects are PUT, polled and deleted like every other
/// resource of the peer.
/// </summary>
public sealed partial class ArmPeer
{
    public const string OpenAIAccountName = "team-openai";
    public const string AIServicesAccountName = "team-aiservices";
    public const string OpenAILocation = "swedencentral";
    public const string AIServicesLocation = "eastus2";

    /// <summary>The key an account's listKeys returns (key1; key2 is this with "-2").</summary>
    public string AccountKey { get; set; } = "peer-account-key-0000";

    /// <summary>Location → the models it offers (items of <c>locations/{location}/models</c>). Tests may change them.</summary>
    public Dictionary<string, JsonArray> LocationModels { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Location → the subscription's usages there (items of <c>locations/{location}/usages</c>). Tests may change them.</summary>
    public Dictionary<string, JsonArray> Usages { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static string AccountId(string name = OpenAIAccountName) =>
        $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.CognitiveServices/accounts/{name}";

    /// <summary>Points the OpenAI-serving accounts' endpoints at an address (an OpenAI-compatible peer's origin).</summary>
    public void SetOpenAIEndpoint(Uri origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        foreach (var name in new[] { OpenAIAccountName, AIServicesAccountName, "locked-openai" })
        {
            if (Resource(AccountId(name))?["properties"] is JsonObject properties)
            {
                properties["endpoint"] = origin.AbsoluteUri;
                properties["endpoints"] = new JsonObject { ["OpenAI Language Model Instance API"] = origin.AbsoluteUri, ["OpenAI Dall-E API"] = origin.AbsoluteUri };
            }
        }
    }

    private void SeedCognitiveServices()
    {
        Account(OpenAIAccountName, "OpenAI", OpenAILocation, "S0", $"https://{OpenAIAccountName}.openai.azure.com/");
        Account(AIServicesAccountName, "AIServices", AIServicesLocation, "S0", $"https://{AIServicesAccountName}.cognitiveservices.azure.com/",
            new JsonObject { ["OpenAI Language Model Instance API"] = $"https://{AIServicesAccountName}.openai.azure.com/", ["Speech Services Speech to Text (Standard)"] = $"https://{AIServicesLocation}.stt.speech.microsoft.com" });
        Account("locked-openai", "OpenAI", OpenAILocation, "S0", "https://locked-openai.openai.azure.com/");
        Account("team-speech", "SpeechServices", "westeurope", "S0", "https://westeurope.api.cognitive.microsoft.com/sts/v1.0/issuetoken");
        Account("team-language", "TextAnalytics", "westeurope", "S", "https://team-language.cognitiveservices.azure.com/");
        Account("team-vision", "ComputerVision", "westeurope", "F0", "https://team-vision.cognitiveservices.azure.com/");

        Put($"{AccountId()}/deployments/gpt-4o-mini", new JsonObject
        {
            ["sku"] = new JsonObject { ["name"] = "GlobalStandard", ["capacity"] = 10 },
            ["properties"] = new JsonObject
            {
                ["model"] = new JsonObject { ["format"] = "OpenAI", ["name"] = "gpt-4o-mini", ["version"] = "2024-07-18" },
                ["provisioningState"] = "Succeeded",
                ["deploymentState"] = "Running",
                ["versionUpgradeOption"] = "OnceNewDefaultVersionAvailable",
            },
        });

        Put($"{AccountId(AIServicesAccountName)}/projects/team-foundry-project", new JsonObject
        {
            ["location"] = AIServicesLocation,
            ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
            ["properties"] = new JsonObject { ["displayName"] = "Team Foundry project", ["description"] = "The team's first Foundry project", ["isDefault"] = true, ["provisioningState"] = "Succeeded" },
        });

        foreach (var location in new[] { OpenAILocation, AIServicesLocation })
        {
            LocationModels[location] = new JsonArray(
            [
                LocationModel("OpenAI", OpenModel("gpt-4o", "2024-08-06", "GenerallyAvailable", isDefault: true, inferenceRetires: "2027-06-30T00:00:00Z", skus: ["Standard", "GlobalStandard", "DataZoneStandard", "ProvisionedManaged"], fineTune: true)),
                LocationModel("OpenAI", OpenModel("gpt-4o", "2024-05-13", "Deprecating", isDefault: false, inferenceRetires: "2026-12-20T00:00:00Z", skus: ["Standard", "GlobalStandard"])),
                LocationModel("OpenAI", OpenModel("gpt-4o-mini", "2024-07-18", "GenerallyAvailable", isDefault: true, inferenceRetires: "2027-03-31T00:00:00Z", skus: ["GlobalStandard", "Standard"], fineTune: true)),
                LocationModel("OpenAI", OpenModel("text-embedding-3-small", "1", "GenerallyAvailable", isDefault: true, inferenceRetires: "2027-04-30T00:00:00Z", skus: ["Standard", "GlobalStandard"], embeddings: true)),
            ]);
        }

        // Only Sweden Central offers dall-e-3 and the preview gpt-4o version.
        LocationModels[OpenAILocation].Add(LocationModel("OpenAI", OpenModel("dall-e-3", "3.0", "GenerallyAvailable", isDefault: true, inferenceRetires: "2027-02-28T00:00:00Z", skus: ["Standard"], images: true)));
        LocationModels[OpenAILocation].Add(LocationModel("OpenAI", OpenModel("gpt-4o", "2024-11-20", "Preview", isDefault: false, inferenceRetires: "2027-09-30T00:00:00Z", skus: ["GlobalStandard"])));
        foreach (var (location, items) in LocationModels)
        {
            // AI services accounts offer the same models as OpenAI accounts there.
            foreach (var item in items.ToList())
            {
                var copy = item!.DeepClone();
                copy["kind"] = "AIServices";
                items.Add(copy);
            }
        }

        // gpt-4o Standard in Sweden Central is nearly used up; GlobalStandard has room; gpt-4o-mini Standard is exhausted.
        Usages[OpenAILocation] = new JsonArray(
        [
            Usage("AccountCount", "Cognitive Services total account limit", 3, 200, "Count"),
            Usage("OpenAI.Standard.gpt-4o", "Tokens Per Minute (thousands) - GPT-4o", 440, 450, "Count"),
            Usage("OpenAI.GlobalStandard.gpt-4o", "Tokens Per Minute (thousands) - GPT-4o - GlobalStandard", 100, 2000, "Count"),
            Usage("OpenAI.DataZoneStandard.gpt-4o", "Tokens Per Minute (thousands) - GPT-4o - DataZoneStandard", 0, 300, "Count"),
            Usage("OpenAI.ProvisionedManaged.gpt-4o", "Provisioned Managed Throughput Unit - GPT-4o", 0, 0, "Count"),
            Usage("OpenAI.Standard.gpt-4o-mini", "Tokens Per Minute (thousands) - GPT-4o-mini", 200, 200, "Count"),
            Usage("OpenAI.GlobalStandard.gpt-4o-mini", "Tokens Per Minute (thousands) - GPT-4o-mini - GlobalStandard", 10, 2000, "Count"),
            Usage("OpenAI.Standard.text-embedding-3-small", "Tokens Per Minute (thousands) - Text-Embedding-3-Small", 0, 350, "Count"),
            Usage("OpenAI.GlobalStandard.text-embedding-3-small", "Tokens Per Minute (thousands) - Text-Embedding-3-Small - GlobalStandard", 0, 1000, "Count"),
            Usage("OpenAI.Standard.dall-e-3", "Requests Per Minute - Dall-E-3", 0, 2, "Count"),
        ]);
        Usages[AIServicesLocation] = new JsonArray(
        [
            Usage("AccountCount", "Cognitive Services total account limit", 1, 200, "Count"),
            Usage("OpenAI.Standard.gpt-4o", "Tokens Per Minute (thousands) - GPT-4o", 0, 450, "Count"),
            Usage("OpenAI.GlobalStandard.gpt-4o", "Tokens Per Minute (thousands) - GPT-4o - GlobalStandard", 0, 2000, "Count"),
            Usage("OpenAI.DataZoneStandard.gpt-4o", "Tokens Per Minute (thousands) - GPT-4o - DataZoneStandard", 0, 300, "Count"),
            Usage("OpenAI.ProvisionedManaged.gpt-4o", "Provisioned Managed Throughput Unit - GPT-4o", 0, 50, "Count"),
            Usage("OpenAI.Standard.gpt-4o-mini", "Tokens Per Minute (thousands) - GPT-4o-mini", 0, 200, "Count"),
            Usage("OpenAI.GlobalStandard.gpt-4o-mini", "Tokens Per Minute (thousands) - GPT-4o-mini - GlobalStandard", 0, 2000, "Count"),
            Usage("OpenAI.Standard.text-embedding-3-small", "Tokens Per Minute (thousands) - Text-Embedding-3-Small", 0, 350, "Count"),
            Usage("OpenAI.GlobalStandard.text-embedding-3-small", "Tokens Per Minute (thousands) - Text-Embedding-3-Small - GlobalStandard", 0, 1000, "Count"),
        ]);
    }

    private void Account(string name, string kind, string location, string sku, string endpoint, JsonObject? endpoints = null) =>
        Put(AccountId(name), new JsonObject
        {
            ["kind"] = kind,
            ["location"] = location,
            ["sku"] = new JsonObject { ["name"] = sku },
            ["etag"] = "W/\"datetime'2026-11-20T08%3A00%3A00.000Z'\"",
            ["properties"] = new JsonObject
            {
                ["endpoint"] = endpoint,
                ["endpoints"] = endpoints ?? new JsonObject(),
                ["provisioningState"] = "Succeeded",
                ["customSubDomainName"] = name,
                ["publicNetworkAccess"] = "Enabled",
                ["dateCreated"] = "2026-11-20T08:00:00.0000000Z",
                ["allowProjectManagement"] = kind == "AIServices",
            },
        });

    private static JsonObject LocationModel(string kind, JsonObject model) => new() { ["kind"] = kind, ["skuName"] = "S0", ["model"] = model };

    private static JsonObject OpenModel(string name, string version, string lifecycle, bool isDefault, string inferenceRetires, string[] skus, bool fineTune = false, bool embeddings = false, bool images = false)
    {
        var capabilities = new JsonObject();
        if (embeddings)
        {
            capabilities["embeddings"] = "true";
        }
        else if (images)
        {
            capabilities["imageGenerations"] = "true";
        }
        else
        {
            capabilities["chatCompletion"] = "true";
        }

        capabilities["inference"] = "true";
        capabilities["fineTune"] = fineTune ? "true" : "false";
        return new JsonObject
        {
            ["name"] = name,
            ["format"] = "OpenAI",
            ["version"] = version,
            ["capabilities"] = capabilities,
            ["deprecation"] = new JsonObject { ["deprecationStatus"] = lifecycle == "Deprecating" ? "Planned" : "Tentative", ["inference"] = inferenceRetires },
            ["isDefaultVersion"] = isDefault,
            ["lifecycleStatus"] = lifecycle,
            ["maxCapacity"] = 1000,
            ["modelCatalogAssetId"] = $"azureml://registries/azure-openai/models/{name}/versions/{version}",
            ["skus"] = new JsonArray([.. skus.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s,
                ["usageName"] = $"OpenAI.{s}.{name}",
                ["capacity"] = s == "ProvisionedManaged"
                    ? new JsonObject { ["default"] = 50, ["minimum"] = 15, ["maximum"] = 1000, ["step"] = 5 }
                    : new JsonObject { ["default"] = 10, ["minimum"] = 1, ["maximum"] = 1000, ["step"] = 1 },
            })]),
            ["systemData"] = new JsonObject { ["createdAt"] = "2024-05-13T00:00:00Z", ["createdBy"] = "Microsoft", ["createdByType"] = "Application" },
        };
    }

    private static JsonObject Usage(string value, string localized, double current, double limit, string unit) =>
        new() { ["name"] = new JsonObject { ["value"] = value, ["localizedValue"] = localized }, ["currentValue"] = current, ["limit"] = limit, ["unit"] = unit };

    /// <summary>The Cognitive Services calls that are not plain resources: available models, usages and SKUs.</summary>
    private async Task<bool> HandleCognitiveServicesAsync(HttpContext context, string method, string path, JsonNode? body)
    {
        _ = body;
        if (method != "GET" || !path.Contains("/providers/Microsoft.CognitiveServices/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        // /subscriptions/{s}/providers/Microsoft.CognitiveServices/locations/{location}/models|usages
        if (segments.Length == 7 && segments[4] == "locations")
        {
            var source = segments[6] switch
            {
                "models" => LocationModels,
                "usages" => Usages,
                _ => null,
            };
            if (source is null)
            {
                return false;
            }

            var items = source.TryGetValue(segments[5], out var found) ? found : [];
            await Json(context, 200, new JsonObject { ["value"] = items.DeepClone() }).ConfigureAwait(false);
            return true;
        }

        // {account}/models: what the account's kind can deploy in its location.
        if (segments.Length == 9 && segments[6] == "accounts" && segments[8] is "models" or "skus")
        {
            var accountId = "/" + string.Join('/', segments[..8]);
            if (Resource(accountId) is not { } account)
            {
                await Error(context, 404, "ResourceNotFound", $"The Resource 'Microsoft.CognitiveServices/accounts/{segments[7]}' under resource group '{segments[3]}' was not found.").ConfigureAwait(false);
                return true;
            }

            if (segments[8] == "skus")
            {
                await Json(context, 200, new JsonObject
                {
                    ["value"] = new JsonArray(
                        new JsonObject { ["resourceType"] = "Microsoft.CognitiveServices/accounts", ["sku"] = new JsonObject { ["name"] = "F0", ["tier"] = "Free" } },
                        new JsonObject { ["resourceType"] = "Microsoft.CognitiveServices/accounts", ["sku"] = new JsonObject { ["name"] = "S0", ["tier"] = "Standard" } }),
                }).ConfigureAwait(false);
                return true;
            }

            var kind = account["kind"]?.GetValue<string>();
            var location = account["location"]?.GetValue<string>() ?? "";
            var models = (LocationModels.TryGetValue(location, out var offered) ? offered : [])
                .Where(m => string.Equals(m?["kind"]?.GetValue<string>(), kind, StringComparison.OrdinalIgnoreCase))
                .Select(m => m!["model"]!.DeepClone());
            await Json(context, 200, new JsonObject { ["value"] = new JsonArray([.. models]) }).ConfigureAwait(false);
            return true;
        }

        // {account}/deployments/{name}/skus
        if (segments.Length == 11 && segments[8] == "deployments" && segments[10] == "skus")
        {
            var deploymentId = "/" + string.Join('/', segments[..10]);
            if (Resource(deploymentId) is null)
            {
                await Error(context, 404, "DeploymentNotFound", $"The deployment '{segments[9]}' was not found.").ConfigureAwait(false);
                return true;
            }

            await Json(context, 200, new JsonObject
            {
                ["value"] = new JsonArray(new JsonObject
                {
                    ["resourceType"] = "Microsoft.CognitiveServices/accounts/deployments",
                    ["sku"] = new JsonObject { ["name"] = Resource(deploymentId)!["sku"]?["name"]?.GetValue<string>() ?? "Standard", ["capacity"] = 1 },
                    ["capacity"] = new JsonObject { ["default"] = 10, ["minimum"] = 1, ["maximum"] = 1000, ["step"] = 1 },
                }),
            }).ConfigureAwait(false);
            return true;
        }

        return false;
    }
}
