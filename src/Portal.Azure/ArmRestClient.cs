using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using Microsoft.Extensions.Options;

namespace Portal.Azure;

/// <summary>Azure settings (<c>Portal:Azure</c>).</summary>
public sealed class AzureOptions
{
    public const string SectionName = "Portal:Azure";

    /// <summary>The Resource Manager endpoint: public cloud by default; a sovereign cloud's, or a test peer's.</summary>
    public Uri Endpoint { get; set; } = new("https://management.azure.com/");

    /// <summary>The token audience; by default the endpoint's (<c>https://management.azure.com/.default</c>).</summary>
    public string? Audience { get; set; }

    public string? TenantId { get; set; }

    /// <summary>Subscriptions to discover hubs, projects and registries in; users can choose more in Settings → Azure.</summary>
    public List<string> Subscriptions { get; set; } = [];

    public int MaxRetries { get; set; } = 3;

    /// <summary>How often to poll a long-running operation when Azure gives no Retry-After.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for a long-running operation before reporting it as still running.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How long discovered hubs, projects and registries are reused before asking Azure again.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(2);

    public string Scope => Audience ?? new Uri(Endpoint, ".default").AbsoluteUri;
}

public enum ArmErrorKind
{
    NoCredential,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Throttled,
    BadRequest,
    ServerError,
    Unreachable,
    OperationFailed,
    TimedOut,
}

/// <summary>What Azure said, in words a user can act on, with ARM's own code and message.</summary>
public sealed record ArmError(ArmErrorKind Kind, string Message, int? Status = null, string? Code = null, string? ArmMessage = null, TimeSpan? RetryAfter = null);

public sealed class ArmException(ArmError error, Exception? inner = null) : Exception(error.Message, inner)
{
    public ArmError Error { get; } = error;
}

/// <summary>
/// Calls Azure Resource Manager through Azure.Core's pipeline as Azure.ResourceManager configures it
/// (<see cref="ArmClientOptions"/>: bearer-token authentication, retries with exponential back-off that honour
/// Retry-After on 429 and 503), with typed bodies, <c>nextLink</c> paging and long-running-operation polling.
/// </summary>
public sealed class ArmRestClient
{
    private readonly HttpPipeline _pipeline;
    private readonly AzureOptions _options;
    private readonly TimeProvider _time;

