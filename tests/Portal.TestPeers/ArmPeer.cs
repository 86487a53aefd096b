using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.TestPeers;

/// <summary>
/// An Azure Resource Manager peer on loopback (HTTPS with a self-signed certificate, as ARM's bearer-token policy
/// requires TLS) for Microsoft.MachineLearningServices api-version 2025-12-01: subscriptions, workspaces (a hub and
/// projects), registries with model containers and versions, serverless endpoints (+ listKeys), marketplace
/// subscriptions, online endpoints (+ listKeys) and deployments. PUTs answer 201 with <c>Azure-AsyncOperation</c>,
/// DELETEs 202 with <c>Location</c>; operations finish after <see cref="PollsToFinish"/> polls. Errors use ARM's
/// envelope: 401 (wrong token), 403 AuthorizationFailed (project <c>locked-project</c>), 404, 409 Conflict, 429 with
/// Retry-After (<see cref="ThrottleNext"/>). Endpoint names starting with <c>fail</c> end in a failed operation.
/// Workspaces are listed on two pages (<c>nextLink</c>).
/// </summary>
public sealed partial class ArmPeer : IAsyncDisposable
{
    public const string Token = "arm-peer-token";
    public const string Subscription = "00000000-1111-2222-3333-444444444444";
    public const string ResourceGroup = "team-rg";
    public const string Location = "swedencentral";
    public const string ApiVersion = "2025-12-01";

    /// <summary>The api-version Microsoft.CognitiveServices paths must carry.</summary>
    public const string CognitiveApiVersion = "2026-09-01";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, JsonObject> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Operation> _operations = new();
    private int _throttle;

    private sealed class Operation
    {
        public required string ResourceId { get; init; }

        public required bool Delete { get; init; }

        public int Polls { get; set; }

        public JsonObject? Error { get; init; }
    }

    private ArmPeer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>Where serverless endpoints say they serve inference (a test points it at an OpenAI-compatible peer).</summary>
    public Uri InferenceUri { get; set; } = new("https://example.invalid/v1/");

    /// <summary>The key listKeys returns.</summary>
    public string InferenceKey { get; set; } = "peer-endpoint-key-0000";

    public int PollsToFinish { get; set; } = 2;

    /// <summary>Seconds in Retry-After on operation polls and throttling answers.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The next N requests are answered 429 with Retry-After.</summary>
    public int ThrottleNext
    {
        get => Volatile.Read(ref _throttle);
        set => Volatile.Write(ref _throttle, value);
    }

    public ConcurrentQueue<(string Method, string Path, JsonNode? Body)> Requests { get; } = new();

    public static string ProjectId(string name = "team-project") =>
        $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/{name}";

    public static async Task<ArmPeer> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new ArmPeer(app, certificate);
        peer.Seed();
        peer.SeedCognitiveServices();
        app.Run(peer.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        peer.BaseUrl = PeerAddress.Of(app);
        return peer;
    }

