using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;

namespace Portal.Playground.FineTuning;

/// <summary>Where a connection's files and fine-tuning API live.</summary>
public enum FineTuningStyle
{
    /// <summary>OpenAI: <c>{base URL}files</c>, <c>{base URL}fine_tuning/jobs</c>, a bearer key, 200 on create.</summary>
    OpenAI,

    /// <summary>
    /// Azure OpenAI's data-plane authoring API: <c>{resource}/openai/fine_tuning/jobs?api-version=2024-10-21</c>, the
    /// <c>api-key</c> header, 201 with <c>location</c> on create, and its older status names.
    /// </summary>
    Azure,
}

/// <summary>
/// The files and fine-tuning jobs API of OpenAI and Azure OpenAI, over the outbound-policy guarded HTTP handler. Written
/// by hand (a small client): the OpenAI SDK's fine-tuning client is experimental and speaks neither Azure's dated
/// address nor its status names. Failures throw <see cref="InferenceException"/> with the provider's words.
/// </summary>
public sealed class FineTuningClient : IDisposable
{
    /// <summary>The newest stable Azure OpenAI authoring api-version (its published examples are the contract).</summary>
    public const string AzureApiVersion = "2024-10-21";

    private readonly HttpClient _http;
    private readonly IOptions<InferenceOptions> _options;
    private readonly Lazy<TokenCredential> _credential;

    public FineTuningClient(OutboundUrlPolicy policy, IOptions<InferenceOptions> options, Func<TokenCredential> credential)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _http = new HttpClient(policy.CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _options = options;
        _credential = new Lazy<TokenCredential>(credential);
    }

    /// <summary>The kinds of connection that serve fine-tuning: OpenAI and Azure OpenAI.</summary>
    public static bool Supports(ConnectionKind kind) => kind is ConnectionKind.OpenAI or ConnectionKind.AzureOpenAI;

    public static FineTuningStyle StyleOf(InferenceTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Kind == ConnectionKind.AzureOpenAI ? FineTuningStyle.Azure : FineTuningStyle.OpenAI;
    }

    /// <summary>
    /// The address of <paramref name="path"/> (<c>files</c>, <c>fine_tuning/jobs/{id}</c>…) for the connection. For Azure
    /// the resource root is the base URL up to its <c>/openai/</c> segment (a <c>/openai/v1/</c> base URL works too).
    /// <paramref name="query"/> is already escaped.
    /// </summary>
    public static Uri Address(InferenceTarget target, string path, string? query = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (StyleOf(target) == FineTuningStyle.OpenAI)
        {
            return new Uri(target.Endpoint, path + (query is null ? "" : "?" + query));
        }

        var basePath = target.Endpoint.AbsolutePath;
        var at = basePath.IndexOf("/openai/", StringComparison.OrdinalIgnoreCase);
        var root = at < 0 ? basePath : basePath[..(at + 1)];
        var builder = new UriBuilder(target.Endpoint) { Path = root + "openai/" + path, Query = "api-version=" + AzureApiVersion + (query is null ? "" : "&" + query) };
        return builder.Uri;
    }

