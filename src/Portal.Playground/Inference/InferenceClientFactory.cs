using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Core;
using Microsoft.Extensions.Options;
using OpenAI;
using Portal.Playground.Outbound;

namespace Portal.Playground.Inference;

/// <summary>
/// Builds OpenAI SDK clients for connections: one shared HTTP handler guarded by the outbound policy, no automatic
/// retries (the user sees a 429 and its retry time at once), the configured timeout, and the connection's
/// authentication: an API key (Azure's <c>api-key</c> header for Azure endpoints, a bearer key otherwise), a Microsoft
/// Entra ID token, or nothing.
/// </summary>
public sealed class InferenceClientFactory : IDisposable
{
    private readonly HttpClient _http;
    private readonly IOptions<InferenceOptions> _options;
    private readonly Lazy<TokenCredential> _credential;

    public InferenceClientFactory(OutboundUrlPolicy policy, IOptions<InferenceOptions> options, Func<TokenCredential> credential)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var handler = policy.CreateHandler();

        // An answer given up on (a limit reached, Stop) closes its connection at once: by default the handler would go
        // on reading up to 1 MB of it, for up to 2 s, to reuse the connection, so an endless stream would keep running.
        handler.MaxResponseDrainSize = 0;
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _options = options;
        _credential = new Lazy<TokenCredential>(credential);
    }

    public TimeSpan Timeout => _options.Value.Timeout;

    public OpenAIClient Create(InferenceTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = target.Endpoint,
            Transport = new HttpClientPipelineTransport(_http),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = _options.Value.Timeout,
            UserAgentApplicationId = "ModelCatalogPortal",
        };
        return new OpenAIClient(Authentication(target), clientOptions);
    }

    private AuthenticationPolicy Authentication(InferenceTarget target) => target.Auth switch
    {
        ConnectionAuth.ApiKey when string.IsNullOrEmpty(target.ApiKey) =>
            throw new InferenceException(new(InferenceErrorKind.Unauthorized, $"The connection '{target.Name}' has no API key. Add one in Settings → Connections.")),
        ConnectionAuth.ApiKey when target.Kind is ConnectionKind.AzureOpenAI or ConnectionKind.AzureAIFoundry =>
            ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(target.ApiKey!), "api-key", null!),
        ConnectionAuth.ApiKey => ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(target.ApiKey!)),
        ConnectionAuth.EntraId => new BearerTokenPolicy(_credential.Value, _options.Value.EntraScope),
        _ => new NoAuthentication(),
    };

    public void Dispose() => _http.Dispose();

    /// <summary>For endpoints without authentication (a local Ollama, say).</summary>
    private sealed class NoAuthentication : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