    /// <summary>An HTTP handler that trusts this peer's certificate (and only it).</summary>
    public HttpMessageHandler CreateTrustingHandler() => new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Thumbprint == _certificate.Thumbprint,
    };

    public bool Exists(string resourceId) => _resources.ContainsKey(resourceId);

    public JsonObject? Resource(string resourceId) => _resources.TryGetValue(resourceId, out var r) ? r : null;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=portal-arm-peer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private void Seed()
    {
        var hub = ProjectId("team-hub");
        Put(hub, new JsonObject { ["kind"] = "Hub", ["location"] = Location, ["properties"] = new JsonObject { ["friendlyName"] = "Team hub", ["provisioningState"] = "Succeeded" } });
        Put(ProjectId(), new JsonObject { ["kind"] = "Project", ["location"] = Location, ["properties"] = new JsonObject { ["friendlyName"] = "Team project", ["hubResourceId"] = hub, ["provisioningState"] = "Succeeded" } });
        Put(ProjectId("locked-project"), new JsonObject { ["kind"] = "Project", ["location"] = Location, ["properties"] = new JsonObject { ["friendlyName"] = "Locked project", ["hubResourceId"] = hub, ["provisioningState"] = "Succeeded" } });
        Put(ProjectId("classic-ws"), new JsonObject { ["kind"] = "Default", ["location"] = Location, ["properties"] = new JsonObject { ["friendlyName"] = "A classic workspace" } });
        foreach (var (registry, models) in new[] { ("azureml-meta", new[] { "Meta-Llama-3-8B-Instruct", "Meta-Llama-3.1-8B-Instruct" }), ("azureml", ["Phi-3-mini-4k-instruct"]) })
        {
            var registryId = $"/subscriptions/{Subscription}/resourceGroups/registries-rg/providers/Microsoft.MachineLearningServices/registries/{registry}";
            Put(registryId, new JsonObject { ["location"] = Location, ["properties"] = new JsonObject { ["discoveryUrl"] = "https://example.invalid" } });
            foreach (var model in models)
            {
                Put($"{registryId}/models/{model}", new JsonObject { ["properties"] = new JsonObject { ["description"] = $"{model} in {registry}", ["latestVersion"] = "3", ["tags"] = new JsonObject { ["task"] = "chat-completion" } } });
            }
        }

        Put($"{ProjectId()}/models/team-finetune", new JsonObject { ["properties"] = new JsonObject { ["description"] = "A model the team registered", ["latestVersion"] = "1" } });
    }

    private void Put(string id, JsonObject body)
    {
        var name = id.Split('/')[^1];
        body["id"] = id;
        body["name"] = name;
        body["type"] = TypeOf(id);
        body["systemData"] ??= new JsonObject { ["createdAt"] = "2026-11-22T08:00:00Z", ["createdBy"] = "portal-test", ["createdByType"] = "User" };
        _resources[id] = body;
    }

    private static string TypeOf(string id)
    {
        var parts = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var provider = Array.IndexOf(parts, "providers");
        var types = new List<string> { parts[provider + 1] };
        for (var i = provider + 2; i < parts.Length; i += 2)
        {
            types.Add(parts[i]);
        }

        return string.Join('/', types);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value!.TrimEnd('/');
        JsonNode? body = null;
        if (request.ContentLength > 0 || request.Method is "PUT" or "POST" && request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
        }

        Requests.Enqueue((request.Method, path, body));
        if (request.Headers.Authorization != $"Bearer {Token}")
        {
            await Error(context, 401, "InvalidAuthenticationToken", "The access token is invalid.").ConfigureAwait(false);
            return;
        }

        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Error(context, 429, "TooManyRequests", "The request is being throttled.").ConfigureAwait(false);
            return;
        }

        Interlocked.Exchange(ref _throttle, Math.Max(0, Volatile.Read(ref _throttle)));

        if (path.StartsWith("/operations/", StringComparison.Ordinal))
        {
            await PollAsync(context, path).ConfigureAwait(false);
            return;
        }

        if (path == "/subscriptions")
        {
            await context.Response.WriteAsJsonAsync(new { value = new[] { new { id = $"/subscriptions/{Subscription}", subscriptionId = Subscription, displayName = "Team subscription", state = "Enabled", tenantId = "00000000-0000-0000-0000-000000000001" } } }).ConfigureAwait(false);
            return;
        }

        if (await HandleWorkspacesAsync(context, request.Method, path, body).ConfigureAwait(false))
        {
            return;
        }

        if (path.EndsWith("/providers/Microsoft.Authorization/permissions", StringComparison.OrdinalIgnoreCase))
        {
            // The caller may only read in the locked project and the locked account; everything elsewhere.
            var actions = path.Contains("/workspaces/locked-project/", StringComparison.OrdinalIgnoreCase) || path.Contains("/accounts/locked-openai/", StringComparison.OrdinalIgnoreCase) ? new[] { "*/read" } : ["*"];
            await context.Response.WriteAsJsonAsync(new { value = new[] { new { actions, notActions = Array.Empty<string>() } } }).ConfigureAwait(false);
            return;
        }

        var apiVersion = path.Contains("/providers/Microsoft.CognitiveServices/", StringComparison.OrdinalIgnoreCase) ? CognitiveApiVersion : ApiVersion;
        if (request.Query["api-version"] != apiVersion)
        {
            await Error(context, 400, "InvalidApiVersionParameter", $"The api-version '{request.Query["api-version"]}' is invalid. The supported versions are '{apiVersion}'.").ConfigureAwait(false);
            return;
        }

        if (await HandleCannedAsync(context, request.Method, path).ConfigureAwait(false))
        {
            return;
        }

        if (await HandleRegionsAsync(context, request.Method, path).ConfigureAwait(false))
        {
            return;
        }

        if (await HandleCognitiveServicesAsync(context, request.Method, path, body).ConfigureAwait(false))
        {
            return;
        }

        if (await HandleAccountsAsync(context, request.Method, path).ConfigureAwait(false))
        {
            return;
        }

        if (await HandleFineTunedDeploymentsAsync(context, request.Method, path, body).ConfigureAwait(false))
        {
            return;
        }

        if (await HandleOpenAIDeploymentsAsync(context, request.Method, path, body).ConfigureAwait(false))
        {
            return;
        }

        switch (request.Method)
        {
            case "GET":
                await GetAsync(context, path).ConfigureAwait(false);
                break;
            case "PUT":
                await PutAsync(context, path, body as JsonObject ?? []).ConfigureAwait(false);
                break;
            case "DELETE":
                await DeleteAsync(context, path).ConfigureAwait(false);
                break;
            case "POST" when path.EndsWith("/listKeys", StringComparison.Ordinal) && path.Contains("/providers/Microsoft.CognitiveServices/", StringComparison.OrdinalIgnoreCase):
                var account = path[..^"/listKeys".Length];
                if (!_resources.ContainsKey(account))
                {
                    await Error(context, 404, "ResourceNotFound", $"The Resource 'Microsoft.CognitiveServices/accounts/{account.Split('/')[^1]}' under resource group '{ResourceGroup}' was not found.").ConfigureAwait(false);
                    return;
                }

                await context.Response.WriteAsJsonAsync(new { key1 = AccountKey, key2 = AccountKey + "-2" }).ConfigureAwait(false);
                break;
            case "POST" when path.EndsWith("/listKeys", StringComparison.Ordinal):
                var owner = path[..^"/listKeys".Length];
                if (!_resources.ContainsKey(owner))
                {
                    await Error(context, 404, "ResourceNotFound", $"The resource '{owner}' was not found.").ConfigureAwait(false);
                    return;
                }

                await context.Response.WriteAsJsonAsync(new { primaryKey = InferenceKey, secondaryKey = InferenceKey + "-2" }).ConfigureAwait(false);
                break;
            default:
                await Error(context, 405, "MethodNotAllowed", "Not supported by the peer.").ConfigureAwait(false);
                break;
        }
    }

    private async Task GetAsync(HttpContext context, string path)
    {
        if (_resources.TryGetValue(path, out var resource))
        {
            await Json(context, 200, resource).ConfigureAwait(false);
            return;
        }

        // A list: every resource whose parent is the path and whose last type segment is the path's last segment.
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var collection = segments[^1];
        var parent = "/" + string.Join('/', segments[..^1]);
        var isSubscriptionWide = segments.Length == 5 && segments[0] == "subscriptions" && segments[2] == "providers";
        var items = _resources
            .Where(r => isSubscriptionWide
                ? r.Key.StartsWith($"/subscriptions/{segments[1]}/", StringComparison.OrdinalIgnoreCase) && r.Key.Split('/').Length == 9 && string.Equals(r.Key.Split('/')[^2], collection, StringComparison.OrdinalIgnoreCase)
                : string.Equals(r.Key, $"{parent}/{collection}/{r.Key.Split('/')[^1]}", StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Value)
            .ToList();
        if (items.Count == 0 && !_resources.ContainsKey(parent) && !isSubscriptionWide)
        {
            await Error(context, 404, "ResourceNotFound", $"The resource '{path}' was not found.").ConfigureAwait(false);
            return;
        }

        // Workspaces and accounts come back on two pages, so callers must follow nextLink.
        var paged = collection is "workspaces" or "accounts";
        var page = int.TryParse(context.Request.Query["page"], out var p) ? p : 0;
        var pageItems = paged && page == 0 ? items.Take(2).ToList() : paged ? items.Skip(2).ToList() : items;
        var list = new JsonObject { ["value"] = new JsonArray([.. pageItems.Select(i => i.DeepClone())]) };
        if (paged && page == 0 && items.Count > 2)
        {
            list["nextLink"] = new Uri(BaseUrl, $"{path.TrimStart('/')}?api-version={context.Request.Query["api-version"]}&page=1").AbsoluteUri;
        }

        await Json(context, 200, list).ConfigureAwait(false);
    }

    private async Task PutAsync(HttpContext context, string path, JsonObject body)
    {
        if (path.Contains("/workspaces/locked-project/", StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, 403, "AuthorizationFailed", $"The client 'portal-test' with object id '00000000-0000-0000-0000-00000000abcd' does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/serverlessEndpoints/write' over scope '{path}' or the scope is invalid.").ConfigureAwait(false);
            return;
        }

        var parent = path[..path.LastIndexOf('/')];
        parent = parent[..parent.LastIndexOf('/')];
        if (!_resources.ContainsKey(parent))
        {
            await Error(context, 404, "ParentResourceNotFound", $"Can not perform requested operation on nested resource. Parent resource '{parent}' not found.").ConfigureAwait(false);
            return;
        }

        var name = path.Split('/')[^1];
        var type = TypeOf(path);
        if (_resources.TryGetValue(path, out var existing) && type.EndsWith("serverlessEndpoints", StringComparison.Ordinal)
            && existing["properties"]?["modelSettings"]?["modelId"]?.GetValue<string>() != body["properties"]?["modelSettings"]?["modelId"]?.GetValue<string>())
        {
            await Error(context, 409, "Conflict", $"A serverless endpoint named '{name}' already exists for another model.").ConfigureAwait(false);
            return;
        }

        var properties = body["properties"] as JsonObject ?? [];
        properties["provisioningState"] = "Creating";
        if (type.EndsWith("serverlessEndpoints", StringComparison.Ordinal))
        {
            properties["endpointState"] = "Creating";
            properties["inferenceEndpoint"] = new JsonObject { ["uri"] = InferenceUri.AbsoluteUri };
        }
        else if (type.EndsWith("onlineEndpoints", StringComparison.Ordinal))
        {
            properties["scoringUri"] = new Uri(InferenceUri, "score").AbsoluteUri;
        }
        else if (type.EndsWith("marketplaceSubscriptions", StringComparison.Ordinal))
        {
            properties["marketplaceSubscriptionStatus"] = "Subscribed";
            properties["marketplacePlan"] = new JsonObject { ["publisherId"] = "metagenai", ["offerId"] = "meta-llama-3-8b-chat-offer", ["planId"] = "meta-llama-3-8b-chat" };
        }

        var resource = (JsonObject)body.DeepClone();
        resource["properties"] = properties.DeepClone();
        resource["systemData"] = new JsonObject { ["createdAt"] = "2026-11-22T09:00:00Z", ["createdBy"] = "portal-test", ["createdByType"] = "User" };
        Put(path, resource);

        var error = name.StartsWith("fail", StringComparison.OrdinalIgnoreCase)
            ? new JsonObject { ["code"] = "ModelNotAvailable", ["message"] = $"The model is not available for serverless deployment in region '{Location}'." }
            : null;
        var operation = Guid.NewGuid().ToString("N");
        _operations[operation] = new Operation { ResourceId = path, Delete = false, Error = error };
        context.Response.Headers["Azure-AsyncOperation"] = new Uri(BaseUrl, $"operations/{operation}?api-version={ApiVersion}").AbsoluteUri;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Json(context, existing is null ? 201 : 200, _resources[path]).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, string path)
    {
        if (!_resources.ContainsKey(path))
        {
            context.Response.StatusCode = 204;
            return;
        }

        var operation = Guid.NewGuid().ToString("N");
        _operations[operation] = new Operation { ResourceId = path, Delete = true };
        context.Response.Headers.Location = new Uri(BaseUrl, $"operations/{operation}?api-version={ApiVersion}&result=1").AbsoluteUri;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = 202;
    }

    private async Task PollAsync(HttpContext context, string path)
    {
        var id = path["/operations/".Length..];
        if (!_operations.TryGetValue(id, out var operation))
        {
            await Error(context, 404, "OperationNotFound", "No such operation.").ConfigureAwait(false);
            return;
        }

        operation.Polls++;
        var done = operation.Polls >= PollsToFinish;
        if (done)
        {
            if (operation.Delete)
            {
                foreach (var key in _resources.Keys.Where(k => k.StartsWith(operation.ResourceId, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    _resources.TryRemove(key, out _);
                }
            }
            else if (_resources.TryGetValue(operation.ResourceId, out var resource) && resource["properties"] is JsonObject properties)
            {
                properties["provisioningState"] = operation.Error is null ? "Succeeded" : "Failed";
                if (properties.ContainsKey("endpointState"))
                {
                    properties["endpointState"] = operation.Error is null ? "Online" : "Failed";
                }
            }
        }

        if (context.Request.Query.ContainsKey("result"))
        {
            if (!done)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.StatusCode = done ? 200 : 202;
            return;
        }

        if (!done)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var status = new JsonObject { ["id"] = path, ["name"] = id, ["status"] = done ? operation.Error is null ? "Succeeded" : "Failed" : "InProgress", ["startTime"] = "2026-11-22T09:00:00Z" };
        if (done && operation.Error is not null)
        {
            status["error"] = operation.Error.DeepClone();
        }

        await Json(context, 200, status).ConfigureAwait(false);
    }

    private static Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Json(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["details"] = new JsonArray() } });
}
