using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Portal.Playground.Outbound;

/// <summary>Which addresses the portal may call on a user's behalf (<c>Portal:Outbound</c>).</summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Portal:Outbound";

    /// <summary>127.0.0.0/8 and ::1: on by default, for Ollama, vLLM or llama.cpp on the same machine.</summary>
    public bool AllowLoopback { get; set; } = true;

    /// <summary>10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 and link-local ranges: off by default.</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>A call to an address the outbound policy refuses.</summary>
public sealed class OutboundUrlRefusedException(string message) : Exception(message);

/// <summary>
/// Guards against server-side request forgery: the portal calls URLs that users type in. Cloud metadata endpoints are
/// always refused; loopback and private ranges only when configuration allows them. The check runs on every address
/// a host name resolves to, at connection time (so a name that later resolves elsewhere is checked again).
/// </summary>
public sealed class OutboundUrlPolicy(IOptionsMonitor<OutboundOptions> options)
{
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, Azure IMDS, GCP, OpenStack
        IPAddress.Parse("169.254.170.2"),   // AWS ECS task metadata
        IPAddress.Parse("168.63.129.16"),   // Azure WireServer
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("fd00:ec2::254"),   // AWS IMDS over IPv6
    ];

    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata", "metadata.azure.internal"];

    /// <summary>Checks a URL before any call: scheme, and the host when it is a literal address. Returns why it is refused, or null.</summary>
    public string? Check(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return "Enter an absolute URL, for example https://my-resource.openai.azure.com/openai/v1/.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            // "localhost:11434/v1" parses as the scheme "localhost": what is missing is the scheme, not a different one.
            var original = uri.OriginalString.Trim();
            var afterColon = original.IndexOf(':', StringComparison.Ordinal) + 1;
            if (afterColon < original.Length && char.IsAsciiDigit(original[afterColon]))
            {
                return $"'{original}' has no scheme: write http://{original} (or https://).";
            }

            return $"Only http and https URLs can be called, not {uri.Scheme}.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Put credentials in the key field, not in the URL.";
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (MetadataHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return $"{host} is a cloud metadata service; the portal never calls it.";
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return Check(IPAddress.Loopback);
        }

        return IPAddress.TryParse(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : host, out var address) ? Check(address) : null;
    }

    /// <summary>Checks one resolved address. Returns why it is refused, or null.</summary>
    public string? Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (MetadataAddresses.Any(m => m.Equals(address)))
        {
            return $"{address} is a cloud metadata address; the portal never calls it.";
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IsMulticast(address))
        {
            return $"{address} is not an address a server can be called on.";
        }

        var current = options.CurrentValue;
        if (IPAddress.IsLoopback(address))
        {
            return current.AllowLoopback ? null : $"{address} is a loopback address, and Portal:Outbound:AllowLoopback is off.";
        }

        if (IsPrivate(address))
        {
            return current.AllowPrivateNetworks ? null : $"{address} is in a private or link-local range; set Portal:Outbound:AllowPrivateNetworks to true to allow it.";
        }

        return null;
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses the connection if any address is
    /// refused (so a name cannot mix a public and a private answer), then connects to the checked addresses only.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (Check(address) is { } reason)
            {
                throw new OutboundUrlRefusedException($"The portal refused to call {host}: {reason}");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handler for outbound calls to user-supplied URLs: the policy at connect time, no proxy.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.All,
    };

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? address.IsIPv6Multicast : (address.GetAddressBytes()[0] & 0xF0) == 224;

    private static bool IsPrivate(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] == 10
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || b[0] == 0;
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }
}
