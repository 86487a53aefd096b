using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Benchmarks.Load;

/// <summary>
/// The browser's side of one Blazor Server circuit, without a browser: what blazor.web.js (10.0) does for a
/// prerendered page with interactive server routing. It GETs the page, takes the server component markers
/// (<c>&lt;!--Blazor:{…}--&gt;</c>) and the persisted state, opens <c>/_blazor</c> with the blazorpack hub protocol,
/// calls <c>StartCircuit(baseUri, uri, "[]", state)</c> and adds the prerendered components with
/// <c>UpdateRootComponents</c>; then acknowledges every render batch (<c>OnRenderCompleted</c>), answers every JS call
/// (<c>EndInvokeJSFromDotNet</c>, no value), follows the server's navigations (<c>OnLocationChanged</c>, as the
/// browser's history handling does) and dispatches events as the page's event delegation does
/// (<c>DispatchEventAsync</c> on the renderer's interop object).
/// </summary>
public sealed partial class BlazorCircuitClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Uri _baseUri;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _calls = new();
    private readonly List<(Func<RenderBatchData, bool> Match, TaskCompletionSource<RenderBatchData> Done)> _waiters = [];
    private readonly TaskCompletionSource _componentsAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _rendererInteropId = -1;
    private int _nextCallId;
    private string? _secret;

    private BlazorCircuitClient(HttpClient http, Uri baseUri, Uri pageUri)
    {
        _http = http;
        _baseUri = baseUri;
        Location = pageUri.ToString();
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "_blazor"), options => options.Transports = HttpTransportType.WebSockets);
        // The last protocol registered is the one the connection speaks.
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        _connection = builder.Build();
        // No automatic reconnect: a dropped circuit is a failure of the measurement.
        _connection.ServerTimeout = TimeSpan.FromMinutes(2);
        _connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        _connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJSAsync);
        _connection.On<string, bool, string>("JS.EndInvokeDotNet", (callId, succeeded, result) =>
        {
            if (_calls.TryRemove(callId, out var call))
            {
                if (succeeded)
                {
                    call.TrySetResult(result);
                }
                else
                {
                    call.TrySetException(new InvalidOperationException("The server refused the call: " + result));
                }
            }
        });
        _connection.On<long>("JS.EndUpdateRootComponents", _ => _componentsAdded.TrySetResult());
        _connection.On<string>("JS.Error", error => Fail(new InvalidOperationException("The circuit reported an error: " + error)));
        _connection.On<int, string>("JS.AttachComponent", (_, _) => { });
        _connection.Closed += error =>
        {
            Fail(new InvalidOperationException("The circuit's connection closed" + (error is null ? "." : ": " + error.Message)));
            return Task.CompletedTask;
        };
    }

    /// <summary>The page's address as the server last navigated to it.</summary>
    public string Location { get; private set; }

    /// <summary>The prerendered HTML the circuit started from.</summary>
    public string PrerenderedHtml { get; private set; } = "";

    /// <summary>Set once the circuit fails (an error from the server, the connection closed); later waits throw it.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Whether the server accepted the disconnect beacon on dispose (the circuit was ended, not kept for a reconnect).</summary>
    public bool Ended { get; private set; }

    /// <summary>Number of render batches received (and acknowledged).</summary>
    public int Batches { get; private set; }

    /// <summary>GETs <paramref name="pageUri"/>, starts a circuit for it and waits until a render batch matches <paramref name="ready"/>.</summary>
    public static async Task<BlazorCircuitClient> StartAsync(HttpClient http, Uri baseUri, Uri pageUri, Func<RenderBatchData, bool> ready, TimeSpan timeout)
    {
        using var response = await http.GetAsync(pageUri);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {pageUri} answered {(int)response.StatusCode}.");
        }

        var markers = ServerMarkers(html);
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"GET {pageUri} has no interactive server component markers (<!--Blazor:{{\"type\":\"server\",…}}-->).");
        }

        var state = StateComment().Match(html) is { Success: true } m ? m.Groups[1].Value : "";
        var client = new BlazorCircuitClient(http, baseUri, pageUri) { PrerenderedHtml = html };
        try
        {
            var first = client.WaitForBatchAsync(ready, timeout);
            await client._connection.StartAsync();
            client._secret = await client._connection.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), pageUri.ToString(), "[]", state)
                ?? throw new InvalidOperationException("StartCircuit returned no circuit id.");
            var operations = new JsonObject
            {
                ["batchId"] = 1,
                ["operations"] = new JsonArray([.. markers.Select((marker, i) => (JsonNode)new JsonObject
                {
                    ["type"] = "add",
                    ["ssrComponentId"] = i + 1,
                    ["marker"] = marker,
                })]),
            };
            await client._connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), state);
            await client._componentsAdded.Task.WaitAsync(timeout);
            await first;
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the next render batch that matches (batches already received do not count).</summary>
    public Task<RenderBatchData> WaitForBatchAsync(Func<RenderBatchData, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<RenderBatchData>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Failure is { } failure)
            {
                return Task.FromException<RenderBatchData>(failure);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(timeout);
    }

    /// <summary>Dispatches a browser event to a handler of the rendered page, as the page's event delegation does.</summary>
    public async Task DispatchEventAsync(ulong eventHandlerId, string eventName, object eventArgs)
    {
        if (_rendererInteropId < 0)
        {
            throw new InvalidOperationException("The server never attached the renderer's interop object (Blazor._internal.attachWebRendererInterop).");
        }

        var callId = Interlocked.Increment(ref _nextCallId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var call = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[callId] = call;
        var args = JsonSerializer.Serialize(new object?[] { new { eventHandlerId, eventName, eventFieldInfo = (object?)null }, eventArgs });
        await _connection.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", _rendererInteropId, args);
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] data)
    {
        RenderBatchData batch;
        try
        {
            batch = RenderBatchReader.Read(data);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            Fail(new InvalidDataException($"Render batch {batchId} could not be read: {ex.Message}", ex));
            await _connection.SendAsync("OnRenderCompleted", batchId, ex.Message);
            return;
        }

        // Acknowledge first, as the browser does once it has applied the batch: the server holds at most a few unacknowledged.
        await _connection.SendAsync("OnRenderCompleted", batchId, null);
        Batches++;
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(batch))
                {
                    _waiters[i].Done.TrySetResult(batch);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        if (identifier == "Blazor._internal.attachWebRendererInterop")
        {
            // [rendererId, {"__dotNetObject": id}, …]: the object the page's events are dispatched to.
            using var args = JsonDocument.Parse(argsJson);
            _rendererInteropId = args.RootElement[1].GetProperty("__dotNetObject").GetInt64();
        }

        if (asyncHandle != 0)
        {
            await _connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, JsonSerializer.Serialize(new object?[] { asyncHandle, true, null }));
        }

        if (identifier == "Blazor._internal.navigationManager.navigateTo")
        {
            // The browser pushes the history entry and tells the server where it is now.
            using var args = JsonDocument.Parse(argsJson);
            Location = new Uri(_baseUri, args.RootElement[0].GetString()).ToString();
            await _connection.SendAsync("OnLocationChanged", Location, null, false);
        }
    }

    private void Fail(Exception failure)
    {
        lock (_waiters)
        {
            Failure ??= failure;
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(failure);
            }

            _waiters.Clear();
        }

        foreach (var call in _calls.Values)
        {
            call.TrySetException(failure);
        }
    }

    /// <summary>The server component start markers in document order, as JSON objects (the end markers carry no descriptor).</summary>
    internal static List<JsonObject> ServerMarkers(string html) =>
        [.. MarkerComment().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(o => o["type"]?.GetValue<string>() == "server" && o["descriptor"] is not null)];

    /// <summary>Ends the circuit as a closing tab does (the disconnect beacon), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_waiters)
        {
            Failure ??= new ObjectDisposedException(nameof(BlazorCircuitClient));
        }

        if (_secret is not null)
        {
            try
            {
                using var content = new FormUrlEncodedContent([new("circuitId", _secret)]);
                using var response = await _http.PostAsync(new Uri(_baseUri, "_blazor/disconnect"), content);
                Ended = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                // The server is gone; the connection below closes either way.
            }
        }

        await _connection.DisposeAsync();
    }

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerComment();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex StateComment();

    /// <summary>MessagePack hub protocol under the name Blazor's hub accepts (its blazorpack protocol is MessagePack on the wire).</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol _inner = new();

        public string Name => "blazorpack";

        public int Version => _inner.Version;

        public TransferFormat TransferFormat => _inner.TransferFormat;

        public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            _inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
    }
}
