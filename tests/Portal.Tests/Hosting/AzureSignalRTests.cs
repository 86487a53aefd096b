using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Hosting;

/// <summary>
/// Azure:SignalR:ConnectionString switches the circuit transport to Azure SignalR Service (the portal connects out to the
/// service as a server and sends browsers there), with sticky mode Required; without it nothing changes.
/// </summary>
public sealed class AzureSignalRTests
{
    [Fact]
    public async Task WithoutConfiguration_CircuitsUseThePortalsOwnWebSocketEndpoint()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", content: null);

        response.EnsureSuccessStatusCode();
        using var negotiation = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(negotiation.RootElement.TryGetProperty("url", out _), "no redirect to a service");
        Assert.Contains(negotiation.RootElement.GetProperty("availableTransports").EnumerateArray(),
            transport => transport.GetProperty("transport").GetString() == "WebSockets");
    }

    [Fact]
    public async Task WithAConnectionString_ThePortalConnectsToTheServiceAsItsServer_StickyRequired_KeyNeverLogged()
    {
        var accessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var port = ((IPEndPoint)service.LocalEndpoint).Port;
        var logs = new CapturingLoggerProvider();
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, logs, $"--Azure:SignalR:ConnectionString=Endpoint=http://127.0.0.1:{port};AccessKey={accessKey};Version=1.0;");

        await app.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var connection = await service.AcceptTcpClientAsync(timeout.Token);
        var head = await ReadRequestHeadAsync(connection.GetStream(), timeout.Token);

        Assert.StartsWith("GET /server/?hub=", head, StringComparison.Ordinal);
        Assert.Contains("upgrade: websocket", head, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"(?im)^authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+\r?$", head);
        Assert.DoesNotContain(accessKey, head, StringComparison.Ordinal);
        Assert.Equal(ServerStickyMode.Required, app.Services.GetRequiredService<IOptions<ServiceOptions>>().Value.ServerStickyMode);

        await app.StopAsync();
        Assert.DoesNotContain(logs.Lines, line => line.Contains(accessKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Azure:SignalR:ConnectionString=AccessKey={key};Version=1.0;", "needs Endpoint=")]
    [InlineData("--Azure:SignalR:ConnectionString=Endpoint=http://signalr.example.com;AccessKey={key};Version=1.0;", "needs Endpoint=")]
    [InlineData("--Azure:SignalR:ConnectionString=Endpoint=https://portal.service.signalr.net;Version=1.0;", "needs an AccessKey")]
    [InlineData("--Azure:SignalR:Endpoint=portal.service.signalr.net", "must be an absolute https:// address")]
    public async Task BadSettings_StopTheStart_NamingTheSetting_WithoutTheKey(string setting, string expected)
    {
        var accessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, setting.Replace("{key}", accessKey, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Azure:SignalR:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(accessKey, error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadRequestHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }

        return Encoding.ASCII.GetString(buffer, 0, length);
    }
}