    public async Task<IReadOnlyList<FineTuningFile>> ListFilesAsync(InferenceTarget target, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(target, HttpMethod.Get, Address(target, "files"), null, "the files", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadPage(document.RootElement, FineTuningJson.ReadFile).Data;
    }

    /// <summary>Uploads a training file (<c>purpose=fine-tune</c>), reporting the bytes sent as they leave.</summary>
    public async Task<FineTuningFile> UploadFileAsync(InferenceTarget target, string fileName, Stream content, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
        };
        var file = new StreamContent(new ProgressStream(content, progress), 64 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", fileName);
        using var document = await SendAsync(target, HttpMethod.Post, Address(target, "files"), form, $"the file {fileName}", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadFile(document.RootElement);
    }

    public async Task DeleteFileAsync(InferenceTarget target, string fileId, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(target, HttpMethod.Delete, Address(target, "files/" + Uri.EscapeDataString(fileId)), null, $"the file {fileId}", cancellationToken).ConfigureAwait(false);
    }

    public async Task<FineTuningJob> CreateJobAsync(InferenceTarget target, FineTuningJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = FineTuningJson.WriteRequest(request, topLevelHyperparameters: StyleOf(target) == FineTuningStyle.Azure);
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var document = await SendAsync(target, HttpMethod.Post, Address(target, "fine_tuning/jobs"), content, $"the base model {request.Model}", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadJob(document.RootElement);
    }

    public async Task<FineTuningPage<FineTuningJob>> ListJobsAsync(InferenceTarget target, string? after, int limit, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(target, HttpMethod.Get, Address(target, "fine_tuning/jobs", Paging(after, limit)), null, "the fine-tuning jobs", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadPage(document.RootElement, FineTuningJson.ReadJob);
    }

    public async Task<FineTuningJob> GetJobAsync(InferenceTarget target, string jobId, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(target, HttpMethod.Get, Address(target, "fine_tuning/jobs/" + Uri.EscapeDataString(jobId)), null, $"the job {jobId}", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadJob(document.RootElement);
    }

    public async Task<FineTuningJob> CancelJobAsync(InferenceTarget target, string jobId, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(target, HttpMethod.Post, Address(target, "fine_tuning/jobs/" + Uri.EscapeDataString(jobId) + "/cancel"), null, $"the job {jobId}", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadJob(document.RootElement);
    }

    /// <summary>Events newest first; <paramref name="after"/> pages on to older ones.</summary>
    public async Task<FineTuningPage<FineTuningEvent>> ListEventsAsync(InferenceTarget target, string jobId, string? after, int limit, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(target, HttpMethod.Get, Address(target, "fine_tuning/jobs/" + Uri.EscapeDataString(jobId) + "/events", Paging(after, limit)), null, $"the job {jobId}", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadPage(document.RootElement, FineTuningJson.ReadEvent);
    }

    public async Task<FineTuningPage<FineTuningCheckpoint>> ListCheckpointsAsync(InferenceTarget target, string jobId, string? after, int limit, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(target, HttpMethod.Get, Address(target, "fine_tuning/jobs/" + Uri.EscapeDataString(jobId) + "/checkpoints", Paging(after, limit)), null, $"the job {jobId}", cancellationToken).ConfigureAwait(false);
        return FineTuningJson.ReadPage(document.RootElement, FineTuningJson.ReadCheckpoint);
    }

    private static string Paging(string? after, int limit) =>
        "limit=" + Math.Clamp(limit, 1, 100).ToString(System.Globalization.CultureInfo.InvariantCulture) + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));

    private async Task<JsonDocument> SendAsync(InferenceTarget target, HttpMethod method, Uri address, HttpContent? content, string subject, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, address) { Content = content };
        await AuthenticateAsync(target, request, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Value.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new InferenceException(InferenceErrors.FromException(ex, subject, streamStarted: false, _options.Value.Timeout), ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InferenceException(Describe(response, text, subject));
            }

            try
            {
                return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text, FineTuningJson.Options);
            }
            catch (JsonException ex)
            {
                throw new InferenceException(new(InferenceErrorKind.Malformed, "The endpoint sent a response the portal could not read (not valid JSON)."), ex);
            }
        }
    }

    /// <summary>A provider's refusal in words: 400 says what the provider said (an invalid file, say), 404 names what was not found.</summary>
    private static InferenceError Describe(HttpResponseMessage response, string body, string subject)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        var error = InferenceErrors.FromResponse(status, retryAfter?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), null, body, subject);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => error with { Message = $"The endpoint does not know {subject} (404)." },
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => error with { Message = $"The endpoint refused {subject} ({status})." },
            _ => error,
        };
    }

    private async Task AuthenticateAsync(InferenceTarget target, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        switch (target.Auth)
        {
            case ConnectionAuth.ApiKey when string.IsNullOrEmpty(target.ApiKey):
                throw new InferenceException(new(InferenceErrorKind.Unauthorized, $"The connection '{target.Name}' has no API key. Add one in Settings → Connections."));
            case ConnectionAuth.ApiKey when target.Kind is ConnectionKind.AzureOpenAI or ConnectionKind.AzureAIFoundry:
                request.Headers.Add("api-key", target.ApiKey);
                break;
            case ConnectionAuth.ApiKey:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey);
                break;
            case ConnectionAuth.EntraId:
                var token = await _credential.Value.GetTokenAsync(new TokenRequestContext([_options.Value.EntraScope]), cancellationToken).ConfigureAwait(false);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
                break;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Reports how many bytes of the wrapped stream were read (sent).</summary>
    private sealed class ProgressStream(Stream inner, IProgress<long>? progress) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (read > 0)
            {
                progress?.Report(_read);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