    public ArmRestClient(IOptions<AzureOptions> options, TokenCredential credential, HttpPipelineTransport? transport, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        var clientOptions = new ArmClientOptions
        {
            Environment = new ArmEnvironment(_options.Endpoint, _options.Scope.Replace("/.default", "", StringComparison.Ordinal)),
        };
        clientOptions.Retry.MaxRetries = _options.MaxRetries;
        clientOptions.Retry.Delay = TimeSpan.FromSeconds(1);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        _pipeline = HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(credential, _options.Scope));
        Arm = new ArmClient(credential, null, clientOptions);
    }

    /// <summary>The Azure.ResourceManager client on the same settings (used for subscriptions).</summary>
    public ArmClient Arm { get; }

    public AzureOptions Options => _options;

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(RequestMethod.Get, Url(path), null, cancellationToken).ConfigureAwait(false);
        return Read<T>(response);
    }

    public async Task<T> PostAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(RequestMethod.Post, Url(path), null, cancellationToken).ConfigureAwait(false);
        return Read<T>(response);
    }

    /// <summary>Every item of a list, following <c>nextLink</c> page by page.</summary>
    public async IAsyncEnumerable<T> ListAsync<T>(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? next = Url(path);
        var pages = 0;
        while (next is not null && pages++ < 100)
        {
            ArmList<T> page;
            using (var response = await SendAsync(RequestMethod.Get, next, null, cancellationToken).ConfigureAwait(false))
            {
                page = Read<ArmList<T>>(response);
            }

            foreach (var item in page.Value ?? [])
            {
                yield return item;
            }

            next = page.NextLink is { Length: > 0 } link && Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri : null;
        }
    }

    /// <summary>Starts a PUT; the operation is polled by <see cref="ArmOperation.WaitAsync"/>.</summary>
    public async Task<ArmOperation> BeginPutAsync(string path, object body, CancellationToken cancellationToken)
    {
        var uri = Url(path);
        var response = await SendAsync(RequestMethod.Put, uri, body, cancellationToken).ConfigureAwait(false);
        return new ArmOperation(this, uri, response, isDelete: false);
    }

    /// <summary>Starts a PATCH (an update of some properties); polled like a PUT.</summary>
    public async Task<ArmOperation> BeginPatchAsync(string path, object body, CancellationToken cancellationToken)
    {
        var uri = Url(path);
        var response = await SendAsync(RequestMethod.Patch, uri, body, cancellationToken).ConfigureAwait(false);
        return new ArmOperation(this, uri, response, isDelete: false);
    }

    public async Task<ArmOperation> BeginDeleteAsync(string path, CancellationToken cancellationToken)
    {
        var uri = Url(path);
        var response = await SendAsync(RequestMethod.Delete, uri, null, cancellationToken).ConfigureAwait(false);
        return new ArmOperation(this, uri, response, isDelete: true);
    }

    internal TimeProvider Time => _time;

    internal Uri Url(string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "https" or "http")
        {
            return absolute;
        }

        var relative = path.TrimStart('/');
        var separator = relative.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Uri(_options.Endpoint, relative.Contains("api-version=", StringComparison.Ordinal) ? relative : $"{relative}{separator}api-version={VersionFor(relative)}");
    }

    /// <summary>The api-version for a path: each resource provider's contract has its own.</summary>
    public static string VersionFor(string path) =>
        path.Contains("/providers/Microsoft.CognitiveServices/", StringComparison.OrdinalIgnoreCase) ? CognitiveApi.Version : Api.Version;

    internal async Task<Response> SendAsync(RequestMethod method, Uri uri, object? body, CancellationToken cancellationToken, bool throwOnError = true)
    {
        // The response is buffered (BufferResponse) and handed to the caller, who disposes it; the message is not
        // disposed here because that would dispose the response with it.
#pragma warning disable CA2000
        var message = _pipeline.CreateMessage();
#pragma warning restore CA2000
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Api.Json));
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CredentialUnavailableException or AuthenticationFailedException)
        {
            throw new ArmException(new(ArmErrorKind.NoCredential,
                "No Azure credential is available. Sign in with the Azure CLI (az login), set AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET, or run where a managed identity is assigned. "
                + FirstLine(ex.Message)), ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 0)
        {
            throw new ArmException(new(ArmErrorKind.Unreachable, $"Azure Resource Manager at {_options.Endpoint} could not be reached: {FirstLine(ex.Message)}"), ex);
        }

        var response = message.Response;
        if (throwOnError && response.Status >= 400)
        {
            using (response)
            {
                throw new ArmException(ToError(response));
            }
        }

        return response;
    }

    internal static T Read<T>(Response response)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(response.Content.ToMemory().Span, Api.Json)
                ?? throw new ArmException(new(ArmErrorKind.ServerError, "Azure answered with an empty body.", response.Status));
        }
        catch (JsonException ex)
        {
            throw new ArmException(new(ArmErrorKind.ServerError, $"Azure answered with a body the portal could not read ({FirstLine(ex.Message)}).", response.Status), ex);
        }
    }

    public static ArmError ToError(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArmErrorDetail? detail = null;
        try
        {
            detail = JsonSerializer.Deserialize<ArmErrorEnvelope>(response.Content.ToMemory().Span, Api.Json)?.Error;
        }
        catch (JsonException)
        {
        }

        var retryAfter = response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : (TimeSpan?)null;
        return FromDetail(response.Status, detail, retryAfter);
    }

    public static ArmError FromDetail(int status, ArmErrorDetail? detail, TimeSpan? retryAfter = null)
    {
        var code = detail?.Code;
        var said = detail?.Message is { } m ? $" Azure said: {code}: {m}" : code is null ? "" : $" Azure said: {code}.";
        return status switch
        {
            401 => new(ArmErrorKind.Unauthorized, "Azure did not accept the sign-in (401); it may have expired. Sign in again." + said, status, code, detail?.Message),
            403 => new(ArmErrorKind.Forbidden, "The signed-in identity lacks permission for this (403)." + (code == "AuthorizationFailed" ? " Ask for a role such as Contributor or Azure AI Developer on the project's resource group." : "") + said, status, code, detail?.Message),
            404 => new(ArmErrorKind.NotFound, "Azure does not know this resource (404): it may have been deleted, or the subscription or project is wrong." + said, status, code, detail?.Message),
            409 => new(ArmErrorKind.Conflict, "Azure reports a conflict (409): a resource with this name exists, or another operation on it is running." + said, status, code, detail?.Message),
            429 => new(ArmErrorKind.Throttled, $"Azure is throttling requests (429) and the portal's retries ran out.{(retryAfter is { } r ? $" Retry after {r.TotalSeconds:0} s." : "")}" + said, status, code, detail?.Message, retryAfter),
            >= 500 => new(ArmErrorKind.ServerError, $"Azure failed ({status}); retry later." + said, status, code, detail?.Message),
            _ => new(ArmErrorKind.BadRequest, $"Azure rejected the request ({status})." + said, status, code, detail?.Message),
        };
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>Progress of a long-running operation: what is being waited on, its last status and how long it has run.</summary>
public sealed record ArmProgress(string Status, TimeSpan Elapsed, string? Detail = null);

/// <summary>
/// A long-running ARM operation: polls <c>Azure-AsyncOperation</c> (a status resource) or else <c>Location</c>
/// (202 until done), or else the resource itself while its provisioningState is not terminal, honouring Retry-After.
/// Cancelling stops the waiting, not the operation in Azure.
/// </summary>
public sealed class ArmOperation : IDisposable
{
    private static readonly string[] Terminal = ["Succeeded", "Failed", "Canceled", "Cancelled"];
    private readonly ArmRestClient _client;
    private readonly Uri _resource;
    private readonly Response _initial;
    private readonly bool _isDelete;

    internal ArmOperation(ArmRestClient client, Uri resource, Response initial, bool isDelete)
    {
        _client = client;
        _resource = resource;
        _initial = initial;
        _isDelete = isDelete;
    }

    public int InitialStatus => _initial.Status;

    /// <summary>Waits until the operation ends. Returns the final resource JSON for a PUT (null for a delete).</summary>
    public async Task<JsonElement?> WaitAsync(IProgress<ArmProgress>? progress, CancellationToken cancellationToken)
    {
        var started = _client.Time.GetTimestamp();
        var asyncOperation = Header(_initial, "Azure-AsyncOperation");
        var location = Header(_initial, "Location");
        var delay = RetryAfter(_initial);
        progress?.Report(new("Accepted", TimeSpan.Zero, $"Azure answered {_initial.Status}."));

        if (asyncOperation is not null)
        {
            while (true)
            {
                await PauseAsync(delay, started, cancellationToken).ConfigureAwait(false);
                using var poll = await _client.SendAsync(RequestMethod.Get, asyncOperation, null, cancellationToken).ConfigureAwait(false);
                var status = ArmRestClient.Read<OperationStatus>(poll);
                progress?.Report(new(status.Status ?? "InProgress", _client.Time.GetElapsedTime(started)));
                if (IsTerminal(status.Status))
                {
                    if (!string.Equals(status.Status, "Succeeded", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new ArmException(Failed(status.Error, status.Status));
                    }

                    break;
                }

                delay = RetryAfter(poll);
            }
        }
        else if (location is not null && _initial.Status == 202)
        {
            while (true)
            {
                await PauseAsync(delay, started, cancellationToken).ConfigureAwait(false);
                using var poll = await _client.SendAsync(RequestMethod.Get, location, null, cancellationToken).ConfigureAwait(false);
                progress?.Report(new(poll.Status == 202 ? "InProgress" : "Succeeded", _client.Time.GetElapsedTime(started)));
                if (poll.Status != 202)
                {
                    break;
                }

                delay = RetryAfter(poll);
            }
        }
        else if (!_isDelete && State(_initial) is { } state && !IsTerminal(state))
        {
            while (true)
            {
                await PauseAsync(delay, started, cancellationToken).ConfigureAwait(false);
                using var poll = await _client.SendAsync(RequestMethod.Get, _resource, null, cancellationToken).ConfigureAwait(false);
                var current = State(poll);
                progress?.Report(new(current ?? "InProgress", _client.Time.GetElapsedTime(started)));
                if (IsTerminal(current))
                {
                    if (!string.Equals(current, "Succeeded", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new ArmException(Failed(null, current));
                    }

                    break;
                }

                delay = RetryAfter(poll);
            }
        }
        else if (!_isDelete && State(_initial) is { } final && !string.Equals(final, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmException(Failed(null, final));
        }

        progress?.Report(new("Succeeded", _client.Time.GetElapsedTime(started)));
        if (_isDelete)
        {
            return null;
        }

        using var resource = await _client.SendAsync(RequestMethod.Get, _resource, null, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(resource.Content.ToMemory());
        return document.RootElement.Clone();
    }

    private async Task PauseAsync(TimeSpan? retryAfter, long started, CancellationToken cancellationToken)
    {
        if (_client.Time.GetElapsedTime(started) > _client.Options.MaxWait)
        {
            throw new ArmException(new(ArmErrorKind.TimedOut, $"The operation was still running after {_client.Options.MaxWait.TotalMinutes:0} minutes; it goes on in Azure. Check it on the Deployments page."));
        }

        await Task.Delay(retryAfter ?? _client.Options.PollInterval, _client.Time, cancellationToken).ConfigureAwait(false);
    }

    private static ArmError Failed(ArmErrorDetail? error, string? status) => new(
        ArmErrorKind.OperationFailed,
        error?.Message is { } message ? $"The operation failed in Azure: {error.Code}: {message}" : $"The operation ended as {status ?? "failed"} in Azure.",
        null,
        error?.Code,
        error?.Message);

    private static bool IsTerminal(string? status) => status is not null && Terminal.Contains(status, StringComparer.OrdinalIgnoreCase);

    private static Uri? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    private static TimeSpan? RetryAfter(Response response) =>
        response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static string? State(Response response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            return document.RootElement.TryGetProperty("properties", out var p) && p.TryGetProperty("provisioningState", out var s) ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _initial.Dispose();
}
